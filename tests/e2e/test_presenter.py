"""Presenter mode, side-by-side comparison and the slide image, in a real headless Chromium.

Every wait is for a condition (an element, a changed year, a finished run), never a fixed time,
and auto-play is off (play=0) wherever a test needs a still picture.
"""

from __future__ import annotations

import io
import itertools
import re
import time
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from test_browser import (
    LOAD_TIMEOUT,
    SHOTS,
    assert_clean,
    canvas_image,
    drawn_pixels,
    open_page,
    wait_idle,
)
from test_desk import axe_violations

from atlas.story import STORY_PAGES
from benchmarks.common import ROOT
from tests.e2e.tabs import instrument

pytestmark = pytest.mark.e2e

SCREENS = [(1366, 768), (1920, 1080)]

# Boxes and years of what a presenter must see, read in one go (one consistent DOM state).
READ_VIEW = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const box = e => { if (!e) return null; const r = e.getBoundingClientRect();
                     return {left: r.left, top: r.top, right: r.right, bottom: r.bottom,
                             width: r.width, height: r.height}; };
  const num = text => { const m = (text || '').match(/\\d{4}/); return m ? Number(m[0]) : null; };
  const slider = main.querySelector(
    '[data-testid="stSlider"] input[type="range"], [data-testid="stSlider"] [role="slider"]');
  const charts = [...main.querySelectorAll('[data-testid="stDeckGlJsonChart"]')];
  const note = main.querySelector('.pa-legend-note');
  const label = main.querySelector('[data-testid="pa-year"]');
  return {
    running: !!document.querySelector('[data-testid="stStatusWidget"]'),
    canvases: charts.map(c => box(c.querySelector('canvas'))),
    legends: [...main.querySelectorAll('.pa-legend')].map(box),
    label: box(label), labelText: label ? label.textContent : null,
    slider: box(slider),
    years: {slider: slider ? Number(slider.value ?? slider.getAttribute('aria-valuenow')) : null,
            label: num(label && label.textContent), legend: num(note && note.textContent),
            map: num(charts[0] && charts[0].getAttribute('aria-label'))},
    scroll: {main: main.scrollHeight - main.clientHeight,
             page: document.documentElement.scrollHeight - document.documentElement.clientHeight},
    sidebar: !!document.querySelector('[data-testid="stSidebar"]') &&
             document.querySelector('[data-testid="stSidebar"]').getBoundingClientRect().width > 0 &&
             getComputedStyle(document.querySelector('[data-testid="stSidebar"]')).display !== 'none',
  };
}"""


CANVASES_SIZED = """maps => {
  const canvases = [...document.querySelectorAll('[data-testid="stDeckGlJsonChart"] canvas')];
  return canvases.length >= maps && canvases.every(c => {
    const chart = c.closest('[data-testid="stDeckGlJsonChart"]').getBoundingClientRect();
    const own = c.getBoundingClientRect();
    return own.width >= chart.width - 2 && own.height >= chart.height - 2;
  });
}"""


def inside(box: dict | None, width: int, height: int) -> bool:
    return (
        box is not None
        and box["width"] > 0
        and box["left"] >= -1
        and box["top"] >= -1
        and box["right"] <= width + 1
        and box["bottom"] <= height + 1
    )


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
READ_PAGE = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const box = e => { const r = e.getBoundingClientRect();
                     return {left: r.left, top: r.top, right: r.right, bottom: r.bottom,
                             width: r.width, height: r.height}; };
  const title = main.querySelector('h1');
  const holder = title.closest('[data-testid="stElementContainer"]');
  const others = [...main.querySelectorAll('[data-testid="stElementContainer"]')]
    .filter(e => e !== holder && !e.contains(holder) && getComputedStyle(e).position !== 'fixed'
                 && !e.closest('.st-key-pa_present_tools'))  // the fixed corner: its own test
    .map(box).filter(b => b.width > 0 && b.height > 0);
  const year = main.querySelector('[data-testid="pa-year"], [data-testid="stSlider"]');
  return {title: box(title), others,
          canvases: [...main.querySelectorAll('[data-testid="stDeckGlJsonChart"] canvas')].map(box),
          legends: [...main.querySelectorAll('.pa-legend')].map(box),
          charts: [...main.querySelectorAll('[data-testid="stVegaLiteChart"]')].map(box),
          legendTitles: [...main.querySelectorAll('.pa-legend-title')].map(e => e.textContent),
          year: year ? box(year) : null};
}"""

# page, query, whether a year control shows (else the year is in the legend's title or the page has none)
PRESENTER_PAGES = [
    ("overview", "", False),
    ("county_map", "year=2018", True),
    ("county_map", "year=2019&year2=2015", True),
    ("areas", "", False),
    ("trends", "syear=2017", False),
    ("trends", "level=national&syear=2015&theme=incidence", True),
    ("export", "", False),
    ("sources", "", False),
]


def overlaps(a: dict, b: dict) -> bool:
    return min(a["right"], b["right"]) - max(a["left"], b["left"]) > 1 and (
        min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 1
    )


