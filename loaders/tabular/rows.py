"""Rows of a user's table that are not data: the title lines above the header, notes under it, totals, repeats."""

from __future__ import annotations

import math
import re

import pandas as pd

from loaders.tabular import HEADER_SEARCH_ROWS

TOTAL_ROW = re.compile(r"^(全国|全省|全区|全市|全州|全县|本页|以上)?(合计|总计|小计|总数|共计)")
# A note under (or in) a table, in one cell: "资料来源：国家统计局", "注：…", "数据来源: …", "Source: …"
NOTE_ROW = re.compile(
    r"^(注|备注|附注|说明|资料来源|数据来源|来源|出处|source|sources|note|notes)\s*\d*\s*[:：、.]", re.IGNORECASE
)


def guess_header(grid: list[list]) -> int:
    """Index of the header line: the first of the top lines that is about as wide as the table
    (title lines above a table fill one or two cells)."""
    top = grid[:HEADER_SEARCH_ROWS]
    filled = [sum(c is not None for c in row) for row in top]
    widest = max(filled, default=0)
    if widest <= 1:
        return 0
    need = max(2, math.ceil(0.6 * widest))
    return next(i for i, n in enumerate(filled) if n >= need)


def is_total_row(cells: list) -> bool:
    texts = [re.sub(r"\s+", "", c) for c in cells[:3] if c]
    return any(TOTAL_ROW.match(t) for t in texts)


def is_note_row(cells: list) -> bool:
    filled = [c for c in cells if c]
    return len(filled) == 1 and bool(NOTE_ROW.match(filled[0]))


def duplicate_rows(frame: pd.DataFrame) -> list[int]:
    """Rows (1-based positions) that repeat an earlier row cell for cell."""
    if frame.empty:
        return []
    flags = frame.astype("string").fillna("\x00").duplicated(keep="first")
    return [i + 1 for i, dup in enumerate(flags.tolist()) if dup]


def drop_duplicate_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows that repeat no earlier row, each keeping its index (so its input row number)."""
    if frame.empty:
        return frame
    return frame[~frame.astype("string").fillna("\x00").duplicated(keep="first").to_numpy()]
