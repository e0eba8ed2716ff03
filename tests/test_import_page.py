"""The Import page run headless with streamlit.testing: paste, upload, hostile text, applied lists
that change the other pages for this session only, and uploads that stay in session memory."""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

import pytest
from paths import APP
from streamlit.testing.v1 import AppTest

from benchmarks.common import ROOT

PAGE = "pages/import_data.py"
TIMEOUT = 90
# Real county names as a provincial notice lists them; 三江县 is the short form of 三江侗族自治县.
NOTICE = "四川省：平武县、北川羌族自治县、马边彝族自治县\n广西壮族自治区：三江县"
UNESCAPED_MARKUP = re.compile(r"(?<!\\)<(img|b|script)\b", re.IGNORECASE)


def open_import(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(PAGE)
    at.run()
    no_failures(at)
    return at


def no_failures(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def known_count(figure: str) -> int:
    """The known count of a headline figure ("已知 220 / 共 680", "220 of 680 known", "832")."""
    return int(re.search(r"\d[\d,]*", figure).group().replace(",", ""))


def paste(at: AppTest, text: str) -> AppTest:
    at.radio(key="import_kind").set_value("paste").run()
    at.text_area(key="import_text").input(text)
    at.button(key="import_paste_go").click().run()
    no_failures(at)
    return at


def upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.file_uploader(key="import_file").set_value((name, content, "text/csv")).run()
    no_failures(at)
    return at


def test_page_without_data_states_limits_and_privacy() -> None:
    at = open_import()
    assert at.title[0].value == "导入"
    captions = " ".join(c.value for c in at.caption)
    assert "MB" in captions and "内存" in captions  # limits and "in memory only" are said on the page
    assert not at.metric


def test_pasted_notice_is_matched_with_counts() -> None:
    at = paste(open_import(), NOTICE)
    assert metric(at, "匹配率") == "100.0%"
    assert metric(at, "行数") == "4"
    assert metric(at, "匹配") == "4"
    table = at.dataframe[0].value  # the match report
    assert "三江侗族自治县" in set(table.iloc[:, 4])


def test_uploaded_csv_is_matched_in_english_too() -> None:
    at = open_import(lang="en")
    csv = "county,province,value\n平武县,四川省,1.5\n城关区,,2\n不存在县,,3\n".encode()
    upload(at, "synthetic_counties.csv", csv)
    assert metric(at, "Rows") == "3"
    assert metric(at, "Ambiguous") == "1"
    assert metric(at, "Not found") == "1"
    assert at.session_state["import_active"].provenance.filename == "synthetic_counties.csv"


def test_gbk_upload_and_resolving_an_ambiguous_row() -> None:
    at = open_import()
    upload(at, "synthetic_gbk.csv", "县名,数值\n城关区,7\n平武县,8\n".encode("gbk"))
    assert metric(at, "有歧义") == "1"
    pick = at.selectbox(key="import_resolve_code")
    assert pick.value is None  # issue 27: no candidate preselected, the person picks
    assert at.button(key="import_resolve_go").disabled
    assert "540102" in pick.options[0] or any("540102" in o for o in pick.options)
    pick.set_value("540102").run()
    at.button(key="import_resolve_go").click().run()
    no_failures(at)
    assert metric(at, "有歧义") == "0"
    assert metric(at, "匹配率") == "100.0%"


def test_hostile_cells_stay_text() -> None:
    at = open_import()
    hostile = '名称,<b>值</b>\n"<img src=x onerror=alert(1)>县",1\n**粗体**县,=1+2\n平武县,3\n平武县,3\n'
    upload(at, "synthetic_hostile.csv", hostile.encode())
    shown = [
        e.value
        for kind in ("markdown", "caption", "warning", "info", "error", "subheader")
        for e in at.get(kind)
        if isinstance(getattr(e, "value", None), str)
    ]
    for text in shown:
        assert not UNESCAPED_MARKUP.search(text), text
    for element in at.get("html"):
        assert "<b>值</b>" not in element.proto.body and "<img" not in element.proto.body
    report = at.dataframe[0].value
    assert report.iloc[:, 1].astype(str).str.startswith("=").sum() == 0  # formulas neutralised


WRITES: list[str] = []
RECORDING: list[bool] = []


def _record_writes(event: str, args: tuple) -> None:
    """Audit hook: every file Python opens for writing while RECORDING."""
    if RECORDING and event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
        mode, flags = (args[1] if len(args) > 1 else "") or "", (args[2] if len(args) > 2 else 0) or 0
        if any(m in str(mode) for m in "wax+") or flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            WRITES.append(os.fsdecode(args[0]))


sys.addaudithook(_record_writes)


def test_uploads_stay_in_this_session_memory(tmp_path, monkeypatch) -> None:
    at = open_import()
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private_tmp))
    monkeypatch.setenv("TMPDIR", str(private_tmp))

    def repo_files() -> set[Path]:
        found: set[Path] = set()
        for folder, dirs, names in os.walk(ROOT):
            dirs[:] = [d for d in dirs if d not in {".git", ".venv", "__pycache__", ".pytest_cache", "artifacts"}]
            found |= {Path(folder) / n for n in names}
        return found

    before = repo_files()
    WRITES.clear()
    RECORDING.append(True)
    try:
        upload(at, "synthetic_private.csv", "县,值\n平武县,42\n".encode())
    finally:
        RECORDING.clear()
    assert metric(at, "行数") == "1"
    assert WRITES == [], f"the upload opened files for writing: {WRITES}"
    assert list(private_tmp.iterdir()) == [], "the upload left a temporary file"
    assert repo_files() == before, "the upload wrote a file into the repository"

    other = open_import()  # a second browser session of the same server process
    assert "import_active" not in other.session_state
    assert not other.metric


