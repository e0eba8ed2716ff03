"""Every page in presenter mode, in a real headless Chromium: opened once at 1366×768, then resized to
1920×1080 (a presenter moving to another projector); what must fit, show and pass axe at each size."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from page_checks import axe_violations
from presenter_view import CANVASES_SIZED, READ_PAGE, READ_VIEW, SCREENS, inside, overlaps, whole_country
from test_browser import (
    LOAD_TIMEOUT,
    SHOTS,
    assert_clean,
    canvas_image,
    drawn_pixels,
    open_page,
    wait_idle,
)

from atlas.story import STORY_PAGES
from benchmarks.common import ROOT

pytestmark = pytest.mark.e2e

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
