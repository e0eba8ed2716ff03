"""The Import page as an analyst uses it (issue 16): repeated rows dropped keep the others' numbers, a
published table block pasted as copied is read with its counts, a rename is not reported as a merger."""

from __future__ import annotations

from test_import_page import metric, no_failures, open_import, paste


def _report_rows(at) -> list:
    table = at.dataframe[0].value
    return table.iloc[:, 0].tolist(), table.iloc[:, 1].astype(str).tolist()


def test_dropping_repeated_rows_keeps_the_unique_row_and_the_numbers() -> None:
    at = paste(open_import(), "四川省：平武县、平武县、北川县")
    assert _report_rows(at) == ([1, 2, 3], ["平武县", "平武县", "北川县"])
    box = next(c for c in at.checkbox if c.label == "去掉重复行")
    box.check().run()
    no_failures(at)
    assert _report_rows(at) == ([1, 3], ["平武县", "北川县"])  # 北川 kept, still input row 3
    assert metric(at, "匹配率") == "100.0%"


def test_a_published_block_pasted_as_copied_is_read_with_its_counts() -> None:
    block = "省  份\t数量\t名单\n河  北\t2\t阜平县、涞源县\n山  西\t3\t天镇县、广灵县\n四  川\t1\t平武县"
    at = paste(open_import(), block)
    assert _report_rows(at)[1] == ["阜平县", "涞源县", "天镇县", "广灵县", "平武县"]
    assert metric(at, "匹配率") == "100.0%"
    notices = [c.value.replace("\\", "") for c in at.caption]  # as shown (Markdown escaped)
    assert any("“山西”（第 3 行）：数量为 3，读到 2 个县名" in n for n in notices)  # in the reader's language
    assert set(at.dataframe[0].value["匹配方式"]) == {"全称 + 省份"}


def test_a_county_under_its_old_and_new_name_is_no_merger() -> None:
    at = paste(open_import(), "西藏自治区：昌都县、卡若区\n陕西省：旬阳县、旬阳市")
    assert metric(at, "匹配率") == "100.0%"
    assert not [i for i in at.info if "合并" in i.value]
