"""Reading uploads and pasted lists: encodings, workbooks, hostile and malformed files, value cells.
All tables here are synthetic (made up in the test)."""

from __future__ import annotations

import io
import math
import zipfile

import openpyxl
import pandas as pd
import pytest

from loaders.tabular import MAX_ROWS, Notice, UploadError, formats, upload
from loaders.tabular.formats import sheet_names
from loaders.tabular.formulas import neutralise_formula
from loaders.tabular.numbers import numeric_values, typed_column
from loaders.tabular.pasted import read_pasted
from loaders.tabular.rows import drop_duplicate_rows, duplicate_rows
from loaders.tabular.upload import read_upload

SYNTHETIC_CSV = '县名,代码,synthetic_人口\n平武县,510727,"1,234"\n三江县,450226,12.5%\n'


def _xlsx(sheets: dict[str, list[list]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ----------------------------------------------------------------------------- encodings and delimiters
@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (SYNTHETIC_CSV.encode("utf-8"), "utf-8"),
        (SYNTHETIC_CSV.encode("utf-8-sig"), "utf-8-sig"),
        (SYNTHETIC_CSV.encode("gbk"), "gb18030"),
        (SYNTHETIC_CSV.encode("gb18030"), "gb18030"),
        (SYNTHETIC_CSV.replace(",", "\t").replace('"1\t234"', "1234").encode("utf-16"), "utf-16"),
    ],
)
def test_text_encodings_detected(encoded, encoding):
    table = read_upload(encoded, "synthetic.csv")
    assert table.encoding == encoding
    assert list(table.frame.columns) == ["县名", "代码", "synthetic_人口"]  # no BOM left in the first name
    assert list(table.frame["县名"]) == ["平武县", "三江县"]
    assert table.sheets == () and table.sheet is None


@pytest.mark.parametrize("delimiter", ["\t", ";", "|"])
def test_delimiter_sniffed(delimiter):
    text = SYNTHETIC_CSV.replace(",", delimiter).replace(f'"1{delimiter}234"', "1234")
    table = read_upload(text.encode(), "synthetic.txt")
    assert list(table.frame.columns) == ["县名", "代码", "synthetic_人口"]
    assert list(table.frame["代码"]) == ["510727", "450226"]


def test_cells_are_text_and_codes_keep_leading_form():
    table = read_upload(b"code,name\n 013001 ,a\n130631.0,b\n", "synthetic.csv")
    assert table.frame["code"].tolist() == ["013001", "130631.0"]
    assert all(pd.api.types.is_string_dtype(table.frame[c]) for c in table.frame.columns)


def test_undecodable_text_refused():
    with pytest.raises(UploadError, match=r"synthetic\.csv: .*neither UTF-8 nor GBK"):
        read_upload(b"a,b\n\x81\x20\xff\xfe\x80,1\n", "synthetic.csv")


# ----------------------------------------------------------------------------- layout
def test_title_rows_total_rows_and_duplicates_reported():
    text = (
        "2015年synthetic贫困县统计表\n单位：人\n\n县名,代码,人口\n平武县,510727,10\n合计,,30\n"
        "三江县,450226,20\n平武县,510727,10\n总 计,,60\n"
    )
    table = read_upload(text.encode(), "synthetic.csv")
    assert list(table.frame.columns) == ["县名", "代码", "人口"]
    assert table.frame["县名"].tolist() == ["平武县", "三江县", "平武县"]
    assert table.notices == (
        Notice.of("title_rows", n=2, rows=(1, 2)),
        Notice.of("total_rows", n=2, rows=(6, 9)),
        Notice.of("duplicate_rows", n=1, rows=(3,)),
    )


def test_header_row_chosen_or_none():
    text = "title\nA,B\n1,2\n3,4\n"
    assert list(read_upload(text.encode(), "s.csv", header_row=2).frame.columns) == ["A", "B"]
    table = read_upload(text.encode(), "s.csv", header_row=0)
    assert list(table.frame.columns) == ["column_1", "column_2"] and len(table.frame) == 4
    with pytest.raises(UploadError, match="file row 9"):
        read_upload(text.encode(), "s.csv", header_row=9)


