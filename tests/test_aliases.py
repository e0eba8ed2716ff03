"""Other names of counties (Hotan, Kashgar, Gyantse): every one sourced and on the right polygon, and
search finds a county by them as people type them."""

from __future__ import annotations

import functools

import pandas as pd
import pytest

from atlas.filters import aliases_by_code, fold_name, search
from loaders.data import load_atlas, with_boundary_attributes
from loaders.match import load_gazetteer
from loaders.names_schema import COUNTY_ALIASES, COUNTY_ALIASES_RAW
from loaders.schema import GEODATA, SOURCES
from loaders.tables import read_table
from pipeline import aliases

RAW = read_table(COUNTY_ALIASES_RAW)
BUILT = read_table(COUNTY_ALIASES)


@functools.cache
def gazetteer():
    return load_gazetteer()


@functools.cache
def poverty() -> pd.DataFrame:
    atlas = load_atlas()
    return with_boundary_attributes(atlas.poverty, atlas.counties)


def known_sources() -> set[str]:
    return set(read_table(SOURCES)["source_id"])


def test_every_name_has_its_source_and_its_polygon() -> None:
    assert len(RAW) >= 150
    assert set(RAW["source_id"]) <= known_sources()
    layer = set(pd.read_parquet(GEODATA / "counties.parquet", columns=["code"])["code"])
    assert set(RAW["code"]) <= layer
    # The Chinese name and province each row was found with match exactly its code (no guessing).
    assert aliases.problems(RAW, gazetteer(), known_sources()) == []


def test_the_built_table_is_the_raw_one_checked() -> None:
    rebuilt = aliases.build(RAW)
    assert rebuilt.fillna("").equals(BUILT.fillna("")), "run: python -m pipeline.aliases"
    assert set(BUILT["source_id"]) <= known_sources()


def test_a_name_of_two_counties_is_flagged_for_both() -> None:
    frame = pd.DataFrame(
        {
            "code": ["540202", "540221", "540222"],
            "alias": ["Xigazê", "Xigaze", "Gyantse"],
            "kind": ["tibetan_pinyin", "tibetan", "tibetan"],
            "source_id": ["s", "s", "s"],
        }
    )
    built = aliases.build(frame).set_index("code")["shared_with"]
    assert built["540202"] == "540221" and built["540221"] == "540202" and pd.isna(built["540222"])
    # The committed table: every name search reads alike for two counties says so.
    folded = BUILT["alias"].map(fold_name)
    shared = BUILT[folded.map(BUILT.groupby(folded)["code"].nunique()) > 1]
    assert shared["shared_with"].notna().all()


def test_a_wrong_code_an_unknown_source_and_an_ambiguous_name_are_reported() -> None:
    bad = RAW.head(3).copy().reset_index(drop=True)
    bad.loc[0, "code"] = "653221"  # 和田市's name given 和田县's code
    bad.loc[1, "source_id"] = "no-such-source"
    bad.loc[2, ["name_zh", "province_zh"]] = ["矿区", "山西省"]  # several 矿区 in Shanxi
    found = aliases.problems(bad, gazetteer(), known_sources())
    assert any("row 2" in p and "matches 653201" in p for p in found), found
    assert any("row 3" in p and "no-such-source" in p for p in found), found
    assert any("row 4" in p and "ambiguous" in p for p in found), found


def test_search_finds_counties_by_the_names_people_type() -> None:
    table, other = poverty(), aliases_by_code(BUILT)
    hotan = search(table, "Hotan", aliases=other)
    assert "和田县" in set(hotan["name_zh"]) and set(hotan["name_zh"]) <= {"和田县", "和田市"}
    assert dict(zip(hotan["name_zh"], hotan["found_as"]))["和田县"] == "Hotan County"
    assert search(table, "Hotan County", aliases=other)["name_zh"].tolist() == ["和田县"]
    assert search(table, "Kashgar", aliases=other)["name_zh"].tolist() == ["喀什市"]
    assert search(table, "kashgar", aliases=other)["name_zh"].tolist() == ["喀什市"]
    assert search(table, "Yarkand", aliases=other)["name_zh"].tolist() == ["莎车县"]
    assert search(table, "gyantse", aliases=other)["name_zh"].tolist() == ["江孜县"]
    assert search(table, "Shangri-La", aliases=other)["name_zh"].tolist() == ["香格里拉县"]
    for typed in ("Lhünzhub", "lhunzhub", "LHUNZHUB"):
        assert search(table, typed, aliases=other)["name_zh"].tolist() == ["林周县"]
    own = search(table, "hetian", aliases=other)
    assert own["found_as"].isna().all()  # found by its own name: nothing to explain
    assert search(table, "no such place", aliases=other).empty


@pytest.mark.parametrize("typed", ["ürümqi", "Urumqi", "ÜRÜMQI county", "urumqi"])
def test_diacritics_and_case_do_not_matter(typed: str) -> None:
    assert fold_name("Ürümqi") == fold_name("urumqi")
    # 乌鲁木齐县 is not a poverty county: search over a table holding its row of the county layer.
    row = gazetteer().units.loc[["650121"], ["code", "name_zh", "name_en"]].reset_index(drop=True)
    assert search(row, typed, aliases=aliases_by_code(BUILT))["code"].tolist() == ["650121"]


def test_names_per_province_cover_xinjiang_tibet_and_the_tibetan_areas() -> None:
    counts = RAW.groupby("province_zh")["alias"].count()
    assert counts["西藏自治区"] >= 80 and counts["新疆维吾尔自治区"] >= 30
    assert {"青海省", "四川省", "甘肃省", "云南省"} <= set(counts.index)


def test_place_names_name_their_province_or_prefecture_and_the_build_is_current() -> None:
    from loaders.names_schema import PLACE_ALIASES, PLACE_ALIASES_RAW

    raw, names = read_table(PLACE_ALIASES_RAW), aliases.place_names_zh()
    assert aliases.place_problems(raw, names, known_sources()) == []
    wrong = raw.head(1).assign(code="540200", source_id="nowhere")  # 日喀则市, not 拉萨市
    assert len(aliases.place_problems(wrong, names, known_sources())) == 2
    built = raw.sort_values(["code", "alias"]).reset_index(drop=True)[PLACE_ALIASES.names]
    assert built.equals(read_table(PLACE_ALIASES)), "run: python -m pipeline.aliases"
