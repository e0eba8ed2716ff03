"""Load on loopback: N concurrent sessions on the county map, on one process and on HAProxy + workers.

    python -m benchmarks.load [--sessions 60,150] [--workers 2] [--years 2016,2019] [--single-only]
                              [--no-published]

Setups, side by side: one `python -m atlas.ui.server` process (`make run`), and `--workers` processes
behind HAProxy (`make serve`, deploy/serve.py). Each session behaves like a browser
(benchmarks/balanced.py): loads the page, asks /_stcore/health, opens the websocket with its cookies,
opens the county map (`rerun_script` with page_name "county_map"), changes the year slider
(`w_year@county_map`) to each of --years (a fragment rerun, as the browser sends it), then closes.
Sessions start 50 ms apart (a room opening a link within seconds).

Each setup runs twice in the same run (issue 26: published data must keep these figures): on an empty
dataset store, and with a published dataset applied — the synthetic 14-area list of
tests/published_fixtures.py published in a temporary SQLite store (ATLAS_DATABASE_URL), every session
and warm-up opening `county_map?ds=load-areas@1`.

Memory is each server process's RSS from /proc/<pid>/status:
  after 1    after one county-map session per process, run alone as a warm-up (it loads the
             data and geometry caches, so growth excludes them)
  after N    after N more sessions, all at once, have finished (sessions closed)
  growth     (after N - after 1) / N, per session, summed over the processes
Then the kill-one-worker run (unless --single-only): 60 sessions through the balancer, one worker
killed with SIGKILL, the others' sessions change the year again, the killed worker's sessions
reconnect and must be back on their URL's view (benchmarks/balanced.py).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from atlas.datasets import Store
from benchmarks.balanced import PAGE, BalancedClient, failover
from benchmarks.common import (
    OUR_APP,
    ROOT,
    RunResult,
    Server,
    StreamlitClient,
    fmt_bytes,
    free_port,
    percentile,
    proc_status_kb,
)
from deploy.serve import Cluster

LOAD_REPORT = ROOT / "benchmarks" / "latest_load.md"
RUN_TIMEOUT = 150.0
FAILOVER_SESSIONS = 60
PUBLISHED_ID = "load-areas"
STORE_ENV = "ATLAS_DATABASE_URL"


@dataclass
class SessionResult:
    opened: RunResult | None = None
    changes: list[RunResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class LoadResult:
    setup: str
    sessions: int
    years: tuple[int, ...]
    results: list[SessionResult]
    rss_one: list[float]  # per process
    rss_after: list[float]
    rss_peak: float  # the largest VmHWM of the processes
    wall_s: float

    @property
    def errors(self) -> list[str]:
        return [e for r in self.results for e in r.errors]

    @property
    def growth_mb(self) -> float:
        return (sum(self.rss_after) - sum(self.rss_one)) / max(1, self.sessions)

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

    def rows(self) -> dict[str, str]:
        o, c = self.open_latencies, self.change_latencies
        fmt = lambda xs, q: f"{percentile(xs, q):.2f} s" if xs else "–"  # noqa: E731
        mb = lambda xs: " / ".join(f"{x:.0f}" for x in xs) + " MB"  # noqa: E731
        return {
            "Concurrent sessions (after 1 warm-up session per process)": str(self.sessions),
            "Year changes per session": f"{len(self.years)} ({', '.join(map(str, self.years))})",
            "Script runs completed / expected": f"{self.completed_runs} / {self.sessions * (1 + len(self.years))}",
            "Errors (exceptions, st.error, failed or timed-out runs)": str(len(self.errors)),
            "Page open latency, median / p95": f"{fmt(o, 0.5)} / {fmt(o, 0.95)}",
            "Year-change rerun latency, median / p95": f"{fmt(c, 0.5)} / {fmt(c, 0.95)}",
            "Bytes per year-change rerun (median)": fmt_bytes(self.change_bytes),
            "RSS per process after the warm-up": mb(self.rss_one),
            "RSS per process after N sessions (closed)": mb(self.rss_after),
            "Peak RSS of a process (VmHWM)": f"{self.rss_peak:.0f} MB",
            "Growth per session: (after N − after 1) / N": f"{self.growth_mb:.2f} MB",
            "Wall time (this run)": f"{self.wall_s:.0f} s",
        }

    def table(self) -> str:
        return side_by_side([self])


def side_by_side(results: list[LoadResult]) -> str:
    lines = ["| Figure | " + " | ".join(r.setup for r in results) + " |", "|---" * (len(results) + 1) + "|"]
    for name in results[0].rows():
        lines.append(f"| {name} | " + " | ".join(r.rows()[name] for r in results) + " |")
    return "\n".join(lines)


async def session(
    url: str, years: tuple[int, ...], deadline: float, stagger: float = 0.0, query: str = ""
) -> SessionResult:
    out = SessionResult()
    await asyncio.sleep(stagger)
    client = BalancedClient(url, PAGE, query)
    try:
        out.opened = await client.open(timeout=max(1.0, min(RUN_TIMEOUT, deadline - time.perf_counter())))
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


async def warm_up(process_url: str, deadline: float, query: str = "") -> list[str]:
    """One county-map session straight on a process (not through the balancer): fills its caches."""
    client = StreamlitClient(process_url)
    try:
        await client.connect()
        timeout = max(1.0, min(RUN_TIMEOUT, deadline - time.perf_counter()))
        result = await client.run(page_name=PAGE, query_string=query, timeout=timeout)
        return [f"warm-up: {e}" for e in result.errors]
    finally:
        await client.close()


async def run_async(
    url: str,
    processes: list[str],
    rss: Callable[[], list[float]],
    sessions: int,
    years: tuple,
    deadline: float,
    query: str = "",
) -> tuple:
    warm_errors = [e for p in processes for e in await warm_up(p, deadline, query)]
    await asyncio.sleep(2.0)  # let the allocator settle before reading memory
    rss_one = rss()
    results = await asyncio.gather(
        *(session(url, years, deadline, stagger=0.05 * i, query=query) for i in range(sessions))
    )
    await asyncio.sleep(2.0)
    if warm_errors:
        results[0].errors += warm_errors
    return list(results), rss_one, rss()


def _setup(name: str, query: str) -> str:
    return f"{name}, {query}" if query else name


def run_load(
    sessions: int = 20, years: tuple[int, ...] = (2016, 2019), deadline_s: float = 170.0, query: str = ""
) -> LoadResult:
    """One process, as `make run` starts it; every session opens the county map with `query`."""
    started = time.perf_counter()
    server = Server(OUR_APP)
    try:
        server.start(timeout=60)
        rss = lambda: [server.rss_mb()]  # noqa: E731
        results, one, after = asyncio.run(
            run_async(server.url, [server.url], rss, sessions, years, started + deadline_s, query)
        )
        peak = server.hwm_mb()
    finally:
        server.stop()
    setup = _setup("1 process", query)
    return LoadResult(setup, sessions, years, results, one, after, peak, time.perf_counter() - started)


def start_cluster(workers: int, config_dir: Path) -> Cluster:
    cluster = Cluster([free_port() for _ in range(workers)], free_port(), config=config_dir / "haproxy.cfg")
    cluster.start(timeout=120)
    return cluster


def run_cluster_load(
    sessions: int, years: tuple[int, ...] = (2016, 2019), deadline_s: float = 300.0, workers: int = 2, query: str = ""
) -> LoadResult:
    """`workers` processes behind HAProxy, as `make serve` starts them."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        cluster = start_cluster(workers, Path(tmp))
        try:
            pids = [p.pid for p in cluster.workers.values()]
            urls = [f"http://{name}" for name in cluster.names()]
            rss = lambda: [proc_status_kb(pid, "VmRSS") / 1024 for pid in pids]  # noqa: E731
            results, one, after = asyncio.run(
                run_async(cluster.url, urls, rss, sessions, years, started + deadline_s, query)
            )
            peak = max(proc_status_kb(pid, "VmHWM") / 1024 for pid in pids)
        finally:
            cluster.stop()
    setup = _setup(f"HAProxy + {workers} workers", query)
    return LoadResult(setup, sessions, years, results, one, after, peak, time.perf_counter() - started)


