"""Reading a table of geodata/ against its schema (loaders.schema): each cell parsed to its kind, and a
bad cell reported as DataFileError naming the file, the row (as a spreadsheet numbers it: header = 1)
and the column."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from loaders.columns import Column, TableSchema
from loaders.errors import DataFileError
from loaders.schema import CODE6_PATTERN, GEODATA

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}


def _parse(value: str, col: Column) -> object:
    """One cell to its typed value; raises ValueError with a short reason."""
    if col.kind in ("str", "list"):
        if col.choices and value not in col.choices:
            raise ValueError(f"'{value}' is not one of {', '.join(col.choices)}")
        return value
    if col.kind == "code6":
        if not CODE6_PATTERN.match(value):
            raise ValueError(f"'{value}' is not a 6-digit code")
        return value
    if col.kind == "bool":
        low = value.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise ValueError(f"'{value}' is not true/false")
    if col.kind == "date":
        if not _DATE.match(value):
            raise ValueError(f"'{value}' is not a YYYY-MM-DD date")
        pd.Timestamp(value)  # rejects 2019-02-30
        return value
    number: float = int(value) if col.kind in ("int", "year") else float(value)
    if number != number:  # NaN typed in a file is not a value
        raise ValueError("NaN is not a value; leave the cell empty")
    if col.low is not None and number < col.low:
        raise ValueError(f"{value} is below {col.low:g}")
    if col.high is not None and number > col.high:
        raise ValueError(f"{value} is above {col.high:g}")
    return number


_DTYPES = {"int": "Int64", "year": "Int64", "float": "Float64", "bool": "boolean"}


def validate_frame(raw: pd.DataFrame, schema: TableSchema, path: Path) -> pd.DataFrame:
    """Check and type a frame of strings read from `path`."""
    missing = [c for c in schema.names if c not in raw.columns]
    if missing:
        raise DataFileError(path, f"missing column(s): {', '.join(missing)}", row=1, column=missing[0])
    typed: dict[str, list[object]] = {c.name: [] for c in schema.columns}
    for i, record in enumerate(raw[schema.names].itertuples(index=False), start=2):
        for col, cell in zip(schema.columns, record):
            value = (cell or "").strip()
            if not value:
                if col.required:
                    raise DataFileError(path, "a value is required", row=i, column=col.name)
                typed[col.name].append(None)
                continue
            try:
                typed[col.name].append(_parse(value, col))
            except ValueError as exc:
                raise DataFileError(path, str(exc), row=i, column=col.name) from None
    frame = pd.DataFrame(
        {c.name: pd.Series(typed[c.name], dtype=_DTYPES.get(c.kind, "object")) for c in schema.columns}
    )
    for col in schema.columns:
        if col.given_with:
            mismatch = frame[col.name].isna() != frame[col.given_with].isna()
            if mismatch.any():
                row = int(mismatch.to_numpy().nonzero()[0][0]) + 2
                raise DataFileError(
                    path, f"a value is needed exactly when {col.given_with} has one", row=row, column=col.name
                )
    if schema.key:
        key = frame[list(schema.key)].astype("string").fillna("")
        dup = key.duplicated(keep=False)
        if dup.any():
            first = int(dup.to_numpy().nonzero()[0][1]) + 2
            raise DataFileError(path, f"duplicate key ({', '.join(schema.key)})", row=first, column=schema.key[0])
    return frame


def read_table(schema: TableSchema, root: Path = GEODATA) -> pd.DataFrame:
    """Read and validate one CSV of geodata/ (UTF-8, with a header)."""
    return read_csv_as(root / schema.file, schema)


def read_csv_as(path: Path, schema: TableSchema) -> pd.DataFrame:
    """Read and validate the CSV at `path` against `schema`."""
    if not path.is_file():
        raise DataFileError(path, "file not found")
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataFileError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataFileError(path, f"not a readable CSV: {exc}") from None
    return validate_frame(raw, schema, path)
