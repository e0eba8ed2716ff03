"""Load test on loopback: N concurrent websocket sessions on the county map.

    python -m benchmarks.load [--sessions 20] [--years 2016,2019] [--deadline 170]

The server is `python -m atlas.server` (our app). Each session is a websocket
client speaking Streamlit's protocol (see benchmarks/common.py): it opens the
county map page (`rerun_script` with page_name "county_map"), changes the year
slider (`w_year@county_map`) to each of --years (a fragment rerun, as the browser
sends it), then closes.

Memory is the server process's RSS from /proc/<pid>/status:
  before     server healthy, no session yet
  after 1    after one complete county-map session, run alone as a warm-up (it
             loads the data and geometry caches, so growth excludes them)
  after N    after N more sessions, all at once, have finished (sessions closed)
  growth     (after N - after 1) / N, per session
Everything is bounded by --deadline (seconds, whole run); the server is always killed.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from dataclasses import dataclass, field

from benchmarks.common import OUR_APP, ROOT, RunResult, Server, StreamlitClient, fmt_bytes, percentile

LOAD_REPORT = ROOT / "benchmarks" / "latest_load.md"
PAGE = "county_map"
RUN_TIMEOUT = 150.0


@dataclass
class SessionResult:
    opened: RunResult | None = None
    changes: list[RunResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class LoadResult:
    sessions: int
    years: tuple[int, ...]
    results: list[SessionResult]
    rss_before: float
    rss_one: float
    rss_after: float
    rss_peak: float
    wall_s: float

    @property
    def errors(self) -> list[str]:
        return [e for r in self.results for e in r.errors]

    @property
    def growth_mb(self) -> float:
        return (self.rss_after - self.rss_one) / max(1, self.sessions)

    @property
    def open_latencies(self) -> list[float]:
        return [r.opened.seconds for r in self.results if r.opened]

    @property
    def change_latencies(self) -> list[float]:
        return [c.seconds for r in self.results for c in r.changes]

    @property
    def completed_runs(self) -> int:
        return sum((1 if r.opened else 0) + len(r.changes) for r in self.results)

    @property
    def change_bytes(self) -> float:
        """Median websocket bytes of a year-change rerun."""
        return statistics.median(ch.bytes for r in self.results for ch in r.changes) if self.change_latencies else 0

    def table(self) -> str:
        o, c = self.open_latencies, self.change_latencies
        fmt = lambda xs, q: f"{percentile(xs, q):.2f} s" if xs else "–"  # noqa: E731
        per_run = self.change_bytes
        rows = [
            "| Figure | Value |",
            "|---|---|",
            f"| Concurrent sessions (after 1 warm-up session) | {self.sessions} |",
            f"| Year changes per session | {len(self.years)} ({', '.join(map(str, self.years))}) |",
            f"| Script runs completed / expected | {self.completed_runs} / {self.sessions * (1 + len(self.years))} |",
            f"| Errors (exceptions, st.error, failed or timed-out runs) | {len(self.errors)} |",
            f"| Page open latency, median / p95 | {fmt(o, 0.5)} / {fmt(o, 0.95)} |",
            f"| Year-change rerun latency, median / p95 | {fmt(c, 0.5)} / {fmt(c, 0.95)} |",
            f"| Bytes per year-change rerun (median) | {fmt_bytes(per_run)} |",
            f"| Server RSS before (no session) | {self.rss_before:.0f} MB |",
            f"| Server RSS after 1 county-map session (warm-up, caches loaded) | {self.rss_one:.0f} MB |",
            f"| Server RSS after {self.sessions} more sessions (closed) | {self.rss_after:.0f} MB |",
            f"| Server peak RSS (VmHWM) | {self.rss_peak:.0f} MB |",
            f"| Growth per session: (after N − after 1) / N | {self.growth_mb:.2f} MB |",
            f"| Wall time (whole test) | {self.wall_s:.0f} s |",
        ]
        return "\n".join(rows)


async def session(url: str, years: tuple[int, ...], deadline: float, stagger: float = 0.0) -> SessionResult:
    out = SessionResult()
    await asyncio.sleep(stagger)
    client = StreamlitClient(url)
    try:
        await client.connect(timeout=max(1.0, min(30.0, deadline - time.perf_counter())))
        out.opened = await client.run(
            page_name=PAGE, timeout=max(1.0, min(RUN_TIMEOUT, deadline - time.perf_counter()))
        )
        out.errors += out.opened.errors
        for year in years:
            result = await client.set_slider(
                "w_year", year, page_name=PAGE, timeout=max(1.0, min(RUN_TIMEOUT, deadline - time.perf_counter()))
            )
            out.changes.append(result)
            out.errors += result.errors
            if result.status not in ("FINISHED_SUCCESSFULLY", "FINISHED_FRAGMENT_RUN_SUCCESSFULLY"):
                out.errors.append(f"run finished with {result.status}")
    except TimeoutError:
        out.errors.append("TimeoutError: run not finished within the deadline")
    except Exception as exc:  # noqa: BLE001 - every failure is a counted error
        out.errors.append(f"{type(exc).__name__}: {exc}"[:200])
    finally:
        try:
            await asyncio.wait_for(client.close(), 10)
        except Exception:  # noqa: BLE001
            pass
    return out


async def _settle(server: Server, seconds: float = 2.0) -> float:
    await asyncio.sleep(seconds)
    return server.rss_mb()


async def run_async(server: Server, sessions: int, years: tuple[int, ...], deadline: float) -> tuple:
    rss_before = server.rss_mb()
    first = await session(server.url, years, deadline)  # warm-up: fills the caches
    rss_one = await _settle(server)
    results = await asyncio.gather(*(session(server.url, years, deadline, stagger=0.05 * i) for i in range(sessions)))
    rss_after = await _settle(server)
    if first.errors:
        results[0].errors += [f"warm-up: {e}" for e in first.errors]
    return results, rss_before, rss_one, rss_after


def run_load(sessions: int = 20, years: tuple[int, ...] = (2016, 2019), deadline_s: float = 170.0) -> LoadResult:
    started = time.perf_counter()
    server = Server(OUR_APP)
    try:
        server.start(timeout=60)
        deadline = started + deadline_s
        results, before, one, after = asyncio.run(run_async(server, sessions, years, deadline))
        peak = server.hwm_mb()
    finally:
        server.stop()
    return LoadResult(sessions, years, list(results), before, one, after, peak, time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--years", default="2016,2019", help="years the slider is set to, in order")
    parser.add_argument("--deadline", type=float, default=60.0, help="bound on the whole run, seconds")
    args = parser.parse_args(argv)
    if not (ROOT / "geodata" / "counties.parquet").is_file():
        print("geodata/counties.parquet is missing: run `make geodata` first", file=sys.stderr)
        return 2
    years = tuple(int(y) for y in args.years.split(",") if y)
    result = run_load(args.sessions, years, args.deadline)
    notes = [
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; loopback (127.0.0.1) websocket clients speaking "
        "Streamlit's protocol (`rerun_script` BackMsg → ForwardMsgs until `script_finished`); the year change is "
        "a fragment rerun with the `w_year@county_map` slider state, as the browser sends it. "
        "RSS from /proc/<pid>/status.",
    ]
    if result.errors:
        shown = sorted(set(result.errors))[:5]
        notes.append(f"Errors ({len(result.errors)}): " + "; ".join(shown))
    text = result.table() + "\n" + "\n".join(notes) + "\n"
    print(text)
    LOAD_REPORT.write_text(text, encoding="utf-8")
    print(f"written to {LOAD_REPORT.relative_to(ROOT)}")
    return 1 if result.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
