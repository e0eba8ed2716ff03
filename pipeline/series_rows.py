"""The series' raw rows (pipeline/series.py reads them): their columns and vocabularies, THE unit table,
and each theme's check and conversion of one raw row to a canonical row."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from loaders.errors import DataFileError
from loaders.schema import CODE6_PATTERN, CONTIGUOUS_AREA_IDS, SERIES_LEVELS, SLUG_PATTERN, SOURCE_ID_PATTERN

ROW_STATUSES = ("use", "alt", "excluded")

# ---------------------------------------------------------------------------
# THE unit table: published unit -> (canonical unit, factor). value_canonical =
# value_published * factor. This is the only arithmetic the build does.
# ---------------------------------------------------------------------------
UNIT_FACTORS: dict[str, dict[str, tuple[str, float]]] = {
    # poor population -> 10,000 persons (万人)
    "population": {
        "10k persons": ("10k persons", 1.0),  # 万人
        "million persons": ("10k persons", 100.0),  # 百万人
        "persons": ("10k persons", 0.0001),  # 人
    },
    # money -> 100 million yuan (亿元)
    "money": {
        "100m yuan": ("100m yuan", 1.0),  # 亿元
        "billion yuan": ("100m yuan", 10.0),  # 十亿元 (English-language papers)
        "million yuan": ("100m yuan", 0.01),  # 百万元
        "10k yuan": ("100m yuan", 0.0001),  # 万元
    },
    # relocation counts -> persons / households / sites
    "relocation": {
        "persons": ("persons", 1.0),
        "10k persons": ("persons", 10_000.0),
        "million persons": ("persons", 1_000_000.0),
        "households": ("households", 1.0),
        "10k households": ("households", 10_000.0),
        "sites": ("sites", 1.0),
        "10k sites": ("sites", 10_000.0),
        "housing units": ("housing units", 1.0),
        "10k housing units": ("housing units", 10_000.0),
    },
}

RAW_COLUMNS = {
    "incidence": [
        "level",
        "unit_code",
        "unit_name_zh",
        "year",
        "poor_population",
        "poor_population_unit",
        "incidence_pct",
        "standard",
        "source_id",
        "locator",
        "status",
        "notes",
    ],
    "funds": [
        "level",
        "unit_code",
        "unit_name_zh",
        "year",
        "fund_type",
        "amount",
        "amount_unit",
        "source_id",
        "locator",
        "status",
        "notes",
    ],
    "relocation": [
        "level",
        "unit_code",
        "unit_name_zh",
        "period",
        "measure",
        "value",
        "value_unit",
        "source_id",
        "locator",
        "status",
        "notes",
    ],
}

FUND_TYPES = {
    "central_special": "中央财政专项扶贫资金 - central-budget special poverty funds allotted to localities",
    "central_special_advance": "提前下达 - the part of next year's central special funds allotted in advance",
    "central_fiscal_poverty": "中央财政扶贫资金 - central fiscal poverty funds (pre-2013 wording)",
    "central_comprehensive": "中央财政综合扶贫投入 - all central fiscal inputs counted as poverty-related (broad)",
    "provincial_special": "省级财政专项扶贫资金 - provincial-budget special funds "
    "(national row: sum over provinces as published)",
    "all_levels_special": "各级财政专项扶贫资金 - special funds from all levels of government",
    "all_levels_fiscal": "fiscal investment in poverty alleviation at all levels (broader than special funds)",
    "all_sources_total": "total invested in poverty alleviation from all sources, as published",
    "east_west": "东西部扶贫协作 - east-west cooperation fiscal aid "
    "(national row: all eastern provinces' total; province row: received)",
    "designated_aid": "中央单位定点扶贫 - direct aid from central units to their designated poverty counties",
    "counterpart_aid": "对口支援 - paired assistance funds received (e.g. 19 provinces to Xinjiang)",
    "integrated_agri_funds": "统筹整合涉农资金 - integrated agriculture-related funds",
    "relocation_investment": "investment in relocation for poverty alleviation (易地扶贫搬迁)",
    "relocation_central_budget": "中央预算内投资 for relocation for poverty alleviation",
}
RELOCATION_MEASURES = {
    "planned": "people planned to be relocated (registered poor)",
    "relocated": "people relocated (construction task completed / moved)",
    "moved_in": "people who have moved into the new housing (搬迁入住)",
    "relocated_to_towns": "people resettled in towns and cities (城镇安置)",
    "relocated_to_villages": "people resettled in rural settlements (农村安置)",
    "households_relocated": "households relocated",
    "resettlement_sites": "centralised resettlement sites built (集中安置区/点)",
    "housing_units": "resettlement housing units built (安置住房, 套)",
}

_PERIOD = re.compile(r"^(\d{4})(?:-(\d{4}))?$")


@dataclass(frozen=True)
class RawRow:
    theme: str
    path: Path
    line: int
    data: dict[str, str]


def fmt_number(x: float) -> str:
    """Deterministic text for a number: no float noise, no trailing zeros."""
    text = f"{round(x, 6):.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def row_error(r: RawRow, column: str, message: str) -> DataFileError:
    return DataFileError(r.path, message, row=r.line, column=column)


def _number(
    r: RawRow, column: str, *, required: bool, low: float | None = 0.0, high: float | None = None
) -> float | None:
    text = r.data.get(column, "")
    if not text:
        if required:
            raise row_error(r, column, "a value is required")
        return None
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        raise row_error(r, column, f"'{text}' is not a number") from None
    if value != value:
        raise row_error(r, column, "NaN is not a value; leave the cell empty")
    if low is not None and value < low:
        raise row_error(r, column, f"{text} is below {low:g}")
    if high is not None and value > high:
        raise row_error(r, column, f"{text} is above {high:g}")
    return value


def check_common(r: RawRow, source_ids: set[str]) -> None:
    d = r.data
    for col in ("level", "unit_code", "unit_name_zh", "source_id", "locator", "status"):
        if not d.get(col):
            raise row_error(r, col, "a value is required")
    if d["status"] not in ROW_STATUSES:
        raise row_error(r, "status", f"'{d['status']}' is not one of {', '.join(ROW_STATUSES)}")
    level, code = d["level"], d["unit_code"]
    if level not in SERIES_LEVELS:
        raise row_error(r, "level", f"'{level}' is not one of {', '.join(SERIES_LEVELS)}")
    if level == "national" and code != "CN":
        raise row_error(r, "unit_code", "a national row has unit_code CN")
    if level in ("province", "prefecture", "county") and not CODE6_PATTERN.match(code):
        raise row_error(r, "unit_code", f"'{code}' is not a 6-digit code")
    if level == "province" and not code.endswith("0000"):
        raise row_error(r, "unit_code", f"'{code}' is not a province code (NN0000)")
    if level == "area" and code not in CONTIGUOUS_AREA_IDS:
        raise row_error(r, "unit_code", f"'{code}' is not one of the 14 area ids")
    if level == "group" and not SLUG_PATTERN.match(code):
        raise row_error(r, "unit_code", f"'{code}' is not a lowercase slug")
    for sid in d["source_id"].split(";"):
        sid = sid.strip()
        if not SOURCE_ID_PATTERN.match(sid):
            raise row_error(r, "source_id", f"'{sid}' is not a lowercase slug")
        if sid not in source_ids:
            raise row_error(r, "source_id", f"'{sid}' is not in geodata/raw/sources_*.csv")


def _convert(r: RawRow, kind: str, unit_column: str, value: float) -> tuple[str, float]:
    unit = r.data.get(unit_column, "")
    table = UNIT_FACTORS[kind]
    if unit not in table:
        raise row_error(r, unit_column, f"unit '{unit}' is not in UNIT_FACTORS['{kind}'] ({', '.join(table)})")
    canonical, factor = table[unit]
    return canonical, value * factor


def _notes(r: RawRow) -> str:
    loc = r.data["locator"]
    note = r.data.get("notes", "")
    return f"[{loc}] {note}".strip()


def _convert_incidence(r: RawRow) -> tuple[tuple, dict[str, str]]:
    d = r.data
    year = _number(r, "year", required=True, low=1978, high=2020)
    if year is None or year != int(year):
        raise row_error(r, "year", f"'{d.get('year')}' is not a year")
    if not d.get("standard"):
        raise row_error(r, "standard", "a value is required")
    pop = _number(r, "poor_population", required=False)
    inc = _number(r, "incidence_pct", required=False, low=0.0, high=100.0)
    if pop is None and inc is None:
        raise row_error(r, "poor_population", "a row needs poor_population or incidence_pct")
    pop_text = ""
    if pop is not None:
        _, pop10k = _convert(r, "population", "poor_population_unit", pop)
        pop_text = fmt_number(pop10k)
    elif d.get("poor_population_unit"):
        raise row_error(r, "poor_population_unit", "a unit without a value")
    # One value per unit and year in the canonical file, whatever the standard
    # (a figure under another standard goes in as 'alt' and shows up in the report).
    key = (d["level"], d["unit_code"], int(year))
    out = {
        "level": d["level"],
        "unit_code": d["unit_code"],
        "unit_name_zh": d["unit_name_zh"],
        "year": str(int(year)),
        "poor_population_10k": pop_text,
        "incidence_pct": fmt_number(inc) if inc is not None else "",
        "standard": d["standard"],
        "source_id": d["source_id"],
        "notes": _notes(r),
    }
    return key, out


def _one_of(r: RawRow, column: str, allowed: Mapping[str, str]) -> None:
    if r.data.get(column) not in allowed:
        raise row_error(r, column, f"'{r.data.get(column)}' is not one of {', '.join(allowed)}")


def _convert_funds(r: RawRow) -> tuple[tuple, dict[str, str]]:
    d = r.data
    year = _number(r, "year", required=True, low=1980, high=2021)
    if year is None or year != int(year):
        raise row_error(r, "year", f"'{d.get('year')}' is not a year")
    _one_of(r, "fund_type", FUND_TYPES)
    amount = _number(r, "amount", required=True)
    assert amount is not None
    _, value = _convert(r, "money", "amount_unit", amount)
    key = (d["level"], d["unit_code"], int(year), d["fund_type"])
    out = {
        "level": d["level"],
        "unit_code": d["unit_code"],
        "unit_name_zh": d["unit_name_zh"],
        "year": str(int(year)),
        "fund_type": d["fund_type"],
        "amount_100m_yuan": fmt_number(value),
        "source_id": d["source_id"],
        "notes": _notes(r),
    }
    return key, out


def _convert_relocation(r: RawRow) -> tuple[tuple, dict[str, str]]:
    d = r.data
    m = _PERIOD.match(d.get("period", ""))
    if not m or (m.group(2) and int(m.group(2)) < int(m.group(1))):
        raise row_error(r, "period", f"'{d.get('period')}' is not a year or a range like 2016-2020")
    _one_of(r, "measure", RELOCATION_MEASURES)
    value = _number(r, "value", required=True)
    assert value is not None
    unit, converted = _convert(r, "relocation", "value_unit", value)
    key = (d["level"], d["unit_code"], d["period"], d["measure"])
    out = {
        "level": d["level"],
        "unit_code": d["unit_code"],
        "unit_name_zh": d["unit_name_zh"],
        "period": d["period"],
        "measure": d["measure"],
        "value": fmt_number(converted),
        "unit": unit,
        "source_id": d["source_id"],
        "notes": _notes(r),
    }
    return key, out


CONVERTERS = {"incidence": _convert_incidence, "funds": _convert_funds, "relocation": _convert_relocation}
