"""Names to polygons: the context given beside the name or written into it, a province given never left,
abbreviations, names that fit several units."""

from __future__ import annotations

import pandas as pd
import pytest
from matching import one_row

from loaders import match


def test_context_written_into_the_name_and_codes_in_the_name_column(gazetteer):
    frame = pd.DataFrame({"县": ["绵阳市平武县", "甘孜州康定县", "广西三江县", "510727", "平 武 县"]})
    result = match.match_table(frame, match.ColumnRoles(name="县"), gazetteer)
    assert list(result.rows["boundary_code"]) == ["510727", "513301", "450226", "510727", "510727"]
    assert list(result.rows["match_status"]) == ["matched", "renamed", "matched", "matched", "matched"]


@pytest.mark.parametrize(
    "name, expected",
    [("矿区", ["140303", "140214"]), ("郊区", ["140311", "140403", "140525"])],
)
def test_shanxi_kuangqu_and_jiaoqu_without_a_year_are_ambiguous(gazetteer, name, expected):
    row = one_row(gazetteer, name=name, province="山西")
    assert row["match_status"] == "ambiguous"
    assert row["candidates"] == expected  # today's 阳泉 unit first, then 大同 / 长治 (晋城)'s successors
    assert one_row(gazetteer, name=name, province="山西", year="2020")["boundary_code"] == expected[0]


@pytest.mark.parametrize("province", ["江苏", "江苏省", "32"])
@pytest.mark.parametrize("year", [None, "2010", "2018", "2023"])
def test_a_province_given_is_never_left(gazetteer, province, year):
    row = one_row(gazetteer, name="清河区", province=province, **({"year": year} if year else {}))
    assert not str(row["boundary_code"] or "").startswith("21"), row["match_method"]
    assert all(c.startswith("32") for c in row["candidates"])


def test_a_prefecture_given_keeps_its_province(gazetteer):
    for year in ("2018", "2023"):
        row = one_row(gazetteer, name="清河区", prefecture="淮安市", year=year)
        assert not str(row["boundary_code"] or "").startswith("21"), row["match_method"]


@pytest.mark.parametrize(
    "name, province, code",
    [("东乡县", "甘肃", "622926"), ("科右前旗", "内蒙古", "152221"), ("科左后旗", "内蒙古", "150522")],
)
def test_abbreviations_unique_in_the_province_are_matched(gazetteer, name, province, code):
    row = one_row(gazetteer, name=name, province=province)
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
        ("达茂旗", "150223"),  # 达尔罕茂明安联合旗: two banners' names joined (loaders.match.names.JOINED_BANNERS)
        ("达茂联合旗", "150223"),
    ],
)
def test_banner_abbreviations_are_found_without_a_province(gazetteer, name, code):
    row = one_row(gazetteer, name=name)
    assert (row["match_status"], row["boundary_code"]) == ("matched", code), row["match_method"]
    assert row["match_method"].startswith("abbreviation of ")


def test_banner_abbreviations_are_derived_from_the_full_names():
    from loaders.match.names import JOINED_BANNERS, banner_abbreviations

    assert banner_abbreviations("科尔沁右翼前旗") == ("科右前旗",)
    assert banner_abbreviations("东乌珠穆沁旗") == ("东乌旗",)
    assert banner_abbreviations("达尔罕茂明安联合旗") == ("达茂旗", "达茂联合旗")
    assert banner_abbreviations("平武县") == () and banner_abbreviations("synthetic_甲乙联合旗") == ()
    # each joined banner's parts spell its name, and it is a banner of the county layer
    assert all("".join(parts) + "联合旗" == name for name, parts in JOINED_BANNERS.items())


def test_the_joined_banners_are_every_lianheqi_of_the_code_history(gazetteer):
    from loaders.match.names import JOINED_BANNERS

    joined = {r.name for r in gazetteer.history.records if r.name.endswith("联合旗")}
    assert joined == set(JOINED_BANNERS) and all(gazetteer.by_name.get(n) for n in joined)


def test_a_short_name_fitting_counties_in_several_provinces_is_ambiguous(gazetteer):
    row = one_row(gazetteer, name="东乡县")  # 甘肃 东乡族自治县 and 江西 东乡区 (东乡县 until 2015)
    assert row["match_status"] == "ambiguous" and set(row["candidates"]) == {"622926", "361003"}
    assert one_row(gazetteer, name="东乡县", province="江西")["boundary_code"] == "361003"


def test_a_name_of_another_province_is_offered_not_taken(gazetteer):
    # a pasted heading 河北 carried over to 山西's 五寨县: not matched in 河北, 山西's county offered
    row = one_row(gazetteer, name="五寨县", province="河北")
    assert row["match_status"] == "not_found"
    assert row["suggestions"][0] == "140928" and "another province" in row["match_method"]


def test_provinces_in_english_are_kept_and_unknown_ones_said(gazetteer):
    for province in ("Jiangsu", "jiangsu province", "Inner Mongolia"):
        assert gazetteer.province_prefix(province) in ("32", "15"), province
    row = one_row(gazetteer, name="清河区", province="Jiangsu", year="2018")
    assert row["boundary_code"] == "320812", row["match_method"]  # never 铁岭's 清河区
    row = one_row(gazetteer, name="平武县", province="synthetic_省")
    assert "province 'synthetic_省' not recognised" in row["match_method"]


def test_a_banner_short_name_is_a_banners_and_a_shared_one_is_ambiguous(gazetteer):
    row = one_row(gazetteer, name="达旗")  # 达拉特旗; not 达县 (today's 达川区) by its core 达
    assert (row["match_status"], row["boundary_code"]) == ("matched", "150621"), row["match_method"]
    for name, codes in (
        ("扎旗", {"150526", "152223"}),  # 扎鲁特旗, 扎赉特旗
        ("阿旗", {"150421", "150721", "152522"}),  # 阿鲁科尔沁旗, 阿荣旗, 阿巴嘎旗
        ("鄂旗", {"150624", "150723", "150724"}),  # 鄂托克旗, 鄂伦春自治旗, 鄂温克族自治旗
    ):
        row = one_row(gazetteer, name=name)
        assert row["match_status"] == "ambiguous" and set(row["candidates"]) == codes, name
