"""Text a spreadsheet would run as a formula, neutralised before a table is exported."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

# A cell a spreadsheet reads as a number ("-5.2", "+3", "1e-3", "-1,234.5", "12%") is not a formula.
_PLAIN_NUMBER = re.compile(r"[+-]?(\d[\d,]*(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers (also
    numbers written as text, negative ones too) stay as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_for_spreadsheet(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise_formula)
    return out
