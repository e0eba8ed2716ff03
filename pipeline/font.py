"""Subset Noto Sans CJK SC (SIL OFL 1.1) for the map images: `python -m pipeline.font`.

The image renderer (atlas/map_image.py, through atlas/image_font.py) draws Chinese text with this committed subset, so
a fresh clone needs no system font. The subset keeps GB2312 (every character of the
national standard, so any name a later build adds most likely renders too), printable
ASCII and Latin-1, the punctuation we use, and every character of the UI strings and of
the text columns in geodata/. Source: Debian's fonts-noto-cjk package (the SC face of
NotoSansCJK-Regular.ttc); the build fails if a needed character is missing from it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
from fontTools import subset
from fontTools.ttLib import TTCollection

from atlas.i18n import STRINGS
from loaders.schema import FONT_PATH, ROOT

SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
FACE = "Noto Sans CJK SC"
LICENSE_SOURCE = Path("/usr/share/doc/fonts-noto-cjk/copyright")
FONT_DIR = FONT_PATH.parent
EXTRA = "–—‘’“”…·•×→←↑↓≤≥°²±€¥©®™、。，；：？！（）《》【】「」『』〔〕％＋－／～　"


def gb2312() -> set[str]:
    """Every character GB2312 encodes (rows 0xA1–0xF7, cells 0xA1–0xFE)."""
    chars: set[str] = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def data_characters() -> set[str]:
    """Every character of the text columns of the tables under geodata/ (not raw/)."""
    chars: set[str] = set()
    geodata = ROOT / "geodata"
    frames = [pd.read_csv(p, dtype=str) for p in geodata.rglob("*.csv") if "raw" not in p.parts]
    frames += [pd.read_parquet(p) for p in geodata.glob("*.parquet")]
    for frame in frames:
        for column in frame.columns:
            if frame[column].dtype == object or str(frame[column].dtype).startswith("str"):
                for value in frame[column].dropna():
                    if isinstance(value, str):
                        chars |= set(value)
    return chars


def wanted() -> set[str]:
    ui = {ch for texts in STRINGS.values() for text in texts.values() for ch in text}
    basic = {chr(c) for c in range(0x20, 0x7F)} | {chr(c) for c in range(0xA0, 0x100)}
    return gb2312() | ui | data_characters() | basic | set(EXTRA)


def ofl_text() -> str:
    """The SIL OFL 1.1 text and copyright line as Debian ships them for this font."""
    lines = LICENSE_SOURCE.read_text(encoding="utf-8").splitlines()
    start = next(
        i
        for i, line in enumerate(lines)
        if line.strip() == "License: SIL-1.1" and i + 1 < len(lines) and lines[i + 1].strip().startswith("---")
    )
    body = []
    for line in lines[start + 1 :]:
        if line.startswith("License:"):
            break
        body.append("" if line.strip() == "." else line[1:])
    return (
        "Noto Sans CJK SC, subset for Poverty Atlas (pipeline/font.py).\n"
        "Copyright 2014-2021 Adobe (http://www.adobe.com/), with Reserved Font Name 'Source'.\n"
        "Noto is a trademark of Google Inc. Upstream: https://github.com/googlefonts/noto-cjk\n\n"
        + "\n".join(body).strip()
        + "\n"
    )


def main() -> int:
    collection = TTCollection(str(SOURCE))
    font = next(f for f in collection.fonts if f["name"].getDebugName(4) == FACE)
    cmap = font.getBestCmap()
    chars = {ch for ch in wanted() if ch.isprintable() or ch == "\u3000"}
    missing = sorted(ch for ch in chars if ord(ch) not in cmap)
    needed_missing = [ch for ch in missing if not ch.isspace()]
    options = subset.Options()
    options.layout_features = ["kern", "palt", "vert", "locl"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(ch) for ch in chars if ord(ch) in cmap])
    subsetter.subset(font)
    FONT_DIR.mkdir(parents=True, exist_ok=True)
    font.recalcTimestamp = False  # keep the source's date: the same input gives the same bytes
    font.save(str(FONT_PATH))
    (FONT_DIR / "OFL.txt").write_text(ofl_text(), encoding="utf-8")
    size_mb = FONT_PATH.stat().st_size / 1e6
    print(f"{FONT_PATH.relative_to(ROOT)}: {len(chars) - len(missing)} characters, {size_mb:.2f} MB")
    if needed_missing:
        print("not in the source font:", "".join(needed_missing[:80]), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
