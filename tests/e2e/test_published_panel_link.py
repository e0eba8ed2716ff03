"""Issue 26: a link holds the published panel column and year the County map shows. A synthetic panel is
published in a temporary SQLite store shared by two server processes (ATLAS_DATABASE_URL); a link
`county_map?ds=<id>@1&panel=<id>:<column>&pyear=2018` opened in Chromium on each process shows that
column as the map's layer at that year (its legend), cited, and its PNG download draws that column; moving
the slider writes the new year into the URL.
Every wait is on a condition."""

from __future__ import annotations

import hashlib
from urllib.parse import quote

import pandas as pd
import pytest
from PIL import Image

from atlas.datasets import SourceCitation, Store, operator
from benchmarks.common import OUR_APP, Server
from loaders.schema import data_root
from tests.e2e.test_browser import year_slider
from tests.e2e.test_published_everywhere import TIMEOUT, text_shows
from tests.published_fixtures import report_of

pytestmark = pytest.mark.e2e

COLUMN = "synthetic 人口"
THUMB = '[data-testid="stMain"] [data-testid="stSliderThumbValue"]'  # not the sidebar's exit-year range


def synthetic_panel() -> pd.DataFrame:
    """Two made-up value columns over 2017-2019 for 40 poverty counties."""
    counties = pd.read_csv(data_root() / "poverty_counties.csv", dtype=str).head(40)
    years = [2017, 2018, 2019]
    return pd.DataFrame(
        {
            "code": list(counties["code"]) * 3,
            "name_zh": list(counties["name_zh"]) * 3,
            "year": pd.array([y for y in years for _ in range(40)], dtype="Int64"),
            "synthetic_rate": [float(i % 7) for i in range(120)],
            COLUMN: [float(i % 5) * 1000 for i in range(120)],
        }
    )


def new_context(browser):
    """A browser context of its own (another host it cannot reach: the browser's flags)."""
    return browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")


def test_a_link_reopens_the_panel_column_and_year_on_any_worker(browser, tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'atlas.db'}"
    store = Store.open(url)
    rows = synthetic_panel()
    digest = hashlib.sha256(rows.to_csv(index=False).encode()).hexdigest()
    source = SourceCitation("Synthetic panel for tests", "Synthetic office", "2026-01", "tests/e2e")
    v = store.publish(
        "panel", "Synthetic panel", source, rows, report_of(rows), actor=operator(), file_name="p.csv", sha256=digest
    )
    store.close()
    link = f"county_map?lang=en&ds={v.ref}&panel={quote(f'{v.dataset_id}:{COLUMN}')}&pyear=2018"
    env = {"ATLAS_DATABASE_URL": url}
    with Server(OUR_APP, env=env) as first, Server(OUR_APP, env=env) as second:  # two workers, one store
        for server in (first, second):
            context = new_context(browser)
            page = context.new_page()
            try:
                page.goto(f"{server.url}/{link}", wait_until="domcontentloaded")
                text_shows(page, f"{COLUMN} · 2018")  # the legend: that column, that year, on the County map
                text_shows(page, f"Published data: “Synthetic panel” v1 ({v.ref})")
                text_shows(page, "2018", THUMB)
                assert page.locator('[data-testid="stException"]').count() == 0
                maps = page.locator('[data-testid="stDeckGlJsonChart"]')
                maps.first.wait_for(timeout=TIMEOUT)
                assert maps.count() == 1  # the County map itself, no second map under it
                if server is first:  # its image download draws the panel column, not a built-in layer
                    with page.expect_download(timeout=TIMEOUT) as info:
                        page.get_by_role("button", name="PNG", exact=True).first.click(timeout=TIMEOUT)
                    image = Image.open(info.value.path())
                    assert image.size == (1600, 1000) and image.info["Title"] == f"County map · {COLUMN}"
            finally:
                context.close()
        # A year picked moves into the URL: the link copied now holds it.
        context = new_context(browser)
        page = context.new_page()
        try:
            page.goto(f"{second.url}/{link}", wait_until="domcontentloaded")
            text_shows(page, "2018", THUMB)
            thumb = year_slider(page)
            thumb.focus()
            thumb.press("ArrowRight")
            page.wait_for_url("**pyear=2019**", timeout=TIMEOUT)
            text_shows(page, f"{COLUMN} · 2019")
        finally:
            context.close()
