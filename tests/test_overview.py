from __future__ import annotations

import pandas as pd

from atlas.overview import exits_per_batch, headline_figures

OFFICIAL = pd.DataFrame(
    {
        "measure": ["poverty_counties", "contiguous_areas", "exits", "exits"],
        "year": pd.array([None, None, 2016, 2020], dtype="Int64"),
        "value": [832, 14, 28, 52],
        "unit": ["counties", "areas", "counties", "counties"],
        "source_id": ["s1", "s2", "s3", "s4;s5"],
        "notes": [None] * 4,
    }
)


def test_headlines_count_our_rows_beside_the_sourced_official_totals(synthetic_poverty) -> None:
    areas = pd.DataFrame({"area_id": ["wumeng", "liupan", "qinba"]})
    figures = {f.label: f for f in headline_figures(synthetic_poverty, areas, OFFICIAL)}
    assert figures["headline_counties"].value == 5 and figures["headline_counties"].official == 832
    assert figures["headline_areas"].value == 3 and figures["headline_areas"].sources == ("s2",)
    # Unknown key flags are not counted as "no": 3 known true of 4 known.
    assert figures["headline_key"].value == 3 and figures["headline_key"].official is None
    assert "no data" in figures["headline_key"].note("en", {})


def test_official_totals_cite_short_citations_linked_to_the_sources_page(synthetic_poverty) -> None:
    figure = next(f for f in headline_figures(synthetic_poverty, None, OFFICIAL) if f.label == "headline_counties")
    citations = {"s1": "synthetic publisher, “synthetic title”, 2020"}
    assert figure.note("zh", citations) == (
        "官方数 832（[synthetic publisher, “synthetic title”, 2020](./sources?source=s1)）"
    )
    assert figure.note("en", citations, "lang=en") == (
        "Official total 832 ([synthetic publisher, “synthetic title”, 2020](./sources?source=s1&lang=en))"
    )
    # On a projected screen the links are numbered, the titles in the figure's help.
    assert figure.note("zh", citations, numbered=True) == "官方数 832（[1](./sources?source=s1)）"
    assert figure.citation_text(citations) == "1. synthetic publisher, “synthetic title”, 2020"


def test_exits_per_batch_keeps_unknown_as_its_own_row(synthetic_poverty) -> None:
    batches = exits_per_batch(synthetic_poverty, OFFICIAL).set_index("exit_year")
    assert batches.loc["2016", "in_data"] == 1 and batches.loc["2016", "official"] == 28
    assert pd.isna(batches.loc["2017", "official"])
    assert batches.loc["?", "in_data"] == 1


def test_area_table_takes_the_three_areas_provinces_from_the_units_table(synthetic_poverty) -> None:
    from atlas.areas import area_table

    areas = pd.DataFrame(
        {
            "area_id": ["wumeng"],
            "name_zh": ["乌蒙山区"],
            "name_en": ["Wumeng"],
            "provinces_zh": ["四川省"],
            "county_count_official": pd.array([38], dtype="Int64"),
            "source_id": ["s1"],
        }
    )
    units = pd.DataFrame({"province_zh": ["四川省", "四川省", "甘肃省"], "source_id": ["u1", "u1;u2", "u2"]})
    table = area_table(synthetic_poverty, areas, units, None).set_index("unit_id")
    assert table.loc["wumeng", "counties_data"] == 2 and table.loc["wumeng", "2020"] == 1
    assert table.loc["sanqu_sanzhou", "provinces"] == "四川省;甘肃省"
    assert table.loc["sanqu_sanzhou", "source_id"] == "u1;u2"
    assert table.loc["sanqu_sanzhou", "counties_data"] == 3 and table.loc["sanqu_sanzhou", "incidence_latest"] is None


def test_a_short_list_reads_n_of_n_known_and_the_note_says_how_to_fill_it() -> None:
    from atlas.overview import Figure, completeness_note

    short = Figure("headline_area_counties", 220, 680, ("s1",))
    whole = Figure("headline_counties", 832, 832, ("s2",))
    untold = Figure("headline_sqsz", 199, None, ())
    assert short.text("en") == "220 of 680 known" and short.text("zh") == "已知 220 / 共 680"
    assert whole.text("en") == "832" and untold.text("en") == "199 known"
    assert completeness_note([whole], "en") is None
    note = completeness_note([whole, short, untold], "en")
    assert note.startswith("Contiguous-area counties: the lists here are incomplete") and "Import" in note
    # A published list, once there is one, is named as the other way to fill the rest.
    cited = completeness_note([short], "zh", published="[synthetic publisher, “synthetic list”](./sources?source=s9)")
    assert cited.startswith("连片特困地区县：") and "synthetic list" in cited
