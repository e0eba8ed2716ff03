"""The matcher on cases written from the code history (geodata/raw/admin_codes_result.csv) with the
exact boundary codes of geodata/counties.parquet; the command end to end.

tests/fixtures/synthetic_match_cases.csv: each row a case, its expected status and code (for an
ambiguous row, the candidates). The names and codes are real; the values are synthetic."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from geojson_check import rfc7946_errors

from loaders import match
from loaders.schema import GEODATA
from loaders.tabular import Notice, drop_duplicate_rows, read_pasted
from pipeline import poverty as build_poverty, poverty_members

ROOT = Path(__file__).resolve().parent.parent
CASES_FILE = Path(__file__).parent / "fixtures" / "synthetic_match_cases.csv"
CASES = pd.read_csv(CASES_FILE, dtype=str, keep_default_na=False)
EXPECTED_COLUMNS = ("case", "expected_status", "expected_code")


@pytest.fixture(scope="module")
def gazetteer() -> match.Gazetteer:
    return match.load_gazetteer()


@pytest.fixture(scope="module")
def synthetic_result(gazetteer) -> match.MatchResult:
    table = CASES.drop(columns=list(EXPECTED_COLUMNS))
    return match.match_table(table, match.guess_roles(table), gazetteer)


def test_roles_guessed_from_the_fixture_headers(synthetic_result):
    assert synthetic_result.roles == match.ColumnRoles(
        code="code", name="name", province="province", prefecture="prefecture", year="year", values=("synthetic_value",)
    )


@pytest.mark.parametrize("i", range(len(CASES)), ids=[f"{r.case}: {r.name or r.code}" for r in CASES.itertuples()])
def test_each_case_lands_on_the_expected_polygon(synthetic_result, i):
    case = CASES.iloc[i]
    row = synthetic_result.rows.iloc[i]
    assert row["row"] == i + 1
    assert row["match_status"] == case["expected_status"], row["match_method"]
    if case["expected_status"] == "ambiguous":
        assert sorted(row["candidates"]) == case["expected_code"].split(";")
        assert pd.isna(row["boundary_code"])
    elif case["expected_status"] == "not_found":
        assert pd.isna(row["boundary_code"])
    else:
        assert row["boundary_code"] == case["expected_code"], row["match_method"]
    assert row["match_method"]


def test_every_input_column_and_row_kept(synthetic_result):
    rows = synthetic_result.rows
    assert len(rows) == len(CASES)
    for column in CASES.columns.drop(list(EXPECTED_COLUMNS)):
        assert list(rows[column]) == list(CASES[column])
    assert set(match.OUTPUT_COLUMNS) <= set(rows.columns)


def test_methods_explain_the_history(synthetic_result):
    methods = dict(zip(synthetic_result.rows["row"], synthetic_result.rows["match_method"]))
    assert methods[4] == "code 130625 徐水县 (1994–2014) → 130609 徐水区, renamed in 2015"
    assert "merged in 2015 into 130606 莲池区" in methods[7]
    assert methods[18].startswith("short form of 三江侗族自治县")
    assert "茫崖市" in methods[15]


def test_boundary_names_are_todays(synthetic_result):
    rows = synthetic_result.rows.set_index("row")
    assert rows.at[5, "boundary_name_zh"] == "康定市"
    assert rows.at[5, "boundary_name_en"] == "Kangding City"
    assert rows.at[6, "boundary_name_zh"] == "卡若区"


def test_several_old_units_on_one_polygon_are_reported(synthetic_result):
    groups = synthetic_result.merged_groups()
    assert groups["130606"] == [7, 8]  # 北市区 + 南市区 -> 莲池区
    assert groups["140403"] == [9, 10]  # 城区 + 郊区 -> 潞州区
    assert groups["632803"] == [15, 16]  # 冷湖行委 + 茫崖行委 -> 茫崖市
    # the same unit listed twice (by old code and by old name) is not a merger
    assert "513301" not in groups


def test_summary_counts_and_rate(synthetic_result):
    s = synthetic_result.summary()
    expected = CASES["expected_status"].value_counts()
    for status in match.STATUSES:
        assert s[status] == expected.get(status, 0)
    assert s["total"] == len(CASES)
    assert s["match_rate"] == pytest.approx((s["matched"] + s["renamed"] + s["merged"]) / len(CASES))


def test_nearest_names_suggested_for_a_typo(synthetic_result):
    row = synthetic_result.rows.set_index("row").loc[34]  # 平五县 in 四川省
    assert row["suggestions"][0] == "510727"
    assert all(code.startswith("51") for code in row["suggestions"])


def test_user_resolves_an_ambiguous_row(synthetic_result, gazetteer):
    resolved = match.resolve(synthetic_result, 31, "620102", gazetteer)
    row = resolved.rows.set_index("row").loc[31]
    assert (row["match_status"], row["boundary_code"], row["boundary_name_zh"]) == ("matched", "620102", "城关区")
    assert "chosen by user" in row["match_method"]
    assert resolved.summary()["ambiguous"] == synthetic_result.summary()["ambiguous"] - 1
    left = match.resolve(resolved, 31, None, gazetteer).rows.set_index("row").loc[31]
    assert left["match_status"] == "not_found" and pd.isna(left["boundary_code"])
    assert synthetic_result.rows.set_index("row").at[31, "match_status"] == "ambiguous"  # the original is untouched
    with pytest.raises(ValueError):
        match.resolve(synthetic_result, 31, "999999", gazetteer)
    with pytest.raises(KeyError):
        match.resolve(synthetic_result, 999, "620102", gazetteer)


def test_year_tells_a_renamed_district_apart(gazetteer):
    # 邢台 桥西区 (130503) was renamed 信都区 in 2020: in 2013 three 桥西区 existed in Hebei
    frame = pd.DataFrame({"省": ["河北省", "河北省"], "县": ["桥西区", "信都区"], "年": ["2013", "2021"]})
    result = match.match_table(frame, match.guess_roles(frame), gazetteer)
    assert result.rows.loc[0, "match_status"] == "ambiguous"
    assert sorted(result.rows.loc[0, "candidates"]) == ["130104", "130503", "130703"]
    assert result.rows.loc[1, "boundary_code"] == "130503"


def test_pasted_announcement_list_matches(gazetteer):
    pasted = read_pasted("四川省：平武县、北川县、康定市等3个县(市、区)\n青海省\n冷湖行委，茫崖行委").frame
    result = match.match_table(pasted, match.ColumnRoles(name="name", province="province"), gazetteer)
    assert list(result.rows["boundary_code"]) == ["510727", "510726", "513301", "632803", "632803"]
    assert result.summary()["match_rate"] == 1.0


def test_context_written_into_the_name_and_codes_in_the_name_column(gazetteer):
    frame = pd.DataFrame({"县": ["绵阳市平武县", "甘孜州康定县", "广西三江县", "510727", "平 武 县"]})
    result = match.match_table(frame, match.ColumnRoles(name="县"), gazetteer)
    assert list(result.rows["boundary_code"]) == ["510727", "513301", "450226", "510727", "510727"]
    assert list(result.rows["match_status"]) == ["matched", "renamed", "matched", "matched", "matched"]


def test_guess_roles_from_chinese_headers():
    frame = pd.DataFrame(
        {
            "序号": ["1"],
            "行政区划代码": ["510727"],
            "县(市、区)": ["平武县"],
            "所属省份": ["四川省"],
            "市州": ["绵阳市"],
            "年份": ["2015"],
            "贫困发生率(%)": ["3.1"],
            "片区": ["秦巴山区"],
        }
    )
    assert match.guess_roles(frame) == match.ColumnRoles(
        code="行政区划代码",
        name="县(市、区)",
        province="所属省份",
        prefecture="市州",
        year="年份",
        values=("贫困发生率(%)", "片区"),
    )


def test_guess_roles_from_content():
    frame = pd.DataFrame(
        {"a": ["510727", "450226.0"], "b": ["平武县", "三江县"], "c": ["2013", "2014"], "d": ["1", "2"]}
    )
    assert match.guess_roles(frame) == match.ColumnRoles(code="a", name="b", year="c", values=("d",))


def test_codes_normalised():
    assert match.normalise_code("130631.0") == "130631"
    assert match.normalise_code(" １３０６３１ ") == "130631"
    assert match.normalise_code("130631000000") == "130631"
    assert match.normalise_code("13063") == "" and match.normalise_code("abc") == ""


def test_missing_role_columns_are_refused(gazetteer):
    frame = pd.DataFrame({"x": ["1"]})
    with pytest.raises(ValueError):
        match.match_table(frame, match.ColumnRoles(), gazetteer)
    with pytest.raises(KeyError):
        match.match_table(frame, match.ColumnRoles(name="县名"), gazetteer)


def test_the_poverty_build_uses_the_same_resolution(gazetteer):
    assert build_poverty.resolve_boundary is match.resolve_boundary
    assert poverty_members.resolve_designated is match.resolve_designated
    history = gazetteer.history
    assert match.resolve_designated(history, "四川省", "", "康定市")[0] == "513321"
    assert match.resolve_designated(history, "广西壮族自治区", "", "三江县")[0] == "450226"
    assert match.resolve_boundary(history, gazetteer.boundaries, "513321")[:2] == ("513301", "renamed")
    assert match.resolve_boundary(history, gazetteer.boundaries, "130603")[:2] == ("130606", "merged")


def test_gazetteer_reads_only_its_root(tmp_path):
    """Everything comes from one geodata folder (never ../shared): a copy of the three inputs suffices."""
    (tmp_path / "raw").mkdir()
    shutil.copy(GEODATA / "counties.parquet", tmp_path / "counties.parquet")
    for name in ("admin_codes_result.csv", match.NO_CODE_UNITS_FILE):
        shutil.copy(GEODATA / "raw" / name, tmp_path / "raw" / name)
    gazetteer = match.load_gazetteer(tmp_path)
    assert len(gazetteer.boundaries) == 2875
    assert gazetteer.match_one("513321", "", "", frozenset(), None).code == "513301"


# ----------------------------------------------------------------------------- the command
@pytest.fixture
def synthetic_input_gbk(tmp_path) -> Path:
    """A GBK-encoded export with a title line, a total row, a formula and HTML in cells."""
    text = (
        "synthetic 2014年 贫困县名单\n"
        "省份,县名,代码,synthetic_人口\n"
        '四川省,康定县,513321,"1,200"\n'
        "广西壮族自治区,三江县,,=1+1\n"
        ",城关区,,<b>3</b>\n"
        "青海省,冷湖行委,,4\n"
        "四川省,平五县,,5\n"
        "合计,,,10\n"
    )
    path = tmp_path / "synthetic_input.csv"
    path.write_bytes(text.encode("gbk"))
    return path


def test_command_writes_csv_with_every_row(synthetic_input_gbk, tmp_path):
    out = tmp_path / "synthetic_out.csv"
    proc = subprocess.run(
        [sys.executable, "-m", "loaders.match", str(synthetic_input_gbk), "--out", str(out)],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "5 rows: matched 1, renamed 1, merged 1, ambiguous 1, not_found 1; match rate 60.0%" in proc.stdout
    assert "540102 城关区 (西藏自治区 拉萨市); 620102 城关区 (甘肃省 兰州市)" in proc.stdout
    assert "510727 平武县" in proc.stdout
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(table["县名"]) == ["康定县", "三江县", "城关区", "冷湖行委", "平五县"]
    assert list(table["boundary_code"]) == ["513301", "450226", "", "632803", ""]
    assert list(table["match_status"]) == ["renamed", "matched", "ambiguous", "merged", "not_found"]
    assert table.loc[1, "synthetic_人口"] == "'=1+1"  # formula neutralised
    assert table.loc[2, "synthetic_人口"] == "<b>3</b>"  # kept as text; markup is the viewer's concern
    assert table.loc[2, "candidates"] == "540102; 620102"


def test_command_writes_geojson_with_null_geometry_for_unmatched(synthetic_input_gbk, tmp_path, capsys):
    out = tmp_path / "synthetic_out.geojson"
    assert (
        match.main([str(synthetic_input_gbk), "--name-col", "县名", "--province-col", "省份", "--out", str(out)]) == 0
    )
    assert "match rate 60.0%" in capsys.readouterr().out
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert len(features) == 5
    by_name = {f["properties"]["县名"]: f for f in features}
    assert by_name["康定县"]["properties"]["boundary_code"] == "513301"
    assert by_name["康定县"]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert by_name["平五县"]["geometry"] is None and by_name["城关区"]["geometry"] is None
    assert by_name["平五县"]["properties"]["match_status"] == "not_found"


def test_geopackage_output_keeps_every_row(gazetteer, tmp_path):
    import pyogrio

    frame = pd.DataFrame({"县": ["康定县", "synthetic_无此县"], "geometry": ["input text", "kept"]})
    result = match.match_table(frame, match.ColumnRoles(name="县"), gazetteer)
    out = tmp_path / "synthetic.gpkg"
    match.write_result(result, out)
    back = pyogrio.read_dataframe(out, layer="DataFrame_joined")  # the page's shape: input_row, input_geometry
    assert list(back["boundary_code"].fillna("")) == ["513301", ""] and list(back["input_row"]) == [1, 2]
    assert list(back["input_geometry"]) == ["input text", "kept"]
    assert back.geometry.iloc[0] is not None and back.geometry.iloc[1] is None


def test_command_refuses_unknown_column_and_bad_file(synthetic_input_gbk, tmp_path, capsys):
    assert match.main([str(synthetic_input_gbk), "--name-col", "nope", "--out", str(tmp_path / "o.csv")]) == 2
    assert "no column 'nope'" in capsys.readouterr().err
    empty = tmp_path / "synthetic_empty.csv"
    empty.write_bytes(b"")
    assert match.main([str(empty), "--out", str(tmp_path / "o.csv")]) == 2
    assert "empty" in capsys.readouterr().err
    assert not (tmp_path / "o.csv").exists()


def test_match_file_for_notebooks(synthetic_input_gbk):
    result = match.match_file(synthetic_input_gbk, name_col="县名", province_col="省份", code_col="代码")
    assert result.roles.values == ("synthetic_人口",)
    assert result.summary()["total"] == 5
    assert list(result.rows["boundary_code"].fillna("")) == ["513301", "450226", "", "632803", ""]
    frame = pd.DataFrame({"county": ["康定县", "三江县"], "province": ["四川", "广西"]})
    assert list(match.match_file(frame).rows["boundary_code"]) == ["513301", "450226"]


# ----------------------------------------------------------------------------- issue 16
def _one(gazetteer, **cells) -> pd.Series:
    frame = pd.DataFrame({k: [v] for k, v in cells.items()})
    roles = match.ColumnRoles(**{k: k for k in cells})
    return match.match_table(frame, roles, gazetteer).rows.iloc[0]


def test_dropped_duplicates_keep_their_input_row_numbers(gazetteer):
    table = pd.DataFrame({"县": ["平武县", "平武县", "北川县"], "省": ["四川", "四川", "四川"]}, dtype="string")
    result = match.match_table(drop_duplicate_rows(table), match.ColumnRoles(name="县", province="省"), gazetteer)
    assert result.rows["row"].tolist() == [1, 3]
    assert result.rows["boundary_code"].tolist() == ["510727", "510726"]


# codes issued from 2021 on (the boundary layer still draws most of them under the old code)
NEW_UNITS = [
    ("610981", "旬阳市", "陕西", "610928"),
    ("540481", "米林市", "西藏", "540422"),
    ("540581", "错那市", "西藏", "540530"),
    ("431181", "祁阳市", "湖南", "431121"),
    ("450181", "横州市", "广西", "450127"),
    ("513402", "会理市", "四川", "513425"),
    ("532302", "禄丰市", "云南", "532331"),
    ("610305", "凤翔区", "陕西", "610322"),
    ("654203", "沙湾市", "新疆", "654223"),
]


@pytest.mark.parametrize("code, name, province, polygon", NEW_UNITS, ids=[u[1] for u in NEW_UNITS])
@pytest.mark.parametrize("year", ["2022", "2024", None])
def test_codes_issued_from_2021_are_matched_with_a_year(gazetteer, code, name, province, polygon, year):
    cells = {"year": year} if year else {}
    by_code = _one(gazetteer, code=code, **cells)
    by_name = _one(gazetteer, name=name, province=province, **cells)
    for row in (by_code, by_name):
        assert row["match_status"] in ("matched", "renamed"), row["match_method"]
        assert row["boundary_code"] == polygon


def test_a_renamed_county_under_old_and_new_code_is_no_merger(gazetteer):
    # a panel: 旬阳县 610928 until 2020, 旬阳市 610981 since; 昌都县 542121 → 卡若区 540302
    frame = pd.DataFrame(
        {
            "code": ["610928", "610928", "610981", "610981", "542121", "540302", "140402", "140411"],
            "year": ["2019", "2020", "2021", "2022", "2013", "2016", "2013", "2013"],
        }
    )
    result = match.match_table(frame, match.ColumnRoles(code="code", year="year"), gazetteer)
    assert result.rows["boundary_code"].tolist()[:6] == ["610928"] * 4 + ["540302"] * 2
    assert result.merged_groups() == {"140403": [7, 8]}  # 长治 城区 + 郊区 → 潞州区: a merger


def test_jianggan_was_split_not_renamed(gazetteer):
    for cells in ({"code": "330104"}, {"code": "330104", "year": "2019"}, {"name": "江干区", "province": "浙江"}):
        row = _one(gazetteer, **cells)
        assert row["match_status"] == "ambiguous", row["match_method"]
        assert row["candidates"][0] == "330102" and "330114" in row["candidates"]  # 上城区 (the seat's) first
    assert _one(gazetteer, code="511521", year="2015")["boundary_code"] == "511504"  # 宜宾县 → 叙州区 stays


def test_sansha_districts_land_on_their_own_polygons(gazetteer):
    # the boundary layer draws 西沙区 as 460301 and 南沙区 as 460302; the code history has 460302 / 460303
    assert gazetteer.name_zh("460301") == "西沙区" and gazetteer.name_zh("460302") == "南沙区"
    for cells in ({"code": "460302"}, {"code": "460302", "year": "2022"}, {"name": "西沙区", "year": "2022"}):
        assert _one(gazetteer, **cells)["boundary_code"] == "460301", cells
    for cells in ({"code": "460303"}, {"name": "南沙区", "province": "海南", "year": "2022"}):
        assert _one(gazetteer, **cells)["boundary_code"] == "460302", cells


@pytest.mark.parametrize(
    "name, expected",
    [("矿区", ["140303", "140214"]), ("郊区", ["140311", "140403", "140525"])],
)
def test_shanxi_kuangqu_and_jiaoqu_without_a_year_are_ambiguous(gazetteer, name, expected):
    row = _one(gazetteer, name=name, province="山西")
    assert row["match_status"] == "ambiguous"
    assert row["candidates"] == expected  # today's 阳泉 unit first, then 大同 / 长治 (晋城)'s successors
    assert _one(gazetteer, name=name, province="山西", year="2020")["boundary_code"] == expected[0]


@pytest.mark.parametrize("province", ["江苏", "江苏省", "32"])
@pytest.mark.parametrize("year", [None, "2010", "2018", "2023"])
def test_a_province_given_is_never_left(gazetteer, province, year):
    row = _one(gazetteer, name="清河区", province=province, **({"year": year} if year else {}))
    assert not str(row["boundary_code"] or "").startswith("21"), row["match_method"]
    assert all(c.startswith("32") for c in row["candidates"])


def test_a_prefecture_given_keeps_its_province(gazetteer):
    for year in ("2018", "2023"):
        row = _one(gazetteer, name="清河区", prefecture="淮安市", year=year)
        assert not str(row["boundary_code"] or "").startswith("21"), row["match_method"]


@pytest.mark.parametrize(
    "name, province, code",
    [("东乡县", "甘肃", "622926"), ("科右前旗", "内蒙古", "152221"), ("科左后旗", "内蒙古", "150522")],
)
def test_abbreviations_unique_in_the_province_are_matched(gazetteer, name, province, code):
    row = _one(gazetteer, name=name, province=province)
    assert (row["match_status"], row["boundary_code"]) == ("matched", code), row["match_method"]


# issue 27: a banner's usual short name, unique in the country, is found without a province heading
@pytest.mark.parametrize(
    "name, code",
    [
        ("科右前旗", "152221"),
        ("科右中旗", "152222"),
        ("科左中旗", "150521"),
        ("科左后旗", "150522"),
        ("察右前旗", "150926"),
        ("察右中旗", "150927"),
        ("察右后旗", "150928"),
        ("阿左旗", "152921"),
        ("莫旗", "150722"),
    ],
)
def test_banner_abbreviations_are_found_without_a_province(gazetteer, name, code):
    row = _one(gazetteer, name=name)
    assert (row["match_status"], row["boundary_code"]) == ("matched", code), row["match_method"]
    assert row["match_method"].startswith("abbreviation of ")


def test_banner_abbreviations_are_derived_from_the_full_names():
    from loaders.match.names import banner_abbreviation

    assert banner_abbreviation("科尔沁右翼前旗") == "科右前旗"
    assert banner_abbreviation("东乌珠穆沁旗") == "东乌旗"
    assert banner_abbreviation("平武县") is None and banner_abbreviation("达尔罕茂明安联合旗") is None


def test_a_short_name_fitting_counties_in_several_provinces_is_ambiguous(gazetteer):
    row = _one(gazetteer, name="东乡县")  # 甘肃 东乡族自治县 and 江西 东乡区 (东乡县 until 2015)
    assert row["match_status"] == "ambiguous" and set(row["candidates"]) == {"622926", "361003"}
    assert _one(gazetteer, name="东乡县", province="江西")["boundary_code"] == "361003"


def test_a_reused_code_adds_no_candidate_of_another_name(gazetteer):
    row = _one(gazetteer, name="武隆县")  # 511423 was 武隆县's in 1995–1997, 洪雅县's since 2000
    assert (row["match_status"], row["boundary_code"]) == ("renamed", "500156"), row["match_method"]
    assert "511423" not in row["candidates"]
    assert _one(gazetteer, code="511423", year="1996")["boundary_code"] == "500156"


def test_level_and_exit_year_columns_are_not_guessed_as_roles():
    frame = pd.DataFrame(
        {
            "省份": ["四川省"] * 3,
            "县名": ["平武县", "北川县", "康定市"],
            "地区等级": ["国家级", "国家级", "省级"],
            "摘帽时间": ["2019", "2019", "2020"],
        }
    )
    roles = match.guess_roles(frame)
    assert (roles.prefecture, roles.year) == (None, None)
    assert set(roles.values) == {"地区等级", "摘帽时间"}


def test_command_drops_a_guessed_column(tmp_path, capsys):
    table = tmp_path / "synthetic_levels.csv"
    table.write_text("省份,城市,县名,值\n四川省,synthetic_错,平武县,-5.2\n四川省,synthetic_错,北川县,3\n", "utf-8")
    out = tmp_path / "o.geojson"
    assert match.main([str(table), "--prefecture-col", "", "--out", str(out)]) == 0
    assert "prefecture=None" in capsys.readouterr().out
    collection = json.loads(out.read_text("utf-8"))
    assert rfc7946_errors(collection) == []  # counter-clockwise rings, no crs member
    props = [f["properties"] for f in collection["features"]]
    assert [p["boundary_code"] for p in props] == ["510727", "510726"]
    assert [p["值"] for p in props] == [-5.2, 3.0]  # numbers stay numbers


# ----------------------------------------------------------------------------- a published block, as pasted
def published_block(year: str = "2019", wrap: int = 25) -> tuple[str, int]:
    """The exit batch of `year` from the bundled list, as a published table block copies: a header,
    one line per province (name spaced as printed, "河  北"), a count, names joined by 、; cells
    tab- or space-separated, long lists wrapped onto the next line. Returns (text, counties)."""
    counties = pd.read_csv(GEODATA / "poverty_counties.csv", dtype=str, keep_default_na=False)
    batch = counties[counties["exit_year"] == year]
    lines = ["省  份\t数量\t脱贫摘帽县名单"]
    for i, ((_, province), group) in enumerate(batch.groupby(["province_code", "province_zh"], sort=True)):
        short = re.sub(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)$", "", province)
        cell = "  ".join(short) if len(short) == 2 else short
        names = list(group["name_zh"])
        gap = "\t" if i % 2 else "   "
        lines.append(f"{cell}{gap}{len(names)}{gap}{'、'.join(names[:wrap])}")
        for k in range(wrap, len(names), wrap):  # a long list wraps onto lines of its own
            lines.append("、".join(names[k : k + wrap]))
    return "\n".join(lines), len(batch)


def test_a_published_block_pasted_as_copied(gazetteer):
    text, expected = published_block()
    assert "河  北" in text and "\t" in text and expected > 300
    read = read_pasted(text)
    assert len(read.frame) == expected
    assert not [n for n in read.notices if n.code == "count_differs"]  # every count agrees with the names read
    result = match.match_table(read.frame, match.ColumnRoles(name="name", province="province"), gazetteer)
    assert result.summary()["match_rate"] >= 0.99
    listed = pd.read_csv(GEODATA / "poverty_counties.csv", dtype=str)
    assert set(result.rows["boundary_code"].dropna()) <= set(listed["code"])


def test_a_heading_that_carries_over_is_reported(gazetteer):
    text = "河  北\t3\t阜平县、涞源县、望都县\n\t2\t五寨县、岢岚县\n四  川\t1\t平武县"  # 山西's cell lost in the copy
    read = read_pasted(text)
    assert read.frame["province"].tolist() == ["河北"] * 5 + ["四川"]
    assert Notice.of("no_province_cell", n=1, rows=(2,), province="河北", line=1) in read.notices
    assert Notice.of("count_differs", province="河北", line=1, count=3, names=5) in read.notices
    assert not any(n.fields.get("province") == "四川" for n in read.notices)


def test_a_name_of_another_province_is_offered_not_taken(gazetteer):
    # a pasted heading 河北 carried over to 山西's 五寨县: not matched in 河北, 山西's county offered
    row = _one(gazetteer, name="五寨县", province="河北")
    assert row["match_status"] == "not_found"
    assert row["suggestions"][0] == "140928" and "another province" in row["match_method"]


def test_provinces_in_english_are_kept_and_unknown_ones_said(gazetteer):
    for province in ("Jiangsu", "jiangsu province", "Inner Mongolia"):
        assert gazetteer.province_prefix(province) in ("32", "15"), province
    row = _one(gazetteer, name="清河区", province="Jiangsu", year="2018")
    assert row["boundary_code"] == "320812", row["match_method"]  # never 铁岭's 清河区
    row = _one(gazetteer, name="平武县", province="synthetic_省")
    assert "province 'synthetic_省' not recognised" in row["match_method"]


# issue 27: totals rows and a 地区 header holding county names
def test_totals_rows_are_found_by_code_and_name(gazetteer):
    frame = pd.DataFrame(
        {
            "代码": ["100000", "510000", "510700", "510727", None, None, "510726", "510722"],
            "地区": ["全国", "四川省", "绵阳市", "平武县", "总计", "四川", "北川羌族自治县", "三台县"],
        }
    )
    roles = match.guess_roles(frame)
    assert (roles.name, roles.prefecture) == ("地区", None)
    assert match.total_rows(frame, roles, gazetteer) == [0, 1, 2, 4, 5]


def test_the_command_sets_totals_aside(tmp_path, capsys):
    source = tmp_path / "synthetic_totals.csv"
    source.write_text("代码,地区,synthetic_人口\n100000,全国,40\n510727,平武县,17\n510726,北川羌族自治县,23\n")
    result = match.match_file(source)
    assert result.set_aside == (1,) and result.rows["row"].tolist() == [2, 3]
    assert match.main([str(source), "--out", str(tmp_path / "o.geojson")]) == 0
    assert "set aside as totals" in capsys.readouterr().out
