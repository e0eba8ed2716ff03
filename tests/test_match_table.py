"""The matcher on a whole table: cases written from the code history (geodata/raw/admin_codes_result.csv) with the
exact boundary codes of geodata/counties.parquet; every row and column kept, the summary, repeated and totals rows.

tests/fixtures/synthetic_match_cases.csv: each row a case, its expected status and code (for an
ambiguous row, the candidates). The names and codes are real; the values are synthetic."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from loaders import match
from loaders.tabular.rows import drop_duplicate_rows

CASES_FILE = Path(__file__).parent / "fixtures" / "synthetic_match_cases.csv"


CASES = pd.read_csv(CASES_FILE, dtype=str, keep_default_na=False)


EXPECTED_COLUMNS = ("case", "expected_status", "expected_code")


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


def test_dropped_duplicates_keep_their_input_row_numbers(gazetteer):
    table = pd.DataFrame({"县": ["平武县", "平武县", "北川县"], "省": ["四川", "四川", "四川"]}, dtype="string")
    result = match.match_table(drop_duplicate_rows(table), match.ColumnRoles(name="县", province="省"), gazetteer)
    assert result.rows["row"].tolist() == [1, 3]
    assert result.rows["boundary_code"].tolist() == ["510727", "510726"]


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


# issue 27: a prefecture's subtotal row without a code; a county of a prefecture's name is no subtotal
def test_prefecture_subtotal_rows_without_a_code_are_set_aside(gazetteer):
    names = ["凉山州", "凉山彝族自治州合计", "阿坝州小计", "黔东南苗族侗族自治州", "和田地区", "锡林郭勒盟", "吉林市"]
    frame = pd.DataFrame({"县名": names, "synthetic_人口": ["1"] * len(names)}, dtype="string")
    assert match.total_rows(frame, match.ColumnRoles(name="县名"), gazetteer) == list(range(len(names)))


def test_a_county_named_as_a_prefecture_is_no_subtotal(gazetteer):
    # 哈密市, 铜仁市: county-level cities before they became prefecture-level (the code history);
    # 东莞市, 嘉峪关市: prefecture-level cities without counties, units of the boundary layer;
    # 和田市, 和田县 beside 和田地区; 济源市, 仙桃市 directly under their province
    names = ["哈密市", "铜仁市", "东莞市", "嘉峪关市", "和田市", "和田县", "济源市", "仙桃市", "平武县"]
    frame = pd.DataFrame({"县名": names}, dtype="string")
    roles = match.ColumnRoles(name="县名")
    assert match.total_rows(frame, roles, gazetteer) == []
    assert match.match_table(frame, roles, gazetteer).rows["match_status"].isin(match.MATCHED_STATUSES).all()
    # with a county's code, a prefecture's name is the county's (a code decides)
    coded = pd.DataFrame({"代码": ["513401"], "县名": ["凉山州"]}, dtype="string")
    assert match.total_rows(coded, match.ColumnRoles(code="代码", name="县名"), gazetteer) == []