@contextlib.contextmanager
def store(published: bool) -> Iterator[str]:
    """A temporary dataset store for the servers started inside (ATLAS_DATABASE_URL), empty or holding the
    synthetic area list; yields the query string that applies it ('' when empty)."""
    from benchmarks.published_bench import publish
    from tests.published_fixtures import synthetic_area_list

    with tempfile.TemporaryDirectory(prefix="atlas-load-store-") as tmp:
        url = f"sqlite:///{tmp}/atlas.db"
        opened = Store.open(url)
        try:
            ref = publish(opened, "area", "synthetic areas", synthetic_area_list(), PUBLISHED_ID) if published else ""
        finally:
            opened.close()
        before = os.environ.get(STORE_ENV)
        os.environ[STORE_ENV] = url  # the servers and workers started inside inherit it
        try:
            yield f"ds={ref}" if ref else ""
        finally:
            if before is None:
                os.environ.pop(STORE_ENV, None)
            else:
                os.environ[STORE_ENV] = before


def run_failover(sessions: int = FAILOVER_SESSIONS, workers: int = 2):
    with tempfile.TemporaryDirectory() as tmp:
        cluster = start_cluster(workers, Path(tmp))
        try:
            return asyncio.run(failover(cluster, sessions))
        finally:
            cluster.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", default="60,150", help="concurrent sessions, one run per number")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--years", default="2016,2019", help="years the slider is set to, in order")
    parser.add_argument("--deadline", type=float, default=300.0, help="bound on each run, seconds")
    parser.add_argument("--single-only", action="store_true", help="one process only (no HAProxy needed)")
    parser.add_argument(
        "--published",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also run each setup with a published dataset applied (ds=...)",
    )
    args = parser.parse_args(argv)
    if not (ROOT / "geodata" / "counties.parquet").is_file():
        print("geodata/counties.parquet is missing: run `make geodata` first", file=sys.stderr)
        return 2
    years = tuple(int(y) for y in args.years.split(",") if y)
    text, errors = [], 0
    for n in (int(s) for s in args.sessions.split(",") if s):
        runs = []
        for published in (False, True) if args.published else (False,):
            with store(published) as query:
                runs.append(run_load(n, years, args.deadline, query))
                if not args.single_only:
                    runs.append(run_cluster_load(n, years, args.deadline, args.workers, query))
        block = [f"### {n} sessions", "", side_by_side(runs), ""]
        for r in runs:
            errors += len(r.errors)
            if r.errors:
                block.append(f"{r.setup}: errors ({len(r.errors)}): " + "; ".join(sorted(set(r.errors))[:5]))
        print("\n".join(block), flush=True)
        text += block
    if not args.single_only:
        killed = run_failover(FAILOVER_SESSIONS, args.workers)
        text += [f"### {args.workers} workers, one killed", "", killed.table(), ""]
        problems = killed.other_errors + [e for s in killed.lost for e in s.errors]
        errors += len(problems)
        if problems:
            text.append("Errors: " + "; ".join(sorted(set(problems))[:5]))
    text += [
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {_cores()} cores; loopback (127.0.0.1) websocket "
        "clients speaking Streamlit's protocol (`rerun_script` BackMsg → ForwardMsgs until `script_finished`), on the "
        "same cores as the servers; the year change is a fragment rerun with the `w_year@county_map` slider state, as "
        "the browser sends it. RSS from /proc/<pid>/status.",
    ]
    out = "\n".join(text) + "\n"
    print("\n".join(text[-6:]))
    LOAD_REPORT.write_text(out, encoding="utf-8")
    print(f"written to {LOAD_REPORT.relative_to(ROOT)}")
    return 1 if errors else 0


def _cores() -> int:
    return len(os.sched_getaffinity(0))


if __name__ == "__main__":
    raise SystemExit(main())
