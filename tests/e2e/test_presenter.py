"""Presenter mode, side-by-side comparison and the slide image, in a real headless Chromium (every page in
presenter mode at both screen sizes: test_presenter_pages.py).

Every wait is for a condition (an element, a changed year, a finished run), never a fixed time,
and auto-play is off (play=0) wherever a test needs a still picture.
"""

from __future__ import annotations

import io
import itertools
import re
import time
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from presenter_view import CANVASES_SIZED, READ_PAGE, READ_VIEW, SCREENS, inside, overlaps, whole_country
from tabs import instrument
from test_browser import (
    LOAD_TIMEOUT,
    SHOTS,
    assert_clean,
    open_page,
    wait_idle,
)

pytestmark = pytest.mark.e2e


def open_presenter(page, server: str, size: tuple[int, int], query: str, maps: int = 1) -> dict:
    page.set_viewport_size({"width": size[0], "height": size[1]})
    open_page(page, server, f"county_map?present=1&{query}", still="play=1" not in query)
    for i in range(maps):
        page.locator('[data-testid="stDeckGlJsonChart"] canvas').nth(i).wait_for(
            state="visible", timeout=LOAD_TIMEOUT * 2
        )
    # A canvas is first in the page at the browser's default 300×150 px; deck.gl then sizes it to its chart.
    page.wait_for_function(CANVASES_SIZED, arg=maps, timeout=LOAD_TIMEOUT * 2)
    return page.evaluate(READ_VIEW)


def test_slider_label_legend_and_map_show_the_same_year_at_every_tick(page, server) -> None:
    """Auto-play on (play=1: a link that names a year holds it otherwise). At each tick, once the
    legend shows the new year, the slider, the year label and the map's label must show it too
    before the next tick (the browser needs a frame or two to move a slider;
    the bug was the slider a whole year off)."""
    open_presenter(page, server, SCREENS[0], "play=1&year=2015")
    seen: list[int] = []
    previous = 0
    for _ in range(3):
        page.wait_for_function(
            f"() => {{ const y = ({READ_VIEW})().years; return y.legend !== null && y.legend !== {previous}; }}",
            polling=100,
            timeout=LOAD_TIMEOUT * 3,
        )
        try:
            page.wait_for_function(
                "() => { const y = (" + READ_VIEW + ")().years; return new Set(Object.values(y)).size === 1; }",
                polling=100,
                timeout=LOAD_TIMEOUT * 3,
            )
        except PlaywrightTimeout:
            pytest.fail(f"the years disagree during auto-play: {page.evaluate(READ_VIEW)['years']}")
        previous = page.evaluate(READ_VIEW)["years"]["legend"]
        seen.append(previous)
    steps = [(b - a) % 6 for a, b in itertools.pairwise(seen)]  # 2015..2020, wrapping back to 2015
    assert all(step >= 1 for step in steps), seen
    # Pause: the button says play again, the URL records play=0 and the years still agree.
    page.locator('[data-testid="stMain"] button', has_text="暂停").click(timeout=LOAD_TIMEOUT * 2)
    page.wait_for_function("() => location.search.includes('play=0')", polling=200, timeout=LOAD_TIMEOUT * 3)
    wait_idle(page)
    assert page.locator('[data-testid="stMain"] button', has_text="播放").is_visible()
    years = page.evaluate(READ_VIEW)["years"]
    assert len(set(years.values())) == 1, years
    assert_clean(page)


def test_side_by_side_layers_from_the_url(page, server) -> None:
    open_page(page, server, "county_map?play=0&year=2018&layer2=exit&lang=en")
    assert_clean(page)
    charts = page.locator('[data-testid="stDeckGlJsonChart"]')
    charts.nth(1).locator("canvas").wait_for(state="visible", timeout=LOAD_TIMEOUT)
    assert charts.evaluate_all("els => els.map(e => e.getAttribute('aria-label'))") == [
        "Status at year end 2018",
        "Exit batch 2018",
    ]
    titles = page.locator(".pa-legend-title").all_text_contents()
    assert titles == ["Status at year end", "Exit batch"], titles
    page.locator('[data-testid="stMain"] button', has_text="Single map").click(timeout=LOAD_TIMEOUT)
    page.wait_for_function("() => !location.search.includes('layer2')", timeout=LOAD_TIMEOUT)
    wait_idle(page)
    assert charts.count() == 1


