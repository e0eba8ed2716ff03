"""What a person waits for in the browser (headless Chromium, Playwright), for `benchmarks.run`.

- page open → content drawn: navigation start until the page's script has finished (Streamlit's
  `script_finished` on the websocket), its title is shown and, on map pages, the deck.gl canvas
  has drawn (≥ 0.2% of it painted); warm server, the browser's HTTP cache as a returning visitor
  has it (after one visit to every page). The times are taken where they happen (the page's own clock, the
  websocket message's arrival), not by polling, so the figure holds no polling interval;
- year step → new colours: a key press on the year slider until the first animation frame that
  shows the map's final state (the canvas read in the page each frame, `drawImage` of the WebGL
  canvas into a small 2D canvas, no screenshot polling in the figure; final: unchanged for 1.5 s
  after the script finished); a canvas screenshot then confirms > 200 pixels changed (9 counties
  of Guizhou in the naive app);
- websocket bytes per year step: payloads the browser received from the key press until the
  script finished;
- a province (PROVINCE_PATH, Sichuan 2018): its page open and year step, measured the same way
  (repeated against the national view in benchmarks.province_bench).
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, field

CANVAS = '[data-testid="stDeckGlJsonChart"] canvas'
TIMEOUT_MS = 150_000
OUR_PAGES = ("", "county_map", "areas", "trends", "export", "sources")
MAP_PAGES = {"", "county_map", "areas", "trends"}

# Every animation frame of every page: when the title first shows, and when the map canvas first
# has ≥ 0.2% of its pixels painted (a 128×128 copy, so reading it costs little).
PAGE_CLOCK = """
(() => {
  window.__titleAt = null; window.__drawnAt = null;
  const copy = document.createElement('canvas'); copy.width = 128; copy.height = 128;
  const tick = () => {
    if (window.__titleAt === null && document.querySelector('[data-testid="stMain"] h1'))
      window.__titleAt = performance.now();
    const source = document.querySelector('[data-testid="stDeckGlJsonChart"] canvas');
    if (window.__drawnAt === null && source && source.width > 0) {
      const context = copy.getContext('2d', {willReadFrequently: true});
      context.clearRect(0, 0, 128, 128); context.drawImage(source, 0, 0, 128, 128);
      const d = context.getImageData(0, 0, 128, 128).data; let painted = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) painted++;
      if (painted >= 0.002 * 128 * 128) window.__drawnAt = performance.now();
    }
    if (window.__titleAt === null || window.__drawnAt === null) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
"""

# Each animation frame, a 96×96 copy of the map canvas is hashed; every change is logged with its time.
WATCH_CANVAS = """
() => {
  const source = document.querySelector('[data-testid="stDeckGlJsonChart"] canvas');
  const copy = document.createElement('canvas'); copy.width = 96; copy.height = 96;
  const context = copy.getContext('2d', {willReadFrequently: true});
  const signature = () => {
    context.clearRect(0, 0, 96, 96); context.drawImage(source, 0, 0, 96, 96);
    const d = context.getImageData(0, 0, 96, 96).data; let h = 0;
    for (let i = 0; i < d.length; i += 4) h = (h * 31 + d[i] + 7 * d[i + 1] + 13 * d[i + 2]) >>> 0;
    return h;
  };
  window.__canvasLog = [[performance.now(), signature()]]; window.__watching = true;
  const watch = () => {
    const now = signature();
    if (now !== window.__canvasLog[window.__canvasLog.length - 1][1]) window.__canvasLog.push([performance.now(), now]);
    if (window.__watching) requestAnimationFrame(watch);
  };
  requestAnimationFrame(watch);
  return performance.now();
}
"""
STABLE_MS = 1500  # the canvas unchanged this long after the script finished: its final colours are drawn
CHANGED_PX = 200


def _settled(page) -> list[list[float]]:
    """Waits until the watched canvas has not changed for STABLE_MS; its log of changes."""
    page.wait_for_function(
        f"performance.now() - window.__canvasLog[window.__canvasLog.length - 1][0] > {STABLE_MS}", timeout=TIMEOUT_MS
    )
    return page.evaluate("window.__watching = false, window.__canvasLog")


def _step_seconds(page, clock: ScriptClock, started: float) -> float:
    """From `started` (page clock) to the first frame showing the canvas's final state."""
    deadline = time.perf_counter() + TIMEOUT_MS / 1000
    while not clock.finished:
        if time.perf_counter() > deadline:
            raise TimeoutError("no script_finished")
        page.wait_for_timeout(50)
    log = _settled(page)
    final = log[-1][1]
    return (next(t for t, sig in log if sig == final) - started) / 1000


FINISHED = {"FINISHED_SUCCESSFULLY", "FINISHED_FRAGMENT_RUN_SUCCESSFULLY"}


@dataclass
class BrowserFigures:
    page_open_s: dict[str, float] = field(default_factory=dict)
    step_s: float | None = None
    step_ws_bytes: int | None = None
    province_step_s: float | None = None
    errors: list[str] = field(default_factory=list)


class ScriptClock:
    """Wall-clock times (epoch ms) at which the page's websocket brought `script_finished`."""

    def __init__(self, page) -> None:
        self.finished: list[float] = []
        self.received = 0
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload: bytes | str) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self.received += len(payload)
        if isinstance(payload, str) or len(payload) > 256:  # script_finished: under 100 bytes
            return
        msg = ForwardMsg()
        try:
            msg.ParseFromString(payload)
        except Exception:  # noqa: BLE001 - not a ForwardMsg: not ours to time
            return
        if msg.WhichOneof("type") == "script_finished":
            if ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished) in FINISHED:
                self.finished.append(time.time() * 1000)


