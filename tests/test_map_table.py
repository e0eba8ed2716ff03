"""A map's table view lists exactly the units the map draws, with the facts panel's value, the
legend's class and the sources; unknown stays "no data"."""

from __future__ import annotations

import pandas as pd
import pytest

from atlas import county_map, map_table
from atlas.classes import layer_classes
from atlas.colours import layer_palette
from atlas.facts import county_facts
from atlas.i18n import t
from atlas.url_state import LAYERS
from loaders.data import load_atlas, with_boundary_attributes
from loaders.schema import data_root

CITATIONS = {"synthetic-a": "Synthetic publisher, “A”, 2020", "synthetic-b": "Synthetic publisher, “B”, 2021"}


@pytest.mark.parametrize("layer", LAYERS)
def test_county_table_has_one_row_per_polygon_with_the_legend_class(synthetic_poverty, layer: str) -> None:
    doubled = pd.concat([synthetic_poverty, synthetic_poverty.iloc[[0]]], ignore_index=True)
    table = map_table.county_table(doubled, layer, 2019, "en", {"wumeng": "Wumeng Mountains"}, {}, CITATIONS)
    assert list(table["code"]) == list(synthetic_poverty["code"])  # a polygon once, as the map colours it
    legend = {label for label, _ in county_map.legend_items(
        layer, layer_classes(synthetic_poverty, layer, 2019), layer_palette(layer), "en", {"wumeng": "Wumeng Mountains"}
    )}  # fmt: skip
    assert set(table["class"]) <= legend


def test_unknown_stays_no_data_and_names_follow_the_reader(synthetic_poverty) -> None:
    unknown = synthetic_poverty[synthetic_poverty["exit_year"].isna()]
    assert not unknown.empty
    for lang in ("zh", "en"):
        table = map_table.county_table(unknown, "status", 2018, lang, {}, {"510000": "Sichuan"}, CITATIONS)
        assert set(table["value"]) == {t("no_data", lang)} and set(table["class"]) == {t("no_data", lang)}
    en = map_table.county_table(synthetic_poverty, "exit", 2018, "en", {}, {"510000": "Sichuan"}, CITATIONS)
    assert en["unit"].iloc[0] == "Jia Xian (甲县)" and set(en["province"]) == {
        "Sichuan",
        "甘肃省",
    }  # a name not in the map stays the row's
    zh = map_table.county_table(synthetic_poverty, "exit", 2018, "zh", {}, {}, CITATIONS)
    assert zh["unit"].iloc[0] == "甲县" and set(zh["province"]) == {
        "四川省",
        "甘肃省",
    }  # the row's own name without a table


def test_sources_are_short_citations_ids_and_a_link(synthetic_poverty) -> None:
    table = map_table.county_table(synthetic_poverty, "key", 2020, "en", {}, {}, CITATIONS, query="lang=en")
    assert table["sources"].iloc[0] == "Synthetic publisher, “A”, 2020; Synthetic publisher, “B”, 2021"
    assert table["source_ids"].iloc[0] == "synthetic-a; synthetic-b"
    assert table["source_link"].iloc[0] == "./sources?source=synthetic-a&lang=en"
    unknown = map_table.county_table(synthetic_poverty.assign(source_ids=None), "key", 2020, "en", {}, {}, CITATIONS)
    assert set(unknown["sources"]) == set(unknown["source_link"]) == {""}


def test_unit_table_lists_units_with_a_value_first_in_the_map_order_and_keeps_no_data() -> None:
    values = {"a": "1.20 %", "c": "-0.50 %"}
    classes = {"a": "1.0 – 2.0", "c": "-0.5"}
    table = map_table.unit_table(
        ["b", "c", "d", "a"], {"a": "Unit A"}, values, classes, {"a": ["synthetic-a"]}, CITATIONS, "en"
    )
    assert list(table["code"]) == ["c", "a", "b", "d"]
    missing = table.loc[2, ["unit", "value", "class", "sources", "source_ids", "source_link"]].tolist()
    assert missing == ["b", "No data", "No data", "", "", ""]
    headers = map_table.headers("zh", "贫困发生率")
    assert headers["value"] == "贫困发生率" and headers["class"] == t("table_class", "zh")


def test_ids_by_code_merges_rows_of_a_unit() -> None:
    assert map_table.ids_by_code(["a", "a", "b"], ["x;y", "y;z", None]) == {"a": ["x", "y", "z"], "b": []}


@pytest.fixture(scope="module")
def bundled_poverty() -> pd.DataFrame:
    data = load_atlas(data_root())
    return with_boundary_attributes(data.poverty, data.counties)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_row_says_what_the_facts_panel_says(bundled_poverty: pd.DataFrame, lang: str) -> None:
    """The bundled 832: the table's value and class are the facts panel's for the same county and year."""
    areas = {"wumeng": "乌蒙山区"}
    status = map_table.county_table(bundled_poverty, "status", 2018, lang, areas, {}, {})
    exits = map_table.county_table(bundled_poverty, "exit", 2018, lang, areas, {}, {})
    rows = {r["code"]: r for r in bundled_poverty.drop_duplicates("code").to_dict("records")}
    for code, value, cls, exit_class in zip(status["code"], status["value"], status["class"], exits["class"]):
        facts = dict(county_facts(rows[code], lang, areas, 2018))
        assert value == facts[t("exit_year", lang)] == exits.set_index("code").at[code, "value"]
        assert cls == facts[f"{t('status', lang)} 2018"]
        assert exit_class in (value, t("no_data", lang))
