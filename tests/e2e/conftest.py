"""A real server and a real headless Chromium (Debian's), for the end-to-end tests.

The server is `streamlit run app.py` on a free loopback port; the browser is
/usr/bin/chromium driven by Playwright (never a downloaded browser). Screenshots
go to artifacts/screenshots/.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from tabs import fresh_tab, instrument, record_outside

from benchmarks.common import CHROMIUM, CHROMIUM_ARGS, free_port

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"


def wait_healthy(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the app did not answer at {url} within {seconds:.0f} s")


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    name = f"e2e-server-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.log"  # one server per xdist worker
    log = open(ROOT / "artifacts" / name, "w") if (ROOT / "artifacts").is_dir() else subprocess.DEVNULL
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "atlas.ui.server",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        wait_healthy(url, 60)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is not installed (make test installs it)")
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def shared_context(browser):
    """One browser context per test process: its HTTP cache keeps Streamlit's scripts and the maps'
    geometry from test to test (a fresh context per test cost ~1.5 CPU-s more per page opened). Offline is
    the promise: requests to another host fail (the browser's flags) and are recorded for assert_clean."""
    context = record_outside(
        browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="zh-CN")
    )
    yield context
    context.close()


@pytest.fixture
def page(shared_context, server):
    """A fresh tab. What a test leaves goes with it: its tabs, cookies, the app's local storage (see
    fresh_tab) and what it asked of other hosts."""
    shared_context.outside_requests.clear()
    yield instrument(fresh_tab(shared_context, server))
    for each in shared_context.pages:
        each.close()
    shared_context.clear_cookies()
