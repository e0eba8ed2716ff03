"""Which column of a user's table is what: roles guessed from headers and content, codes normalised, a missing
role column refused."""

from __future__ import annotations

import pandas as pd
import pytest

from loaders import match


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
