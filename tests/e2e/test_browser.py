"""Every page in a real headless Chromium: no exception, no console error, a drawn map,
controls that change the map, an export that downloads valid GeoJSON, URLs that reopen views."""

from __future__ import annotations

import io
import json
import math
import re
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.e2e

# The default page (overview) lives at the root URL.
MAP_PAGES = {"", "county_map", "areas", "trends"}
LOAD_TIMEOUT = 60_000
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


# What each page shows once its script has run to the end.
READY = {"export": '[data-testid="stDownloadButton"]', "sources": '[data-testid="stMain"] h2'}


def open_page(page, server: str, path: str, still: bool = True) -> None:
    """Open a page and wait until its script has run to the end (and its maps are still, unless playing)."""
    page.goto(f"{server}/{path}", wait_until="domcontentloaded")
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=LOAD_TIMEOUT)
    ready = READY.get(path.split("?")[0])
    if ready:
        page.wait_for_selector(ready, timeout=LOAD_TIMEOUT)
    wait_idle(page, still)


# The script is running, or about to (a rerun asked for): Streamlit's own state on its root element.
RUNNING = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !app || app.dataset.testScriptState !== 'notRunning'
    || !!document.querySelector('[data-testid="stStatusWidget"]');
}"""
POLL_MS = 200  # how often a condition is looked at, not a guess at how long anything takes
QUIET_POLLS = 4  # nothing drawn or changed this many looks in a row: maps have drawn what they fetched
# What changes the screen, counted in the page (cheaper than screenshots, which cost the renderer a
# frame and a PNG each): WebGL and 2D-canvas draw calls (deck.gl, Vega), DOM mutations and where each
# scrolling box is scrolled to. -1 while a CSS transition or animation with an end runs, a web font or an
# image is still loading. Installed on the first look at each document (draws on a context made before
# then still count: the prototypes change).
ACTIVITY = """() => {
  if (!window.__paActivity) {
    const activity = window.__paActivity = {count: 0};
    const counted = (proto, names) => names.forEach(name => {
      const draw = proto && proto[name];
      if (draw) proto[name] = function (...args) { activity.count++; return draw.apply(this, args); };
    });
    const gl = ['clear', 'drawArrays', 'drawElements', 'drawArraysInstanced', 'drawElementsInstanced'];
    counted(window.WebGLRenderingContext?.prototype, gl);
    counted(window.WebGL2RenderingContext?.prototype, gl);
    counted(CanvasRenderingContext2D.prototype,
            ['clearRect', 'fillRect', 'fill', 'stroke', 'fillText', 'drawImage', 'putImageData']);
    new MutationObserver(() => { activity.count++; })
      .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
    return -1;
  }
  const moving = document.getAnimations().some(a => a.playState === 'running'
    && a.effect && a.effect.getComputedTiming().endTime !== Infinity);
  const loading = document.fonts.status !== 'loaded' || [...document.images].some(i => !i.complete);
  const scrolled = [document.scrollingElement, ...document.querySelectorAll(
    '[data-testid=stMain], [data-testid=stAppViewContainer], [data-testid=stSidebarContent]')]
    .map(e => e ? `${e.scrollLeft},${e.scrollTop}` : '').join(';');
  return moving || loading ? -1 : `${window.__paActivity.count} ${scrolled}`;
}"""


def wait_idle(page, still: bool = True) -> None:
    """Until the script has finished (Streamlit's script state on its root element) and, with `still`,
    nothing has been drawn or changed on the screen (ACTIVITY) — both for QUIET_POLLS looks in a row;
    fails at the deadline."""
    deadline = time.monotonic() + LOAD_TIMEOUT / 1000
    quiet, previous = 0, None
    while quiet < QUIET_POLLS:
        if time.monotonic() > deadline:
            pytest.fail(f"the page did not settle within {LOAD_TIMEOUT / 1000:.0f} s")
        page.wait_for_timeout(POLL_MS)
        activity = page.evaluate(ACTIVITY) if still else 0
        quiet = quiet + 1 if not page.evaluate(RUNNING) and activity != -1 and activity == previous else 0
        previous = activity


def year_slider(page):
    """The year control of the county map (the main area's first slider; the sidebar has the exit range)."""
    return page.locator('[data-testid="stMain"] [data-testid="stSlider"] input[type="range"]').first


def canvas_image(page, index: int = 0) -> Image.Image:
    """Map canvas `index` once deck.gl has finished drawing: two screenshots in a row agree (fails at the deadline)."""
    canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').nth(index)
    canvas.wait_for(state="visible", timeout=LOAD_TIMEOUT)
    previous = canvas.screenshot(timeout=LOAD_TIMEOUT)
    deadline = time.monotonic() + LOAD_TIMEOUT / 1000
    while True:
        page.wait_for_timeout(POLL_MS)
        current = canvas.screenshot(timeout=LOAD_TIMEOUT)
        if current == previous:
            return Image.open(io.BytesIO(current)).convert("RGB")
        if time.monotonic() > deadline:
            pytest.fail(f"the map canvas kept changing for {LOAD_TIMEOUT / 1000:.0f} s")
        previous = current


def drawn_pixels(image: Image.Image) -> int:
    """Pixels that differ from the canvas's corner colour (its background)."""
    pixels = np.asarray(image, dtype=np.int16)
    return int((np.abs(pixels - pixels[2, 2]).max(axis=2) > 24).sum())


def differing_pixels(a: Image.Image, b: Image.Image) -> int:
    return int((np.abs(np.asarray(a, dtype=np.int16) - np.asarray(b, dtype=np.int16)).max(axis=2) > 24).sum())


# Opened on a page URL, Streamlit's frontend first probes for its server under that path.
BENIGN_404 = re.compile(r"^404 http://127\.0\.0\.1:\d+/[a-z_]+/_stcore/(health|host-config)$")


def assert_clean(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, "an exception box is shown"
    failed = [r for r in page.failed_requests if not BENIGN_404.match(r)]
    assert not failed, failed
    # Failed loads are judged by their URL above; every other console error fails the test.
    errors = [e for e in page.console_errors if not e.startswith("Failed to load resource")]
    assert not errors, errors
    # The page fixture's tabs record what they asked of other hosts (and were refused): nothing.
    outside = getattr(page.context, "outside_requests", [])
    assert not outside, f"requests to another host: {sorted(set(outside))}"


def test_year_control_changes_the_map(page, server) -> None:
    open_page(page, server, "county_map?year=2016")
    before = canvas_image(page)
    thumb = year_slider(page)
    thumb.focus()
    for _ in range(3):
        thumb.press("ArrowRight")
    wait_idle(page)
    assert "year=2019" in page.url
    after = canvas_image(page)
    assert differing_pixels(before, after) > 500, "changing the year did not change the map"
    assert_clean(page)
    page.screenshot(path=SHOTS / "county_map_2019.png", full_page=True)


def test_filter_changes_the_map_and_zooms(page, server) -> None:
    open_page(page, server, "county_map")
    before = canvas_image(page)
    page.goto(f"{server}/county_map?prov=510000", wait_until="domcontentloaded")
    wait_idle(page)
    after = canvas_image(page)
    assert differing_pixels(before, after) > 2000
    assert_clean(page)


def test_url_state_reopens_the_same_view(page, server) -> None:
    open_page(page, server, "county_map?lang=en&year=2018&layer=exit&prov=510000")
    assert_clean(page)
    assert page.get_by_text("County map").first.is_visible()
    assert year_slider(page).get_attribute("value") == "2018"
    assert drawn_pixels(canvas_image(page)) > 0
    assert page.get_by_text("Sichuan").first.is_visible()
    for key in ("year=2018", "layer=exit", "prov=510000", "lang=en"):
        assert key in page.url
    page.screenshot(path=SHOTS / "county_map_url_state.png", full_page=True)


def test_export_downloads_valid_geojson_of_the_filter(page, server) -> None:
    open_page(page, server, "export?prov=510000")
    assert_clean(page)
    with page.expect_download(timeout=LOAD_TIMEOUT) as info:
        page.locator('[data-testid="stDownloadButton"] button', has_text="GeoJSON").click()
    download = info.value
    assert download.suggested_filename == "poverty-counties_prov-510000.geojson"
    collection = json.loads(open(download.path(), encoding="utf-8").read())
    assert collection["type"] == "FeatureCollection"
    assert collection["features"], "empty export"
    assert {f["properties"]["province_code"] for f in collection["features"]} == {"510000"}
    assert collection["metadata"]["crs"] == "EPSG:4326"
    assert collection["metadata"]["feature_count"] == len(collection["features"])


def test_presenter_mode_hides_the_sidebar(page, server) -> None:
    # play=0: an element screenshot never becomes stable while the years auto-play.
    open_page(page, server, "county_map?present=1&play=0")
    assert drawn_pixels(canvas_image(page)) > 0
    assert_clean(page)
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    page.screenshot(path=SHOTS / "county_map_presenter.png", full_page=True)


def test_hostile_url_shows_a_notice_and_no_markup(page, server) -> None:
    open_page(page, server, "county_map?year=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&zzz=1")
    assert_clean(page)
    assert page.locator('[data-testid="stAlertContainer"]').first.is_visible()
    assert page.locator("img[src=x]").count() == 0


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def map_point(page, view: tuple[float, float, float], lon: float, lat: float) -> tuple[float, float]:
    """Where (lon, lat) is on the page, for a deck.gl map showing `view` (lat, lon, zoom; 512 px tiles)."""
    box = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first.bounding_box()
    scale = 512 * 2 ** view[2]
    return (
        box["x"] + box["width"] / 2 + (lon - view[1]) / 360 * scale,
        box["y"] + box["height"] / 2 - (_mercator_y(lat) - _mercator_y(view[0])) / (2 * math.pi) * scale,
    )


def wait_quiet(page, quiet_ms: int = 1500) -> None:
    """Until the page's main thread has run no long task for `quiet_ms` (deck.gl has drawn and settled).
    deck.gl picks on pointer-down: a click arriving while a long draw runs is not a tap any more."""
    page.evaluate(
        """(quiet) => new Promise(resolve => {
        let last = performance.now();
        new PerformanceObserver(list => { last = performance.now(); }).observe({type: "longtask"});
        const check = () => performance.now() - last >= quiet ? resolve() : setTimeout(check, 200);
        check();
    })""",
        quiet_ms,
    )


def hover_then_click(page, point: tuple[float, float], name: str, opened) -> None:
    """Click as a person does: point at the feature, see its tooltip (its layer is loaded and picks),
    let the map settle, click, and click again if the click went unnoticed. deck.gl picks on
    pointer-down and drops a tap whose pick outlasts its tap time, as a software renderer on a busy
    machine can; a second click on a registered selection would clear it, so click again only while
    the page has sent its server nothing."""
    wait_quiet(page)
    page.mouse.move(*point)
    page.locator(".deck-tooltip", has_text=name).wait_for(timeout=LOAD_TIMEOUT)
    for _attempt in range(3):
        wait_quiet(page)
        sent = len(page.frames_sent)
        page.mouse.click(*point)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and len(page.frames_sent) == sent:
            try:
                opened.wait_for(timeout=500)
                return
            except PlaywrightTimeout:
                pass
        if len(page.frames_sent) > sent:
            break
    opened.wait_for(timeout=LOAD_TIMEOUT)


def largest_poverty_county(province: str):
    from loaders.geo_io import load_layer
    from loaders.schema import POVERTY_COUNTIES
    from loaders.tables import read_table

    counties = load_layer("counties")
    poverty = read_table(POVERTY_COUNTIES)
    inside = counties[counties["code"].isin(poverty["code"]) & (counties["province_code"] == province)]
    return inside.sort_values("area_km2", ascending=False).iloc[0]


@pytest.mark.parametrize(
    ("query", "view", "province"),
    [
        ("view=35,104,2.75", (35.0, 104.0, 2.75), "540000"),  # national view
        ("prov=510000&view=30.6,102.7,5.4", (30.6, 102.7, 5.4), "510000"),  # zoomed: Sichuan in detail
    ],
)
def test_clicking_a_county_opens_its_facts(page, server, query, view, province) -> None:
    county = largest_poverty_county(province)
    open_page(page, server, f"county_map?{query}")
    assert drawn_pixels(canvas_image(page)) > 0
    point = county.geometry.representative_point()
    panel = page.locator('[data-testid="stMain"]')
    heading = panel.get_by_role("heading", name=county["name_zh"]).first
    hover_then_click(page, map_point(page, view, point.x, point.y), county["name_zh"], heading)
    wait_idle(page)
    assert panel.locator('a[href^="./sources?source="]').count() > 0, "no source link for the county"
    assert f"county={county['code']}" in page.url
    assert_clean(page)
    page.screenshot(path=SHOTS / f"county_map_click_{province}.png", full_page=True)


def test_clicking_an_area_opens_its_facts(page, server) -> None:
    from loaders.geo_io import load_layer

    outlines = load_layer("area_outlines")
    area = outlines[outlines["kind"] == "area"].sort_values("poverty_county_count", ascending=False).iloc[0]
    open_page(page, server, "areas")
    assert drawn_pixels(canvas_image(page)) > 0
    point = area.geometry.representative_point()
    heading = page.locator('[data-testid="stMain"]').get_by_role("heading", name=area["name_zh"]).first
    hover_then_click(page, map_point(page, (35.0, 104.0, 2.75), point.x, point.y), area["name_zh"], heading)
    wait_idle(page)
    assert f"unit={area['unit_id']}" in page.url
    assert page.locator('[data-testid="stMain"] a[href^="./sources?source="]').count() > 0
    assert_clean(page)
    page.screenshot(path=SHOTS / "areas_click.png", full_page=True)
