"""Trends opens on the level and year whose sources cover the most units; what a link names is kept;
its line chart reads as a table."""

from __future__ import annotations

import pandas as pd
import pytest

from atlas import trends
from loaders.data import load_atlas
from loaders.schema import data_root


def synthetic_counts(rows: list[tuple]) -> pd.DataFrame:
    """Made-up coverage counts: (measure, variant, level, time, units)."""
    return pd.DataFrame(rows, columns=trends.COVERAGE_COLUMNS)


SYNTHETIC = synthetic_counts(
    [
        ("m1", "v1", "national", "2019", 1),
        ("m1", "v1", "group", "2018", 6),  # more units, but no map
        ("m1", "v1", "province", "2017", 3),
        ("m1", "v2", "province", "2018", 5),
        ("m1", "v2", "province", "2015", 5),  # as many, earlier
        ("m2", "v1", "province", "2016", 2),
    ]
)


def test_opens_on_the_mappable_level_and_year_with_the_most_units() -> None:
    assert trends.opening(SYNTHETIC) == trends.Opening("m1", "v2", "province", "2018")


def test_only_variants_with_a_value_for_the_measure_are_offered() -> None:
    assert trends.variants_of(SYNTHETIC, "m1", ["v2", "v3", "v1"]) == ["v2", "v1"]
    assert trends.variants_of(SYNTHETIC, "m2", ["v2", "v3", "v1"]) == ["v1"]


def test_what_a_link_names_is_kept() -> None:
    assert trends.opening(SYNTHETIC, level="national", year=2019) == trends.Opening("m1", "v1", "national", "2019")
    assert trends.opening(SYNTHETIC, measure="m2") == trends.Opening("m2", "v1", "province", "2016")
    assert trends.opening(SYNTHETIC, variant="v1").time == "2017"
    assert trends.opening(SYNTHETIC, year=2015) == trends.Opening("m1", "v2", "province", "2015")
    assert trends.opening(SYNTHETIC, level="group").time == "2018"


def test_a_named_value_the_data_lack_is_chosen_from_the_data() -> None:
    assert trends.opening(SYNTHETIC, level="county", year=2001) == trends.opening(SYNTHETIC)
    assert trends.opening(SYNTHETIC, level="province", year=2019).time == "2018"
    assert trends.opening(synthetic_counts([])) is None


@pytest.mark.parametrize("theme", ["incidence", "funds", "relocation"])
def test_the_bundled_series_open_on_their_best_covered_map(theme: str) -> None:
    series = load_atlas(data_root()).series[theme]
    counts = trends.coverage_counts(series, theme)
    chosen = trends.opening(counts)
    assert chosen is not None and chosen.level in trends.MAPPABLE
    mappable = counts[counts["level"].isin(list(trends.MAPPABLE))]
    frame = trends.long_frame(series, theme, chosen.measure, chosen.variant)
    shown = trends.values_at(frame, chosen.level, chosen.time)
    assert shown["unit_code"].nunique() == mappable["units"].max()  # counted from the data, not assumed


def test_the_line_chart_as_a_table_keeps_its_lines_times_and_gaps() -> None:
    lines = pd.DataFrame(
        {
            "series": ["乙", "乙", "甲", "甲"],
            "time": [2016, 2019, 2016, 2019],
            "value": [1234.5, None, -1.5, 0.0],
        }
    )
    table = trends.line_table(lines, "%", "No data")
    assert list(table.columns) == ["series", "2016", "2019"]
    assert table.to_dict("records") == [
        {"series": "乙", "2016": "1,234.50 %", "2019": "No data"},
        {"series": "甲", "2016": "-1.50 %", "2019": "0.00 %"},
    ]
