"""The sources page's content: citations and which rows each source supports."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping

from atlas.i18n import Lang, t
from loaders.data import Atlas
from loaders.schema import split_ids


def citation(row: Mapping[str, object], lang: Lang) -> str:
    """Publisher. Title. Date. Found at: where. License. Notes."""

    def text(key: str) -> str:
        value = row.get(key)
        return str(value).strip() if isinstance(value, str) else ""

    parts = [text("publisher"), f"“{text('title')}”", text("date")]
    if text("address"):
        parts.append(f"{t('source_found_at', lang)}: {text('address')}")
    if text("date_accessed"):
        parts.append(f"{t('source_accessed', lang)} {text('date_accessed')}")
    if text("where_found"):
        parts.append(text("where_found") if text("address") else f"{t('source_found_at', lang)}: {text('where_found')}")
    if text("license"):
        parts.append(f"{t('source_license', lang)}: {text('license')}")
    if text("notes"):
        parts.append(text("notes"))
    return ". ".join(p for p in parts if p and p != "“”")


# Widths in Latin letters; a Chinese character counts as two.
SHORT_TITLE = 44
SHORT_PUBLISHER = 30
_ASIDE = re.compile(r"\s*[(（][^()（）]*[)）]")


def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def _shorten(text: str, limit: int) -> str:
    if sum(map(_width, text)) <= limit:
        return text
    used, cut = 0, 0
    while cut < len(text) and used + _width(text[cut]) <= limit - 1:
        used += _width(text[cut])
        cut += 1
    return text[:cut].rstrip() + "…"


def short_citation(row: Mapping[str, object]) -> str:
    """Publisher, “short title”, date: a line under a figure (asides in brackets dropped, long parts cut)."""

    def text(key: str) -> str:
        value = row.get(key)
        return " ".join(value.split()) if isinstance(value, str) else ""

    publisher = _shorten(_ASIDE.sub("", text("publisher")).strip() or text("publisher"), SHORT_PUBLISHER)
    title = _shorten(text("title"), SHORT_TITLE)
    date = text("date") if re.fullmatch(r"\d{4}(-\d{2}){0,2}", text("date")) else ""
    return ", ".join(p for p in (publisher, f"“{title}”" if title else "", date) if p)


# The tables a source supports rows of, as the page names them.
TABLE_LABELS = {
    "poverty_counties": "headline_counties",
    "contiguous_areas": "headline_areas",
    "official_totals": "official_totals",
    "incidence": "theme_incidence",
    "funds": "theme_funds",
    "relocation": "theme_relocation",
}


def usage(data: Atlas) -> dict[str, dict[str, int]]:
    """source_id -> {table name: rows citing it}."""
    tables = {
        "poverty_counties": (data.poverty, "source_ids"),
        "contiguous_areas": (data.areas, "source_id"),
        "official_totals": (data.official, "source_id"),
    }
    tables |= {name: (frame, "source_id") for name, frame in data.series.items()}
    counts: dict[str, Counter[str]] = {}
    for name, (frame, column) in tables.items():
        if frame is None:
            continue
        for value in frame[column]:
            for sid in split_ids(value):
                counts.setdefault(sid, Counter())[name] += 1
    return {sid: dict(c) for sid, c in counts.items()}
