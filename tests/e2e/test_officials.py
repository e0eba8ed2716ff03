"""An official's first minutes (issue 29): a click on the national map opens the county on the first
try in software WebGL, a county outside the 832 says so, the keyboard reaches a county in a few stops."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from page_checks import CJK, LATIN_WORD, NAME_ASIDE, ZH_NAMES
from test_browser import LOAD_TIMEOUT, SHOTS, assert_clean, canvas_image, map_point, open_page, wait_idle, wait_quiet

from tests.place_views import assert_prefecture_view

pytestmark = pytest.mark.e2e

NATIONAL = (35.0, 104.0, 2.75)
SCREEN = {"width": 1440, "height": 900}
# Spread over the country, small eastern counties among them (汾西 859 km², 横峰 651 km², 吴堡 418 km²).
CLICKED = ("泸溪县", "太湖县", "渭源县", "汾西县", "团风县", "横峰县", "吴堡县", "克东县", "凤山县", "囊谦县")


@pytest.fixture
def screen(page):
    page.set_viewport_size(SCREEN)
    return page


def counties_named(names) -> list:
    from loaders.geo_io import load_layer

    counties = load_layer("counties")
    return [counties[counties["name_zh"] == n].iloc[0] for n in names]


def click_once(page, county, heading) -> None:
    """Point at the county, wait for the tooltip to name it, click once: its facts must open."""
    point = county.geometry.representative_point()
    at = map_point(page, NATIONAL, point.x, point.y)
    wait_quiet(page)
    page.mouse.move(*at)
    page.locator(".deck-tooltip", has_text=county["name_en"]).wait_for(timeout=LOAD_TIMEOUT)
    page.mouse.click(*at)
    heading.wait_for(timeout=LOAD_TIMEOUT)


def test_a_click_on_the_national_view_opens_each_county_on_the_first_try(screen, server) -> None:
    page = screen
    open_page(page, server, "county_map?lang=en&year=2017")
    canvas_image(page)
    main = page.locator('[data-testid="stMain"]')
    for county in counties_named(CLICKED):
        click_once(page, county, main.get_by_role("heading", name=county["name_en"]).first)
        assert f"county={county['code']}" in page.url, county["name_zh"]
    wait_idle(page)
    assert_clean(page)
    page.screenshot(path=SHOTS / "officials_national_clicks.png")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_overview_says_n_of_n_known_and_shows_map_and_legend_in_the_first_screen(screen, server, lang) -> None:
    from atlas.i18n import t

    page = screen
    open_page(page, server, f"?lang={lang}")
    main = page.locator('[data-testid="stMain"]')
    values = main.locator('[data-testid="stMetricValue"]').all_inner_texts()
    # The contiguous-area and key-county lists are short of their official totals (220 / 680, 155 / 592).
    known_of = t("headline_known_of", lang, n="", total="").split()[0]
    assert sum(known_of in v for v in values) >= 2, values
    assert {"zh": "此处名单不全", "en": "the lists here are incomplete"}[lang] in main.inner_text()
    labels = main.locator('[data-testid="stMetricLabel"]')
    for i in range(labels.count()):  # whole, not cut with an ellipsis
        assert labels.nth(i).evaluate("e => e.scrollWidth <= e.clientWidth + 1"), labels.nth(i).inner_text()
    canvas = main.locator('[data-testid="stDeckGlJsonChart"]').first.bounding_box()
    legend = main.locator(".pa-legend").first.bounding_box()
    assert canvas["y"] + canvas["height"] <= SCREEN["height"] and legend["y"] + legend["height"] <= SCREEN["height"]
    page.screenshot(path=SHOTS / f"officials_overview_{lang}.png")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_areas_page_names_every_area_and_the_selector_follows_a_click(screen, server, lang) -> None:
    import pandas as pd

    from atlas.areas import coverage_label
    from loaders.geo_io import load_layer

    page = screen
    open_page(page, server, f"areas?lang={lang}")
    canvas_image(page)
    main = page.locator('[data-testid="stMain"]')
    text = main.inner_text()
    areas = pd.read_csv("geodata/contiguous_areas.csv", dtype={"county_count_official": "Int64"})
    for area in areas.itertuples():
        name = area.name_zh if lang == "zh" else area.name_en
        assert f"{name}: {coverage_label(area.county_count_data, area.county_count_official, lang)}" in text, name
    outlines = load_layer("area_outlines")
    tibet = outlines[(outlines["unit_id"] == "xizang") & (outlines["kind"] == "area")].iloc[0]
    point = tibet.geometry.representative_point()
    at = map_point(page, NATIONAL, point.x, point.y)
    wait_quiet(page)
    page.mouse.move(*at)
    page.locator(".deck-tooltip", has_text=tibet["name_zh" if lang == "zh" else "name_en"]).wait_for(
        timeout=LOAD_TIMEOUT
    )
    page.mouse.click(*at)
    page.wait_for_url("**unit=xizang**", timeout=LOAD_TIMEOUT)
    wait_idle(page)
    chosen = main.locator('[data-testid="stSelectbox"] input').first.input_value()
    assert tibet["name_zh" if lang == "zh" else "name_en"] in chosen, chosen
    assert_clean(page)
    page.screenshot(path=SHOTS / f"officials_areas_{lang}.png")


def search_for(page, text: str) -> None:
    box = page.locator(".st-key-county_search input")
    box.fill(text)
    box.press("Enter")


@pytest.mark.parametrize(
    ("lang", "searches"),
    [("zh", [("凉山", "513400"), ("拉萨", "540100")]), ("en", [("Liangshan", "513400"), ("Lhasa", "540100")])],
    ids=["zh", "en"],
)
def test_search_opens_a_prefecture_view(screen, server, lang, searches) -> None:
    """One search after another on the same page, as a person looks up one place and then the next."""
    page = screen
    open_page(page, server, f"county_map?lang={lang}")
    for query, pref in searches:
        search_for(page, query)
        page.wait_for_url(f"**pref={pref}**", timeout=LOAD_TIMEOUT)
        wait_idle(page)
        view = parse_qs(urlparse(page.url).query)["view"][0]
        assert_prefecture_view(view, pref)  # the prefecture's own counties in sight, not all of Sichuan or Tibet
        assert_clean(page)
        page.screenshot(path=SHOTS / f"officials_search_{pref}_{lang}.png")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_county_is_reached_from_the_keyboard_in_a_few_tab_stops(screen, server, lang) -> None:
    from atlas.i18n import t

    page = screen
    open_page(page, server, f"county_map?lang={lang}&year=2017")
    canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    assert canvas.get_attribute("aria-label"), "the map canvas has no name"
    page.locator("body").focus()
    stops = 0
    while page.evaluate("() => document.activeElement.id") != "pa-skip":
        page.keyboard.press("Tab")
        stops += 1
        assert stops <= 5, "the skip link is not among the first Tab stops"
    assert page.evaluate("() => document.activeElement.textContent") == t("skip_to_search", lang)
    page.keyboard.press("Enter")
    box = page.locator(".st-key-county_search input")
    page.wait_for_function("() => document.activeElement.closest('.st-key-county_search') !== null")
    top_bar = page.locator('header[data-testid="stHeader"]').bounding_box()
    where = box.bounding_box()
    assert where["y"] >= top_bar["y"] + top_bar["height"] and where["y"] + where["height"] <= SCREEN["height"]
    page.keyboard.type("泸溪")
    page.keyboard.press("Enter")
    page.locator('[data-testid="stMain"]').get_by_role(
        "heading", name="泸溪县" if lang == "zh" else "Luxi County"
    ).first.wait_for(timeout=LOAD_TIMEOUT)
    assert "county=433122" in page.url
    page.screenshot(path=SHOTS / f"officials_keyboard_{lang}.png")


# Each found by its name in the reader's language, though the sources write it in the other one (fewer than
# 40 found, so the groups open).
@pytest.mark.parametrize(("lang", "publisher"), [("zh", "中国日报"), ("en", "Xinhua News Agency")])
def test_sources_search_finds_a_source_by_publisher_and_a_link_still_opens_one(screen, server, lang, publisher) -> None:
    from atlas.i18n import t

    page = screen
    open_page(page, server, f"sources?lang={lang}")
    main = page.locator('[data-testid="stMain"]')
    total = main.locator(".pa-source").count()
    box = main.locator('[data-testid="stTextInput"] input').first
    box.fill(publisher)
    box.press("Enter")
    page.wait_for_function(f"() => document.querySelectorAll('.pa-source').length < {total}", timeout=LOAD_TIMEOUT)
    wait_idle(page, still=False)
    found = main.locator(".pa-source")
    assert 0 < found.count() < total
    assert all(publisher.lower() in found.nth(i).inner_text().lower() for i in range(found.count()))
    assert t("sources_found", lang, n=found.count(), total=total) in main.inner_text()
    page.screenshot(path=SHOTS / f"officials_sources_search_{lang}.png")
    open_page(page, server, f"sources?lang={lang}&source=exit-yunnan-2018-cnr")
    focus = main.locator(".st-key-source_focus")
    assert "exit-yunnan-2018-cnr" in focus.inner_text()


def test_a_county_outside_the_832_says_so_with_its_name(screen, server) -> None:
    page = screen
    open_page(page, server, "county_map?lang=en&county=652824")  # 若羌县, Ruoqiang
    main = page.locator('[data-testid="stMain"]')
    main.get_by_text("Ruoqiang County (若羌县) is not a national poverty county").wait_for(timeout=LOAD_TIMEOUT)
    assert_clean(page)


def chart_speech(page) -> list[tuple[str, str, str]]:
    """What a screen reader is given for the page's first chart: (name, description, role description) of
    every node of Chromium's own accessibility tree from the chart's element down, ignored nodes left out."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("Accessibility.enable")
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
        document = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        chart = cdp.send("DOM.querySelector", {"nodeId": document, "selector": '[data-testid="stVegaLiteChart"]'})
        backend = cdp.send("DOM.describeNode", {"nodeId": chart["nodeId"]})["node"]["backendNodeId"]
    finally:
        cdp.detach()
    by_id = {n["nodeId"]: n for n in nodes}
    todo, said = [next(n for n in nodes if n.get("backendDOMNodeId") == backend)], []
    while todo:
        node = todo.pop()
        if not node.get("ignored"):
            role = {p["name"]: p["value"].get("value") for p in node.get("properties", [])}.get("roledescription")
            role = utf8(role) if role else role
            said.append(
                (node.get("name", {}).get("value") or "", node.get("description", {}).get("value") or "", role or "")
            )
        todo += [by_id[c] for c in node.get("childIds", []) if c in by_id]
    return said


