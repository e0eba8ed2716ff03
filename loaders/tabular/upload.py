"""An uploaded file to a table: the header line found (or given), title, note, total and repeated rows set aside."""

from __future__ import annotations

import hashlib
import re

import pandas as pd

from loaders.tabular import LISTED_ROWS, MAX_COLUMNS, MAX_ROWS, ImportedTable, Notice, UploadError
from loaders.tabular.formats import read_grid
from loaders.tabular.rows import duplicate_rows, guess_header, is_note_row, is_total_row


def _clean_cell(value) -> str | None:
    if value is None:
        return None
    text = str(value).replace("\x00", "").strip()
    return text or None


def _header_names(cells: list) -> list[str]:
    names, seen = [], set()
    for i, cell in enumerate(cells, start=1):
        base = re.sub(r"\s+", " ", cell) if cell else f"column_{i}"
        name, k = base, 2
        while name in seen:
            name, k = f"{base}_{k}", k + 1
        seen.add(name)
        names.append(name)
    return names


def read_upload(data: bytes, filename: str, sheet: str | None = None, header_row: int | None = None) -> ImportedTable:
    """A table from an uploaded file. `header_row`: the file's line (1-based) holding the column
    names; 0 = no header line; None = guess (title lines above the table are skipped)."""
    filename = re.sub(r"[\x00-\x1f]", "", str(filename)).strip() or "upload"
    grid, encoding, sheets, chosen = read_grid(data, filename, sheet)
    lines = [(i, [_clean_cell(c) for c in row]) for i, row in enumerate(grid, start=1)]
    lines = [(i, row) for i, row in lines if any(c is not None for c in row)]
    if not lines:
        raise UploadError(filename, "no_cells")
    width = max(max((j + 1 for j, c in enumerate(row) if c is not None), default=0) for _, row in lines)
    if width > MAX_COLUMNS:
        raise UploadError(filename, "too_many_columns", width=width, limit=MAX_COLUMNS)
    lines = [(i, (row + [None] * width)[:width]) for i, row in lines]
    notices = []
    if header_row is None:
        h = guess_header([row for _, row in lines])
        header = lines[h][1]
        if h:
            skipped = [i for i, _ in lines[:h]]
            notices.append(Notice.of("title_rows", n=h, rows=tuple(skipped[:LISTED_ROWS])))
        body = lines[h + 1 :]
        columns = _header_names(header)
    elif header_row == 0:
        body, columns = lines, [f"column_{j}" for j in range(1, width + 1)]
    else:
        at = [k for k, (i, _) in enumerate(lines) if i == header_row]
        if not at:
            raise UploadError(filename, "header_row", row=header_row, rows=len(grid))
        header = lines[at[0]][1]
        body, columns = lines[at[0] + 1 :], _header_names(header)
    notes = [i for i, row in body if is_note_row(row)]
    if notes:
        body = [(i, row) for i, row in body if i not in set(notes)]
        notices.append(Notice.of("note_rows", n=len(notes), rows=tuple(notes[:LISTED_ROWS])))
    totals = [i for i, row in body if is_total_row(row)]
    if totals:
        body = [(i, row) for i, row in body if i not in set(totals)]
        notices.append(Notice.of("total_rows", n=len(totals), rows=tuple(totals[:LISTED_ROWS])))
    if not body:
        raise UploadError(filename, "no_data_rows")
    if len(body) > MAX_ROWS:
        raise UploadError(filename, "too_many_rows", limit=MAX_ROWS)
    frame = pd.DataFrame([row for _, row in body], columns=columns, dtype=object).astype("string")
    dupes = duplicate_rows(frame)
    if dupes:
        notices.append(Notice.of("duplicate_rows", n=len(dupes), rows=tuple(dupes[:LISTED_ROWS])))
    return ImportedTable(frame, filename, hashlib.sha256(data).hexdigest(), encoding, sheets, chosen, tuple(notices))