def test_download_image_gives_a_slide_png_and_svg(page, server) -> None:
    open_page(page, server, "county_map?play=0&year=2019&prov=520000")
    assert_clean(page)
    with page.expect_download(timeout=LOAD_TIMEOUT * 2) as info:
        page.get_by_role("button", name="PNG", exact=True).first.click(timeout=LOAD_TIMEOUT)
    png = info.value
    assert png.suggested_filename == "poverty-atlas_status_2019_prov-520000.png"
    data = Path(png.path()).read_bytes()
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (1600, 1000)
    (SHOTS / "map_image_download.png").write_bytes(data)
    with page.expect_download(timeout=LOAD_TIMEOUT * 2) as info:
        page.get_by_role("button", name="SVG", exact=True).first.click(timeout=LOAD_TIMEOUT)
    svg = Path(info.value.path()).read_text(encoding="utf-8")
    comments = re.findall(r"<!-- (.*?) -->", svg)
    for text in ("仍为贫困县", "当年摘帽", "此前已摘帽", "无数据", "省份：贵州省", "2019"):
        assert any(text in comment for comment in comments), text


# Every page in presenter mode: its title, its figure (maps), legends and year, and everything the
# title might overlap, read in one go.
def test_side_by_side_fits_the_first_screen_and_shows_the_whole_country(page, server) -> None:
    """Both maps of the comparison, whole, in the first screen at 1440×900 (not presenter mode); both
    still show the whole country at 1920×1080, also after the left one was dragged (the screen's new size
    fits both maps anew)."""
    page.set_viewport_size({"width": 1440, "height": 900})
    open_page(page, server, "county_map?play=0&year=2018&year2=2015")
    for width, height in ((1440, 900), (1920, 1080)):
        if width == 1920:  # the presenter pans the left map, then moves to the projector
            box = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first.bounding_box()
            x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            page.mouse.move(x, y)
            page.mouse.down()
            page.mouse.move(x + 120, y + 40, steps=8)
            page.mouse.up()
            wait_idle(page)
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_function(CANVASES_SIZED, arg=2, timeout=LOAD_TIMEOUT * 2)
        wait_idle(page)
        if width == 1440:
            view = page.evaluate(READ_PAGE)
            assert len(view["canvases"]) == 2 and all(inside(c, width, height) for c in view["canvases"]), view
            page.screenshot(path=SHOTS / "side_by_side_1440x900.png", timeout=LOAD_TIMEOUT * 2)
        for index in (0, 1):
            whole_country(page, index, f"{width}x{height}")
    assert_clean(page)


HOLD_SECONDS = 10

LINKS = [
    (
        "county_map?present=1&year=2019&year2=2015",
        "() => document.querySelector('[data-testid=\"pa-year\"]')?.textContent",
        "2019 · 2015",
        ("year=2019", "year2=2015"),
    ),
    (
        "trends?present=1&level=national&syear=2015",
        '() => document.querySelector(\'[data-testid="stMain"] [data-testid="stSliderThumbValue"]\')?.textContent',
        "2015",
        ("syear=2015", "level=national"),
    ),
]


def test_linked_years_hold_for_ten_seconds(page, server) -> None:
    """Both links opened at once in two tabs and observed together over the whole period: each URL and
    the year on its screen stay what the link names."""
    tabs = [page, instrument(page.context.new_page())]
    for tab, (path, *_) in zip(tabs, LINKS):
        tab.set_viewport_size({"width": SCREENS[0][0], "height": SCREENS[0][1]})
        tab.goto(f"{server}/{path}", wait_until="domcontentloaded")
    for tab, (_, read, shown, _) in zip(tabs, LINKS):
        tab.wait_for_function(f"() => ({read})() === {shown!r}", timeout=LOAD_TIMEOUT * 2)  # drawn: now watch it
    looks = 0
    end = time.monotonic() + HOLD_SECONDS
    while time.monotonic() < end:
        for tab, (_, read, shown, in_url) in zip(tabs, LINKS):
            url, text = tab.url, tab.evaluate(read)
            assert all(part in url for part in in_url) and "play=1" not in url, f"the link moved on: {url}"
            assert text == shown, f"the year shown moved on: {text!r}"
        looks += 1
        page.wait_for_timeout(200)  # the next look; the condition is checked over the whole period
    assert looks >= 5  # a busy machine takes a while per look
    for tab in tabs:
        assert tab.locator('[data-testid="stMain"] button', has_text="播放").is_visible()
        assert_clean(tab)


