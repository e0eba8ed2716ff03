"""An official at a desk: a click outlines the county clicked and keeps the legend colours, Back
returns to the previous view, search finds a county in one step and brings the map to it."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from test_browser import (
    LOAD_TIMEOUT,
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


# Streamlit's own English, which a Chinese page must not show.
STREAMLIT_ENGLISH = ("Choose an option", "Choose options", "Drag and drop", "Browse files", "per file")
ALL_PAGES = ["", "county_map", "areas", "trends", "import", "export", "sources"]
# Views that show more words than a page's default: Export's summary and table of a filter (an
# area id such as sisheng_zangqu among its values); on Import, a published block pasted as copied
# (a line without its province cell, a count that disagrees) gives notices and match methods.
LANG_VIEWS = {"export": "export?prov=530000&sqsz=1"}
PASTED_BLOCK = "河  北\t3\t阜平县、涞源县、望都县\n\t2\t五寨县、岢岚县\n四  川\t1\t平武县"
# What those views must say, in each language (the notices, a method, the filter in words).
EXPECTED = {
    ("zh", "import"): ["“河北”（第 1 行）：数量为 3，读到 5 个县名", "全称 + 省份", "该省在2011—2024年间没有名为"],
    ("en", "import"): ["'河北' (line 1): the count says 3; names read: 5", "full name + province"],
    ("zh", "export"): ["省份：云南省；仅三区三州", "四省藏区", "2019-04-30 公布"],
    ("en", "export"): ["Province: Yunnan", "Only the three areas and three prefectures", "Diqing Tibetan"],
}
# In a Chinese page: English phrases of two lower-case words ("full name", "the count says") and
# internal ids (sisheng_zangqu); names in pinyin are capitalised, links and quotes are not read.
ENGLISH_PHRASE = re.compile(r"\b(?:[a-z]{2,} [a-z]{2,}|[a-z]+_[a-z_]+)\b")
VISIBLE_TEXT = """() => [...document.querySelectorAll('[data-testid=stMain], [data-testid=stSidebar]')].map(root => {
    const seen = [], walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const el = walker.currentNode.parentElement;
        if (el.closest('a, [data-testid=stExpander], [data-testid=stIconMaterial]') || !el.checkVisibility()
            || parseFloat(getComputedStyle(el).fontSize) === 0) continue;
        seen.push(walker.currentNode.textContent);
    }
    return seen.join(' ') + ' ' + [...root.querySelectorAll('input, textarea')]
        .map(i => i.placeholder || '').join(' ');
}).join(' ')"""
# A table's cells (st.dataframe draws them on a canvas; its grid keeps them for assistive technology).
TABLE_CELLS = (
    "() => [...document.querySelectorAll('[data-testid=stDataFrame] [role=gridcell]')].map(c => c.innerText).join(' ')"
)


def other_language_texts(lang: str) -> set[str]:
    """The UI strings of the other language long enough not to occur inside a name or a figure."""
    from atlas.i18n import STRINGS

    other = "en" if lang == "zh" else "zh"
    mine = {s[lang] for s in STRINGS.values()}
    texts = {s[other].split("{")[0].strip() for s in STRINGS.values()} - mine
    if lang == "zh":
        return {x for x in texts if len(x.split()) >= 2}
    return {x for x in texts if len(x) >= 4 and not x.isascii()}


def paste_block(page, lang: str) -> None:
    """Paste PASTED_BLOCK on the Import page and wait for the match report."""
    from atlas.i18n import t

    page.get_by_text(t("import_paste", lang), exact=True).click()
    wait_idle(page)
    page.locator('[data-testid="stTextArea"] textarea').fill(PASTED_BLOCK)
    page.get_by_role("button", name=t("import_paste_button", lang)).click()
    page.locator('[data-testid="stMetric"]', has_text=t("import_match_rate", lang)).wait_for(timeout=LOAD_TIMEOUT)
    page.locator('[data-testid="stDataFrame"] [role=gridcell]').first.wait_for(state="attached", timeout=LOAD_TIMEOUT)
    wait_idle(page)


AXE = Path(__file__).parent / "axe" / "axe.min.js"


def axe_violations(page) -> list[tuple[str, str, int, list[str]]]:
    """axe-core's critical and serious violations on the page, and headings out of order (moderate):
    (rule, impact, count, first targets)."""
    # Streamlit dims an element while a run that may replace it is going on (and fades it back in):
    # judge the settled page.
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stElementContainer]')]"
        ".every(e => e.dataset.stale !== 'true' && getComputedStyle(e).opacity === '1')",
        timeout=LOAD_TIMEOUT,
    )
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        (v["id"], v["impact"], len(v["nodes"]), [n["failureSummary"][-160:] for n in v["nodes"][:2]])
        for v in result["violations"]
        if v["impact"] in ("critical", "serious") or v["id"] == "heading-order"
    ]


def language_hits(page, name: str, lang: str, foreign: set[str]) -> list[str]:
    """Text of the other language on the page as it is drawn (none expected), and what must be said."""
    # What the page shows, not what it cites or quotes: a source's title (links), quoted notes
    # (expanders); icons (their names are ligatures); text hidden or drawn at size 0 (replaced by CSS).
    text = " ".join(f"{page.evaluate(VISIBLE_TEXT)} {page.evaluate(TABLE_CELLS)}".split())
    hits = sorted(x for x in foreign if x in text)
    if lang == "zh":
        hits += sorted(set(ENGLISH_PHRASE.findall(text)))
    return hits + [f"missing: {x}" for x in EXPECTED.get((lang, name), []) if x not in text]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_is_wholly_in_the_readers_language_and_passes_axe(page, server, lang) -> None:
    """Each page opened once per language: the language scan (every page but Sources, whose titles and
    quotes are the sources' own), then axe-core (no critical or serious violation) on the same page —
    then the views with a heading of their own, a county's facts and an area's, for axe."""
    foreign = other_language_texts(lang) | (set(STREAMLIT_ENGLISH) if lang == "zh" else set())
    wrong_language, violations = {}, {}
    for name in [*ALL_PAGES, "county_map?county=513301", "areas?unit=sisheng_zangqu"]:
        path = LANG_VIEWS.get(name, name)
        open_page(page, server, f"{path}{'&' if '?' in path else '?'}lang={lang}")
        page.wait_for_function(
            "(want) => document.documentElement.lang === want", arg={"zh": "zh-CN", "en": "en"}[lang], timeout=10_000
        )
        if lang == "zh" and name == "import":  # the uploader's button label is drawn by CSS
            assert "选择文件" in page.evaluate(
                "getComputedStyle(document.querySelector("
                "'[data-testid=stFileUploaderDropzone] button [data-testid=stMarkdownContainer] p'), '::after').content"
            )
        if name == "import":
            paste_block(page, lang)
        if name in ALL_PAGES and name != "sources":
            hits = language_hits(page, name, lang, foreign)
            if hits:
                wrong_language[name or "overview"] = hits
            page.screenshot(path=SHOTS / f"desk_lang_{lang}_{name or 'overview'}.png", full_page=True)
        found = axe_violations(page)
        if found:
            violations[name or "overview"] = found
    assert not wrong_language, wrong_language
    assert not violations, violations