def test_header_names_made_unique_and_non_empty():
    table = read_upload("县,县,,x\n1,2,3,4\n".encode(), "s.csv")
    assert list(table.frame.columns) == ["县", "县_2", "column_3", "x"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"  \n\n ", "the file is empty"),
        (b",,,\n,,\n", "no data"),
        ("县名,代码\n".encode(), "header row but no data rows"),
        ("县名,代码\n合计,\n".encode(), "header row but no data rows"),
    ],
)
def test_empty_and_header_only_files(data, message):
    with pytest.raises(UploadError, match=message) as err:
        read_upload(data, "synthetic_empty.csv")
    assert str(err.value).startswith("synthetic_empty.csv: ")


def test_size_and_row_limits_stated(monkeypatch):
    monkeypatch.setattr(formats, "MAX_UPLOAD_BYTES", 2 * 2**20)
    with pytest.raises(UploadError, match=r"^big\.csv: the file is 3\.0 MB; the limit is 2 MB$"):
        read_upload(b"a\n" * (3 * 2**19), "big.csv")
    monkeypatch.setattr(formats, "MAX_UPLOAD_BYTES", 10**6)
    monkeypatch.setattr(upload, "MAX_ROWS", 5)
    with pytest.raises(UploadError, match="more than 5 data rows; the limit is 5"):
        read_upload(("x,y\n" + "1,2\n" * 6).encode(), "long.csv")


def test_unsupported_type_refused():
    with pytest.raises(UploadError, match=r"unsupported file type '\.pdf'"):
        read_upload(b"%PDF-1.4", "synthetic.pdf")


def test_filename_control_characters_removed():
    table = read_upload(b"a,b\n1,2\n", "syn\x1b[31mthetic.csv")
    assert table.filename == "syn[31mthetic.csv"
    assert len(table.sha256) == 64


def test_formulas_and_html_kept_as_plain_text():
    text = 'name,note\n平武县,"=HYPERLINK(""http://x"")"\n三江县,<script>alert(1)</script>\n'
    frame = read_upload(text.encode(), "s.csv").frame
    assert frame["note"].tolist() == ['=HYPERLINK("http://x")', "<script>alert(1)</script>"]


# ----------------------------------------------------------------------------- workbooks
def test_xlsx_sheets_numbers_and_title_rows():
    data = _xlsx(
        {
            "说明": [["synthetic"]],
            "数据": [
                ["synthetic 表一"],
                [None],
                ["代码", "县名", "人口", "日期"],
                [510727, "平武县", 1234.5, None],
                [450226.0, "三江县", 20, "2015-01-01"],
                ["合计", None, 1254.5, None],
            ],
        }
    )
    assert sheet_names(data, "synthetic.xlsx") == ("说明", "数据")
    table = read_upload(data, "synthetic.xlsx", sheet="数据")
    assert table.encoding is None and table.sheets == ("说明", "数据") and table.sheet == "数据"
    assert table.frame["代码"].tolist() == ["510727", "450226"]  # integers, never "510727.0"
    assert table.frame["人口"].tolist() == ["1234.5", "20"]
    assert table.notices[0] == Notice.of("title_rows", n=1, rows=(1,))
    assert any(n.code == "total_rows" for n in table.notices)
    with pytest.raises(UploadError, match="no sheet named 'x'"):
        read_upload(data, "synthetic.xlsx", sheet="x")


def test_xlsx_first_sheet_by_default_and_formula_text():
    data = _xlsx({"S": [["县名", "值"], ["平武县", "=1+1"]]})
    frame = read_upload(data, "synthetic.xlsx").frame
    # a formula has no cached value in a file never opened by Excel: empty, never executed
    assert frame["值"].isna().all()


def test_xls_read_with_numbers_and_dates():
    import datetime

    import xlwt  # test-only writer of the old format (requirements-dev.txt)

    book = xlwt.Workbook()
    sheet = book.add_sheet("数据")
    for i, row in enumerate([["synthetic 表"], [], ["代码", "县名", "日期"], [510727, "平武县"], [450226.0, "三江县"]]):
        for j, value in enumerate(row):
            sheet.write(i, j, value)
    sheet.write(3, 2, datetime.date(2015, 1, 2), xlwt.easyxf(num_format_str="YYYY-MM-DD"))
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    assert sheet_names(data, "synthetic.xls") == ("数据",)
    table = read_upload(data, "synthetic.xls")
    assert table.sheet == "数据" and table.encoding is None
    assert table.frame.fillna("").values.tolist() == [["510727", "平武县", "2015-01-02"], ["450226", "三江县", ""]]