def touches_the_sides(image: Image.Image) -> tuple[int, int]:
    """Drawn pixels (not the corner's background colour) in the first and last 2 px columns."""
    background = image.getpixel((2, 2))
    columns = {"left": (0, 1), "right": (image.width - 2, image.width - 1)}
    return tuple(  # type: ignore[return-value]
        sum(
            1
            for x in xs
            for y in range(image.height)
            if max(abs(a - b) for a, b in zip(image.getpixel((x, y)), background)) > 24
        )
        for xs in columns.values()
    )


READ_CORNER = """() => {
  const box = e => { const r = e.getBoundingClientRect();
                     return {left: r.left, top: r.top, right: r.right, bottom: r.bottom,
                             width: r.width, height: r.height}; };
  const main = document.querySelector('[data-testid="stMain"]');
  const rgb = text => text.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
  const luminance = ([r, g, b]) => [r, g, b].map(c => { c /= 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  const buttons = [...document.querySelectorAll('.st-key-pa_present_tools button')];
  return {
    buttons: buttons.map(b => { const style = getComputedStyle(b);
      const [fg, bg] = [luminance(rgb(style.color)), luminance(rgb(style.backgroundColor))];
      return {box: box(b), text: b.textContent, opacity: style.opacity,
              contrast: (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05)}; }),
    figures: [...main.querySelectorAll(
      '[data-testid="stDeckGlJsonChart"] canvas, .pa-legend, [data-testid="pa-year"], [data-testid="stVegaLiteChart"]')]
      .map(box).filter(b => b.width > 0),
  };
}"""


def check_presenter_view(page, name: str, query: str, year_control: bool, size: tuple[int, int]) -> None:
    """What a presenter must see at `size`: the title clear of everything, the figures (maps, legends,
    year, charts) inside the screen and large, the corner buttons off them, dark on white (WCAG AA), and
    axe-core finding nothing serious."""
    width, height = size
    maps = 2 if "year2" in query else 1
    if name in ("overview", "county_map", "areas") or "syear=2017" in query:
        page.wait_for_function(CANVASES_SIZED, arg=maps, timeout=LOAD_TIMEOUT * 2)
    wait_idle(page)
    view = page.evaluate(READ_PAGE)
    assert_clean(page)
    assert inside(view["title"], width, height)
    crossing = [b for b in view["others"] if overlaps(view["title"], b)]
    assert not crossing, f"the title {view['title']} overlaps {crossing}"
    figures = [*view["canvases"], *view["legends"], *([view["year"]] if year_control else [])]
    for box in figures:
        assert inside(box, width, height), f"{box} is not inside the {width}x{height} screen"
        assert not overlaps(view["title"], box), f"the title overlaps {box}"
    if name in ("overview", "county_map", "areas") or "syear=2017" in query:
        assert view["canvases"] and view["legends"], "no map or no legend"
        assert all(c["height"] >= 0.45 * height for c in view["canvases"]), view["canvases"]
    if "syear=2017" in query:
        assert any("2017" in t for t in view["legendTitles"]), view["legendTitles"]
    if name == "overview" or "syear=2017" in query:  # the bar chart, the line chart (its legend inside it)
        assert view["charts"] and all(inside(c, width, height) and c["height"] >= 180 for c in view["charts"]), view
    if name == "county_map":
        check_county_map(page, query, size)
    if name == "areas":
        check_areas_legend(page)
    corner = page.evaluate(READ_CORNER)  # exit, and "add this view" where a slide can show the page
    assert len(corner["buttons"]) == (2 if name in STORY_PAGES else 1), corner
    for button in corner["buttons"]:
        assert button["contrast"] >= 4.5 and button["opacity"] == "1", button
        assert inside(button["box"], width, height)
        covered = [f for f in corner["figures"] if overlaps(button["box"], f)]
        assert not covered, f"{button['text']} covers {covered}"
    assert not axe_violations(page)
    label = "-".join(filter(None, [name, re.sub(r"[^0-9a-z]+", "-", query)]))
    page.screenshot(path=SHOTS / f"presenter_{label}_{width}x{height}.png", timeout=LOAD_TIMEOUT * 2)


def check_county_map(page, query: str, size: tuple[int, int]) -> None:
    """The county map as large as the screen allows, its year the same everywhere; a comparison with one
    legend, both years named and both maps showing the whole country."""
    width, height = size
    view = page.evaluate(READ_VIEW)
    assert not view["sidebar"], "the sidebar shows in presenter mode"
    assert view["scroll"]["main"] <= 2 and view["scroll"]["page"] <= 2, f"the page scrolls: {view['scroll']}"
    if "year2" not in query:
        assert inside(view["label"], width, height) and inside(view["slider"], width, height), view
        assert view["label"]["height"] >= 0.08 * height, "the year label is not large"
        (canvas,) = view["canvases"]
        # Most of the height, most of the width beside the legend.
        assert canvas["height"] >= 0.8 * height and canvas["width"] >= 0.65 * width, canvas
        assert view["years"] == {"slider": 2018, "label": 2018, "legend": 2018, "map": 2018}
        image = canvas_image(page)
        assert drawn_pixels(image) > 0.05 * image.width * image.height
        return
    assert len(view["legends"]) == 1 and view["labelText"] == "2019 · 2015", view
    labels = page.locator('[data-testid="stDeckGlJsonChart"]').evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label'))"
    )
    assert [re.search(r"\d{4}", label)[0] for label in labels] == ["2019", "2015"]
    assert "year2=2015" in page.url and "present=1" in page.url
    for index in (0, 1):
        whole_country(page, index, f"presenter{width}x{height}")


