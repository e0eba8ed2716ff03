"""Every word in the reader's language (issue 18 §2) without Streamlit: the notices of the file
readers and how an imported row matched, in Chinese and English; the Export preview and the
Overview's official totals. Tables here are synthetic (made up in the test)."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pandas as pd
import pytest

from atlas import imported
from atlas.i18n import LANGS, UPLOAD_ERRORS_ZH
from loaders import match
from loaders.match.methods import step
from loaders.tabular import LISTED_ROWS, UPLOAD_ERRORS, Notice, UploadError
from loaders.tabular.pasted import read_pasted
from loaders.tabular.upload import read_upload

CASES = Path(__file__).parent / "fixtures" / "synthetic_match_cases.csv"
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_upload_error_is_worded_in_both_languages() -> None:
    assert UPLOAD_ERRORS_ZH.keys() == UPLOAD_ERRORS.keys()
    for code, english in UPLOAD_ERRORS.items():
        assert placeholders(UPLOAD_ERRORS_ZH[code]) == placeholders(english), code


def test_an_unreadable_file_is_explained_in_the_readers_language() -> None:
    with pytest.raises(UploadError) as err:
        read_upload("县名\n".encode("utf-16-le")[:-1] + b"\xff" * 0, "synthetic.xlsx")
    zh, en = imported.upload_error_text(err.value, "zh"), imported.upload_error_text(err.value, "en")
    assert zh == "synthetic.xlsx：不是有效的 XLSX 工作簿（文件不是 zip 压缩包）"
    assert en == str(err.value) == "synthetic.xlsx: not a valid XLSX workbook (the file is not a zip archive)"
    with pytest.raises(UploadError) as err:
        read_upload(b"a,b\n1,2\n", "synthetic.csv", header_row=9)
    assert imported.upload_error_text(err.value, "zh") == "synthetic.csv：文件第 9 行为空或超出文件末尾（文件共 2 行）"


def test_notices_of_an_upload_in_both_languages() -> None:
    text = "synthetic title\n\n县名,代码\n平武县,510727\n合计,\n平武县,510727\n"
    notices = read_upload(text.encode(), "synthetic.csv").notices
    assert [n.code for n in notices] == ["title_rows", "total_rows", "duplicate_rows"]
    zh = [imported.notice_text(n, "zh") for n in notices]
    assert zh == [
        "已跳过表头上方的 1 行标题（文件第 1 行）",
        "已去掉 1 个合计行（文件第 5 行）",
        "1 行与前面的行完全相同（第 2 行）",
    ]
    en = [imported.notice_text(n, "en") for n in notices]
    assert en[1] == "Total rows dropped: 1 (file rows 5)"
    assert not any(CHINESE.search(line) for line in en)


def test_notices_of_a_pasted_block_in_both_languages() -> None:
    read = read_pasted("河  北\t3\t阜平县、涞源县、望都县\n\t2\t五寨县、岢岚县")  # the second line lost its cell
    zh = [imported.notice_text(n, "zh") for n in read.notices]
    assert zh == [
        "第 2 行没有省份单元格：其中的县名按第 1 行的“河北”读取，请核对",
        "“河北”（第 1 行）：数量为 3，读到 5 个县名",
    ]
    en = [imported.notice_text(n, "en") for n in read.notices]
    assert en[1] == "'河北' (line 1): the count says 3; names read: 5"  # the pasted name quoted as it was
    assert not any(ENGLISH_WORD.search(line) for line in zh)


def test_a_long_list_of_rows_is_cut_with_an_ellipsis() -> None:
    notice = Notice.of("duplicate_rows", n=LISTED_ROWS + 5, rows=tuple(range(1, LISTED_ROWS + 1)))
    assert imported.notice_text(notice, "zh").endswith(f"、{LISTED_ROWS}… 行）")
    assert imported.notice_text(notice, "en").endswith(f", {LISTED_ROWS}…)")


@pytest.fixture(scope="module")
def methods() -> set:
    """Every method the fixture cases give, with the two a user's resolution writes."""
    gazetteer = match.load_gazetteer()
    table = pd.read_csv(CASES, dtype=str, keep_default_na=False).drop(
        columns=["case", "expected_status", "expected_code"]
    )
    result = match.match_table(table, match.guess_roles(table), gazetteer)
    result = match.resolve(result, 1, "510727", gazetteer)
    result = match.resolve(result, 2, None, gazetteer)
    assert list(result.rows["match_method"]) == [str(m) for m in result.rows["method_steps"]]
    return set(result.rows["method_steps"])