def utf8(text: str) -> str:
    """A property as written: the protocol gives a role description's UTF-8 bytes as Latin-1 (图表 as å\x9b¾è¡¨)."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def test_charts_are_read_in_the_readers_language(screen, server) -> None:
    """The Overview's bar chart and the Trends line chart are named by a description in the page's language
    (Vega's own words, "X-axis for a linear scale …", "line mark container", left out or put in Chinese)."""
    from atlas.i18n import STRINGS, t

    page = screen
    found = {}
    for lang in ("zh", "en"):
        for path, key in (("", "chart_exits_description"), ("trends", "chart_lines_description")):
            open_page(page, server, f"{path}?lang={lang}")
            opening = STRINGS[key][lang].split("{")[0]  # "柱状图：本数据中各批次…", "Line chart: "
            page.wait_for_function(  # drawn, and (a Chinese page) Vega's role words put in Chinese
                """([opening, role]) => { const c = document.querySelector('[data-testid="stVegaLiteChart"]');
                return !!c && (c.getAttribute('aria-label') || '').startsWith(opening) && !!c.querySelector('svg')
                && c.getAttribute('aria-roledescription') === role; }""",
                arg=[opening, t("aria_vega_document", lang)],
                timeout=LOAD_TIMEOUT,
            )
            said = chart_speech(page)
            assert said[0][0].startswith(opening) and said[0][2] == t("aria_vega_document", lang), said[0]
            words = [w for node in said for w in node if w]
            if lang == "zh":
                hits = [w for w in words if set(LATIN_WORD.findall(w)) - ZH_NAMES]
            else:
                hits = [w for w in words if CJK.search(NAME_ASIDE.sub("", w))]
            if hits:
                found[f"{path or 'overview'}?lang={lang}"] = hits
    assert not found, found