def check_areas_legend(page) -> None:
    """The Areas legend in large type, every one of the 14 areas named: a legend row for an area drawn,
    words under it for one without members."""
    rows = page.locator(".pa-legend-row")
    assert rows.count() >= 1
    assert rows.first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 20
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert all(name in text for name in pd.read_csv(ROOT / "geodata" / "contiguous_areas.csv")["name_zh"])


def whole_country(page, index: int, label: str) -> None:
    image = canvas_image(page, index)
    assert drawn_pixels(image) > 0.05 * image.width * image.height, "the map is (nearly) empty"
    left, right = touches_the_sides(image)
    assert left == 0 and right == 0, f"map {index} is cut at its sides ({left} px left, {right} px right)"
    image.save(SHOTS / f"side_by_side_{index}_{label}.png")


@pytest.mark.parametrize(("name", "query", "year_control"), PRESENTER_PAGES, ids=lambda v: str(v) or "-")
def test_every_page_fits_in_presenter_mode(page, server, name, query, year_control) -> None:
    """Each page opened once in presenter mode at 1366×768, then resized to 1920×1080 (a presenter moving
    to another projector); on the pages a slide can show, the corner then adds the view to the story."""
    page.set_viewport_size({"width": SCREENS[0][0], "height": SCREENS[0][1]})
    open_page(page, server, f"{'' if name == 'overview' else name}?present=1&play=0&{query}")
    if year_control:
        page.wait_for_selector('[data-testid="stMain"] [data-testid="stSlider"]', timeout=LOAD_TIMEOUT * 2)
    for width, height in SCREENS:
        page.set_viewport_size({"width": width, "height": height})
        check_presenter_view(page, name, query, year_control, (width, height))
    if name in STORY_PAGES:
        page.locator(".st-key-story_add_present button").click()
        page.wait_for_selector('[data-testid="stToast"]', timeout=LOAD_TIMEOUT)
        assert_clean(page)


def test_side_by_side_fits_the_first_screen_and_shows_the_whole_country(page, server) -> None:
    """Both maps of the comparison, whole, in the first screen at 1440×900 (not presenter mode); both
    still show the whole country at 1920×1080."""
    page.set_viewport_size({"width": 1440, "height": 900})
    open_page(page, server, "county_map?play=0&year=2018&year2=2015")
    for width, height in ((1440, 900), (1920, 1080)):
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


def test_nothing_lies_behind_the_story_bar_on_areas(page, server, tmp_path) -> None:
    """An Areas slide playing, at both sizes (one load, resized): the map and its legend end above the bar."""
    import json

    from atlas.story import STORIES_DIR
    from pipeline.stories import EXITS_FILE

    story = json.loads((STORIES_DIR / EXITS_FILE).read_text(encoding="utf-8"))
    caption = {"zh": "十四个集中连片特困地区与三区三州，" * 8, "en": "The fourteen areas and the three regions. " * 6}
    story["slides"] = [{"page": "areas", "view": {}, "title": {"zh": "片区", "en": "Areas"}, "caption": caption}]
    path = tmp_path / "areas.json"
    path.write_text(json.dumps(story, ensure_ascii=False), encoding="utf-8")
    page.set_viewport_size({"width": SCREENS[0][0], "height": SCREENS[0][1]})
    open_page(page, server, "story")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
    page.wait_for_selector(".st-key-story_slide_0", timeout=LOAD_TIMEOUT)
    wait_idle(page)
    page.locator(".st-key-story_play button").click()
    page.wait_for_selector(".st-key-pa_story_bar", timeout=LOAD_TIMEOUT)
    for width, height in SCREENS:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_function(CANVASES_SIZED, arg=1, timeout=LOAD_TIMEOUT * 2)
        wait_idle(page)
        view = page.evaluate(READ_PAGE)
        bar = page.locator(".st-key-pa_story_bar").bounding_box()
        bar = {"left": bar["x"], "top": bar["y"], "right": bar["x"] + bar["width"], "bottom": bar["y"] + bar["height"]}
        assert view["canvases"] and view["legends"], view
        for box in [*view["canvases"], *view["legends"]]:
            assert inside(box, width, height) and not overlaps(box, bar), f"{box} lies behind the bar {bar}"
        page.screenshot(path=SHOTS / f"story_areas_{width}x{height}.png", timeout=LOAD_TIMEOUT * 2)
    assert_clean(page)
