"""Codes of any vintage followed through the code history (geodata/raw/admin_codes_result.csv) to the exact
boundary codes of geodata/counties.parquet: renames, mergers, splits, reused codes, codes newer than the layer."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from matching import one_row

from loaders import match
from loaders.schema import GEODATA
from pipeline import poverty as build_poverty, poverty_members


def test_year_tells_a_renamed_district_apart(gazetteer):
    # 邢台 桥西区 (130503) was renamed 信都区 in 2020: in 2013 three 桥西区 existed in Hebei
    frame = pd.DataFrame({"省": ["河北省", "河北省"], "县": ["桥西区", "信都区"], "年": ["2013", "2021"]})
    result = match.match_table(frame, match.guess_roles(frame), gazetteer)
    assert result.rows.loc[0, "match_status"] == "ambiguous"
    assert sorted(result.rows.loc[0, "candidates"]) == ["130104", "130503", "130703"]
    assert result.rows.loc[1, "boundary_code"] == "130503"


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
    by_code = one_row(gazetteer, code=code, **cells)
    by_name = one_row(gazetteer, name=name, province=province, **cells)
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
        row = one_row(gazetteer, **cells)
        assert row["match_status"] == "ambiguous", row["match_method"]
        assert row["candidates"][0] == "330102" and "330114" in row["candidates"]  # 上城区 (the seat's) first
    assert one_row(gazetteer, code="511521", year="2015")["boundary_code"] == "511504"  # 宜宾县 → 叙州区 stays


def test_sansha_districts_land_on_their_own_polygons(gazetteer):
    # the boundary layer draws 西沙区 as 460301 and 南沙区 as 460302; the code history has 460302 / 460303
    assert gazetteer.name_zh("460301") == "西沙区" and gazetteer.name_zh("460302") == "南沙区"
    for cells in ({"code": "460302"}, {"code": "460302", "year": "2022"}, {"name": "西沙区", "year": "2022"}):
        assert one_row(gazetteer, **cells)["boundary_code"] == "460301", cells
    for cells in ({"code": "460303"}, {"name": "南沙区", "province": "海南", "year": "2022"}):
        assert one_row(gazetteer, **cells)["boundary_code"] == "460302", cells


def test_a_reused_code_adds_no_candidate_of_another_name(gazetteer):
    row = one_row(gazetteer, name="武隆县")  # 511423 was 武隆县's in 1995–1997, 洪雅县's since 2000
    assert (row["match_status"], row["boundary_code"]) == ("renamed", "500156"), row["match_method"]
    assert "511423" not in row["candidates"]
    assert one_row(gazetteer, code="511423", year="1996")["boundary_code"] == "500156"
