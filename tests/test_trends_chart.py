"""The Trends line chart (atlas.trends.line_chart): every line named, lone values labelled. Synthetic."""

from __future__ import annotations

import pandas as pd

from atlas import trends


def synthetic_lines() -> pd.DataFrame:
    """Five made-up lines over 2013–2016; three have one value each."""
    names = ["合成甲", "合成乙", "合成丙", "合成丁", "合成戊"]
    values = {"合成甲": [9.0, 7.0, 5.0, 3.0], "合成乙": [None, 4.5, None, None]}
    rows = [
        (name, year, values.get(name, [None, None, 2.0 + i, None])[k])
        for i, name in enumerate(names)
        for k, year in enumerate(range(2013, 2017))
    ]
    return pd.DataFrame(rows, columns=["series", "time", "value"])


def test_every_line_is_named_and_a_lone_value_is_a_labelled_point() -> None:
    spec = trends.line_chart(synthetic_lines(), "Year", "%", by_year=True).to_dict()
    lines, labels = spec["layer"]
    legend = lines["encoding"]["color"]["legend"]
    assert legend["labelLimit"] == 0 and legend["symbolLimit"] == 0 and legend["orient"] == "right"
    assert lines["mark"]["point"] is True
    datasets = spec["datasets"]
    drawn = datasets[spec["data"]["name"]] if "data" in spec else datasets[lines["data"]["name"]]
    assert all(row["value"] is not None for row in drawn)  # 甲's line unbroken by the years without values
    texts = [row["text"] for row in datasets[labels["data"]["name"]]]
    assert texts == ["4.5 (2014)", "4 (2015)", "5 (2015)", "6 (2015)"]  # 乙, 丙, 丁, 戊: one value each