def test_zip_bomb_refused_before_parsing():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 20_000_000)
    with pytest.raises(UploadError, match="zip bomb"):
        read_upload(buffer.getvalue(), "synthetic_bomb.xlsx")


def test_zip_bomb_by_total_size(monkeypatch):
    monkeypatch.setattr(formats, "MAX_UNZIPPED_BYTES", 1000)
    data = _xlsx({"S": [["a"], ["b"]]})
    with pytest.raises(UploadError, match="would unpack to"):
        read_upload(data, "synthetic.xlsx")


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"PK\x03\x04 truncated", "synthetic.xlsx"),
        (b"not a workbook", "synthetic.xlsx"),
        (None, "synthetic.xlsx"),  # a zip that is not a workbook
        (bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600, "synthetic.xls"),
        (b"plain text", "synthetic.xls"),
    ],
)
def test_malformed_workbooks_refused(data, name):
    if data is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "synthetic")
        data = buffer.getvalue()
    with pytest.raises(UploadError, match=f"^{name}: "):
        read_upload(data, name)


def test_truncated_xlsx_refused():
    data = _xlsx({"S": [["县名"], ["平武县"]]})
    with pytest.raises(UploadError, match="not a valid XLSX"):
        read_upload(data[: len(data) // 2], "synthetic.xlsx")


# ----------------------------------------------------------------------------- pasted text
def test_pasted_notice_with_province_headings():
    text = (
        "四川省：平武县、北川羌族自治县，旺苍县；苍溪县\n"
        "贵州省\n1. 雷山县 2. 三都水族自治县\n"
        "广西 三江县 融水县（融水苗族自治县）\n"
    )
    frame = read_pasted(text).frame
    assert frame.values.tolist() == [
        ["四川省", "平武县"],
        ["四川省", "北川羌族自治县"],
        ["四川省", "旺苍县"],
        ["四川省", "苍溪县"],
        ["贵州省", "雷山县"],
        ["贵州省", "三都水族自治县"],
        ["广西", "三江县"],
        ["广西", "融水县"],
    ]


def test_pasted_announcement_sentence():
    frame = read_pasted("四川省人民政府批准平武县等30个县(市、区)退出贫困县").frame
    assert frame.values.tolist() == [["四川省", "平武县"]]


def test_pasted_without_province_and_empty():
    assert read_pasted("平武县 三江县,通道县").frame.values.tolist() == [
        [pd.NA, "平武县"],
        [pd.NA, "三江县"],
        [pd.NA, "通道县"],
    ]
    assert read_pasted("").frame.empty and list(read_pasted("").frame.columns) == ["province", "name"]


# ----------------------------------------------------------------------------- values
def test_numeric_values_parse_and_report():
    frame = pd.DataFrame(
        {"v": ["1,234", "12.5%", "１２３", " 7 ", None, "", "abc", "—", "1.2.3", "=1+1", "-3.5"]}, dtype="string"
    )
    values, bad = numeric_values(frame, "v")
    assert values.tolist()[:4] == [1234.0, 12.5, 123.0, 7.0]
    assert math.isnan(values[4]) and math.isnan(values[5])
    assert values.tolist()[-1] == -3.5
    assert bad == [(7, "abc"), (8, "—"), (9, "1.2.3"), (10, "=1+1")]
    assert values[6:10].isna().all()


def test_numeric_values_report_match_row_numbers():
    rows = pd.DataFrame({"row": [3, 7], "v": ["1", "x"]})  # e.g. match rows of one year
    assert numeric_values(rows, "v")[1] == [(7, "x")]


def test_duplicate_rows():
    frame = pd.DataFrame({"a": ["1", "2", "1", None, None], "b": ["x", "y", "x", None, None]}, dtype="string")
    assert duplicate_rows(frame) == [3, 5]
    assert duplicate_rows(frame.iloc[:0]) == []


def test_dropping_duplicates_keeps_the_unique_rows_and_their_numbers():
    # issue 16: 平武县 twice and 北川 once kept both 平武县 rows and dropped 北川 (1- vs 0-based)
    frame = pd.DataFrame({"县": ["平武县", "平武县", "北川县"], "v": ["1", "1", "2"]}, dtype="string")
    kept = drop_duplicate_rows(frame)
    assert kept["县"].tolist() == ["平武县", "北川县"]
    assert kept.index.tolist() == [0, 2]  # input rows 1 and 3


@pytest.mark.parametrize(
    "value, expected",
    [
        ("-5.2", "-5.2"),
        ("+3", "+3"),
        ("-1e-3", "-1e-3"),
        ("-1,234.5", "-1,234.5"),
        ("-12%", "-12%"),
        (-5.2, -5.2),
        ("=1+2", "'=1+2"),
        ("+A1", "'+A1"),
        ("-A1+1", "'-A1+1"),
        ("-5+A1", "'-5+A1"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("平武县", "平武县"),
    ],
)
def test_formula_guard_leaves_numbers_alone(value, expected):
    assert neutralise_formula(value) == expected


def test_typed_column_numbers_stay_numbers_text_stays_text():
    ints = typed_column(pd.Series(["2019", "-3", None, ""], dtype="string"))
    assert str(ints.dtype) == "Int64" and ints.tolist()[:2] == [2019, -3] and ints.isna().tolist()[2:] == [True, True]
    floats = typed_column(pd.Series(["-5.2", "3", "0.001", None], dtype="string"))
    assert floats.dtype == "float64" and floats.tolist()[:3] == [-5.2, 3.0, 0.001]
    kept_as_text = (["0101", "12"], ["1,234", "5"], ["12.5%"], ["平武县", "-5.2"], ["nan"], ["1e999"], ["1e-3"])
    # a decimal whose number would be written otherwise keeps its characters ("117.780670", not 117.78067)
    for text in (*kept_as_text, ["117.780670", "3.5"], ["2.50"], ["0012", "13"]):
        kept = typed_column(pd.Series(text, dtype="string"))
        assert kept.tolist() == text, text  # an identifier with a leading zero, a formatted number, text


def test_pasted_names_holding_deng_are_kept():
    # the noise "等30个县(市、区)" was also cut out of 天等县 (广西), leaving 天
    frame = read_pasted("广西：天等县、龙州县等2个县(市、区)").frame
    assert frame["name"].tolist() == ["天等县", "龙州县"]


def test_pasted_table_rows_with_spaced_provinces_and_counts():
    text = "序号  省  份  数量  名单\n1  河  北  2  阜平县、涞源县\n2  内 蒙 古\n1\n科尔沁右翼前旗\n合计  3"
    read = read_pasted(text)
    assert read.frame.values.tolist() == [["河北", "阜平县"], ["河北", "涞源县"], ["内蒙古", "科尔沁右翼前旗"]]
    assert read.notices == ()  # counts agree; 内蒙古's count and names on lines of their own


def test_pasted_text_over_the_row_limit_is_refused():
    with pytest.raises(UploadError, match="50,000"):
        read_pasted("、".join(["平武县"] * (MAX_ROWS + 1)))


# issue 27: a whole pasted sheet (titles per year, footnotes, sources) gives only its names
def test_pasted_titles_footnotes_and_sources_are_no_rows():
    text = (
        "一、2016年摘帽贫困县名单\n"
        "省  份  数量  名单\n"
        "四  川  2  平武县、北川羌族自治县\n"
        "新  疆  1  阿克苏市\n"
        "注：synthetic 脚注，新疆的县名按公布时的名称。\n"
        "二、2017年摘帽贫困县名单\n"
        "河  北  2  阜平县、涞源县\n"
        "资料来源：synthetic 通知\n"
        "*synthetic 说明\n"
    )
    read = read_pasted(text)
    assert read.frame["name"].tolist() == ["平武县", "北川羌族自治县", "阿克苏市", "阜平县", "涞源县"]
    assert read.frame["province"].tolist() == ["四川", "四川", "新疆", "河北", "河北"]
    codes = {n.code: n.fields for n in read.notices}
    assert set(codes) == {"pasted_titles", "pasted_notes"}  # no count warning: each block has its own names
    assert codes["pasted_titles"]["rows"] == (1, 6) and codes["pasted_notes"]["rows"] == (5, 8, 9)


def test_a_note_footer_row_of_a_file_is_set_aside():
    data = "代码,县名\n510727,平武县\n资料来源：synthetic 年鉴,\n".encode("gbk")
    read = read_upload(data, "synthetic.csv")
    assert read.frame["代码"].tolist() == ["510727"]
    assert [(n.code, n.fields["rows"]) for n in read.notices] == [("note_rows", (3,))]
