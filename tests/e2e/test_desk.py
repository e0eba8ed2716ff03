"""An official at a desk: a click outlines the county clicked and keeps the legend colours, Back
returns to the previous view, search finds a county in one step and brings the map to it."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pytest
from page_checks import (
    ALL_PAGES,
    LANG_VIEWS,
    STREAMLIT_ENGLISH,
    accessible_hits,
    axe_violations,
    language_hits,
    no_developer_tools,
    other_language_texts,
    paste_block,
    placeholders_speak,
    settled_offline,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from test_browser import (
    LOAD_TIMEOUT,
    MAP_PAGES,
    SHOTS,
    assert_clean,
    canvas_image,
    drawn_pixels,
    hover_then_click,
    largest_poverty_county,
    map_point,
    open_page,
    wait_idle,
    year_slider,
)
from test_presenter_pages import PRESENTER_PAGES

from atlas.i18n import t

pytestmark = pytest.mark.e2e

NATIONAL = (35.0, 104.0, 2.75)


def changed_box(before, after, threshold: int = 24) -> tuple[int, int, int, int] | None:
    """The bounding box (x0, y0, x1, y1) of the pixels that differ between two canvas images."""
    difference = np.abs(np.asarray(before, dtype=np.int16) - np.asarray(after, dtype=np.int16))
    ys, xs = np.nonzero(difference.max(axis=2) > threshold)
    return (int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())) if len(xs) else None


def screen_box(page, county) -> tuple[float, float, float, float]:
    """A county's bounding box in canvas pixels on the national view."""
    canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first.bounding_box()
    x0, y0, x1, y1 = county.geometry.bounds
    (ax, ay), (bx, by) = map_point(page, NATIONAL, x0, y1), map_point(page, NATIONAL, x1, y0)
    return ax - canvas["x"], ay - canvas["y"], bx - canvas["x"], by - canvas["y"]


def test_a_click_outlines_the_clicked_county_and_keeps_the_legend_colours(page, server) -> None:
    first, second = largest_poverty_county("540000"), largest_poverty_county("650000")
    open_page(page, server, "county_map?view=35,104,2.75")
    untouched = canvas_image(page)
    main = page.locator('[data-testid="stMain"]')
    for county in (first, second):
        point = county.geometry.representative_point()
        heading = main.get_by_role("heading", name=county["name_zh"]).first
        hover_then_click(page, map_point(page, NATIONAL, point.x, point.y), county["name_zh"], heading)
        wait_idle(page)
    page.mouse.move(5, 5)  # no tooltip over the map
    page.locator(".deck-tooltip").first.wait_for(state="hidden", timeout=LOAD_TIMEOUT)
    after = canvas_image(page)
    page.screenshot(path=SHOTS / "desk_click_two_counties.png", full_page=True)
    assert f"county={second['code']}" in page.url
    # Only the second county's outline differs from the map before any click: the first is not
    # outlined any more, and no other county faded (Streamlit's selection styling).
    box = changed_box(untouched, after)
    assert box is not None, "the clicked county is not outlined"
    x0, y0, x1, y1 = screen_box(page, second)
    margin = 8
    assert x0 - margin <= box[0] and box[2] <= x1 + margin, (box, (x0, y0, x1, y1))
    assert y0 - margin <= box[1] and box[3] <= y1 + margin, (box, (x0, y0, x1, y1))
    assert_clean(page)


def test_back_returns_to_each_previous_year_then_leaves(page, server) -> None:
    open_page(page, server, "county_map?year=2016")
    thumb = year_slider(page)
    for year in (2017, 2018, 2019):
        thumb.focus()
        thumb.press("ArrowRight")
        page.wait_for_url(f"**year={year}**", timeout=LOAD_TIMEOUT)
        wait_idle(page)
    for year in (2018, 2017, 2016):
        page.go_back(wait_until="commit")
        page.wait_for_url(f"**year={year}**", timeout=LOAD_TIMEOUT)
        wait_idle(page)
        page.wait_for_function(
            "(y) => [...document.querySelectorAll('[data-testid=stMain] [data-testid=stSlider] input')]"
            ".some(i => i.value === String(y) || i.getAttribute('aria-valuenow') === String(y))",
            arg=year,
            timeout=LOAD_TIMEOUT,
        )
        assert f"year={year}" in page.url, page.url  # not written over by the session's view
    assert drawn_pixels(canvas_image(page)) > 0
    assert_clean(page)
    page.go_back(wait_until="commit")
    page.wait_for_url(lambda url: "county_map" not in url, timeout=LOAD_TIMEOUT)


