"""atlas.imported without Streamlit: lists applied over the bundled flags, the import map, a panel's columns
(the joined export: tests/test_imported_export.py)."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest

from atlas import imported, layers, lod
from atlas.county_map import MapInputs
from loaders.data import load_atlas
from loaders.schema import STATIC_GEO
from tests.imported_rows import PROVENANCE, match_rows

AREAS = pd.DataFrame(
    {
        "area_id": ["liupan", "wumeng", "yanshan_taihang", "nanjiang"],
        "name_zh": ["六盘山区", "乌蒙山区", "燕山-太行山区", "新疆南疆三地州"],
        "name_en": [
            "Liupan Mountain Area",
            "Wumeng Mountain Area",
            "Yanshan-Taihang Mountain Area",
            "Three prefectures of southern Xinjiang",
        ],
    }
)


def test_provenance_is_hash_and_utc_time() -> None:
    assert PROVENANCE.sha256 == hashlib.sha256(b"synthetic").hexdigest()
    assert PROVENANCE.time == "2026-01-02T03:04:05Z"
    assert PROVENANCE.short().startswith("synthetic_list.csv (SHA-256 ")


def test_incomplete_list_only_flags_its_counties(synthetic_poverty: pd.DataFrame) -> None:
    rows = match_rows([("620101", "matched", "丁县"), (None, "not_found", "无名县"), ("999999", "matched", "别处县")])
    plan = imported.plan_membership(rows, "deep_poverty", synthetic_poverty, PROVENANCE)
    assert plan.flagged == 1 and plan.cleared == 0
    assert plan.non_poverty == [(3, "999999", "别处县")]
    assert plan.unplaced == [2]
    before = synthetic_poverty.copy()
    out = imported.overlay(synthetic_poverty, [plan.applied])
    pd.testing.assert_frame_equal(synthetic_poverty, before)  # the bundled table is not touched
    flags = dict(zip(out["code"], out["deep_poverty"]))
    assert bool(flags["620101"]) is True
    assert flags["513402"] is pd.NA  # not in the list, list not complete: unknown stays unknown
    assert bool(flags["513301"]) is False  # the bundled False stays
    assert dict(zip(out["code"], out["user_supplied"]))["620101"] == "deep_poverty"
    assert dict(zip(out["code"], out["user_supplied"]))["513402"] == ""


def test_complete_list_clears_only_its_scope(synthetic_poverty: pd.DataFrame) -> None:
    rows = match_rows([("513401", "matched", "甲县")])
    by_province = imported.plan_membership(rows, "key_county", synthetic_poverty, PROVENANCE, complete="provinces")
    assert by_province.applied.complete_in == ("510000",)
    out = imported.overlay(synthetic_poverty, [by_province.applied])
    flags = dict(zip(out["code"], out["key_county"]))
    assert bool(flags["513401"]) and not flags["513402"] and not flags["513301"]
    assert bool(flags["620102"])  # another province: unchanged
    national = imported.plan_membership(rows, "key_county", synthetic_poverty, PROVENANCE, complete="national")
    out = imported.overlay(synthetic_poverty, [national.applied])
    assert out.loc[out["code"] != "513401", "key_county"].eq(False).all()
    assert national.cleared == 4


def test_area_list_by_name_variants_with_unknown_names_reported(synthetic_poverty: pd.DataFrame) -> None:
    rows = match_rows(
        [
            ("620101", "matched", "丁县"),
            ("620102", "renamed", "戊县"),
            ("513402", "matched", "乙县"),
            ("513401", "matched", "甲县"),
        ],
        area=["六盘山片区", "Liupan Mountain Area", "燕山—太行山区", "不存在山区"],
    )
    plan = imported.plan_membership(
        rows, "contiguous_area", synthetic_poverty, PROVENANCE, area_column="area", areas=AREAS, complete="areas"
    )
    assert dict(plan.applied.members) == {"620101": "liupan", "620102": "liupan", "513402": "yanshan_taihang"}
    assert plan.unknown_areas == [(4, "不存在山区")]
    out = imported.overlay(synthetic_poverty, [plan.applied])
    areas = dict(zip(out["code"], out["contiguous_area"]))
    assert areas["620101"] == "liupan" and areas["513402"] == "yanshan_taihang"
    assert areas["513401"] == "wumeng"  # not named by the list's areas: unchanged
    assert imported.area_lookup(AREAS)[imported.area_key("南疆三地州")] == "nanjiang"


def test_user_facts_and_note_name_the_file(synthetic_poverty: pd.DataFrame) -> None:
    plan = imported.plan_membership(
        match_rows([("620101", "matched", "丁县")]), "deep_poverty", synthetic_poverty, PROVENANCE
    )
    row = imported.overlay(synthetic_poverty, [plan.applied]).set_index("code").loc["620101"].to_dict()
    facts = imported.user_facts(row, [plan.applied], "zh")
    assert facts == [("深度贫困县", f"用户数据：{PROVENANCE.short()}")]
    assert "synthetic_list.csv" in imported.applied_note([plan.applied], "en")
    assert imported.applied_note([], "en") == ""


@pytest.fixture(scope="module")
def inputs() -> MapInputs:
    data = load_atlas()
    web = lod.web_layers(STATIC_GEO, data.provinces)
    return MapInputs(
        boundaries=data.counties[["code", "name_zh", "name_en", "province_code"]].copy(),
        counties=web["counties"],
        provinces=web["provinces"],
        country=web["country"],
        shapes={},
        province_names={},
        area_names={},
    )


def _colour_of(model, inputs: MapInputs, code: str) -> list[int]:
    """The fill the national county layer's expression gives `code` (see layers.class_colours)."""
    (layer,) = [layer for layer in model.layers if layer.id == imported.IMPORT_LAYER_ID]
    expression = layer.get_fill_color.removeprefix("@@=")
    colours_json, rest = expression[1:].split(")[(", 1)
    colours = json.loads(colours_json)
    digit_strings = rest.split('"')[1::2]  # the units, or the tens then the units (more than ten colours)
    i = inputs.counties.national.codes.index(code)
    index = int("".join(digits[i] for digits in digit_strings))
    return colours[index]


