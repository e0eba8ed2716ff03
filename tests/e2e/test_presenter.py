"""Presenter mode, side-by-side comparison and the slide image, in a real headless Chromium.

Every wait is for a condition (an element, a changed year, a finished run), never a fixed time,
and auto-play is off (play=0) wherever a test needs a still picture.
"""

from __future__ import annotations

import io
import itertools
import re
from pathlib import Path

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
    open_page(page, server, f"county_map?present=1&{query}")
    for i in range(maps):
        page.locator('[data-testid="stDeckGlJsonChart"] canvas').nth(i).wait_for(
            state="visible", timeout=LOAD_TIMEOUT * 2
        )
    # A canvas is first in the page at the browser's default 300×150 px; deck.gl then sizes it to its chart.
    page.wait_for_function(CANVASES_SIZED, arg=maps, timeout=LOAD_TIMEOUT * 2)
    return page.evaluate(READ_VIEW)


@pytest.mark.parametrize("size", SCREENS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_presenter_mode_fits_the_screen(page, server, size) -> None:
    width, height = size
    view = open_presenter(page, server, size, "play=0&year=2018")
    assert_clean(page)
    assert not view["sidebar"], "the sidebar shows in presenter mode"
    assert view["scroll"]["main"] <= 2 and view["scroll"]["page"] <= 2, f"the page scrolls: {view['scroll']}"
    (canvas,) = view["canvases"]
    for name, box in (
        ("map", canvas),
        ("legend", view["legends"][0]),
        ("year label", view["label"]),
        ("year slider", view["slider"]),
    ):
        assert inside(box, width, height), f"the {name} is not inside the {width}x{height} screen: {box}"
    # As large as the screen allows: most of the height, most of the width beside the legend.
    assert canvas["height"] >= 0.8 * height and canvas["width"] >= 0.65 * width, canvas
    assert view["label"]["height"] >= 0.08 * height, "the year label is not large"
    assert view["years"] == {"slider": 2018, "label": 2018, "legend": 2018, "map": 2018}
    image = canvas_image(page)
    assert drawn_pixels(image) > 0.05 * image.width * image.height
    page.screenshot(path=SHOTS / f"presenter_{width}x{height}.png", timeout=LOAD_TIMEOUT * 2)


def test_presenter_comparison_fits_with_one_legend(page, server) -> None:
    width, height = SCREENS[1]
    view = open_presenter(page, server, (width, height), "play=0&year=2019&year2=2015", maps=2)
    assert_clean(page)
    assert len(view["canvases"]) == 2 and all(inside(b, width, height) for b in view["canvases"]), view["canvases"]
    assert len(view["legends"]) == 1 and inside(view["legends"][0], width, height)
    assert view["labelText"] == "2019 · 2015"
    labels = page.locator('[data-testid="stDeckGlJsonChart"]').evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label'))"
    )
    assert [re.search(r"\d{4}", label)[0] for label in labels] == ["2019", "2015"]
    assert "year2=2015" in page.url and "present=1" in page.url
    page.screenshot(path=SHOTS / f"presenter_compare_{width}x{height}.png", timeout=LOAD_TIMEOUT * 2)


def test_slider_label_legend_and_map_show_the_same_year_at_every_tick(page, server) -> None:
    """Auto-play on (presenter default). At each tick, once the legend shows the new year, the
    slider, the year label and the map's label must show it too before the next tick (the browser
    needs a frame or two to move a slider; the bug was the slider a whole year off)."""
    open_presenter(page, server, SCREENS[0], "year=2015")
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


def test_presenter_areas_legend_fits_a_small_screen(page, server) -> None:
    """The Areas legend (14 areas; one without data says so in its row) fits a 1366×768 screen, in large type."""
    width, height = SCREENS[0]
    page.set_viewport_size({"width": width, "height": height})
    open_page(page, server, "areas?present=1")
    page.locator('[data-testid="stDeckGlJsonChart"] canvas').first.wait_for(state="visible", timeout=LOAD_TIMEOUT)
    view = page.evaluate(READ_VIEW)
    assert_clean(page)
    (legend,) = view["legends"]
    assert inside(legend, width, height), f"the legend is not inside the {width}x{height} screen: {legend}"
    rows = page.locator(".pa-legend-row")
    assert rows.count() == 14
    assert rows.first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 20  # large type kept
    assert inside(view["canvases"][0], width, height)
    page.screenshot(path=SHOTS / f"presenter_areas_{width}x{height}.png", timeout=LOAD_TIMEOUT * 2)
