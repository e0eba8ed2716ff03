"""Reading what users bring: uploaded CSV/TSV/XLSX/XLS files and pasted name lists (no Streamlit).

Every cell is kept as text; numbers are parsed only on request (`numeric_values`), and a cell
that is not a number is reported with its row, never coerced silently. Rows are numbered from 1
for the first data row (as the match report numbers them); notices about skipped lines give the
line of the file ("file row"). A notice is a code and its values (`Notice`): the app words it in the
reader's language.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io
import math
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import Any

import pandas as pd

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 200
# An XLSX is a zip: refuse archives that would unpack to more than this, or that compress too well.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_RATIO = 100
HEADER_SEARCH_ROWS = 20
TOTAL_ROW = re.compile(r"^(全国|全省|全区|全市|全州|全县|本页|以上)?(合计|总计|小计|总数|共计)")
DELIMITERS = (",", "\t", ";", "|")
# A note under (or in) a table, in one cell: "资料来源：国家统计局", "注：…", "数据来源: …", "Source: …"
NOTE_ROW = re.compile(
    r"^(注|备注|附注|说明|资料来源|数据来源|来源|出处|source|sources|note|notes)\s*\d*\s*[:：、.]", re.IGNORECASE
)


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


# ----------------------------------------------------------------------------- grid -> table
def _clean_cell(value) -> str | None:
    if value is None:
        return None
    text = str(value).replace("\x00", "").strip()
    return text or None


def _guess_header(grid: list[list]) -> int:
    """Index of the header line: the first of the top lines that is about as wide as the table
    (title lines above a table fill one or two cells)."""
    top = grid[:HEADER_SEARCH_ROWS]
    filled = [sum(c is not None for c in row) for row in top]
    widest = max(filled, default=0)
    if widest <= 1:
        return 0
    need = max(2, math.ceil(0.6 * widest))
    return next(i for i, n in enumerate(filled) if n >= need)


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


def _is_total_row(cells: list) -> bool:
    texts = [re.sub(r"\s+", "", c) for c in cells[:3] if c]
    return any(TOTAL_ROW.match(t) for t in texts)


def _is_note_row(cells: list) -> bool:
    filled = [c for c in cells if c]
    return len(filled) == 1 and bool(NOTE_ROW.match(filled[0]))


def read_upload(data: bytes, filename: str, sheet: str | None = None, header_row: int | None = None) -> ImportedTable:
    """A table from an uploaded file. `header_row`: the file's line (1-based) holding the column
    names; 0 = no header line; None = guess (title lines above the table are skipped)."""
    filename = re.sub(r"[\x00-\x1f]", "", str(filename)).strip() or "upload"
    _check_size(data, filename)
    kind = _kind(data, filename)
    encoding, sheets, chosen = None, (), None
    if kind == "xlsx":
        grid, sheets, chosen = _read_xlsx(data, filename, sheet)
    elif kind == "xls":
        grid, sheets, chosen = _read_xls(data, filename, sheet)
    else:
        grid, encoding = _read_text(data, filename)
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
        h = _guess_header([row for _, row in lines])
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
    notes = [i for i, row in body if _is_note_row(row)]
    if notes:
        body = [(i, row) for i, row in body if i not in set(notes)]
        notices.append(Notice.of("note_rows", n=len(notes), rows=tuple(notes[:LISTED_ROWS])))
    totals = [i for i, row in body if _is_total_row(row)]
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


# ----------------------------------------------------------------------------- pasted lists
PROVINCE_SHORT_NAMES = (
    *("北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽", "福建"),
    *("江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州", "云南", "西藏"),
    *("陕西", "甘肃", "青海", "宁夏", "新疆"),
)
_PROVINCE_SUFFIX = r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)?"
_PROVINCE = re.compile(rf"^({'|'.join(PROVINCE_SHORT_NAMES)}){_PROVINCE_SUFFIX}")
# A province cell of a published table, as copied: "河  北", "内 蒙 古", "四川省", after an optional row
# number, then a count ("7", "7个") and the names; or a heading "四川省：".
_SPACED_PROVINCES = "|".join(r"[ \t]*".join(p) for p in PROVINCE_SHORT_NAMES)
_ROW_HEAD = re.compile(
    r"^(?:\d{1,3}[.、)]?\s+)?"
    rf"(?P<province>{_SPACED_PROVINCES})"
    r"[ \t]*(?P<suffix>省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)?"
    r"(?=[\s:]|\d|$)[\s:]*(?:(?P<count>\d{1,4})(?!\d)[ \t]*个?)?[\s:]*(?P<rest>.*)$"
)
_HEADER_LINE = re.compile(
    r"(序号|省份|省区市|省别|地区|数量|个数|县数|县名|名称|合计|总计|(脱贫摘帽|摘帽|退出|贫困)*县?名单|\d)+"
)
_NOISE = (
    re.compile(
        # "等30个县(市、区)"; a 等 with no number or 个 after it is part of a name (天等县)
        r"等\s*(\d+|[一二三四五六七八九十百]+)?\s*[个家]\s*(贫困)?(县|市|区|旗)?"
        r"(\((市|区|县|旗)[、,]?(市|区|县|旗)?[、,]?(市|区|县|旗)?\))?"
    ),
    re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】|《[^》]*》"),
)
_LEAD = re.compile(r"^(\d+[.、)]|[-*•·])\s*")
# A title or section heading of a pasted notice, not names: "一、2016年摘帽贫困县名单", "(二)", "第二批", "附件1",
# "2016年脱贫摘帽县名单" (a line without a list separator naming the list, not its counties)
_NUMERAL = "一二三四五六七八九十百"
_SECTION = re.compile(rf"^([{_NUMERAL}]+[、.]|\([{_NUMERAL}\d]+\))")
_TITLE = re.compile(rf"^(第[{_NUMERAL}\d]+[批部章节条]|附件|附表|表\d)|名单|一览表|汇总表|统计表|情况表|^\d{{4}}年")
_VERBS = re.compile(r"^(.*(批准|同意|包括|其中|分别是|分别为|名单如下)|名单|如下)")
_TAIL = re.compile(r"(退出贫困县(序列)?|脱贫摘帽|摘帽|退出|等)$")
_SEPARATORS = re.compile(r"[、,;\s]+")
PASTED_COLUMNS = ("province", "name")  # the columns of a table read from pasted text


@dataclass
class _Block:
    """The names under one province heading of a pasted text, with the count the heading gave."""

    province: str | None
    line: int
    count: int | None = None
    names: int = 0
    row: bool = False  # names on the heading's line: a later line without a heading carries it over
    carried: list[int] | None = None  # later lines without a heading of their own


def _names_on(line: str, province: str | None, rows: list[tuple[str | None, str]]) -> tuple[str | None, int]:
    """Names of one line (a province written into a token starts a new heading); (province, n read)."""
    read = 0
    for token in _SEPARATORS.split(line):
        token = _LEAD.sub("", token.strip(" .。:\"'“”‘’"))
        hit = _PROVINCE.match(token)
        if hit and hit.end() == len(token):
            province = token
            continue
        # 四川省平武县, 四川省人民政府批准平武县: the province written into the token
        row_province = hit.group(0) if hit and hit.group(2) else province
        name = token[hit.end() :] if hit and hit.group(2) else token
        name = _TAIL.sub("", _VERBS.sub("", name))
        if len(name) >= 2 and not name.isdigit():
            rows.append((row_province, name))
            read += 1
    return province, read


def _is_title(line: str) -> bool:
    """A title line: a section number (一、) or the words of a title (名单, 第二批, 2016年), and no list of
    names after it (no 、 or , nor anything after a colon) nor a province heading."""
    compact = re.sub(r"\s+", "", line)
    section = _SECTION.match(compact)
    rest = compact[section.end() :] if section else compact
    if re.search(r"[、,;]", rest) or rest.partition(":")[2] or (rest and _ROW_HEAD.match(rest)):
        return False
    return bool(section) or bool(_TITLE.search(rest))


def read_pasted(text: str, filename: str = "pasted") -> ImportedTable:
    """Names from pasted text: separated by 、，,；; spaces or new lines, under province headings
    ("四川省：", a line "四川省") or as a published table block is copied: one line per province with
    the province cell (spaced as printed, "河  北"), a count and the names. Noise like
    "等30个县(市、区)" and parentheses removed. Notices: lines that take the heading of an earlier
    line, and every count that disagrees with the names read."""
    text = unicodedata.normalize("NFKC", text or "").replace("：", ":")
    for pattern in _NOISE:
        text = pattern.sub(" ", text)
    rows: list[tuple[str | None, str]] = []
    blocks: list[_Block] = []
    titles: list[int] = []
    notes: list[int] = []
    province: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if NOTE_ROW.match(line) or line.startswith(("*", "※")):  # a footnote or source line, not names
            notes.append(number)
            continue
        if line.isdigit() and blocks and blocks[-1].count is None and not blocks[-1].names:
            blocks[-1].count = int(line)  # the count cell on a line of its own
            continue
        if not line or _HEADER_LINE.fullmatch(re.sub(r"\s+", "", line)):  # "省  份  数量  名单", "合计 344"
            continue
        if _is_title(line):  # a title opens a new section: its names come under their own headings
            titles.append(number)
            province = None
            blocks.append(_Block(None, number))  # names after it count under no earlier heading
            continue
        head = _ROW_HEAD.match(line)
        if head:
            province = re.sub(r"\s+", "", head.group("province")) + (head.group("suffix") or "")
            count = int(head.group("count")) if head.group("count") else None
            line = head.group("rest")
            blocks.append(_Block(province, number, count, row=bool(line.strip())))
        elif ":" in line:
            line = line.partition(":")[2]
        elif blocks and blocks[-1].row and province == blocks[-1].province:
            blocks[-1].carried = [*(blocks[-1].carried or []), number]
        found, read = _names_on(line, province, rows)
        if found != province:  # a heading inside the names ("…、青海省 冷湖行委")
            province = found
            blocks.append(_Block(province, number))
        elif blocks:
            blocks[-1].names += read
    if len(rows) > MAX_ROWS:
        raise UploadError(filename, "too_many_names", limit=MAX_ROWS)
    notices = [
        Notice.of(code, n=len(lines), rows=tuple(lines[:LISTED_ROWS]))
        for code, lines in (("pasted_titles", titles), ("pasted_notes", notes))
        if lines
    ]
    for block in blocks:
        if block.carried:
            notices.append(
                Notice.of(
                    "no_province_cell",
                    n=len(block.carried),
                    rows=tuple(block.carried[:LISTED_ROWS]),
                    province=block.province,
                    line=block.line,
                )
            )
        if block.count is not None and block.count != block.names:
            notices.append(
                Notice.of(
                    "count_differs", province=block.province, line=block.line, count=block.count, names=block.names
                )
            )
    frame = pd.DataFrame(rows, columns=list(PASTED_COLUMNS), dtype=object).astype("string")
    digest = hashlib.sha256((text or "").encode("utf-8")).hexdigest()
    return ImportedTable(frame, filename, digest, None, (), None, tuple(notices))


# ----------------------------------------------------------------------------- cells
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


# A cell kept as a number on export: written as a number is written ("-5.2", "2019"); no thousands
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