def test_map_colours_values_per_year_and_escapes_tooltips(inputs: MapInputs) -> None:
    rows = match_rows(
        [
            ("513401", "matched", "甲"),
            ("513422", "matched", "乙"),
            ("513401", "matched", "甲"),
            (None, "not_found", "?"),
        ],
        value=["1.5", "<img src=x onerror=alert(1)>", "3", "9"],
        year=["2018", "2018", "2019", "2019"],
    )
    numbers = pd.to_numeric(rows["value"], errors="coerce")
    classes = imported.value_classes(rows, "value", numbers, "en")
    assert classes.legend[-1][0] == "No data" and "unique values" in classes.note
    assert imported.years_of(rows, "year") == [2018, 2019]
    model = imported.map_model(inputs, rows, "value", classes, "year", 2018, "en", (35.0, 104.0, 2.75))
    assert '"coordinates"' not in layers.deck(model.layers, (35.0, 104.0, 2.75), False).to_json()
    assert '.av513401::after{content:"value 2018: 1.5"}' in model.tooltip_css
    assert "<img" not in model.tooltip_css.removeprefix("<style>").removesuffix("</style>")
    assert _colour_of(model, inputs, "513422") == list(classes.palette["nodata"])  # not a number: no data colour
    assert model.title == "value · 2018"


def test_several_rows_on_one_polygon_are_not_added_up(inputs: MapInputs) -> None:
    rows = match_rows([("513401", "merged", "旧甲"), ("513401", "merged", "旧乙")], value=["10", "20"])
    classes = imported.value_classes(rows, "value", pd.to_numeric(rows["value"]), "zh")
    model = imported.map_model(inputs, rows, "value", classes, None, None, "zh", (35.0, 104.0, 2.75))
    assert "value: 10\\3b  20" in model.tooltip_css  # '; ' escaped for CSS
    assert _colour_of(model, inputs, "513401") == list(imported.MULTIPLE_RGBA)
    assert any(label.startswith("多行") for label, _ in model.legend)


