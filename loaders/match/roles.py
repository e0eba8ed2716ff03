"""Which column of a user table holds the code, name, province, prefecture and year, guessed from the headers and
the cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from loaders.match.names import normalise_code, normalise_text


# ----------------------------------------------------------------------------- tables
@dataclass(frozen=True)
class ColumnRoles:
    code: str | None = None
    name: str | None = None
    province: str | None = None
    prefecture: str | None = None
    year: str | None = None
    values: tuple[str, ...] = ()


_HEADER_RULES = (  # role, pattern over the lower-cased header; first rule that fits wins
    ("code", r"代码|编码|区划码|code|adcode"),
    ("year", r"^年$|年份|年度|^year|^yr$"),
    ("province", r"省|province|自治区"),
    ("name", r"县|名称|区县|name|county|地名"),
    ("prefecture", r"市|州|地区|盟|prefecture|city"),
)
# Headers naming an attribute of a unit, not the unit or the table's year: 地区等级 (a level) is no
# prefecture, 摘帽时间 / 退出年份 (an event's year) no year of the table.
_ATTRIBUTE_HEADER = re.compile(r"等级|级别|类别|类型|level|type|rank|grade|class", re.IGNORECASE)
_EVENT_HEADER = re.compile(r"摘帽|退出|脱贫|批准|设立|撤销|成立|exit|since|until|founded", re.IGNORECASE)
INDEX_HEADER = re.compile(r"^(序号|编号|no\.?|#|index|id)$", re.IGNORECASE)
_COUNTY_NAME = re.compile(r"(县|市|区|旗|行委|特区|林区)$")
_GENERIC_PLACE = re.compile(r"^(地区|区域|地名|地区名称|行政区(划)?(名称)?|region|area|place)$", re.IGNORECASE)
_COUNTY_ONLY = re.compile(r"(县|区|旗|行委|特区|林区)$")
_YEAR = re.compile(r"(19[5-9]\d|20\d\d)(\.0*)?年?")


def is_attribute_header(header: object) -> bool:
    """A header naming a class of the unit (地区等级, 类型, level), not a measure or a role."""
    return bool(_ATTRIBUTE_HEADER.search(str(header).strip()))


def _share(cells: list[str], test) -> float:
    return sum(map(test, cells)) / len(cells)


def guess_roles(frame: pd.DataFrame) -> ColumnRoles:
    """Roles by header names first, then by content (6-digit codes, county-like names, years)."""
    roles: dict[str, str] = {}
    for column in frame.columns:
        header = str(column).strip().lower()
        if _ATTRIBUTE_HEADER.search(header) or _EVENT_HEADER.search(header):
            continue
        for role, pattern in _HEADER_RULES:
            if role not in roles and re.search(pattern, header):
                roles[role] = column
                break
    if "name" not in roles and _GENERIC_PLACE.match(str(roles.get("prefecture", "")).strip()):
        cells = [c for c in (normalise_text(v) for v in frame[roles["prefecture"]].head(200)) if c]
        # 地区 holding 平武县, 康定市…: the county names (a prefecture column holds 市, 州, 盟, 地区)
        if cells and _share(cells, lambda c: bool(_COUNTY_ONLY.search(c)) and not c.endswith("地区")) >= 0.3:
            roles["name"] = roles.pop("prefecture")
    taken = set(roles.values())
    for column in frame.columns:
        header = str(column).strip()
        if column in taken or _ATTRIBUTE_HEADER.search(header) or _EVENT_HEADER.search(header):
            continue
        cells = [normalise_text(v) for v in frame[column].head(200)]
        cells = [c for c in cells if c]
        if not cells:
            continue
        if "code" not in roles and _share(cells, lambda c: bool(normalise_code(c))) >= 0.8:
            roles["code"] = column
        elif "year" not in roles and _share(cells, lambda c: bool(_YEAR.fullmatch(c))) >= 0.9:
            roles["year"] = column
        elif (
            "name" not in roles and _share(cells, lambda c: bool(_COUNTY_NAME.search(c)) and not c[0].isdigit()) >= 0.6
        ):
            roles["name"] = column
        else:
            continue
        taken.add(column)
    values = tuple(c for c in frame.columns if c not in taken and not INDEX_HEADER.match(str(c).strip()))
    return ColumnRoles(values=values, **roles)




COLUMN_ROLES = ("code", "name", "province", "prefecture", "year")