def test_every_match_method_reads_in_chinese(methods) -> None:
    assert len(methods) > 20
    for method in methods:
        zh = imported.method_text(method, "zh")
        assert not ENGLISH_WORD.search(zh.replace("synthetic", "")), (method, zh)  # fixture names say synthetic
        assert imported.method_text(method, "en") == str(method)  # English is the method as exported


def test_every_method_step_has_a_chinese_template() -> None:
    from atlas.i18n import MATCH_METHOD_ZH
    from loaders.match.methods import METHOD_EN

    assert set(MATCH_METHOD_ZH) == set(METHOD_EN)
    for code, english in METHOD_EN.items():  # the same values in both languages
        assert set(re.findall(r"{(\w+)}", MATCH_METHOD_ZH[code])) == set(re.findall(r"{(\w+)}", english)), code


@pytest.mark.parametrize(
    ("cells", "en", "zh"),
    [
        ({"name": "平武县", "province": "四川"}, "full name + province", "全称 + 省份"),
        (
            {"code": "513321"},
            "code 513321 康定县 (1981–2014) → 513301 康定市, renamed in 2015",
            "代码 513321 康定县（1981—2014） → 513301 康定市，2015 年更名",
        ),
        (
            {"name": "三江县", "province": "广西"},
            "short form of 三江侗族自治县 + province",
            "三江侗族自治县 的简称 + 省份",
        ),
        (
            {"name": "东乡县"},
            "'东乡县' fits 2 units in several provinces (short forms)",
            "“东乡县”对应不同省份的 2 个单位（简称）",
        ),
    ],
)
def test_methods_as_the_readme_shows_them(cells: dict, en: str, zh: str) -> None:
    frame = pd.DataFrame({k: [v] for k, v in cells.items()})
    result = match.match_table(frame, match.ColumnRoles(**{k: k for k in cells}), match.load_gazetteer())
    method = result.rows["method_steps"].iloc[0]
    assert (imported.method_text(method, "en"), imported.method_text(method, "zh")) == (en, zh)
    left = match.resolve(result, 1, None, match.load_gazetteer()).rows["method_steps"].iloc[0]
    assert imported.method_text(left, "zh") == "用户选择不匹配"


def test_the_report_shows_methods_in_the_readers_language_and_keeps_the_rows() -> None:
    rows = pd.DataFrame(
        {
            "name": ["平武县", "synthetic县"],
            "row": [1, 2],
            "match_status": ["matched", "not_found"],
            "boundary_code": ["510727", None],
            "boundary_name_zh": ["平武县", None],
            "boundary_name_en": ["Pingwu", None],
            "match_method": ["full name + province", "no code and no name"],
            "method_steps": [step("full_name") + step("plus_province"), step("no_code_no_name")],
        }
    )
    for lang in LANGS:
        report = imported.report_frame(rows, match.ColumnRoles(name="name"), lang)
        shown = report.iloc[:, -1].tolist()
        assert report.iloc[1, 3] == "" and report.iloc[1, 4] == ""  # no polygon: empty, never "None"
        assert shown == (["全称 + 省份", "既无代码也无名称"] if lang == "zh" else list(rows["match_method"]))
    assert rows["match_method"].tolist() == ["full name + province", "no code and no name"]  # the data unchanged


def test_a_pasted_lists_own_columns_are_named_in_the_readers_language() -> None:
    columns = list(read_pasted("四川省：平武县").frame.columns)
    assert [imported.column_label(c, columns, "zh") for c in columns] == ["省份", "县名"]
    assert [imported.column_label(c, columns, "en") for c in columns] == ["Province", "County name"]
    assert imported.column_label("province", ["province", "name", "synthetic_value"], "zh") == "province"  # a header
