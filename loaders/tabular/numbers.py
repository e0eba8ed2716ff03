"""Numbers written as text in users' cells: read (with their row when a cell is not one), and written back."""

from __future__ import annotations

import math
import re
import unicodedata

import pandas as pd

_MISSING = {"", "nan", "<na>"}


def numeric_values(frame: pd.DataFrame, column: str) -> tuple[pd.Series, list[tuple[int, str]]]:
    """Floats of a value column (NaN where empty) and the (row, raw text) of every non-number.
    Accepts '1,234', '12.5%' (read as 12.5), full-width digits, a leading '+' or '−'.
    Rows are numbered from 1, or taken from an integer "row" column (match results, even filtered)."""
    values, bad = [], []
    numbered = "row" in frame.columns and pd.api.types.is_integer_dtype(frame["row"])
    row_numbers = frame["row"].tolist() if numbered else range(1, len(frame) + 1)
    for row, raw in zip(row_numbers, frame[column].tolist()):
        if raw is None or (not isinstance(raw, str) and pd.isna(raw)):
            values.append(math.nan)
            continue
        text = unicodedata.normalize("NFKC", str(raw)).strip().replace("−", "-")
        if text.lower() in _MISSING:
            values.append(math.nan)
            continue
        plain = re.sub(r"(?<=\d)[,\s](?=\d{3}(\D|$))", "", text).removesuffix("%").strip()
        try:
            number = float(plain)
        except ValueError:
            number = math.nan
        if (
            math.isnan(number)
            or math.isinf(number)
            or not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", plain)
        ):
            values.append(math.nan)
            bad.append((row, str(raw)))
        else:
            values.append(number)
    return pd.Series(values, index=frame.index, dtype="float64", name=column), bad


# separators, percent signs or leading zeros ("0101" is an identifier, not 101).
_CANONICAL_NUMBER = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?")
_INTEGER = re.compile(r"-?(0|[1-9]\d*)")


def number_text(value: float) -> str:
    """A decimal as the exports write it: the shortest text that reads back as the same number, a whole
    number without `.0` (1084.0 -> "1084", 0.1 -> "0.1")."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def typed_column(values: pd.Series) -> pd.Series:
    """An imported text column as numbers when every filled cell is a number written as the exports
    write it back: Int64 when all are whole numbers that fit (blanks stay missing, never 1084.0), else
    float64 when each cell is its number's shortest text; otherwise the text as it is, so "117.780670",
    "1e-3" and "0012" keep every character."""
    text = values.astype("string").str.strip()
    blank = (text.isna() | (text == "")).to_numpy()
    filled = text[~blank]
    if filled.empty or not filled.str.fullmatch(_CANONICAL_NUMBER.pattern).all():
        return values.astype("string")
    if filled.str.fullmatch(_INTEGER.pattern).all() and filled.str.lstrip("-").str.len().max() <= 18:
        out = pd.array([pd.NA] * len(text), dtype="Int64")
        out[~blank] = filled.astype("int64").to_numpy()  # exact: at most 18 digits, no float between
        return pd.Series(out, index=values.index, name=values.name)
    numbers = filled.astype("float64")
    if not all(math.isfinite(v) and number_text(v) == t for v, t in zip(numbers.tolist(), filled.tolist())):
        return values.astype("string")
    out = pd.Series(math.nan, index=values.index, dtype="float64", name=values.name)
    out[~blank] = numbers.to_numpy()
    return out