def test_text_column_as_categories_and_overlays(inputs: MapInputs) -> None:
    rows = match_rows([("513401", "matched", "甲"), ("513422", "matched", "乙")], kind=["A", ""])
    classes = imported.value_classes(rows, "kind", None, "zh")
    assert [label for label, _ in classes.legend] == ["A", "无数据"]
    context = imported.MapContext(poverty_codes=("513401", "620121"))
    model = imported.map_model(inputs, rows, "kind", classes, None, None, "zh", (30.5, 102.5, 3.0), context)
    assert [layer.id for layer in model.layers][-1] == "poverty_outline"


def test_candidates_in_any_shape_and_county_search(synthetic_boundaries) -> None:
    assert imported.candidate_codes(["513401", ("513402", "乙"), {"code": "620101"}, "513401"]) == [
        "513401",
        "513402",
        "620101",
    ]
    assert imported.candidate_codes(float("nan")) == []
    assert imported.search_boundaries(synthetic_boundaries, "县2") == ["513301"]
    assert imported.search_boundaries(synthetic_boundaries, "6201") == ["620101", "620102", "620103"]
    assert imported.search_boundaries(synthetic_boundaries, "  ") == []


# --- a real-sized panel: the page's rules ------------------------------------------------------


def panel_rows() -> pd.DataFrame:
    """A small panel shaped like a CSMAR export: an id column, code, name, year, values, text."""
    codes = ["513401", "513422", "620121"]
    return match_rows(
        [(code, "matched", name) for code, name in zip(codes * 2, ["甲", "乙", "丙"] * 2)],
        AreaID=[str(20_410_005 + 13 * i) for i in range(6)],
        代码=codes * 2,
        年份=["2018"] * 3 + ["2019"] * 3,
        synthetic_人口=["98765", "1203456", "45678", "99001", "1210000", "45012"],
        synthetic_增长率=["-5.2", "3.1", "12.75", "-0.5", "4", "8.25"],
        synthetic_地形=["山区", "平原", "山区", "山区", "平原", "山区"],
    )


def test_the_map_opens_on_a_value_column_never_an_id_code_or_year() -> None:
    rows = panel_rows()
    every = ["AreaID", "代码", "年份", "synthetic_人口", "synthetic_增长率", "synthetic_地形"]
    assert imported.default_value_column(rows, every) == "synthetic_人口"
    assert imported.default_value_column(rows, ["AreaID", "synthetic_地形", "synthetic_增长率"]) == "synthetic_增长率"
    assert imported.default_value_column(rows, ["AreaID", "年份", "synthetic_地形"]) == "synthetic_地形"
    assert imported.default_value_column(rows, ["AreaID"]) == "AreaID"  # nothing else to show
    assert imported.default_value_column(rows, []) is None


@pytest.mark.parametrize(
    ("header", "cells", "identifier"),
    [
        ("AreaID", ["1", "2"], True),
        ("county_code", ["5.5", "2"], True),
        ("编号", ["7", "9"], True),
        ("year", ["1.5", "2"], True),
        ("value", ["2018", "2019", "2020"], True),  # years, whatever the header
        ("value", ["20410005", "20410018", "20410031"], True),  # unique whole numbers of one length
        ("value", ["510727", "513401", "620121"], True),  # county codes
        ("人口", ["98765", "1203456", "45678"], False),  # counts of differing length
        ("value", ["12", "15", "17"], False),  # short numbers of a small table
        ("增长率", ["-5.2", "3.1"], False),
        ("value", ["20410005", "20410005", "20410005"], False),  # one number repeated: not an id
    ],
)
def test_identifier_columns_by_header_or_numbers(header: str, cells: list[str], identifier: bool) -> None:
    numbers = pd.to_numeric(pd.Series(cells), errors="coerce")
    assert imported.looks_like_identifier(header, numbers) is identifier


def test_mostly_numbers_rule() -> None:
    assert imported.is_mostly_numbers(pd.Series([1.0, 2.0, None]), [(3, "n/a")])
    assert not imported.is_mostly_numbers(pd.Series([1.0, None, None]), [(2, "x"), (3, "y")])
    assert not imported.is_mostly_numbers(pd.Series([None], dtype=float), [])


