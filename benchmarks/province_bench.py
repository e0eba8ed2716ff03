"""A province's year step against the national view's, in headless Chromium (printed by `make bench`).

    python -m benchmarks.province_bench [--steps 5]

A returning visitor (both pages seen once) alternates the two views, `--steps` times each: open the
page, press → on the year slider, time it to the first animation frame showing the new colours
(benchmarks.browser.year_step: the canvas read in the page each frame). Each figure is the median,
with the range; "script ended" is when the server's run ended after the key press (the rest is the
browser: parsing the spec, deck.gl updating colours and drawing the frame in software WebGL). The
load average is printed before and after: the machine is shared, and a busy one slows the browser
more than the server.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from benchmarks.browser import NATIONAL_PATH, PAGE_CLOCK, PROVINCE_PATH, ScriptClock, Step, open_page, year_step
from benchmarks.common import CHROMIUM, CHROMIUM_ARGS, OUR_APP, ROOT, Server, fmt_bytes, load_average

VIEWS = {f"national view ({NATIONAL_PATH})": NATIONAL_PATH, f"Sichuan's own view ({PROVINCE_PATH})": PROVINCE_PATH}
TARGET_S = {NATIONAL_PATH: 0.5, PROVINCE_PATH: 1.0}
REPORT = ROOT / "benchmarks" / "latest_province.md"


def median_range(values: list[float]) -> str:
    if not values:
        return "–"
    return f"{statistics.median(values):.2f} s ({min(values):.2f}–{max(values):.2f})"


def run(steps: int) -> tuple[dict[str, list[Step]], dict[str, list[float]]]:
    from playwright.sync_api import sync_playwright

    taken: dict[str, list[Step]] = {path: [] for path in VIEWS.values()}
    opened: dict[str, list[float]] = {path: [] for path in VIEWS.values()}
    with Server(OUR_APP) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            page.add_init_script(PAGE_CLOCK)
            clock = ScriptClock(page)
            for path in VIEWS.values():  # a returning visitor: the files are in the HTTP cache
                open_page(page, clock, f"{server.url}/{path}", True)
            for _ in range(steps):
                for path in VIEWS.values():
                    opened[path].append(open_page(page, clock, f"{server.url}/{path}", True))
                    taken[path].append(year_step(page, clock, f"{server.url}/{path}", "ArrowRight"))
        finally:
            browser.close()
    return taken, opened


def report(taken: dict[str, list[Step]], opened: dict[str, list[float]], before: str, after: str) -> str:
    rows = [
        "| View | Year step → new colours (median, range) | Script ended after the key press | "
        "Websocket bytes per step | Warm page open → map drawn | Target (year step) |",
        "|---|---|---|---|---|---|",
    ]
    errors = []
    for label, path in VIEWS.items():
        steps = taken[path]
        seconds = [s.seconds for s in steps if s.seconds is not None]
        errors += [s.error for s in steps if s.error]
        met = bool(seconds) and statistics.median(seconds) <= TARGET_S[path]
        rows.append(
            f"| {label} | {median_range(seconds)} | {median_range([s.script_s for s in steps])} | "
            f"{fmt_bytes(statistics.median(s.ws_bytes for s in steps)) if steps else '–'} | "
            f"{median_range(opened[path])} | ≤ {TARGET_S[path]:g} s {'✅ met' if met else '❌ missed'} |"
        )
    return (
        f"Year steps, {len(next(iter(taken.values())))} per view, headless Chromium (SwiftShader WebGL), 1400×1000; "
        f"{os.cpu_count()} cores, load average {before} before and {after} after\n\n"
        + "\n".join(rows)
        + ("\n\nErrors: " + "; ".join(errors[:4]) if errors else "")
        + f"\n\nRun {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=5, help="year steps per view")
    parser.add_argument("--out", default=str(REPORT))
    args = parser.parse_args(argv)
    before = load_average()
    taken, opened = run(args.steps)
    text = report(taken, opened, before, load_average())
    print(text)
    with open(args.out, "w", encoding="utf-8") as out:
        out.write(text)
    print(f"written to {args.out}")
    return 0 if all(s.seconds is not None for steps in taken.values() for s in steps) else 1


if __name__ == "__main__":
    raise SystemExit(main())