def apply_list(at: AppTest, flag: str, complete: str = "no", area: str | None = None) -> AppTest:
    at.radio(key="import_flag").set_value(flag).run()
    if area:
        at.selectbox(key="import_fixed_area").set_value(area).run()
    at.radio(key=f"import_complete_{flag}").set_value(complete).run()
    at.button(key="import_apply_go").click().run()
    no_failures(at)
    return at


def test_applied_deep_poverty_list_changes_county_map_and_export_for_this_session_only() -> None:
    at = paste(open_import(), NOTICE)
    apply_list(at, "deep_poverty", "national")
    assert [a.flag for a in at.session_state["applied_lists"]] == ["deep_poverty"]
    at.switch_page("pages/county_map.py")
    at.run()
    at.toggle(key="w_deep_only@county_map").set_value(True).run()
    no_failures(at)
    assert any("选中 4 个贫困县" in m.value for m in at.markdown)
    assert any("用户名单" in c.value for c in at.caption)
    at.selectbox(key="w_layer@county_map").set_value("deep").run()
    legend = next(h.proto.body for h in at.get("html") if 'class="pa-legend-title"' in h.proto.body)
    assert "用户名单" in legend and "SHA-256" in legend  # the legend says which values are user-supplied
    at.switch_page("pages/export.py")
    at.run()
    no_failures(at)
    assert any("用户名单" in c.value for c in at.caption)

    other = AppTest.from_file(APP, default_timeout=TIMEOUT)
    other.query_params["deep"] = "1"
    other.run()
    other.switch_page("pages/county_map.py")
    other.run()
    assert not any("选中 4 个贫困县" in m.value for m in other.markdown)
    assert not any("用户名单" in c.value for c in other.caption)


def area_row(at: AppTest, name: str):
    table = at.dataframe[0].value
    return table[table.iloc[:, 0] == name].iloc[0]


def test_applied_area_list_fills_areas_and_overview_then_is_removed() -> None:
    reference = open_import()
    reference.switch_page("pages/areas.py")
    reference.run()
    bundled = int(area_row(reference, "六盘山区").iloc[3])
    reference.switch_page("pages/overview.py")
    reference.run()
    bundled_total = known_count(metric(reference, "连片特困地区县"))

    at = paste(open_import(), "甘肃省：永登县、皋兰县、靖远县")
    apply_list(at, "contiguous_area", area="liupan")
    at.switch_page("pages/areas.py")
    at.run()
    no_failures(at)
    assert int(area_row(at, "六盘山区").iloc[3]) == bundled + 3
    at.switch_page("pages/overview.py")
    at.run()
    assert known_count(metric(at, "连片特困地区县")) == bundled_total + 3

    at.switch_page(PAGE)
    at.run()
    at.button(key="import_remove_go").click().run()
    at.switch_page("pages/overview.py")
    at.run()
    assert known_count(metric(at, "连片特困地区县")) == bundled_total


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_import_page_runs_in_presenter_mode(lang: str) -> None:
    at = open_import(present="1", lang=lang)
    paste(at, NOTICE)


