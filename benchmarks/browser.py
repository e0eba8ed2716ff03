"""What a person waits for in the browser (headless Chromium, Playwright), for `benchmarks.run`.

- page open → content drawn: navigation start until the page's title is shown, the script has
  finished (Streamlit's status widget gone) and, on map pages, the deck.gl canvas has drawn;
  warm server, the browser's HTTP cache as a returning visitor has it (after one visit);
- year step → new colours: a key press on the year slider until the map canvas differs from
  before in > 500 pixels (polled by canvas screenshots: the figure includes ~0.1–0.5 s of polling);
- websocket bytes per year step: payloads the browser received from the key press until the
  script finished.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, field

CANVAS = '[data-testid="stDeckGlJsonChart"] canvas'
TIMEOUT_MS = 150_000
OUR_PAGES = ("", "county_map", "areas", "trends", "export", "sources")
MAP_PAGES = {"", "county_map", "areas", "trends"}


@dataclass
class BrowserFigures:
    page_open_s: dict[str, float] = field(default_factory=dict)
    step_s: float | None = None
    step_ws_bytes: int | None = None
    errors: list[str] = field(default_factory=list)


def _image(png: bytes):
    from PIL import Image

    return Image.open(io.BytesIO(png)).convert("RGB")


def _differing(a, b) -> int:
    return sum(1 for p, q in zip(a.getdata(), b.getdata()) if max(abs(x - y) for x, y in zip(p, q)) > 24)


def _idle(page) -> None:
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT_MS)


def _drawn(page) -> None:
    from benchmarks.run import canvas_drawn

    canvas = page.locator(CANVAS).first
    canvas.wait_for(timeout=TIMEOUT_MS)
    deadline = time.perf_counter() + TIMEOUT_MS / 1000
    while time.perf_counter() < deadline:
        if canvas_drawn(canvas.screenshot(timeout=TIMEOUT_MS))[0]:
            return
        page.wait_for_timeout(100)
    raise TimeoutError("canvas not drawn")


def open_page(page, url: str, is_map: bool) -> float:
    started = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded", timeout=TIMEOUT_MS)
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=TIMEOUT_MS)
    page.wait_for_timeout(300)  # the status widget appears once the script starts
    _idle(page)
    if is_map:
        _drawn(page)
    return time.perf_counter() - started


def measure(browser, base_url: str, pages: tuple[str, ...], step_path: str, key: str) -> BrowserFigures:
    """Page opens for `pages`, then one year step on `step_path` by pressing `key` on its first slider."""
    figs = BrowserFigures()
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    received = [0]
    try:
        page = context.new_page()
        page.on(
            "websocket",
            lambda ws: ws.on("framereceived", lambda payload: received.__setitem__(0, received[0] + len(payload))),
        )
        open_page(page, f"{base_url}/{pages[0]}", pages[0] in MAP_PAGES)  # a returning visitor's cache
        for name in pages:
            try:
                figs.page_open_s[name] = open_page(page, f"{base_url}/{name}", name in MAP_PAGES)
            except Exception as exc:  # noqa: BLE001 - report, carry on
                figs.errors.append(f"open {name or 'overview'}: {type(exc).__name__}"[:160])
        open_page(page, f"{base_url}/{step_path}", True)
        page.wait_for_timeout(1000)
        canvas = page.locator(CANVAS).first
        before = _image(canvas.screenshot(timeout=TIMEOUT_MS))
        slider = page.locator('[data-testid="stMain"] [data-testid="stSlider"] input[type="range"]').first
        slider.focus()
        received[0] = 0
        started = time.perf_counter()
        slider.press(key)
        while time.perf_counter() - started < TIMEOUT_MS / 1000:
            if _differing(before, _image(canvas.screenshot(timeout=TIMEOUT_MS))) > 500:
                figs.step_s = time.perf_counter() - started
                break
        page.wait_for_timeout(300)
        _idle(page)
        figs.step_ws_bytes = received[0]
    except Exception as exc:  # noqa: BLE001
        figs.errors.append(f"{type(exc).__name__}: {exc}"[:200])
    finally:
        context.close()
    return figs