def test_labels_of_large_and_negative_values_read_as_numbers() -> None:
    rows = panel_rows()
    ids = imported.value_classes(rows, "AreaID", pd.to_numeric(rows["AreaID"]), "zh")
    labels = [label for label, _ in ids.legend]
    assert labels[0] == "20,410,005 – 20,410,018" and labels[-2].endswith("20,410,070"), labels
    assert not any("e+" in label for label in labels)
    rates = imported.value_classes(rows, "synthetic_增长率", pd.to_numeric(rows["synthetic_增长率"]), "zh")
    assert [label for label, _ in rates.legend[:2]] == ["-5.20", "-5.20 – -0.50"]


def test_classes_are_the_same_for_every_year(inputs: MapInputs) -> None:
    rows = panel_rows()
    classes = imported.value_classes(rows, "synthetic_增长率", pd.to_numeric(rows["synthetic_增长率"]), "zh")
    by_year = imported.rows_by_year(rows, "年份")
    assert sorted(by_year) == [2018, 2019] and imported.years_of(rows, "年份") == [2018, 2019]
    assert list(by_year[2019]["row"]) == [4, 5, 6]
    one = imported.map_model(inputs, by_year[2019], "synthetic_增长率", classes, None, 2019, "zh", (35.0, 104.0, 2.75))
    split = imported.map_model(inputs, rows, "synthetic_增长率", classes, "年份", 2019, "zh", (35.0, 104.0, 2.75))
    assert one.legend == split.legend and one.title == split.title == "synthetic_增长率 · 2019"
    assert one.tooltip_css == split.tooltip_css


def test_report_frame_and_stem() -> None:
    from loaders.match import ColumnRoles

    rows = panel_rows()
    rows.loc[2, "match_status"] = "not_found"
    report = imported.report_frame(rows, ColumnRoles(name="name"), "en")
    assert list(report.columns) == ["Input row", "Input", "Status", "Boundary code", "Today's name", "How it matched"]
    assert report.iloc[2, 2] == "Not found" and report.iloc[0, 1] == "甲"
    by_code = imported.report_frame(rows, ColumnRoles(code="代码"), "zh")
    assert by_code.iloc[0, 1] == "513401"
    assert imported.file_stem("收入 面板<2023>.xlsx") == "收入_面板_2023_joined"
    assert imported.file_stem("...") == "import_joined"


def test_metrics_row_choices_offered_codes_and_plan_notices(synthetic_boundaries, synthetic_poverty) -> None:
    summary = {"matched": 3, "renamed": 1, "merged": 0, "ambiguous": 1, "not_found": 0, "total": 5, "match_rate": 0.8}
    metrics = imported.summary_metrics(summary, "zh")
    assert metrics[:3] == [("匹配率", "80.0%"), ("行数", "5"), ("匹配", "3")] and len(metrics) == 7
    rows = match_rows([(None, "ambiguous", "城关区"), ("513401", "matched", "甲")])
    rows.at[0, "candidates"] = [("540102", "拉萨"), {"code": "620102"}]
    open_rows = imported.unresolved(rows)
    assert imported.row_choices(open_rows, rows["name"], "en") == {1: "1: 城关区 · Ambiguous"}
    offered = imported.offered_codes(open_rows.iloc[0], synthetic_boundaries, "")
    assert offered == ["540102", "620102"]
    plan = imported.plan_membership(rows, "deep_poverty", synthetic_poverty, PROVENANCE)
    notices = imported.plan_notices(plan, "en")
    assert all(not warning for warning, _ in notices) and any("1" in text for _, text in notices)


def test_boundary_labels_in_one_look_up(synthetic_boundaries) -> None:
    codes = list(synthetic_boundaries["code"])
    labels = imported.boundary_labels(
        [codes[4], "999999", codes[0], codes[4]], synthetic_boundaries, {"620000": "甘肃省"}, "zh"
    )
    assert labels == {codes[4]: f"县4 · 甘肃省 · {codes[4]}", "999999": "999999", codes[0]: f"县0 ·  · {codes[0]}"}
    assert imported.boundary_labels([codes[1]], synthetic_boundaries, {}, "en")[codes[1]].startswith("X1 (县1) · ")
