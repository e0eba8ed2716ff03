"""Which columns of a user table hold values to map, and which only look like numbers (codes, ids)."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from loaders.match.roles import is_attribute_header
from loaders.tabular.numbers import numeric_values


def is_mostly_numbers(numbers: pd.Series, bad: Sequence[object]) -> bool:
    """A value column is numeric when it has numbers and no more non-numbers than numbers (the
    non-numbers are then reported, not coloured)."""
    known = int(numbers.notna().sum())
    return known > 0 and len(bad) <= known


_ID_HEADER = re.compile(
    r"(^|[^a-z])(id|code|adcode|no|index|year|yr)([^a-z]|$)|[a-z]id$|^id|代码|编码|编号|序号|区划|年份|年度|^年$",
    re.IGNORECASE,
)


ID_MIN_DIGITS = 5  # codes and ids are long; a short integer column of a small table is a value


def is_year_column(header: str, numbers: pd.Series) -> bool:
    """Years (a header 年份/year, or whole numbers all within 1949–2100): written without separators."""
    present = numbers.dropna()
    if present.empty or not (present == present.round()).all():
        return False
    return bool(re.search(r"年|year", str(header), re.IGNORECASE) or present.between(1949, 2100).all())


def looks_like_identifier(header: str, numbers: pd.Series) -> bool:
    """An id, code or year column rather than a value to map: by its header (AreaID, 代码, year), or by
    its numbers: years, or mostly-unique whole numbers of one length (ids, codes)."""
    if _ID_HEADER.search(str(header).strip()):
        return True
    present = numbers.dropna()
    if present.empty or not (present == present.round()).all():
        return False
    if present.between(1949, 2100).all():
        return True
    lengths = present.abs().astype("int64").astype(str).str.len()
    return bool(
        (present >= 0).all()
        and lengths.min() >= ID_MIN_DIGITS
        and lengths.nunique() == 1
        and present.nunique() >= 0.9 * len(present)
    )


def value_defaults(table: pd.DataFrame, columns: Sequence[str]) -> list[str]:
    """The value columns preselected: every candidate but ids and codes (AreaID, 编号, mostly-unique long
    whole numbers), which stay choosable."""
    kept = []
    for column in columns:
        numbers, bad = numeric_values(table, column)
        if not looks_like_identifier(column, numbers if is_mostly_numbers(numbers, bad) else numbers.iloc[:0]):
            kept.append(column)
    return kept


def default_value_column(rows: pd.DataFrame, columns: Sequence[str]) -> str | None:
    """The column the map opens on: the first numeric column that is a measure (no id, code, year, nor a
    class such as 地区等级); else the first such class or text column; else the first column (None when
    there is none)."""
    text_column = None
    for column in columns:  # in order, stopping at the first fit: each column read costs ~40 ms on a panel
        numbers, bad = numeric_values(rows, column)
        numeric = is_mostly_numbers(numbers, bad)
        if not looks_like_identifier(column, numbers if numeric else numbers.iloc[:0]):
            if numeric and not is_attribute_header(column):
                return column
            text_column = text_column or column
    return text_column or (columns[0] if columns else None)
