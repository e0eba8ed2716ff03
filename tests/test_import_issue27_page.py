"""The Import page as an analyst uses it (issue 27): pasted titles and footnotes are no rows, totals rows set
aside with a notice, safe defaults (no list type, no preselected candidate, the first measure, years without
separators), the export built with a progress bar in the command's shape. Fixtures are synthetic."""

from __future__ import annotations

from test_import_page import metric, no_failures, open_import, paste, upload

NAME_ROLE = "县名"


def _captions(at) -> list[str]:
    return [c.value.replace("\\", "") for c in at.caption]


def test_pasted_titles_and_footnotes_are_reported_not_rows() -> None:
    text = (
        "一、2016年摘帽贫困县名单\n"
        "四川省：平武县、北川羌族自治县\n"
        "注：synthetic 脚注，名单按公布顺序。\n"
        "二、2017年摘帽贫困县名单\n"
        "河  北  2  阜平县、涞源县\n"
        "资料来源：synthetic 通知\n"
    )
    at = paste(open_import(), text)
    no_failures(at)
    assert at.dataframe[0].value.iloc[:, 1].astype(str).tolist() == ["平武县", "北川羌族自治县", "阜平县", "涞源县"]
    assert metric(at, "匹配率") == "100.0%"
    captions = _captions(at)
    assert any("2 行是标题或小标题" in c and "第 1、4 行" in c for c in captions)
    assert any("2 行是注释或来源" in c for c in captions)
    assert not any("数量为" in c for c in captions)  # counts checked against their own heading's names


def test_totals_rows_are_set_aside_and_a_diqu_header_is_the_name() -> None:
    csv = (
        "代码,地区,synthetic_人口\n100000,全国,9999\n510000,四川省,500\n"
        "510727,平武县,17\n510726,北川羌族自治县,23\n,合计,40\n"
    )
    at = upload(open_import(), "synthetic_totals.csv", csv.encode("utf-8"))
    no_failures(at)
    assert next(s for s in at.selectbox if s.label == NAME_ROLE).value == "地区"
    assert any("已将 2 个汇总行" in c and "第 1、2 行" in c for c in _captions(at))  # 合计: the reader drops it
    assert metric(at, "匹配率") == "100.0%"
    assert at.dataframe[0].value.iloc[:, 0].tolist() == [3, 4]  # the counties keep their input rows


def test_prefecture_subtotal_rows_are_set_aside_and_counties_of_a_prefecture_name_kept() -> None:
    csv = "县名,synthetic_人口\n凉山彝族自治州,40\n西昌市,17\n昭觉县,23\n凉山州小计,40\n哈密市,5\n东莞市,8\n"
    at = upload(open_import(), "synthetic_subtotals.csv", csv.encode("utf-8"))
    no_failures(at)
    assert any("已将 2 个汇总行" in c and "第 1、4 行" in c for c in _captions(at))
    assert metric(at, "匹配率") == "100.0%"
    assert at.dataframe[0].value.iloc[:, 0].tolist() == [2, 3, 5, 6]  # 哈密市, 东莞市 stay counties


def test_list_type_has_no_default() -> None:
    at = paste(open_import(), "四川省：平武县、北川县")
    flag = at.radio(key="import_flag")
    assert flag.value is None
    assert any("请先选择这份名单是哪一类" in c for c in _captions(at))
    flag.set_value("deep_poverty").run()
    assert not at.button(key="import_apply_go").disabled


def test_terrain_opens_on_its_first_measure_and_years_read_without_separators() -> None:
    lines = ["AreaID,代码,地区等级,地形起伏度,年份"]
    for i, code in enumerate(["510727", "513401", "620121", "450226", "513422", "520203"]):
        lines.append(f"{90_000_001 + i},{code},{1 + i % 3},{0.5 + i / 10},{2016 + i % 3}")
    at = upload(open_import(), "synthetic_terrain.csv", "\n".join(lines).encode("utf-8"))
    no_failures(at)
    column = next(s for s in at.selectbox if s.label == "显示的列")
    assert column.value == "地形起伏度"
    values = next(m for m in at.multiselect if m.label == "数值或类别列")
    values.set_value([*values.value, "年份"]).run()
    at.selectbox(key=column.key).set_value("年份").run()
    legend = next(h.proto.body for h in at.get("html") if 'class="pa-legend-title"' in h.proto.body)
    assert "2016" in legend and "2,016" not in legend


def test_the_export_is_built_with_progress_in_the_commands_shape() -> None:
    csv = "代码,县名,年份,synthetic_收入\n510727,平武县,2019,1084\n510727,平武县,2020,\n510726,北川县,2020,-3\n"
    at = upload(open_import(), "synthetic_panel.csv", csv.encode("utf-8"))
    at.radio(key="import_export_form").set_value("wide").run()
    assert any("边界再简化约 1 公里" in c for c in _captions(at))  # the wide form's polygons said before building
    at.radio(key="import_export_format").set_value("csv").run()
    at.button(key="import_export_go").click().run()
    no_failures(at)
    button = at.get("download_button")[-1]
    assert "synthetic_panel_joined_wide.zip" in button.proto.label
