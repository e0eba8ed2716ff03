"""Reading what users bring: uploaded CSV/TSV/XLSX/XLS files and pasted name lists (no Streamlit).

Every cell is kept as text; numbers are parsed only on request (`numbers.numeric_values`), and a cell
that is not a number is reported with its row, never coerced silently. Rows are numbered from 1
for the first data row (as the match report numbers them); notices about skipped lines give the
line of the file ("file row"). A notice is a code and its values (`Notice`): the app words it in the
reader's language.

Here: what a read table is, its limits and why reading fails. One topic a module: formats (file kinds,
encodings, workbooks, to a grid of cells), rows (title, note, total and repeated rows), upload (a file to a
table), pasted (pasted name lists), numbers (numbers written as text, and back), formulas (text a
spreadsheet would run).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 200
HEADER_SEARCH_ROWS = 20

# What can make a file unreadable: code -> the English message (the commands print it; the app words it
# in the reader's language from the code and values, atlas.i18n.UPLOAD_ERRORS_ZH).
UPLOAD_ERRORS = {
    "not_zip": "not a valid XLSX workbook (the file is not a zip archive)",
    "xls_unreadable": "not a valid XLS workbook (save it as XLSX or CSV and try again)",
    "file_type": "unsupported file type '.{suffix}'; use CSV, TSV, XLSX or XLS",
    "too_large": "the file is {size_mb:.1f} MB; the limit is {limit_mb:.0f} MB",
    "empty": "the file is empty",
    "encoding": "the text is neither UTF-8 nor GBK/GB18030; save it as UTF-8 CSV",
    "decode": "the text cannot be decoded ({detail})",
    "delimited": "not a readable {kind} file ({detail})",
    "zip_damaged": "not a valid XLSX workbook (damaged zip archive: {detail})",
    "unpacked_size": "the workbook would unpack to {size_mb:.0f} MB; the limit is {limit_mb:.0f} MB",
    "zip_bomb": "the workbook part '{part}' is compressed {ratio}:1 — refused as a possible zip bomb",
    "xlsx_invalid": "not a valid XLSX workbook ({detail})",
    "xls_invalid": "not a valid XLS workbook ({detail})",
    "sheet_unreadable": "sheet '{sheet}' cannot be read ({detail})",
    "no_sheets": "the workbook has no sheets",
    "no_such_sheet": "no sheet named '{sheet}' (sheets: {sheets})",
    "no_cells": "the file has no data (all cells are empty)",
    "too_many_columns": "{width} columns; the limit is {limit}",
    "header_row": "file row {row} is empty or beyond the end of the file ({rows} rows)",
    "no_data_rows": "the file has a header row but no data rows",
    "too_many_rows": "more than {limit:,} data rows; the limit is {limit:,}",
    "too_many_names": "more than {limit:,} names; the limit is {limit:,}",
}


class UploadError(ValueError):
    """An uploaded file or pasted text that cannot be read: `code` (UPLOAD_ERRORS) and the `values` that
    fill it in; str() is the English message, naming the file."""

    def __init__(self, filename: str, code: str, **values: Any) -> None:
        self.filename, self.code, self.values = filename, code, values
        super().__init__(f"{filename}: {UPLOAD_ERRORS[code].format(**values)}")


LISTED_ROWS = 10  # rows a notice lists by number; the rest are counted


@dataclass(frozen=True)
class Notice:
    """A remark on what was read: `code` names it ('title_rows', 'note_rows', 'total_rows', 'duplicate_rows',
    'no_province_cell', 'count_differs', 'pasted_titles', 'pasted_notes'), `values` fill it in (`rows`: the
    first LISTED_ROWS numbers)."""

    code: str
    values: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, code: str, **values: Any) -> Notice:
        return cls(code, tuple(values.items()))

    @property
    def fields(self) -> dict[str, Any]:
        return dict(self.values)


@dataclass(frozen=True)
class ImportedTable:
    frame: pd.DataFrame  # all cells str or <NA>; columns = header names, unique, non-empty
    filename: str
    sha256: str
    encoding: str | None  # 'utf-8', 'utf-8-sig', 'utf-16', 'gb18030'; None for xlsx/xls
    sheets: tuple[str, ...]  # sheet names of a workbook, () otherwise
    sheet: str | None
    notices: tuple[Notice, ...]  # skipped title rows, dropped total rows, duplicates, pasted headings
