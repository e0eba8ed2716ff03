"""An uploaded file's kind (CSV/TSV text in any of its encodings, XLSX, XLS) read into a grid of cells."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import math
import zipfile

from loaders.tabular import HEADER_SEARCH_ROWS, MAX_COLUMNS, MAX_ROWS, MAX_UPLOAD_BYTES, UploadError

# An XLSX is a zip: refuse archives that would unpack to more than this, or that compress too well.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_RATIO = 100
DELIMITERS = (",", "\t", ";", "|")


def _kind(data: bytes, filename: str) -> str:
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if data[:4] == b"PK\x03\x04" and suffix in ("xlsx", "xlsm", ""):
        return "xlsx"
    if data[:8] == bytes.fromhex("D0CF11E0A1B11AE1"):
        return "xls"
    if suffix in ("xlsx", "xlsm"):
        raise UploadError(filename, "not_zip")
    if suffix == "xls":
        raise UploadError(filename, "xls_unreadable")
    if suffix in ("csv", "tsv", "txt", ""):
        return "text"
    raise UploadError(filename, "file_type", suffix=suffix)


def _check_size(data: bytes, filename: str) -> None:
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(filename, "too_large", size_mb=len(data) / 2**20, limit_mb=MAX_UPLOAD_BYTES / 2**20)
    if not data.strip():
        raise UploadError(filename, "empty")


def sheet_names(data: bytes, filename: str) -> tuple[str, ...]:
    """The sheets of an XLSX/XLS workbook; () for a text file."""
    _check_size(data, filename)
    kind = _kind(data, filename)
    if kind == "xlsx":
        with _open_xlsx(data, filename) as book:
            return tuple(book.sheetnames)
    if kind == "xls":
        book = _open_xls(data, filename)
        try:
            return tuple(book.sheet_names())
        finally:
            book.release_resources()
    return ()


def read_grid(
    data: bytes, filename: str, sheet: str | None
) -> tuple[list[list], str | None, tuple[str, ...], str | None]:
    """The file's cells as lines of cells: (grid, text encoding, the workbook's sheets, the sheet read)."""
    _check_size(data, filename)
    kind = _kind(data, filename)
    encoding, sheets, chosen = None, (), None
    if kind == "xlsx":
        grid, sheets, chosen = _read_xlsx(data, filename, sheet)
    elif kind == "xls":
        grid, sheets, chosen = _read_xls(data, filename, sheet)
    else:
        grid, encoding = _read_text(data, filename)
    return grid, encoding, sheets, chosen


# ----------------------------------------------------------------------------- text files
def _decode(data: bytes, filename: str) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" export
        return data.decode("utf-16"), "utf-16"
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise UploadError(filename, "encoding")


def _sniff_delimiter(text: str, filename: str) -> str:
    lines = [ln for ln in text.splitlines() if ln.strip()][:50]
    if filename.lower().endswith(".tsv"):
        return "\t"
    best, best_score = ",", 0
    for delim in DELIMITERS:
        counts = [len(next(csv.reader([ln], delimiter=delim))) - 1 for ln in lines]
        widths = [c for c in counts if c > 0]
        if not widths:
            continue
        mode = max(set(widths), key=widths.count)
        score = sum(c == mode for c in counts) + 0.1 * mode
        if score > best_score:
            best, best_score = delim, score
    return best


def _read_text(data: bytes, filename: str) -> tuple[list[list], str]:
    try:
        text, encoding = _decode(data, filename)
    except UnicodeDecodeError as exc:
        raise UploadError(filename, "decode", detail=exc.reason) from None
    text = text.replace("\x00", "")
    delim = _sniff_delimiter(text, filename)
    try:
        grid = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))
    except csv.Error as exc:
        raise UploadError(filename, "delimited", kind="TSV" if delim == "\t" else "CSV", detail=str(exc)) from None
    return grid, encoding


# ----------------------------------------------------------------------------- workbooks
def _check_zip(data: bytes, filename: str) -> None:
    """Refuse a zip bomb before any XML is parsed: total unpacked size and compression ratio."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise UploadError(filename, "zip_damaged", detail=str(exc)) from None
    total = sum(m.file_size for m in members)
    if total > MAX_UNZIPPED_BYTES:
        raise UploadError(filename, "unpacked_size", size_mb=total / 2**20, limit_mb=MAX_UNZIPPED_BYTES / 2**20)
    for m in members:
        if m.file_size > 1_000_000 and m.file_size > MAX_ZIP_RATIO * max(m.compress_size, 1):
            raise UploadError(filename, "zip_bomb", part=m.filename, ratio=m.file_size // max(m.compress_size, 1))


@contextlib.contextmanager
def _open_xlsx(data: bytes, filename: str):
    _check_zip(data, filename)
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 (openpyxl raises many types on damaged files)
        raise UploadError(filename, "xlsx_invalid", detail=type(exc).__name__) from None
    try:
        yield book
    finally:
        book.close()


def _open_xls(data: bytes, filename: str):
    import xlrd

    try:
        return xlrd.open_workbook(file_contents=data, on_demand=True)
    except Exception as exc:  # noqa: BLE001 (xlrd raises XLRDError, struct.error, AssertionError... on damaged files)
        raise UploadError(filename, "xls_invalid", detail=type(exc).__name__) from None


def _cell_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _read_xlsx(data: bytes, filename: str, sheet: str | None) -> tuple[list[list], tuple[str, ...], str]:
    with _open_xlsx(data, filename) as book:
        names = tuple(book.sheetnames)
        chosen = _choose_sheet(names, sheet, filename)
        grid = []
        try:
            for row in book[chosen].iter_rows(values_only=True):
                grid.append([_cell_text(v) for v in row[: MAX_COLUMNS + 1]])
                if len(grid) > MAX_ROWS + HEADER_SEARCH_ROWS + 1000:
                    break
        except Exception as exc:  # noqa: BLE001 (a damaged sheet fails in many ways)
            raise UploadError(filename, "sheet_unreadable", sheet=chosen, detail=type(exc).__name__) from None
    return grid, names, chosen


def _read_xls(data: bytes, filename: str, sheet: str | None) -> tuple[list[list], tuple[str, ...], str]:
    import xlrd

    book = _open_xls(data, filename)
    try:
        names = tuple(book.sheet_names())
        chosen = _choose_sheet(names, sheet, filename)
        try:
            ws = book.sheet_by_name(chosen)
            grid = []
            for r in range(min(ws.nrows, MAX_ROWS + HEADER_SEARCH_ROWS + 1000)):
                row = []
                for c in range(min(ws.ncols, MAX_COLUMNS + 1)):
                    cell = ws.cell(r, c)
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        row.append(_cell_text(xlrd.xldate_as_datetime(cell.value, book.datemode)))
                    elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                        row.append(None)
                    elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                        row.append(_cell_text(bool(cell.value)))
                    else:
                        row.append(_cell_text(cell.value))
                grid.append(row)
        except Exception as exc:  # noqa: BLE001 (a damaged sheet fails in many ways)
            raise UploadError(filename, "sheet_unreadable", sheet=chosen, detail=type(exc).__name__) from None
    finally:
        book.release_resources()
    return grid, names, chosen


def _choose_sheet(names: tuple[str, ...], sheet: str | None, filename: str) -> str:
    if not names:
        raise UploadError(filename, "no_sheets")
    if sheet is None:
        return names[0]
    if sheet not in names:
        raise UploadError(filename, "no_such_sheet", sheet=sheet, sheets=", ".join(names))
    return sheet
