"""The figures `python -m benchmarks.run` measures for one app, and the Markdown tables it writes of them
(benchmarks/latest.md)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from benchmarks import browser as browser_bench
from benchmarks.common import RunResult, fmt_bytes

STEP_YEARS = (2016, 2019, 2017)


@dataclass
class AppFigures:
    label: str
    cold_s: float | None = None
    cold_note: str = ""
    canvas_s: float | None = None
    health_s: float | None = None
    reruns: list[RunResult] = field(default_factory=list)
    first_run: RunResult | None = None
    hwm_mb: float | None = None
    errors: list[str] = field(default_factory=list)
    browser: browser_bench.BrowserFigures | None = None

    @property
    def rerun_median(self) -> float | None:
        return statistics.median(r.seconds for r in self.reruns) if self.reruns else None

    @property
    def rerun_bytes(self) -> float | None:
        return statistics.median(r.bytes for r in self.reruns) if self.reruns else None

    @property
    def spec_bytes(self) -> float | None:
        return statistics.median(r.deck_json_bytes for r in self.reruns) if self.reruns else None


def ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b == 0:
        return "–"
    r = a / b
    return f"{r:.3f}" if r < 0.1 else f"{r:.2f}"


def secs(v: float | None, note: str = "") -> str:
    return f"{v:.2f} s" if v is not None else (note or "–")


def mb(v: float | None) -> str:
    return f"{v:.0f} MB" if v is not None else "–"


def verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("✅ met" if ok else "❌ missed")


def table(
    ours: AppFigures,
    full: AppFigures | None,
    scoped: AppFigures,
    scope_label: str,
    export_fig: tuple[float, float, int, int],
    naive_export: tuple[float, int] | None,
) -> str:
    full = full or AppFigures("naive (full)")
    r_time = (ours.rerun_median / full.rerun_median) if ours.rerun_median and full.rerun_median else None
    r_bytes = (ours.rerun_bytes / full.rerun_bytes) if ours.rerun_bytes and full.rerun_bytes else None
    rows = [
        "| Figure | Ours (whole country) | Naive, whole country | Naive, "
        + scope_label
        + " | Ours / naive (whole country) | Ours / naive ("
        + scope_label
        + ") | Target |",
        "|---|---|---|---|---|---|---|",
        f"| (a) cold start to first drawn map | {secs(ours.cold_s, ours.cold_note)} | "
        f"not drawable (spec > 200 MB message limit) | {secs(scoped.cold_s, scoped.cold_note)} | – | "
        f"{ratio(ours.cold_s, scoped.cold_s)} | – |",
        f"| (b) rerun after a year change (median of {len(STEP_YEARS)}) | {secs(ours.rerun_median)} | "
        f"{secs(full.rerun_median)} | {secs(scoped.rerun_median)} | {ratio(ours.rerun_median, full.rerun_median)} | "
        f"{ratio(ours.rerun_median, scoped.rerun_median)} | "
        f"≤ 0.2 of naive {verdict(None if r_time is None else r_time <= 0.2)} |",
        f"| (c) websocket bytes per rerun | {fmt_bytes(ours.rerun_bytes or 0)} | {fmt_bytes(full.rerun_bytes or 0)} | "
        f"{fmt_bytes(scoped.rerun_bytes or 0)} | {ratio(ours.rerun_bytes, full.rerun_bytes)} | "
        f"{ratio(ours.rerun_bytes, scoped.rerun_bytes)} | "
        f"≤ 0.1 of naive {verdict(None if r_bytes is None else r_bytes <= 0.1)} |",
        f"| (c) pydeck JSON spec per rerun | {fmt_bytes(ours.spec_bytes or 0)} | {fmt_bytes(full.spec_bytes or 0)} | "
        f"{fmt_bytes(scoped.spec_bytes or 0)} | {ratio(ours.spec_bytes, full.spec_bytes)} | "
        f"{ratio(ours.spec_bytes, scoped.spec_bytes)} | – |",
        f"| (d) GeoJSON export, all {export_fig[2]} poverty counties (median of 3; first) | "
        f"{export_fig[1]:.2f} s; {export_fig[0]:.2f} s ({fmt_bytes(export_fig[3])}) | "
        + (f"{naive_export[0]:.2f} s ({fmt_bytes(naive_export[1])}, full resolution)" if naive_export else "–")
        + f" | – | {ratio(export_fig[1], naive_export[0] if naive_export else None)} | – | "
        f"< 1 s {verdict(export_fig[1] < 1.0)} |",
        f"| (e) peak server RSS (VmHWM) | {mb(ours.hwm_mb)} | {mb(full.hwm_mb)} | {mb(scoped.hwm_mb)} | "
        f"{ratio(ours.hwm_mb, full.hwm_mb)} | {ratio(ours.hwm_mb, scoped.hwm_mb)} | – |",
    ]
    return "\n".join(rows)


def browser_table(ours: AppFigures, scoped: AppFigures, scope_label: str) -> str:
    """The browser-side figures (benchmarks/browser.py), ours (whole country) next to the naive app."""
    o, n = ours.browser, scoped.browser
    if o is None or n is None:
        return ""
    naive_open = n.page_open_s.get("")
    rows = [
        "| Browser figure | Ours (whole country) | Naive, " + scope_label + " | Ours / naive | Target |",
        "|---|---|---|---|---|",
        f"| year step → new colours on the canvas | {secs(o.step_s)} | {secs(n.step_s)} | "
        f"{ratio(o.step_s, n.step_s)} | ≤ 0.5 s |",
        f"| websocket bytes per year step | {fmt_bytes(o.step_ws_bytes or 0)} | {fmt_bytes(n.step_ws_bytes or 0)} | "
        f"{ratio(o.step_ws_bytes, n.step_ws_bytes)} | ≤ 50 KB |",
        f"| cold start → first drawn county map | {secs(ours.cold_s)} | {secs(scoped.cold_s)} | "
        f"{ratio(ours.cold_s, scoped.cold_s)} | ≤ 0.5 of naive |",
    ]
    if o.province_step_s is not None or browser_bench.PROVINCE_PATH in o.page_open_s:
        rows.append(
            f"| year step → new colours, province view ({browser_bench.PROVINCE_PATH}) | "
            f"{secs(o.province_step_s)} | – | – | ≤ 1 s |"
        )
    for name, seconds in o.page_open_s.items():
        rows.append(
            f"| warm page open → content drawn: {name or 'overview'} | {secs(seconds)} | "
            f"{secs(naive_open) if name == 'county_map' else '–'} | "
            f"{ratio(seconds, naive_open) if name == 'county_map' else '–'} | ≤ 2 s |"
        )
    errors = o.errors + n.errors
    return "\n".join(rows) + ("\n\nBrowser errors: " + "; ".join(errors[:6]) if errors else "") + "\n"
