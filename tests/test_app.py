"""The app run headless with streamlit.testing: every page in presenter mode, and the main interactions.
(Every page in each language, and more views of each, is run by tests/test_i18n_pages.py.)"""

from __future__ import annotations

import pytest
from paths import APP
from place_views import assert_prefecture_view
from streamlit.testing.v1 import AppTest

PAGES = [
    "pages/overview.py",
    "pages/county_map.py",
    "pages/areas.py",
    "pages/trends.py",
    "pages/import_data.py",
    "pages/export.py",
    "pages/sources.py",
    "pages/story.py",
]
TIMEOUT = 60


def run(page: str | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def no_failures(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_in_presenter_mode(page: str) -> None:
    at = run(page, present="1")
    no_failures(at)
    # Presenter mode is on: its style is on the page, the way out is a button, the title is drawn.
    assert any("st-key-pa_map_fit" in h.proto.body for h in at.get("html")), "no presenter style"
    assert at.button(key="leave_present").label == "演示模式"
    assert at.title and at.title[0].value
    assert at.query_params["present"] == "1"


def test_language_switch_changes_the_interface() -> None:
    at = run()
    assert at.title[0].value == "中国脱贫攻坚地图集"
    at.radio(key="w_lang@overview").set_value("en").run()
    no_failures(at)
    assert at.title[0].value == "Poverty Atlas of China"
    assert at.query_params["lang"] == "en"


def test_year_change_on_county_map_updates_url() -> None:
    at = run("pages/county_map.py")
    slider = next(s for s in at.slider if s.key == "w_year@county_map")
    slider.set_value(2017).run()
    no_failures(at)
    assert at.query_params["year"] == "2017"


def test_province_filter_narrows_selection_and_is_in_url() -> None:
    at = run("pages/county_map.py", lang="en")
    province = next(m for m in at.multiselect if m.key == "w_provinces@county_map")
    province.set_value(["510000"]).run()
    no_failures(at)
    assert at.query_params["prov"] == "510000"
    counts = [m.value for m in at.markdown if "poverty counties selected" in m.value]
    assert counts and not counts[0].startswith("**832")


def test_url_state_reopens_the_same_view() -> None:
    at = run("pages/county_map.py", year="2018", layer="exit", prov="510000", lang="en")
    no_failures(at)
    assert next(s for s in at.slider if s.key == "w_year@county_map").value == 2018
    assert next(s for s in at.selectbox if s.key == "w_layer@county_map").value == "exit"
    assert next(m for m in at.multiselect if m.key == "w_provinces@county_map").value == ["510000"]


def test_malformed_url_gives_a_notice_not_a_traceback() -> None:
    at = run(None, year="<script>alert(1)</script>", prov="x" * 5000, bogus="1")
    assert not at.exception
    assert any("ignored" in w.value or "已忽略" in w.value for w in at.warning)


def test_export_page_offers_three_downloads() -> None:
    at = run("pages/export.py", prov="510000")
    no_failures(at)
    labels = [b.proto.label for b in at.get("download_button")]
    assert len(labels) == 3


def test_filters_survive_a_page_switch_so_export_matches_the_map() -> None:
    at = run("pages/county_map.py", lang="en")
    at.multiselect(key="w_provinces@county_map").set_value(["510000"]).run()
    at.switch_page("pages/export.py").run()
    no_failures(at)
    assert at.multiselect(key="w_provinces@export").value == ["510000"]
    assert any(m.value == "**66 poverty counties selected**" for m in at.markdown)
    at.switch_page("pages/county_map.py").run()
    assert at.multiselect(key="w_provinces@county_map").value == ["510000"]


def test_language_survives_a_page_switch() -> None:
    at = run()
    at.radio(key="w_lang@overview").set_value("en").run()
    at.switch_page("pages/sources.py").run()
    assert at.title[0].value == "Sources"


def test_search_by_pinyin_opens_the_county_panel_with_sources() -> None:
    at = run("pages/county_map.py", lang="en")
    at.text_input(key="county_search").set_value("kangding").run()  # one match: taken at once
    no_failures(at)
    assert any("Kangding" in h.value for h in at.header)
    facts = "\n".join(m.value for m in at.markdown)
    assert "Exit batch" in facts and "2018" in facts and "Province**: Sichuan" in facts
    assert any("Sources" in c.value for c in at.caption)
    assert at.query_params["county"] == "513301" and "view" in at.query_params


def test_search_with_several_matches_offers_them_without_a_blank_choice() -> None:
    at = run("pages/county_map.py", lang="zh")
    at.text_input(key="county_search").set_value("hetian").run()
    pick = at.selectbox(key="county_search_pick")
    assert pick.value is None and "" not in pick.options and len(pick.options) >= 2
    pick.set_value("653221").run()
    no_failures(at)
    assert any("和田县" in h.value for h in at.header)
    assert at.query_params["county"] == "653221"


def test_search_by_an_english_name_says_which_county_it_is() -> None:
    at = run("pages/county_map.py", lang="zh")
    at.text_input(key="county_search").set_value("Kashgar").run()  # one match: taken at once
    no_failures(at)
    assert any("喀什市" in h.value for h in at.header)
    assert any(c.value == "喀什市（Kashgar）" for c in at.caption)
    assert at.query_params["county"] == "653101"
    at.text_input(key="county_search").set_value("Hotan").run()  # the city and the county
    pick = at.selectbox(key="county_search_pick")
    assert "和田县（Hotan County）" in pick.options and "和田市（Hotan）" in pick.options


def test_county_from_the_url_shows_its_facts() -> None:
    at = run("pages/county_map.py", lang="zh", county="513301")
    no_failures(at)
    assert any("康定市" in h.value for h in at.header)


def test_trends_level_measure_and_year_are_view_state_and_play_steps_only_on_its_tick() -> None:
    at = run("pages/trends.py", lang="en", level="national", syear="2015", measure="poor_population_10k")
    no_failures(at)
    key = "time_incidence_poor_population_10k_national"
    assert at.select_slider(key=key).value == "2015"
    at.button(key="trends_play").click().run()
    no_failures(at)
    at.run()  # a rerun at once is not the player's tick: the year stays (it once advanced on any rerun)
    assert at.select_slider(key=key).value == "2015"
    params = at.query_params
    assert params["play"] == "1" and params["level"] == "national" and params["syear"] == "2015"
    assert params["measure"] == "poor_population_10k"


def test_trends_fund_type_and_poverty_line_are_held_by_the_link() -> None:
    at = run("pages/trends.py", lang="en", theme="funds")
    no_failures(at)
    opened = at.selectbox(key="variant_funds").value
    assert at.query_params["variant"] == opened
    box = at.selectbox(key="variant_funds")
    box.select_index((box.index + 1) % len(box.options)).run()
    other = at.selectbox(key="variant_funds").value
    assert other != opened and at.query_params["variant"] == other  # the choice goes into the link
    at = run("pages/trends.py", lang="en", theme="funds", variant=other)  # the link, opened afresh
    no_failures(at)
    assert at.selectbox(key="variant_funds").value == other
    assert at.query_params["variant"] == other
    at.radio(key="w_theme@trends").set_value("incidence").run()  # another theme: its own line
    no_failures(at)
    assert at.query_params["variant"] == at.selectbox(key="variant_incidence").value


@pytest.mark.parametrize("page", ["pages/county_map.py", "pages/trends.py"])
def test_a_presenter_link_that_names_a_year_holds_it(page: str) -> None:
    at = run(page, present="1", **({"year": "2017"} if page.endswith("county_map.py") else {"syear": "2016"}))
    no_failures(at)
    at.run()
    assert at.query_params["play"] == "0"
    assert at.button(key="play_button" if page.endswith("county_map.py") else "trends_play").label == "播放"


def test_compare_button_opens_a_second_map_and_writes_the_url() -> None:
    at = run("pages/county_map.py", year="2019")
    at.button(key="compare_button").click().run()
    no_failures(at)
    assert at.query_params["year2"] == "2015"
    at.selectbox(key="w_layer2@county_map").set_value("exit").run()
    no_failures(at)
    assert at.query_params["layer2"] == "exit"
    at.button(key="compare_button").click().run()
    no_failures(at)
    assert "year2" not in at.query_params and "layer2" not in at.query_params


def test_pause_in_presenter_mode_is_kept_in_the_url() -> None:
    at = run("pages/county_map.py", present="1", layer2="exit")
    no_failures(at)
    at.button(key="play_button").click().run()
    no_failures(at)
    assert at.query_params["play"] == "0"


def test_search_opens_prefectures_and_provinces_by_any_name_counties_first() -> None:
    at = run("pages/county_map.py", lang="en")
    at.text_input(key="county_search").set_value("Liangshan").run()  # the prefecture: taken at once
    no_failures(at)
    assert at.query_params["pref"] == "513400"
    assert_prefecture_view(at.query_params["view"], "513400")  # its own counties in sight, not all of Sichuan
    at.text_input(key="county_search").set_value("Lhasa").run()  # an other name (geodata/place_aliases.csv)
    assert at.query_params["pref"] == "540100"
    assert_prefecture_view(at.query_params["view"], "540100")  # Lhasa's counties, not all of Tibet
    at.text_input(key="county_search").set_value("西藏").run()
    assert at.query_params["prov"] == "540000"
    at.text_input(key="county_search").set_value("hetian").run()  # the counties, then the prefecture
    options = at.selectbox(key="county_search_pick").options
    assert "(prefecture)" in options[-1] and all("(prefecture)" not in o for o in options[:-1]), options


@pytest.mark.parametrize("query", ["拉萨", "拉萨市"])
def test_search_in_chinese_opens_lhasa_on_its_own_counties(query: str) -> None:
    at = run("pages/county_map.py")
    at.text_input(key="county_search").set_value(query).run()
    no_failures(at)
    assert at.query_params["pref"] == "540100"
    assert_prefecture_view(at.query_params["view"], "540100")


def test_the_area_selector_opens_an_area_and_follows_the_view() -> None:
    at = run("pages/areas.py")
    at.selectbox(key="area_unit_pick").set_value("wumeng").run()
    no_failures(at)
    assert at.query_params["unit"] == "wumeng" and at.session_state["view"].area_unit == "wumeng"
    at.selectbox(key="area_unit_pick").set_value("all").run()  # and back: a second pick is taken too
    assert at.session_state["view"].area_unit is None and "unit" not in at.query_params
