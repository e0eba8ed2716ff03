from __future__ import annotations

import pandas as pd

from atlas.filters import CountyFilter, apply, describe, search, slug


def test_empty_filter_selects_everything(synthetic_poverty: pd.DataFrame) -> None:
    assert len(apply(synthetic_poverty, CountyFilter())) == len(synthetic_poverty)
    assert CountyFilter().is_empty


def test_each_filter_narrows_as_documented(synthetic_poverty: pd.DataFrame) -> None:
    df = synthetic_poverty
    assert set(apply(df, CountyFilter(provinces=("620000",)))["code"]) == {"620101", "620102"}
    assert set(apply(df, CountyFilter(prefectures=("513300",)))["code"]) == {"513301"}
    assert set(apply(df, CountyFilter(areas=("wumeng",)))["code"]) == {"513401", "513402"}
    assert set(apply(df, CountyFilter(sanqu_only=True))["code"]) == {"513401", "513402", "513301"}
    # Unknown flags count as false: 620101's key flag is unknown.
    assert set(apply(df, CountyFilter(key_only=True))["code"]) == {"513401", "513301", "620102"}
    assert set(apply(df, CountyFilter(deep_only=True))["code"]) == {"513401"}


def test_narrowed_exit_range_leaves_out_unknown_years(synthetic_poverty: pd.DataFrame) -> None:
    chosen = apply(synthetic_poverty, CountyFilter(exit_from=2019, exit_to=2020))
    assert set(chosen["code"]) == {"513401", "513402"}
    # The full range keeps the county whose exit year is unknown.
    assert "620102" in set(apply(synthetic_poverty, CountyFilter())["code"])


def test_filters_combine_with_and(synthetic_poverty: pd.DataFrame) -> None:
    chosen = apply(synthetic_poverty, CountyFilter(provinces=("510000",), exit_from=2020, exit_to=2020, key_only=True))
    assert list(chosen["code"]) == ["513401"]


def test_slug_is_file_name_safe_and_states_the_filter() -> None:
    assert slug(CountyFilter()) == "all"
    name = slug(CountyFilter(prefectures=("513400",), exit_from=2019, exit_to=2020, sanqu_only=True))
    assert name == "pref-513400_sqsz_exit-2019-2020"
    long = slug(CountyFilter(provinces=tuple(f"{i:02d}0000" for i in range(11, 40))))
    assert len(long) <= 80 and all(ch.isalnum() or ch in "-_" for ch in long)


def test_describe_uses_display_names() -> None:
    parts = describe(CountyFilter(provinces=("510000",), areas=("wumeng",)), {"510000": "四川省", "wumeng": "乌蒙山区"})
    assert parts == ["province: 四川省", "area: 乌蒙山区"]


def test_search_matches_chinese_and_pinyin(synthetic_poverty: pd.DataFrame) -> None:
    assert list(search(synthetic_poverty, "丙")["code"]) == ["513301"]
    assert list(search(synthetic_poverty, "bing shi")["code"]) == ["513301"]
    assert list(search(synthetic_poverty, "BINGSHI")["code"]) == ["513301"]
    assert search(synthetic_poverty, "  ").empty
    assert search(synthetic_poverty, ".*").empty  # not a regular expression
    renamed = synthetic_poverty.assign(boundary_name_zh=["", "", "丙新市", "", ""])
    assert list(search(renamed, "丙新")["code"]) == ["513301"]


def test_display_name_puts_todays_name_first() -> None:
    from atlas.facts import display_name

    row = {
        "name_zh": "康定县",
        "name_en": "Kangding Xian",
        "boundary_name_zh": "康定市",
        "boundary_name_en": "Kangding Shi",
    }
    assert display_name(row, "zh") == "康定市（原康定县）"
    assert display_name(row, "en") == "Kangding Shi (formerly Kangding Xian; 康定市)"
    assert (
        display_name({"name_zh": "甲县", "name_en": "Jia Xian", "boundary_name_zh": "甲县"}, "en") == "Jia Xian (甲县)"
    )


def test_search_takes_names_as_people_type_them() -> None:
    counties = pd.DataFrame(
        {
            "code": ["653221", "653201", "532531", "513301"],
            "name_zh": ["和田县", "和田市", "绿春县", "康定市"],
            "name_en": ["Hetian County", "Hetian City", "Lüchun County", "Kangding City"],
        }
    )
    assert search(counties, "Hetian County")["code"].tolist() == ["653221"]  # one match: taken at once
    assert search(counties, "hetian")["code"].tolist() == ["653221", "653201"]
    assert search(counties, "lvchun")["code"].tolist() == ["532531"]
    assert search(counties, "Luchun")["code"].tolist() == ["532531"]
    assert search(counties, "kang ding xian")["code"].tolist() == ["513301"]
    assert search(counties, "Kangding-Shi")["code"].tolist() == ["513301"]
    assert search(counties, " ").empty
