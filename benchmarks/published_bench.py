"""Published datasets in the views, measured: `python -m benchmarks.published_bench` (part of `make bench`).
Prints the figures and writes benchmarks/latest_published.md.

Two workers (`python -m atlas.ui.server`) on one store (a SQLite file in a temporary folder) holding five
synthetic datasets: the 14-area list of tests/published_fixtures.py, a key-county and a deep-poverty list
(the bundled flags, republished) and two panels of 15,000 synthetic rows (benchmarks.synthetic_panel's
counties and years). Figures:

(a) page open: a new websocket session's first run of a page, warm worker (median of RUNS), with none of
    the datasets applied (`ds=none`) and with all five (`ds=` five refs). Target: ≤ 1.2× without.
(b) the first open with all five on a worker that has not read them yet (rows read, overlaid, dissolved).
(c) a new version visible on the other worker: publish version 2 of the area list through the Store, then
    open the Overview on the other worker with `ds=<id>@latest` until its URL names version 2. Target ≤ 5 s.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import statistics
import sys
import tempfile
import time

import pandas as pd

from atlas.datasets import SourceCitation, Store, operator
from benchmarks import store_bench
from benchmarks.common import OUR_APP, ROOT, Server, StreamlitClient, write_figures
from loaders.schema import data_root

PUBLISHED_REPORT = ROOT / "benchmarks" / "latest_published.md"
RUNS = 11
OPENED_PAGES = ("", "county_map", "areas", "export")  # "" is the Overview
RATIO_TARGET = 1.2
VISIBLE_TARGET_S = 5.0
FILL_TARGET = 0.10  # 1,000 versions in the store change a page open by at most this
BENCH_SOURCE = SourceCitation("synthetic benchmark data", "synthetic", "2026", "benchmarks/published_bench.py")
PANEL_ROWS = 15_000


def _digest(frame: pd.DataFrame) -> str:
    return hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()


def _report(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {"input_row": pd.array(range(1, len(rows) + 1), dtype="Int64"), "status": "matched", "code": rows["code"]}
    ).assign(method="code")


def publish(store: Store, kind: str, title: str, rows: pd.DataFrame, dataset_id: str) -> str:
    done = store.publish(
        kind, title, BENCH_SOURCE, rows, _report(rows), actor=operator(), file_name=f"{dataset_id}.csv",
        sha256=_digest(rows), dataset_id=dataset_id,
    )  # fmt: skip
    return done.ref


def fill(store: Store) -> list[str]:
    """The five synthetic datasets; their refs."""
    from tests.published_fixtures import synthetic_area_list

    poverty = pd.read_csv(data_root() / "poverty_counties.csv", dtype=str)
    refs = [publish(store, "area", "synthetic areas", synthetic_area_list(), "bench-areas")]
    for kind, column in (("key", "key_county"), ("deep", "deep_poverty")):
        listed = poverty[poverty[column] == "true"][["code", "name_zh"]].reset_index(drop=True)
        refs.append(publish(store, kind, f"synthetic {kind}", listed, f"bench-{kind}"))
    counties = poverty[["code", "name_zh"]]
    for n in (1, 2):
        years = list(range(2006, 2006 + -(-PANEL_ROWS // len(counties))))
        panel = pd.concat([counties.assign(year=y) for y in years], ignore_index=True).head(PANEL_ROWS)
        panel = panel.assign(
            year=pd.array(panel["year"], dtype="Int64"),
            synthetic_value=[(i * 37 % 1000) / 10.0 for i in range(len(panel))],
        )
        refs.append(publish(store, "panel", f"synthetic panel {n}", panel, f"bench-panel-{n}"))
    return refs


async def _open(url: str, page: str, query: str) -> tuple[float, str]:
    client = StreamlitClient(url)
    await client.connect()
    try:
        result = await client.run(page, query)
        if result.errors:
            raise RuntimeError(f"{page}?{query}: {result.errors[:2]}")
        return result.seconds, client.query_string
    finally:
        await client.close()


def opens(url: str, page: str, queries: tuple[str, str], runs: int = RUNS) -> tuple[float, float]:
    """Median page-open times for both queries, alternated (a busy machine's load falls on both alike)."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for found, query in zip(times, queries):
            found.append(asyncio.run(_open(url, page, query))[0])
    return statistics.median(times[0]), statistics.median(times[1])


def main() -> int:
    folder = tempfile.TemporaryDirectory(prefix="atlas-published-bench-")
    env = {"ATLAS_DATABASE_URL": f"sqlite:///{folder.name}/atlas.db"}
    store = Store.open(env["ATLAS_DATABASE_URL"])
    refs = fill(store)
    with_all = "ds=" + ",".join(refs)
    rows: list[tuple[str, str]] = []
    with Server(OUR_APP, env=env) as first, Server(OUR_APP, env=env) as second:
        cold = {page: asyncio.run(_open(first.url, page, with_all))[0] for page in OPENED_PAGES}
        for page in OPENED_PAGES:
            asyncio.run(_open(first.url, page, "ds=none"))  # warm: the page's own caches
            none, five = opens(first.url, page, ("ds=none", with_all))
            name = page or "overview"
            verdict = "✓" if five <= RATIO_TARGET * none else "✗"
            rows.append(
                (
                    f"page open {name}: none / 5 datasets applied",
                    f"{none:.2f} s / {five:.2f} s ({five / none:.2f}×) {verdict}",
                )
            )
            rows.append((f"first open {name} with the 5, worker new to them", f"{cold[page]:.2f} s"))
        asyncio.run(_open(second.url, "", "ds=bench-areas@latest"))
        from tests.published_fixtures import synthetic_area_list

        published = time.perf_counter()
        publish(store, "area", "synthetic areas", synthetic_area_list().iloc[:-1], "bench-areas")
        while time.perf_counter() - published < 60:
            _, query = asyncio.run(_open(second.url, "", "ds=bench-areas@latest"))
            if "bench-areas%402" in query or "bench-areas@2" in query:
                break
        seen = time.perf_counter() - published
        rows.append(
            ("version 2 visible on the other worker", f"{seen:.1f} s {'✓' if seen <= VISIBLE_TARGET_S else '✗'}")
        )
        with_all = with_all.replace("bench-areas@1", "bench-areas@2")
        before = {page: opens(first.url, page, ("ds=none", with_all))[1] for page in OPENED_PAGES}
        fill_s, _ = store_bench._fill(env["ATLAS_DATABASE_URL"])  # 100 datasets × 10 versions of a panel
        catalogue_s = asyncio.run(_open(first.url, "", with_all))[0]  # the worker reads the new catalogue
        for page in OPENED_PAGES:
            after = opens(first.url, page, ("ds=none", with_all))[1]
            change = after / before[page] - 1
            verdict = "✓" if change <= FILL_TARGET else "✗"
            rows.append(
                (f"page open {page or 'overview'} with the 5, then with 1,000 more versions in the store",
                 f"{before[page]:.2f} s / {after:.2f} s ({change:+.0%}) {verdict}")
            )  # fmt: skip
        rows.append(("first open after the 1,000 versions came (catalogue read once)", f"{catalogue_s:.2f} s"))
        rows.append(("filling 1,000 versions (SQL copies, not in the figures)", f"{fill_s:.1f} s"))
    note = (
        f"`python -m benchmarks.published_bench` · sqlite · median of {RUNS} new sessions, warm worker · "
        f"load average at the end {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores · "
        f"targets: ≤ {RATIO_TARGET}× with 5 datasets, ≤ {VISIBLE_TARGET_S:.0f} s"
    )
    write_figures("Published datasets in the views: measured", note, rows, PUBLISHED_REPORT)
    store.close()
    folder.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
