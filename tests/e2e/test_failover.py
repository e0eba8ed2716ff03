"""A real browser through HAProxy (`make serve`): its worker is killed, it comes back on its view.

Two workers and HAProxy on free loopback ports (deploy/serve.py). Chromium opens the county map
on a view, moves the year, then the worker holding its session is killed: Streamlit's frontend
reconnects to the same URL, HAProxy redispatches it to the live worker (and re-cookies it there);
the next step runs the page there from its URL, and the controls answer again.
"""

from __future__ import annotations

import shutil
import signal
import time
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from benchmarks.common import ROOT, free_port
from deploy.serve import AFFINITY_COOKIE, SECRET_ENV, Cluster

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not (ROOT / "geodata" / "counties.parquet").is_file(), reason="geodata not built"),
    pytest.mark.skipif(
        not (shutil.which("haproxy") or Path("/usr/sbin/haproxy").exists()),
        reason="haproxy missing: `make haproxy` installs Debian's package",
    ),
]

TIMEOUT = 90_000  # ms; the live worker runs the page again on a busy machine
STEP_WAIT = 15_000  # ms; a key press that has not moved the slider by then is pressed again
SHOTS = ROOT / "artifacts" / "screenshots"
SLIDER = '[data-testid="stMain"] [data-testid="stSlider"] input[type="range"]'
IDLE = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"


def slider_shows(page, year: int) -> None:
    page.wait_for_function(
        f"() => {{ const s = document.querySelector('{SLIDER}'); return s && s.value === '{year}'; }}",
        timeout=TIMEOUT,
    )


def step_right(page, year: int) -> int:
    """One step right on the year slider, repeated while the slider still shows `year`: a key pressed
    while the live worker redraws the page can land on a slider that is being replaced. Returns the
    year the slider moved to."""
    moved = f"() => {{ const s = document.querySelector('{SLIDER}'); return s && s.value !== '{year}'; }}"
    deadline = time.monotonic() + TIMEOUT / 1000
    while True:
        page.locator(SLIDER).first.focus()
        page.keyboard.press("ArrowRight")
        try:
            page.wait_for_function(moved, timeout=STEP_WAIT)
            break
        except PlaywrightTimeout:
            if time.monotonic() > deadline:
                raise
    return int(page.locator(SLIDER).first.input_value())


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
        page.wait_for_function(IDLE, timeout=TIMEOUT)
        page.locator(SLIDER).first.focus()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        page.wait_for_url("**year=2018**", timeout=TIMEOUT)
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
        page.wait_for_function(IDLE, timeout=TIMEOUT)
        # The next step reaches a session new to the live worker: the page runs whole from its URL
        # (2018; that one step is lost with the worker), and then answers as before.
        page.locator(SLIDER).first.focus()
        page.keyboard.press("ArrowRight")
        slider_shows(page, 2018)
        page.wait_for_function(IDLE, timeout=TIMEOUT)
        page.wait_for_selector('[data-testid="stDeckGlJsonChart"] canvas', timeout=TIMEOUT)
        year = step_right(page, 2018)
        page.wait_for_url(f"**year={year}**", timeout=TIMEOUT)
        assert "layer=exit" in page.url
        assert page.locator('[data-testid="stException"]').count() == 0
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / "failover_back_on_view.png")
    finally:
        context.close()
