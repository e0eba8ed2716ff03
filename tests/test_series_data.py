"""Checks on the committed time series in geodata/series/ (incidence, funds, relocation).

Reads only files of this repository. The rule behind them: every value has a
source that exists, units are canonical, and a missing value is a missing row
(never a zero, never interpolated).
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from benchmarks.common import ROOT
from loaders.errors import DataFileError
from pipeline import series as bs, series_rows

GEODATA = ROOT / "geodata"
SERIES = GEODATA / "series"

COLUMNS = {
    "incidence": [
        "level",
        "unit_code",
        "unit_name_zh",
        "year",
        "poor_population_10k",
        "incidence_pct",
        "standard",
        "source_id",
        "notes",
    ],
    "funds": ["level", "unit_code", "unit_name_zh", "year", "fund_type", "amount_100m_yuan", "source_id", "notes"],
    "relocation": ["level", "unit_code", "unit_name_zh", "period", "measure", "value", "unit", "source_id", "notes"],
}
KEYS = {
    "incidence": ("level", "unit_code", "year"),
    "funds": ("level", "unit_code", "year", "fund_type"),
    "relocation": ("level", "unit_code", "period", "measure"),
}
LEVELS = {"national", "province", "prefecture", "area", "group", "county"}
AREA_IDS = {
    "liupan",
    "qinba",
    "wuling",
    "wumeng",
    "dianguiqian",
    "dianxi",
    "daxinganling",
    "yanshan_taihang",
    "lvliang",
    "dabie",
    "luoxiao",
    "xizang",
    "sisheng_zangqu",
    "nanjiang",
}
VALUE_COLUMNS = {
    "incidence": ("poor_population_10k", "incidence_pct"),
    "funds": ("amount_100m_yuan",),
    "relocation": ("value",),
}


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


@pytest.fixture(scope="module", params=sorted(COLUMNS))
def table(request):
    header, rows = _read(SERIES / f"{request.param}.csv")
    return request.param, header, rows


def test_columns(table):
    name, header, rows = table
    assert header == COLUMNS[name]
    assert rows, f"{name}.csv is empty"


def test_unique_keys(table):
    name, _, rows = table
    seen: dict[tuple, int] = {}
    for i, r in enumerate(rows, start=2):
        key = tuple(r[c] for c in KEYS[name])
        assert key not in seen, f"{name}.csv row {i}: key {key} repeats row {seen[key]}"
        seen[key] = i


def test_levels_and_unit_codes(table):
    name, _, rows = table
    for i, r in enumerate(rows, start=2):
        level, code = r["level"], r["unit_code"]
        where = f"{name}.csv row {i}"
        assert level in LEVELS, where
        assert r["unit_name_zh"], where
        if level == "national":
            assert code == "CN", where
        elif level in ("province", "prefecture", "county"):
            assert re.fullmatch(r"\d{6}", code), where
            if level == "province":
                assert code.endswith("0000"), where
        elif level == "area":
            assert code in AREA_IDS, where
        else:
            assert re.fullmatch(r"[a-z][a-z0-9_]*", code), where


def test_values_in_range_and_never_zero(table):
    """Numbers parse, are >= 0, incidence <= 100; no 0 stands in for a missing value."""
    name, _, rows = table
    for i, r in enumerate(rows, start=2):
        where = f"{name}.csv row {i}"
        present = [c for c in VALUE_COLUMNS[name] if r[c] != ""]
        assert present, f"{where}: no value"
        for c in present:
            v = float(r[c])
            assert v == v and v >= 0, f"{where} {c}"
            assert v != 0, f"{where} {c}: a zero; a missing value must be a missing row"
        if name == "incidence":
            assert 1978 <= int(r["year"]) <= 2020, where
            if r["incidence_pct"]:
                assert float(r["incidence_pct"]) <= 100, where
            assert r["standard"], where
        if name == "funds":
            assert 1980 <= int(r["year"]) <= 2021, where
            assert r["fund_type"] in series_rows.FUND_TYPES, where
        if name == "relocation":
            m = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", r["period"])
            assert m and (not m.group(2) or int(m.group(2)) >= int(m.group(1))), where
            assert r["measure"] in series_rows.RELOCATION_MEASURES, where
            assert r["unit"] in {"persons", "households", "sites", "housing units"}, where


def test_units_are_canonical():
    """The unit table converts every published unit to one canonical unit per kind."""
    assert {u for u, _ in series_rows.UNIT_FACTORS["population"].values()} == {"10k persons"}
    assert {u for u, _ in series_rows.UNIT_FACTORS["money"].values()} == {"100m yuan"}
    assert series_rows.UNIT_FACTORS["money"]["billion yuan"][1] == 10.0
    assert series_rows.UNIT_FACTORS["population"]["million persons"][1] == 100.0


def _known_source_ids() -> set[str]:
    merged = GEODATA / "sources.csv"
    files = [merged] if merged.is_file() else sorted((GEODATA / "raw").glob("sources_*.csv"))
    ids: set[str] = set()
    for f in files:
        ids |= {r["source_id"] for r in _read(f)[1]}
    return ids


def test_every_source_id_exists(table):
    name, _, rows = table
    known = _known_source_ids()
    for i, r in enumerate(rows, start=2):
        for sid in r["source_id"].split(";"):
            assert sid.strip() in known, f"{name}.csv row {i}: unknown source_id '{sid}'"


def test_series_sources_have_where_found():
    _, rows = _read(GEODATA / "raw" / "sources_series.csv")
    ids = [r["source_id"] for r in rows]
    assert len(ids) == len(set(ids))
    for r in rows:
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", r["source_id"]), r["source_id"]
        assert r["title"] and r["publisher"] and r["where_found"], r["source_id"]


def test_build_is_reproducible(tmp_path):
    """Building from geodata/raw/series into a temp dir gives the committed files byte for byte."""
    paths = bs.build(out_dir=tmp_path)
    for name in COLUMNS:
        assert paths[name].read_bytes() == (SERIES / f"{name}.csv").read_bytes(), f"{name}.csv is stale"


def test_build_names_file_row_column_on_bad_data(tmp_path):
    raw = tmp_path / "raw" / "series"
    raw.mkdir(parents=True)
    shutil.copy(GEODATA / "raw" / "sources_series.csv", tmp_path / "raw" / "sources_series.csv")
    header = ",".join(bs.RAW_COLUMNS["incidence"])
    bad = "national,CN,全国,2019,551,10k persons,150,std,wang-ding-2021,Table 1,use,\n"
    (raw / "incidence_bad.csv").write_text(header + "\n" + bad, encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        bs.build(raw_dir=raw, out_dir=tmp_path / "out", sources_dir=tmp_path / "raw")
    assert err.value.path.name == "incidence_bad.csv"
    assert err.value.row == 2 and err.value.column == "incidence_pct"


def test_unknown_source_is_rejected(tmp_path):
    raw = tmp_path / "raw" / "series"
    raw.mkdir(parents=True)
    shutil.copy(GEODATA / "raw" / "sources_series.csv", tmp_path / "raw" / "sources_series.csv")
    header = ",".join(bs.RAW_COLUMNS["funds"])
    row = "national,CN,全国,2019,central_special,1,100m yuan,no-such-source,p.1,use,\n"
    (raw / "funds_bad.csv").write_text(header + "\n" + row, encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        bs.build(raw_dir=raw, out_dir=tmp_path / "out", sources_dir=tmp_path / "raw")
    assert err.value.column == "source_id"


def test_report_runs_and_flags_differences():
    from pipeline.series_report import series_report

    rep = series_report()
    assert set(rep) == {"coverage", "cross_checks", "second_sources", "excluded"}
    assert rep["coverage"]["incidence"]["national"]["n_units"] == 1
    # The three regions add up to the published national totals where all three exist.
    regional = [c for c in rep["cross_checks"] if "east+central+west" in c["check"] and c["complete"]]
    assert regional and all(c["agrees"] for c in regional)


def test_reduction_check_file_cites_known_sources():
    _, rows = _read(GEODATA / "raw" / "series" / "checks_reductions.csv")
    known = _known_source_ids()
    for i, r in enumerate(rows, start=2):
        assert r["source_id"] in known, f"checks_reductions.csv row {i}"
        assert r["reduction_unit"] in series_rows.UNIT_FACTORS["population"], f"checks_reductions.csv row {i}"


def test_national_stocks_match_published_reductions():
    from pipeline.series_report import series_report

    checks = [c for c in series_report()["cross_checks"] if c["check"].startswith("reduction national")]
    assert checks and all(c["agrees"] for c in checks), [c for c in checks if not c["agrees"]]
