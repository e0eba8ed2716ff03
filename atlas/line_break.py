"""Line breaking for every file we write (PDF, PPTX, map images), as typesetters do it. No Streamlit here.

Lines break only where the Unicode line-breaking algorithm (UAX #14, the maintained implementation in
`uniseg`) allows: never inside a word or a number (dates such as 2020-05-17 and codes included), never
before closing punctuation or ";" (，。；）” start no line), never after opening punctuation (（“ end
none). Between those opportunities a line is filled greedily to a width, measured by the caller (the
width of text in points at a font size, or display width in half-ems by default). Only a single unit
wider than the whole line (a long address) is broken inside, between characters: nothing else fits.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import lru_cache

from uniseg.linebreak import line_break_units

Measure = Callable[[str], float]
ELLIPSIS = "…"


def half_ems(text: str) -> float:
    """Display width in half-em units: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


@lru_cache(maxsize=4096)
def units(text: str) -> tuple[str, ...]:
    """The pieces a line may break between (UAX #14), each with the spaces that follow it. Cached: uniseg
    takes ~75 µs a character, and a story's files break the same legends and sources again and again."""
    return tuple(line_break_units(text)) if text else ()


def _split_long(unit: str, width: float, measure: Measure) -> list[str]:
    """A unit wider than a line, in pieces that fit (the one place a break falls inside a unit)."""
    pieces, current = [], ""
    for ch in unit:
        if current and measure(current + ch) > width:
            pieces.append(current)
            current = ""
        current += ch
    return [*pieces, current] if current else pieces


def _fill(paragraph: str, width: float, measure: Measure) -> list[str]:
    lines: list[str] = []
    current = ""
    for unit in units(paragraph):
        if measure((current + unit).rstrip()) <= width:
            current += unit
            continue
        if current:
            lines.append(current.rstrip())
            current = ""
        if measure(unit.rstrip()) > width:
            *whole, current = _split_long(unit.rstrip(), width, measure)
            lines += whole
        else:
            current = unit
    return [*lines, current.rstrip()] if current.strip() else lines


def cut(line: str, width: float, measure: Measure = half_ems) -> str:
    """`line` shortened at a break opportunity so that it and "…" fit `width`."""
    pieces = list(units(line))
    while pieces and measure("".join(pieces).rstrip() + ELLIPSIS) > width:
        pieces.pop()
    if pieces:
        return "".join(pieces).rstrip() + ELLIPSIS
    kept = _split_long(line, width - measure(ELLIPSIS), measure)
    return (kept[0] if kept else "") + ELLIPSIS


def wrap(text: str, width: float, measure: Measure = half_ems, max_lines: int | None = None) -> list[str]:
    """`text` in lines no wider than `width` (a line break in it starts a new line); with `max_lines`, at
    most that many, the last ending in "…" when text was left out."""
    lines = [line for paragraph in text.split("\n") for line in (_fill(paragraph, width, measure) or [""])]
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = cut(lines[-1], width, measure)
    return lines


def shorten(text: str, width: float, measure: Measure = half_ems) -> str:
    """`text` on one line of `width`, cut at a break opportunity with "…" when longer."""
    return text if measure(text) <= width else cut(text, width, measure)
