"""Stories and files for a room with no network, measured: `python -m benchmarks.story_bench`
(part of `make bench`). Prints the figures and writes benchmarks/latest_story.md.

- next slide → the slide's view drawn: in headless Chromium (software WebGL) at 1366×768, the
  bundled six-slide story played with PageDown; from the key press (the page's own clock, a
  keydown listener) to the first animation frame that shows the slide's final state: its number
  and year on screen, the script finished, and the map canvas unchanged for 1.5 s after (read in the
  page each frame, a 96×96 copy hashed). Targets: ≤ 1 s.
- the six-slide story to PPTX and to PDF, each from scratch (its six map images drawn, as a click
  in the app does; the image outlines prepared once per process beforehand, as the app caches them,
  their drawing paths made on first use: the first run is the slowest, every run is listed).
  Target ≤ 10 s each.
- the year play of the county map's default view (2015–2020, six frames) to GIF and to MP4, frames
  drawn and encoded. Target ≤ 5 s each.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable

from benchmarks.browser import TIMEOUT_MS
from benchmarks.common import CHROMIUM, CHROMIUM_ARGS, OUR_APP, ROOT, Server

STORY_REPORT = ROOT / "benchmarks" / "latest_story.md"
STORY_TARGETS = {
    "next slide": 1.0,
    "story → PPTX": 10.0,
    "story → PDF": 10.0,
    "6 years → GIF": 5.0,
    "6 years → MP4": 5.0,
}

# Resolves with the time of the first animation frame showing the slide's final state.
SLIDE_DRAWN = """([number, year]) => new Promise(resolve => {
  const copy = document.createElement('canvas'); copy.width = 96; copy.height = 96;
  const context = copy.getContext('2d', {willReadFrequently: true});
  const signature = () => {
    const source = document.querySelector('[data-testid="stDeckGlJsonChart"] canvas');
    if (!source || !source.width) return null;
    context.clearRect(0, 0, 96, 96); context.drawImage(source, 0, 0, 96, 96);
    const d = context.getImageData(0, 0, 96, 96).data; let h = 0;
    for (let i = 0; i < d.length; i += 4) h = (h * 31 + d[i] + 7 * d[i + 1] + 13 * d[i + 2]) >>> 0;
    return h;
  };
  let since = null, last = null;
  const tick = () => {
    const n = document.querySelector('[data-testid="pa-story-number"]');
    const y = document.querySelector('[data-testid="pa-year"]');
    const shown = n && n.textContent.trim() === number && y && y.textContent.trim() === year
      && !document.querySelector('[data-testid="stStatusWidget"]');
    const now = performance.now();
    const sig = shown ? signature() : null;
    if (sig === null) { since = null; last = null; }
    else if (sig !== last) { last = sig; since = now; }
    else if (now - since > 1500) return resolve(since);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})"""
KEY_CLOCK = """() => { window.__keyAt = null;
  if (!window.__keyClock) { window.__keyClock = true;
    window.addEventListener('keydown', () => { window.__keyAt = performance.now(); }, true); } }"""


def timed(build: Callable[[], bytes], repeats: int) -> tuple[list[float], list[float], int]:
    """Wall-clock and CPU seconds of each run (the CPU time shows what a busy machine adds), and the size."""
    times, cpu, size = [], [], 0
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        size = len(build())
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return times, cpu, size


def file_figures(repeats: int) -> tuple[dict[str, tuple[list[float], list[float], int]], float]:
    from atlas import image_geometry, slide_images, story, story_pdf, story_pptx, year_play
    from atlas.i18n import pick_name
    from atlas.sources_view import short_citation
    from atlas.url_state import ViewState
    from loaders.data import load_atlas, with_boundary_attributes
    from loaders.schema import data_root
    from pipeline.stories import EXITS_FILE

    data = load_atlas(data_root())
    poverty = with_boundary_attributes(data.poverty, data.counties)
    started = time.perf_counter()
    geometry = image_geometry.prepare(data.counties, data.provinces, data.country, data.maritime, data.outlines)
    prepare_s = time.perf_counter() - started
    names = {
        c: pick_name(z, e, "zh")
        for c, z, e in zip(data.provinces["code"], data.provinces["name_zh"], data.provinces["name_en"])
    }
    ing = slide_images.Ingredients(
        poverty,
        geometry,
        names,
        dict(zip(data.areas["area_id"], data.areas["name_zh"])),
        {row["source_id"]: short_citation(row) for row in data.sources.to_dict("records")},
    )
    built = story.bundled()[EXITS_FILE]
    view = ViewState()
    return {
        "story → PPTX": timed(lambda: story_pptx.story_pptx(built, ing, "zh"), repeats),
        "story → PDF": timed(lambda: story_pdf.story_pdf(built, ing, "zh"), repeats),
        "6 years → GIF": timed(lambda: year_play.to_gif(year_play.year_frames(view, ing, "zh")), repeats),
        "6 years → MP4": timed(lambda: year_play.to_mp4(year_play.year_frames(view, ing, "zh")), repeats),
    }, prepare_s


def slide_steps() -> list[float]:
    """Seconds from each PageDown to the next slide drawn, slides 2–6 of the bundled story."""
    import json

    from playwright.sync_api import sync_playwright

    from atlas.story import STORIES_DIR
    from pipeline.stories import EXITS_FILE

    slides = json.loads((STORIES_DIR / EXITS_FILE).read_text(encoding="utf-8"))["slides"]
    years = [s["view"].get("year", "2020") for s in slides]
    with Server(OUR_APP) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
        page.goto(f"{server.url}/story", timeout=TIMEOUT_MS)
        page.locator('[data-testid="stButton"] button', has_text="打开示例故事").click(timeout=TIMEOUT_MS)
        page.wait_for_selector(".st-key-story_play button", timeout=TIMEOUT_MS)
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT_MS)
        page.locator(".st-key-story_play button").click(timeout=TIMEOUT_MS)
        page.evaluate(SLIDE_DRAWN, [f"1 / {len(years)}", years[0]])
        steps = []
        for index in range(1, len(years)):
            page.evaluate(KEY_CLOCK)
            page.keyboard.press("PageDown")
            drawn = page.evaluate(SLIDE_DRAWN, [f"{index + 1} / {len(years)}", years[index]])
            steps.append((drawn - page.evaluate("window.__keyAt")) / 1000)
        browser.close()
    return steps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    rows: list[tuple[str, str, str, str]] = []
    files, prepare_s = file_figures(args.repeats)
    for name, (times, cpu, size) in files.items():
        median = statistics.median(times)
        rows.append(
            (
                name,
                f"{median:.2f} s (runs {', '.join(f'{t:.2f}' for t in times)}; CPU {statistics.median(cpu):.2f} s)",
                f"{size / 1e6:.2f} MB",
                _verdict(median, name),
            )
        )
    steps = slide_steps()
    median = statistics.median(steps)
    rows.insert(
        0,
        (
            "next slide",
            f"{median:.2f} s median, {max(steps):.2f} s max ({', '.join(f'{s:.2f}' for s in steps)})",
            "",
            _verdict(median, "next slide"),
        ),
    )
    lines = [
        "# Stories and files for a room with no network: measured",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC · `python -m benchmarks.story_bench` · "
        f"image outlines prepared once per process: {prepare_s:.2f} s (not in the figures) · "
        f"load average at the end {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
        "",
        "| what | time | file | target |",
        "| --- | --- | --- | --- |",
        *[f"| {name} | {figure} | {size} | {verdict} |" for name, figure, size, verdict in rows],
        "",
    ]
    text = "\n".join(lines)
    print(text)
    STORY_REPORT.write_text(text, encoding="utf-8")
    return 0


def _verdict(seconds: float, name: str) -> str:
    target = STORY_TARGETS[name]
    return f"≤ {target:g} s: {'met' if seconds <= target else 'MISSED'}"


if __name__ == "__main__":
    sys.exit(main())
