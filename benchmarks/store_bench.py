"""The dataset store, measured: `python -m benchmarks.store_bench [--database URL]` (part of `make bench`).
Prints the figures and writes benchmarks/latest_store.md.

On a fresh store (default: a SQLite file in a temporary folder): publishing a synthetic 15,000-row panel
(benchmarks.synthetic_panel, matched once beforehand as the Import page has done before the click; the
figure is rows_from_match + Store.publish), reading its rows back (a new process's first read, then a
cached one), the revision() poll every worker runs, and the dataset list. Then the same figures with
100 datasets × 10 versions of that panel in the store (filled by copying the stored version in SQL,
not by publishing 1,000 times). Target: publish ≤ 3 s.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable

from sqlalchemy import insert, select

from atlas.datasets import SourceCitation, Store, operator, rows_from_match, tables as T
from benchmarks.common import ROOT
from benchmarks.synthetic_panel import synthetic_panel
from loaders.match import guess_roles, load_gazetteer, match_table

STORE_REPORT = ROOT / "benchmarks" / "latest_store.md"
PUBLISH_TARGET_S = 3.0
FILL = (100, 10)  # datasets × versions
SYNTHETIC_SOURCE = SourceCitation("synthetic panel", "synthetic", "2024", "benchmarks.synthetic_panel")


def _timed(run: Callable[[], object], times: int = 1) -> list[float]:
    spent = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        spent.append(time.perf_counter() - start)
    return spent


def _figures(url: str, matched, roles, label: str) -> list[tuple[str, str]]:
    store = Store.open(url)
    digest = hashlib.sha256(b"synthetic panel").hexdigest()
    made = {}

    def publish() -> None:
        prepared = rows_from_match(matched.rows, "panel", year_column=roles.year, value_columns=roles.values)
        made["v"] = store.publish(
            "panel",
            "synthetic panel",
            SYNTHETIC_SOURCE,
            prepared.rows,
            prepared.report,
            actor=operator(),
            file_name="synthetic_panel.csv",
            sha256=digest,
        )

    publish_s = _timed(publish, 3)
    v = made["v"]
    fresh = Store.open(url)  # a new worker: nothing cached
    first_read = _timed(lambda: fresh.rows(v.dataset_id, v.version))[0]
    cached = statistics.median(_timed(lambda: fresh.rows(v.dataset_id, v.version), 5))
    poll = statistics.median(_timed(fresh.revision, 200))
    listing = statistics.median(_timed(fresh.datasets, 5))
    verdict = "met" if statistics.median(publish_s) <= PUBLISH_TARGET_S else "MISSED"
    return [
        (
            f"{label}: publish {v.row_count:,}-row panel",
            f"{statistics.median(publish_s):.2f} s median of 3 "
            f"({', '.join(f'{s:.2f}' for s in publish_s)}) · ≤ {PUBLISH_TARGET_S:g} s: {verdict}",
        ),
        (
            f"{label}: rows read back",
            f"{first_read * 1000:.0f} ms first (a new Store, as a new worker), {cached * 1000:.1f} ms cached",
        ),
        (f"{label}: revision() poll", f"{poll * 1000:.2f} ms median of 200"),
        (f"{label}: datasets() list", f"{listing * 1000:.0f} ms median of 5"),
    ]


def _fill(url: str) -> tuple[float, int]:
    """100 datasets × 10 versions, each a copy of the newest stored panel version (its blobs included)."""
    store = Store.open(url)
    start = time.perf_counter()
    source = store.datasets()[0]
    with store._write() as conn:
        stored = (
            conn.execute(
                select(T.versions).where(
                    T.versions.c.dataset_id == source.dataset_id, T.versions.c.version == source.latest_version
                )
            )
            .one()
            ._asdict()
        )
        made = [f"synthetic-fill-{d:03d}" for d in range(FILL[0])]
        conn.execute(
            insert(T.datasets),
            [{"id": d, "kind": "panel", "created_by": "cli:bench", "created_at": stored["published_at"]} for d in made],
        )
        conn.execute(
            insert(T.versions), [stored | {"dataset_id": d, "version": n} for d in made for n in range(1, FILL[1] + 1)]
        )
    size = os.path.getsize(store.engine.url.database) if store.engine.dialect.name == "sqlite" else 0
    return time.perf_counter() - start, size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="a SQLAlchemy URL of an EMPTY store (default: a temporary SQLite file)")
    args = parser.parse_args(argv)
    folder = tempfile.TemporaryDirectory(prefix="atlas-store-bench-")
    url = args.database or f"sqlite:///{folder.name}/atlas.db"
    frame = synthetic_panel()
    gazetteer = load_gazetteer()
    roles = guess_roles(frame)
    start = time.perf_counter()
    matched = match_table(frame, roles, gazetteer)
    match_s = time.perf_counter() - start
    rows = _figures(url, matched, roles, "empty store")
    fill_s, size = _fill(url)
    rows += _figures(url, matched, roles, f"{FILL[0]} × {FILL[1]} versions")
    lines = [
        "# The dataset store: measured",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC · `python -m benchmarks.store_bench` · "
        f"{Store.open(url).engine.dialect.name} · matching the {len(frame):,}-row panel first: {match_s:.1f} s "
        f"(not in the figures) · filling {FILL[0] * FILL[1]} versions: {fill_s:.1f} s"
        + (f", {size / 1e6:.0f} MB" if size else "")
        + f" · load average at the end {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
        "",
        "| what | figure |",
        "| --- | --- |",
        *[f"| {name} | {figure} |" for name, figure in rows],
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.database:
        STORE_REPORT.write_text(text, encoding="utf-8")
    folder.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
