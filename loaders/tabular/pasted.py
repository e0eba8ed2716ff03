"""Pasted name lists: names under province headings, or a published table block as copied, with its titles,
footnotes and counts."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

from loaders.tabular import LISTED_ROWS, MAX_ROWS, ImportedTable, Notice, UploadError
from loaders.tabular.rows import NOTE_ROW

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
