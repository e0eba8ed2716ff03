"""A real browser through HAProxy (`make serve`): its worker is killed, it comes back on its view.

Two workers and HAProxy on free loopback ports (deploy/serve.py). Chromium opens the county map
on a view, moves the year, then the worker holding its session is killed: Streamlit's frontend
reconnects to the same URL, HAProxy redispatches it to the live worker (and re-cookies it there);
the next step runs the page there from its URL, and the controls answer again.
"""

from __future__ import annotations

import re
import shutil
import signal
import time
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from benchmarks.common import ROOT, free_port
from deploy.serve import AFFINITY_COOKIE, SECRET_ENV, Cluster
from tests.e2e.test_browser import SHOTS, wait_idle

# Browser tests through HAProxy and two workers need the built geodata and Debian's haproxy
NEEDS_CLUSTER = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("balancer_and_load"),  # one after another: they time and kill servers
    pytest.mark.skipif(not (ROOT / "geodata" / "counties.parquet").is_file(), reason="geodata not built"),
    pytest.mark.skipif(
        not (shutil.which("haproxy") or Path("/usr/sbin/haproxy").exists()),
        reason="haproxy missing: `make haproxy` installs Debian's package",
    ),
]
pytestmark = NEEDS_CLUSTER

TIMEOUT = 90_000  # ms; the live worker runs the page again on a busy machine
STEP_WAIT = 15_000  # ms; a key press that has not moved the slider by then is pressed again
SLIDER = '[data-testid="stMain"] [data-testid="stSlider"] input[type="range"]'


def slider_shows(page, year: int) -> None:
    page.wait_for_function(
        f"() => {{ const s = document.querySelector('{SLIDER}'); return s && s.value === '{year}'; }}",
        timeout=TIMEOUT,
    )


def url_year(url: str) -> int | None:
    found = re.search(r"[?&]year=(\d+)", url)
    return int(found.group(1)) if found else None


def step_right(page, year: int) -> int:
    """Step the year slider right until the server has taken a step (the URL names a later year), and
    return that year. A key pressed while the page is redrawn can be lost or undone (as a person's
    would be, who presses again): pressed again when the URL has not moved within STEP_WAIT, left
    instead at the slider's end."""
    deadline = time.monotonic() + TIMEOUT / 1000
    while True:
        slider = page.locator(SLIDER).first
        slider.focus()
        page.keyboard.press("ArrowLeft" if slider.input_value() == slider.get_attribute("max") else "ArrowRight")
        try:
            page.wait_for_url(lambda url: (url_year(url) or 0) > year, timeout=STEP_WAIT)
            return url_year(page.url)
        except PlaywrightTimeout:
            if time.monotonic() > deadline:
                raise


def worker_cookie(context) -> str:
    return next((c["value"] for c in context.cookies() if c["name"] == AFFINITY_COOKIE), "")


@pytest.fixture
def cluster(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(SECRET_ENV, "test-secret-shared-by-the-workers")
    with Cluster([free_port(), free_port()], free_port(), config=tmp_path / "haproxy.cfg", log_dir=tmp_path) as c:
        yield c


def test_a_browser_whose_worker_dies_comes_back_on_its_view(browser, cluster: Cluster) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(f"{cluster.url}/county_map?year=2016&layer=exit", wait_until="domcontentloaded")
        slider_shows(page, 2016)
        wait_idle(page, still=False)
        year = step_right(page, 2016)
        first = worker_cookie(context)
        assert first in cluster.names()

        cluster.workers[first].send_signal(signal.SIGKILL)
        cluster.workers[first].wait(timeout=10)
        live = next(name for name in cluster.names() if name != first)

        # The frontend reconnects: its health probe and websocket now carry the live worker's cookie.
        deadline = time.monotonic() + TIMEOUT / 1000
        while worker_cookie(context) != live and time.monotonic() < deadline:
            page.wait_for_timeout(250)  # poll interval
        assert worker_cookie(context) == live, "the browser did not reconnect through the balancer"
        # The live worker runs the page again for a session new to it: back on the same year and layer,
        # and its next step answers as before.
        wait_idle(page, still=False)
        slider_shows(page, year)
        page.wait_for_selector('[data-testid="stDeckGlJsonChart"] canvas', timeout=TIMEOUT)
        assert step_right(page, year) > year
        assert "layer=exit" in page.url
        assert page.locator('[data-testid="stException"]').count() == 0
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / "failover_back_on_view.png")
    finally:
        context.close()
