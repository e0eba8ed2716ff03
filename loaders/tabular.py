"""Reading what users bring: uploaded CSV/TSV/XLSX/XLS files and pasted name lists (no Streamlit).

Every cell is kept as text; numbers are parsed only on request (`numeric_values`), and a cell
that is not a number is reported with its row, never coerced silently.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000


class UploadError(ValueError):
    """An uploaded file or pasted text that cannot be read; the message names file, row and column."""


@dataclass(frozen=True)
class ImportedTable:
    frame: pd.DataFrame
    filename: str
    sha256: str
    encoding: str | None
    sheets: tuple[str, ...]
    sheet: str | None
    notices: tuple[str, ...]


def sheet_names(data: bytes, filename: str) -> tuple[str, ...]:
    raise NotImplementedError


def read_upload(data: bytes, filename: str, sheet: str | None = None,
                header_row: int | None = None) -> ImportedTable:
    raise NotImplementedError


def parse_pasted(text: str) -> pd.DataFrame:
    raise NotImplementedError


def numeric_values(frame: pd.DataFrame, column: str) -> tuple[pd.Series, list[tuple[int, str]]]:
    raise NotImplementedError


def duplicate_rows(frame: pd.DataFrame) -> list[int]:
    raise NotImplementedError
