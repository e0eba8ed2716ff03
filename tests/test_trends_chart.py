"""The charts (atlas.trends.line_chart, atlas.overview.exits_chart): every line named, lone values labelled,
described in the reader's language. Synthetic."""

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
    spec = trends.line_chart(synthetic_lines(), "Year", "%", True, "Line", "synthetic chart").to_dict()
    lines, labels = spec["layer"]
    legend = lines["encoding"]["color"]["legend"]
    assert legend["labelLimit"] == 0 and legend["symbolLimit"] == 0 and legend["orient"] == "right"
    assert lines["mark"]["point"] is True
    datasets = spec["datasets"]
    drawn = datasets[spec["data"]["name"]] if "data" in spec else datasets[lines["data"]["name"]]
    assert all(row["value"] is not None for row in drawn)  # 甲's line unbroken by the years without values
    texts = [row["text"] for row in datasets[labels["data"]["name"]]]
    assert texts == ["4.5 (2014)", "4 (2015)", "5 (2015)", "6 (2015)"]  # 乙, 丙, 丁, 戊: one value each


def test_the_chart_is_described_in_the_readers_language_and_vegas_english_left_out() -> None:
    lines = synthetic_lines()
    zh = trends.lines_description(lines, "贫困发生率", "%", "zh")
    assert zh == "折线图：贫困发生率（%），2013至2016，5 条折线：合成甲、合成乙、合成丙、合成丁、合成戊"
    en = trends.lines_description(lines, "Poverty incidence", "%", "en")
    assert en.startswith("Line chart: Poverty incidence (%), 2013 to 2016, 5 lines: 合成甲, 合成乙")
    spec = trends.line_chart(lines, "年份", "%", True, "折线", zh).to_dict()
    assert spec["description"] == zh and spec["config"]["aria"] is False  # no "X-axis for a linear scale …"
    titles = [tip.get("title") for tip in spec["layer"][0]["encoding"]["tooltip"]]
    assert titles == ["折线", "年份", "%"]  # not the columns' names (series, time, value)


def test_the_overview_bar_chart_is_described_with_every_batch() -> None:
    import pandas as pd

    from atlas import overview

    batches = pd.DataFrame({"exit_year": ["2016", "2017", "?"], "official": [28, 125, None], "in_data": [3, 4, 1]})
    zh = overview.exits_chart(batches, "zh").to_dict()
    assert zh["description"] == "柱状图：本数据中各批次脱贫摘帽的县数：2016年 3 个、2017年 4 个"
    assert zh["config"]["aria"] is False
    en = overview.exits_chart(batches, "en").to_dict()
    assert en["description"] == "Bar chart: counties exiting per batch in our data: 2016: 3, 2017: 4"
    assert [tip["title"] for tip in en["encoding"]["tooltip"]] == ["Exit batch", "In our data"]