def _image(png: bytes):
    from PIL import Image

    return Image.open(io.BytesIO(png)).convert("RGB")


def _differing(a, b) -> int:
    return sum(1 for p, q in zip(a.getdata(), b.getdata()) if max(abs(x - y) for x, y in zip(p, q)) > 24)


def _idle(page) -> None:
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT_MS)


def open_page(page, clock: ScriptClock, url: str, is_map: bool) -> float:
    """Seconds from navigation start to the script finished, the title shown and the map drawn."""
    clock.finished.clear()
    page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    origin = page.evaluate("performance.timeOrigin")
    page.wait_for_function("window.__titleAt !== null", timeout=TIMEOUT_MS)
    if is_map:
        page.wait_for_function("window.__drawnAt !== null", timeout=TIMEOUT_MS)
    deadline = time.perf_counter() + TIMEOUT_MS / 1000
    while not clock.finished:  # the message's own arrival time is kept: this wait adds nothing
        if time.perf_counter() > deadline:
            raise TimeoutError("no script_finished")
        page.wait_for_timeout(50)
    marks = [clock.finished[0] - origin, page.evaluate("window.__titleAt")]
    if is_map:
        marks.append(page.evaluate("window.__drawnAt"))
    return max(marks) / 1000


# A province's own view (Sichuan, whose counties are the most of any province's), opened and stepped
# like the national view.
PROVINCE_PATH = "county_map?prov=510000&year=2018"
NATIONAL_PATH = "county_map?year=2016"  # the national view's year step, its counterpart


@dataclass(frozen=True)
class Step:
    """One year step: seconds to the new colours (None when the canvas did not change), when the
    server's script run ended (seconds after the key press: the rest is the browser's), websocket bytes."""

    seconds: float | None
    script_s: float
    ws_bytes: int
    error: str = ""


def year_step(page, clock: ScriptClock, url: str, key: str) -> Step:
    """Open `url` (a map page), press `key` on its first slider and time it."""
    open_page(page, clock, url, True)
    _idle(page)
    page.evaluate(WATCH_CANVAS)
    _settled(page)
    canvas = page.locator(CANVAS).first
    before = _image(canvas.screenshot(timeout=TIMEOUT_MS))
    slider = page.locator('[data-testid="stMain"] [data-testid="stSlider"] input[type="range"]').first
    slider.focus()
    clock.received = 0
    clock.finished.clear()
    started = page.evaluate(WATCH_CANVAS)
    slider.press(key)
    step_s = _step_seconds(page, clock, started)
    script_s = (clock.finished[0] - page.evaluate("performance.timeOrigin") - started) / 1000
    after = _image(canvas.screenshot(timeout=TIMEOUT_MS))
    changed = _differing(before, after)
    if changed > CHANGED_PX:
        return Step(step_s, script_s, clock.received)
    return Step(None, script_s, clock.received, f"year step: the canvas changed in {changed} pixels only")


def measure(
    browser, base_url: str, pages: tuple[str, ...], step_path: str, key: str, province_path: str = ""
) -> BrowserFigures:
    """Page opens for `pages`, then one year step on `step_path` by pressing `key` on its first slider;
    with `province_path`, that page's open (as a returning visitor) and year step too."""
    figs = BrowserFigures()
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.add_init_script(PAGE_CLOCK)
        clock = ScriptClock(page)
        opened = [*pages, province_path] if province_path else list(pages)
        for name in opened:  # a returning visitor: every page's files are in the HTTP cache
            open_page(page, clock, f"{base_url}/{name}", name.split("?")[0] in MAP_PAGES)
        for name in opened:
            try:
                figs.page_open_s[name] = open_page(page, clock, f"{base_url}/{name}", name.split("?")[0] in MAP_PAGES)
            except Exception as exc:  # noqa: BLE001 - report, carry on
                figs.errors.append(f"open {name or 'overview'}: {type(exc).__name__}"[:160])
        step = year_step(page, clock, f"{base_url}/{step_path}", key)
        figs.step_s, figs.step_ws_bytes = step.seconds, step.ws_bytes
        figs.errors += [step.error] if step.error else []
        if province_path:
            step = year_step(page, clock, f"{base_url}/{province_path}", key)
            figs.province_step_s = step.seconds
            figs.errors += [f"province {step.error}"] if step.error else []
    except Exception as exc:  # noqa: BLE001
        figs.errors.append(f"{type(exc).__name__}: {exc}"[:200])
    finally:
        context.close()
    return figs
