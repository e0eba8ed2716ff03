"""An official's first minutes (issue 29): a click on the national map opens the county on the first
try in software WebGL, a county outside the 832 says so, the keyboard reaches a county in a few stops."""

from __future__ import annotations

import pytest
from test_browser import LOAD_TIMEOUT, SHOTS, assert_clean, canvas_image, map_point, open_page, wait_idle, wait_quiet

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