def test_search_in_one_step_centres_the_map_and_shows_the_facts(page, server) -> None:
    page.set_viewport_size({"width": 1440, "height": 900})
    open_page(page, server, "county_map?lang=en")
    before = canvas_image(page)
    box = page.get_by_label(t("search_county", "en"))
    box.fill("Hetian County")
    box.press("Enter")  # a single match is taken at once
    heading = page.locator('[data-testid="stMain"]').get_by_role("heading", name="Hetian")
    heading.first.wait_for(timeout=LOAD_TIMEOUT)
    page.wait_for_url("**county=653221**", timeout=LOAD_TIMEOUT)
    wait_idle(page)
    assert "view=" in page.url  # the map went to the county (its province's own view)
    after = canvas_image(page)
    assert drawn_pixels(after) > 0.05 * after.width * after.height
    assert changed_box(before, after) is not None
    top = heading.first.bounding_box()["y"]
    assert top < 450, f"the facts start at {top:.0f} px of 900"
    page.screenshot(path=SHOTS / "desk_search_hetian.png")
    assert_clean(page)


def test_search_by_an_english_name_shows_the_official_name_and_the_facts(page, server) -> None:
    page.set_viewport_size({"width": 1440, "height": 900})
    open_page(page, server, "county_map?lang=en")
    main = page.locator('[data-testid="stMain"]')
    box = page.get_by_label(t("search_county", "en"))
    box.fill("Hotan")  # the English name: Hotan (the city) and Hotan County
    box.press("Enter")
    pick = main.locator(".st-key-county_search_pick input")  # the matches, under the search box
    label = "Hotan County: Hetian County (和田县)"
    for attempt in range(3):  # a rerun that lands while the list is open redraws it: open it again
        wait_idle(page)
        pick.click()
        try:
            page.get_by_role("option", name=label).click(timeout=10_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    page.wait_for_url("**county=653221**", timeout=LOAD_TIMEOUT)
    heading = main.get_by_role("heading", name="Hetian County")
    heading.first.wait_for(timeout=LOAD_TIMEOUT)
    wait_idle(page)
    assert "view=" in page.url  # the map went to the county
    facts = main.locator("li").filter(has_text=t("exit_year", "en")).first  # the facts list
    facts.wait_for(timeout=LOAD_TIMEOUT)
    assert facts.bounding_box()["y"] < 900, "the facts are not in view"
    page.screenshot(path=SHOTS / "desk_search_hotan.png")
    assert_clean(page)


def test_a_province_opens_whole_and_zoom_is_explained(page, server) -> None:
    open_page(page, server, "county_map?prov=510000&year=2018")
    image = canvas_image(page)
    assert drawn_pixels(image) > 0.2 * image.width * image.height
    main = page.locator('[data-testid="stMain"]')
    assert main.get_by_text("本省地图最多放大约").count() > 0
    page.screenshot(path=SHOTS / "desk_province_510000.png")
    assert_clean(page)


# Every page, and the views with words or a heading of their own: a county's facts, an area's (one with
# a single known county), a filtered Export, the Import page with a published block pasted as copied.
VIEWS = [
    "",
    "county_map",
    "county_map?county=513301",
    "areas",
    "areas?unit=wuling",
    "areas?unit=sisheng_zangqu",
    "trends",
    "import",
    "export",
    "sources",
    "story",
]
# These views' Chinese presenter mode is checked, axe included, at both screen sizes by test_presenter_pages.
PRESENTER_PAGES_IN_ZH = {"" if name == "overview" else name for name, query, _ in PRESENTER_PAGES}


@pytest.mark.parametrize("view", VIEWS, ids=lambda view: view or "overview")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_view_is_in_the_readers_language_passes_axe_and_stays_offline(page, server, lang, view) -> None:
    """Each view opened once per language (one test each, so that the test processes share them): it loads
    cleanly and draws its map; its text and accessible names are in the reader's language (the Sources
    page's with every group open; its titles and quotes are the sources' own), filters' placeholders too;
    no developer tools show; axe-core finds no critical or serious violation, before and after presenter
    mode is turned on; no request goes to another host."""
    page.set_viewport_size({"width": 1440, "height": 900})
    foreign = other_language_texts(lang)
    name = view.split("?")[0]
    path = LANG_VIEWS.get(view, view)
    open_page(page, server, f"{path}{'&' if '?' in path else '?'}lang={lang}")
    page.wait_for_function(
        "(want) => document.documentElement.lang === want", arg={"zh": "zh-CN", "en": "en"}[lang], timeout=10_000
    )
    if name == "sources":  # every group open: the whole list is read
        for summary in page.locator('[data-testid="stExpander"] summary').all():
            summary.click()
        wait_idle(page, still=False)
    hits = accessible_hits(page, lang, foreign) if view != "county_map" else []
    if lang == "zh" and name == "import":  # the uploader's button label is drawn by CSS
        assert "选择文件" in page.evaluate(
            "getComputedStyle(document.querySelector("
            "'[data-testid=stFileUploaderDropzone] button [data-testid=stMarkdownContainer] p'), '::after').content"
        )
    if name == "import":
        paste_block(page, lang)
    if view in MAP_PAGES:  # its map drawn
        image = canvas_image(page)
        assert drawn_pixels(image) > 0.05 * image.width * image.height, f"{view}: the map is (nearly) empty"
    if view in ALL_PAGES and name != "sources":
        streamlit = set(STREAMLIT_ENGLISH) if lang == "zh" else set()
        hits += language_hits(page, name, lang, foreign | streamlit)
        page.screenshot(path=SHOTS / f"desk_lang_{lang}_{name or 'overview'}.png", full_page=True)
    if name in ("county_map", "export"):
        placeholders_speak(page, lang)
    no_developer_tools(page)
    violations = {"as opened": axe_violations(page)}
    settled_offline(page, server)
    assert_clean(page)
    if lang == "en" or view not in PRESENTER_PAGES_IN_ZH:
        violations["presenter mode"] = presenter_mode_violations(page, lang)
    assert not hits, sorted(set(hits))
    assert not any(violations.values()), violations


PLAYED = ("present", "play", "year", "syear", "pyear")  # presenter mode turns on, and starts the years playing


def presenter_mode_violations(page, lang: str) -> list:
    """Presenter mode turned on from the sidebar, as a presenter does before sharing the screen: the
    sidebar goes, the view stays (its year may start playing, and is paused), and axe-core is run again on
    what the room sees."""
    view = {(k, v) for k, v in parse_qsl(urlsplit(page.url).query) if k not in PLAYED}
    page.locator('[data-testid="stSidebar"] [data-testid="stCheckbox"]', has_text=t("presenter_mode", lang)).click()
    page.locator('[data-testid="stSidebar"]').wait_for(state="hidden", timeout=LOAD_TIMEOUT)
    page.wait_for_url("**present=1**", timeout=LOAD_TIMEOUT)
    if "play=1" in page.url:  # paused, as a presenter does to speak to one year: a map redrawn every step
        # costs the software renderer seconds a year, and axe reads the same page either way
        page.get_by_role("button", name=t("pause", lang)).click()
        page.wait_for_url("**play=0**", timeout=LOAD_TIMEOUT)
    wait_idle(page)
    assert view <= set(parse_qsl(urlsplit(page.url).query)), f"presenter mode changed the view: {page.url}"
    found = axe_violations(page)
    assert_clean(page)
    return found