ABOVE_THE_BAR = """() => {
  const bar = document.querySelector('.st-key-pa_story_bar')?.getBoundingClientRect();
  const boxes = [...document.querySelectorAll(
    '[data-testid="stMain"] [data-testid="stDeckGlJsonChart"] canvas, [data-testid="stMain"] .pa-legend')]
    .map(e => e.getBoundingClientRect()).filter(b => b.width > 0);
  return !!bar && boxes.length >= 2 && boxes.every(b => b.top >= -1 && b.bottom <= bar.top + 1);
}"""


def test_nothing_lies_behind_the_story_bar_on_areas(page, server, tmp_path) -> None:
    """An Areas slide playing, at both sizes (one load, resized): the map and its legend end above the bar.
    The next slide, on the same page, opens at its top though the presenter had scrolled down."""
    import json

    from atlas.story import STORIES_DIR
    from pipeline.stories import EXITS_FILE

    story = json.loads((STORIES_DIR / EXITS_FILE).read_text(encoding="utf-8"))
    caption = {"zh": "十四个集中连片特困地区与三区三州，" * 8, "en": "The fourteen areas and the three regions. " * 6}
    slide = {"page": "areas", "view": {}, "title": {"zh": "片区", "en": "Areas"}, "caption": caption}
    story["slides"] = [slide, {**slide, "title": {"zh": "片区二", "en": "Areas again"}}]
    path = tmp_path / "areas.json"
    path.write_text(json.dumps(story, ensure_ascii=False), encoding="utf-8")
    page.set_viewport_size({"width": SCREENS[0][0], "height": SCREENS[0][1]})
    open_page(page, server, "story")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
    page.wait_for_selector(".st-key-story_slide_0", timeout=LOAD_TIMEOUT)
    wait_idle(page)
    page.locator(".st-key-story_play button").click()
    page.wait_for_url("**/areas**", timeout=LOAD_TIMEOUT)  # the story page (its slide's preview map) is gone
    page.wait_for_selector(".st-key-pa_story_bar", timeout=LOAD_TIMEOUT)
    for width, height in SCREENS:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_function(CANVASES_SIZED, arg=1, timeout=LOAD_TIMEOUT * 2)
        wait_idle(page)
        try:  # until the slide has settled where it stays (seen once scrolled by the play button's click)
            page.wait_for_function(ABOVE_THE_BAR, timeout=LOAD_TIMEOUT)
        except PlaywrightTimeout:
            pass  # the boxes, read below, say what lies where
        view = page.evaluate(READ_PAGE)
        bar = page.locator(".st-key-pa_story_bar").bounding_box()
        bar = {"left": bar["x"], "top": bar["y"], "right": bar["x"] + bar["width"], "bottom": bar["y"] + bar["height"]}
        assert view["canvases"] and view["legends"], view
        for box in [*view["canvases"], *view["legends"]]:
            assert inside(box, width, height) and not overlaps(box, bar), f"{box} lies behind the bar {bar}"
        page.screenshot(path=SHOTS / f"story_areas_{width}x{height}.png", timeout=LOAD_TIMEOUT * 2)
    main = page.locator('[data-testid="stMain"]')
    assert main.evaluate("main => { main.scrollTo(0, main.scrollHeight); return main.scrollTop; }") > 0
    page.keyboard.press("PageDown")  # the clicker
    page.locator('[data-testid="pa-story-number"]', has_text="2 / 2").wait_for(timeout=LOAD_TIMEOUT)
    wait_idle(page)
    assert main.evaluate("main => main.scrollTop") == 0
    assert_clean(page)
