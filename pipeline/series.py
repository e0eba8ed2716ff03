"""Build the canonical time series (incidence, funds, relocation) from hand-transcribed files.

    python -m pipeline.series

Reads ONLY ``geodata/raw/series/`` (values typed exactly as published, in the
published units, one locator and one ``source_id`` per row) and
``geodata/raw/sources_*.csv`` (to check that every cited source exists), and
writes ``geodata/series/{incidence,funds,relocation}.csv``.

Raw files
---------
``incidence*.csv``  level, unit_code, unit_name_zh, year, poor_population,
                    poor_population_unit, incidence_pct, standard, source_id,
                    locator, status, notes
``funds*.csv``      level, unit_code, unit_name_zh, year, fund_type, amount,
                    amount_unit, source_id, locator, status, notes
``relocation*.csv`` level, unit_code, unit_name_zh, period, measure, value,
                    value_unit, source_id, locator, status, notes

``status`` says what the build does with a row:

* ``use``      - goes into the canonical file (exactly one per key);
* ``alt``      - a second source for a key that has a ``use`` row; kept for the
                 cross-checks of ``pipeline.series_report`` only;
* ``excluded`` - transcribed but kept out (suspect or ambiguous; the reason is
                 in ``notes``).

Units are converted in ONE place: the ``UNIT_FACTORS`` table below. Nothing
else is computed: no sums, no interpolation, no zero for a missing value.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from loaders.errors import DataFileError
from loaders.schema import (
    CODE6_PATTERN,
    CONTIGUOUS_AREA_IDS,
    FUNDS,
    GEODATA,
    INCIDENCE,
    RELOCATION,
    SERIES_LEVELS,
    SLUG_PATTERN,
    SOURCE_ID_PATTERN,
)

RAW_DIR = GEODATA / "raw" / "series"
SOURCES_GLOB_DIR = GEODATA / "raw"
OUT_DIR = GEODATA / "series"

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


def _read_csv(path: Path) -> list[dict[str, str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataFileError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return list(csv.DictReader(io.StringIO(text)))


def load_source_ids(sources_dir: Path = SOURCES_GLOB_DIR) -> set[str]:
    """Every source_id of geodata/raw/sources_*.csv (the fragments)."""
    ids: set[str] = set()
    for path in sorted(sources_dir.glob("sources_*.csv")):
        for i, row in enumerate(_read_csv(path), start=2):
            sid = (row.get("source_id") or "").strip()
            if not sid:
                raise DataFileError(path, "a value is required", row=i, column="source_id")
            ids.add(sid)
    return ids


def read_raw(raw_dir: Path = RAW_DIR) -> dict[str, list[RawRow]]:
    """All raw rows by theme, file order kept; checks the header."""
    out: dict[str, list[RawRow]] = {t: [] for t in RAW_COLUMNS}
    for theme, cols in RAW_COLUMNS.items():
        for path in sorted(raw_dir.glob(f"{theme}*.csv")):
            rows = _read_csv(path)
            header = list(rows[0].keys()) if rows else cols
            missing = [c for c in cols if c not in header]
            if missing:
                raise DataFileError(path, f"missing column(s): {', '.join(missing)}", row=1, column=missing[0])
            for i, row in enumerate(rows, start=2):
                clean = {k: (v or "").strip() for k, v in row.items() if k is not None}
                out[theme].append(RawRow(theme, path, i, clean))
    return out


def _fail(r: RawRow, column: str, message: str) -> DataFileError:
    return DataFileError(r.path, message, row=r.line, column=column)


def _number(
    r: RawRow, column: str, *, required: bool, low: float | None = 0.0, high: float | None = None
) -> float | None:
    text = r.data.get(column, "")
    if not text:
        if required:
            raise _fail(r, column, "a value is required")
        return None
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        raise _fail(r, column, f"'{text}' is not a number") from None
    if value != value:
        raise _fail(r, column, "NaN is not a value; leave the cell empty")
    if low is not None and value < low:
        raise _fail(r, column, f"{text} is below {low:g}")
    if high is not None and value > high:
        raise _fail(r, column, f"{text} is above {high:g}")
    return value


def _check_common(r: RawRow, source_ids: set[str]) -> None:
    d = r.data
    for col in ("level", "unit_code", "unit_name_zh", "source_id", "locator", "status"):
        if not d.get(col):
            raise _fail(r, col, "a value is required")
    if d["status"] not in ROW_STATUSES:
        raise _fail(r, "status", f"'{d['status']}' is not one of {', '.join(ROW_STATUSES)}")
    level, code = d["level"], d["unit_code"]
    if level not in SERIES_LEVELS:
        raise _fail(r, "level", f"'{level}' is not one of {', '.join(SERIES_LEVELS)}")
    if level == "national" and code != "CN":
        raise _fail(r, "unit_code", "a national row has unit_code CN")
    if level in ("province", "prefecture", "county") and not CODE6_PATTERN.match(code):
        raise _fail(r, "unit_code", f"'{code}' is not a 6-digit code")
    if level == "province" and not code.endswith("0000"):
        raise _fail(r, "unit_code", f"'{code}' is not a province code (NN0000)")
    if level == "area" and code not in CONTIGUOUS_AREA_IDS:
        raise _fail(r, "unit_code", f"'{code}' is not one of the 14 area ids")
    if level == "group" and not SLUG_PATTERN.match(code):
        raise _fail(r, "unit_code", f"'{code}' is not a lowercase slug")
    for sid in d["source_id"].split(";"):
        sid = sid.strip()
        if not SOURCE_ID_PATTERN.match(sid):
            raise _fail(r, "source_id", f"'{sid}' is not a lowercase slug")
        if sid not in source_ids:
            raise _fail(r, "source_id", f"'{sid}' is not in geodata/raw/sources_*.csv")


def _convert(r: RawRow, kind: str, unit_column: str, value: float) -> tuple[str, float]:
    unit = r.data.get(unit_column, "")
    table = UNIT_FACTORS[kind]
    if unit not in table:
        raise _fail(r, unit_column, f"unit '{unit}' is not in UNIT_FACTORS['{kind}'] ({', '.join(table)})")
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
        raise _fail(r, "year", f"'{d.get('year')}' is not a year")
    if not d.get("standard"):
        raise _fail(r, "standard", "a value is required")
    pop = _number(r, "poor_population", required=False)
    inc = _number(r, "incidence_pct", required=False, low=0.0, high=100.0)
    if pop is None and inc is None:
        raise _fail(r, "poor_population", "a row needs poor_population or incidence_pct")
    pop_text = ""
    if pop is not None:
        _, pop10k = _convert(r, "population", "poor_population_unit", pop)
        pop_text = fmt_number(pop10k)
    elif d.get("poor_population_unit"):
        raise _fail(r, "poor_population_unit", "a unit without a value")
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


def _convert_funds(r: RawRow) -> tuple[tuple, dict[str, str]]:
    d = r.data
    year = _number(r, "year", required=True, low=1980, high=2021)
    if year is None or year != int(year):
        raise _fail(r, "year", f"'{d.get('year')}' is not a year")
    if d.get("fund_type") not in FUND_TYPES:
        raise _fail(r, "fund_type", f"'{d.get('fund_type')}' is not one of {', '.join(FUND_TYPES)}")
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
        raise _fail(r, "period", f"'{d.get('period')}' is not a year or a range like 2016-2020")
    if d.get("measure") not in RELOCATION_MEASURES:
        raise _fail(r, "measure", f"'{d.get('measure')}' is not one of {', '.join(RELOCATION_MEASURES)}")
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
COLUMNS = {"incidence": INCIDENCE.names, "funds": FUNDS.names, "relocation": RELOCATION.names}
_LEVEL_ORDER = {lvl: i for i, lvl in enumerate(SERIES_LEVELS)}


Converted = dict[str, list[tuple[str, tuple, dict[str, str], RawRow]]]


def convert_all(raw: dict[str, list[RawRow]], source_ids: set[str]) -> Converted:
    """Check and convert every raw row (all statuses): theme -> [(status, key, row, raw)]."""
    out: dict[str, list[tuple[str, tuple, dict[str, str], RawRow]]] = {}
    for theme, rows in raw.items():
        converted = []
        for r in rows:
            _check_common(r, source_ids)
            key, row = CONVERTERS[theme](r)
            converted.append((r.data["status"], key, row, r))
        out[theme] = converted
    return out


def canonical_tables(converted: Converted) -> dict[str, list[dict[str, str]]]:
    """The `use` rows, one per key, sorted; `alt` rows must shadow a `use` row."""
    tables: dict[str, list[dict[str, str]]] = {}
    for theme, items in converted.items():
        used: dict[tuple, RawRow] = {}
        rows: list[tuple[tuple, dict[str, str]]] = []
        for status, key, row, r in items:
            if status != "use":
                continue
            if key in used:
                first = used[key]
                raise _fail(
                    r,
                    "status",
                    f"duplicate key {key} (also 'use' in {first.path.name} row {first.line}); mark one 'alt'",
                )
            used[key] = r
            rows.append((key, row))
        for status, key, _row, r in items:
            if status == "alt" and key not in used:
                raise _fail(r, "status", f"'alt' row for {key} but no 'use' row has that key")
        rows.sort(key=lambda kr: (_LEVEL_ORDER[kr[0][0]],) + tuple(str(k) for k in kr[0][1:]))
        tables[theme] = [row for _, row in rows]
    return tables


def _write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    w.writeheader()
    for row in rows:
        w.writerow({c: row[c] for c in columns})
    path.write_text(buf.getvalue(), encoding="utf-8")


def _validate_against_schema(out_dir: Path) -> None:
    """Re-read the outputs with the app's schema (loaders.schema) when it is there."""
    try:
        from loaders import schema, tables
    except ImportError:  # pragma: no cover - the schema module is optional here
        return
    import pandas as pd

    for name in ("incidence", "funds", "relocation"):
        table = getattr(schema, name.upper(), None)
        if table is None:
            continue
        path = out_dir / f"{name}.csv"
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        tables.validate_frame(raw, table, path)


def build(raw_dir: Path = RAW_DIR, out_dir: Path = OUT_DIR, sources_dir: Path = SOURCES_GLOB_DIR) -> dict[str, Path]:
    """Read raw/series, check, convert units, write the three canonical files."""
    source_ids = load_source_ids(sources_dir)
    converted = convert_all(read_raw(raw_dir), source_ids)
    tables = canonical_tables(converted)
    paths = {}
    for theme, rows in tables.items():
        path = out_dir / f"{theme}.csv"
        _write_csv(path, COLUMNS[theme], rows)
        paths[theme] = path
    _validate_against_schema(out_dir)
    return paths


def main() -> None:
    paths = build()
    for theme, path in paths.items():
        n = sum(1 for _ in path.open(encoding="utf-8")) - 1
        print(f"{theme}: {n} rows -> {path.relative_to(GEODATA.parent)}")


if __name__ == "__main__":
    main()