def test_facts_panel_shows_imported_values_and_user_flags() -> None:
    at = open_import()
    upload(at, "synthetic_values.csv", "县名,年份,synthetic_rate\n平武县,2018,12.5\n平武县,2019,3.25\n".encode())
    apply_list(at, "deep_poverty")
    at.switch_page("pages/county_map.py")
    at.run()
    at.text_input(key="county_search").input("平武").run()  # one match: taken at once
    no_failures(at)
    assert at.session_state["view"].county == "510727"
    facts = " ".join(m.value for m in at.markdown)
    assert "synthetic\\_rate 2018**: 12\\.5" in facts and "synthetic\\_rate 2019**: 3\\.25" in facts
    assert "深度贫困县**: 用户数据：synthetic\\_values\\.csv" in facts


def test_excel_sheet_and_header_row_choice() -> None:
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "说明"
    book.active.append(["本工作簿为测试用合成数据"])
    sheet = book.create_sheet("2019")
    sheet.append(["某省贫困县摘帽情况（合成数据）"])
    sheet.append(["县名", "synthetic_value"])
    for name, value in (("平武县", 1), ("三江县", 2), ("合计", 3)):
        sheet.append([name, value])
    buffer = io.BytesIO()
    book.save(buffer)
    at = open_import()
    at.file_uploader(key="import_file").set_value(
        ("synthetic_book.xlsx", buffer.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    ).run()
    assert not at.exception
    at.selectbox(key="import_sheet").set_value("2019").run()
    no_failures(at)
    assert metric(at, "行数") == "2"  # the title row skipped, the 合计 row dropped
    assert metric(at, "匹配率") == "100.0%"
    at.number_input(key="import_header").set_value(2).run()  # the header is the file's second row
    no_failures(at)
    assert metric(at, "行数") == "2"


def test_unreadable_upload_gets_a_message_not_a_crash() -> None:
    at = open_import()
    at.file_uploader(key="import_file").set_value(("synthetic_empty.csv", b"", "text/csv")).run()
    assert not at.exception
    assert at.error and at.error[0].value.replace("\\", "") == "无法读取：synthetic_empty.csv：文件为空"
    assert not at.metric
    at = open_import(lang="en")
    at.file_uploader(key="import_file").set_value(("synthetic_empty.csv", b"", "text/csv")).run()
    assert (
        at.error and at.error[0].value.replace("\\", "") == "Cannot read this: synthetic_empty.csv: the file is empty"
    )


def test_a_panel_opens_on_a_value_column_with_readable_classes() -> None:
    at = open_import()
    lines = ["AreaID,代码,年份,synthetic_收入"]
    for i, code in enumerate(["510727", "513401", "620121", "450226", "513422", "520203"] * 2):
        lines.append(f"{20_410_005 + 7 * i},{code},{2018 + i // 6},{1000 * (i + 1) + 0.5}")
    upload(at, "synthetic_panel.csv", "\n".join(lines).encode())
    column = next(s for s in at.selectbox if s.label == "显示的列")
    assert column.value == "synthetic_收入"  # not AreaID, 代码 or 年份
    legend = next(h.proto.body for h in at.get("html") if 'class="pa-legend-title"' in h.proto.body)
    assert "synthetic_收入 · 2019" in legend and "1,000.5 – " in legend and "e+" not in legend
    values = next(m for m in at.multiselect if m.label == "数值或类别列")
    assert "AreaID" not in values.value  # issue 27: an id is not offered as a value first…
    values.set_value([*values.value, "AreaID"]).run()  # …but can still be chosen, and reads as a number
    column = next(s for s in at.selectbox if s.label == "显示的列")
    column.set_value("AreaID").run()
    legend = next(h.proto.body for h in at.get("html") if 'class="pa-legend-title"' in h.proto.body)
    assert "20,410,005" in legend and "e+" not in legend
