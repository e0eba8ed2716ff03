"""A bounded load test: 20 concurrent websocket sessions on the county map (loopback only).

Each session opens the county map and moves the year slider three times, speaking
Streamlit's websocket protocol (see benchmarks/common.py). The full version with a
table is `python -m benchmarks.load` (`make load`).

The server is started as `python -m atlas.server`, as `make run` does.

Bounds, from measurements on 2 cores / 24 GB (shared with ~6 busy engineers) on 2026-11-25
(benchmarks/latest_load.md; geometry served as static files, ~40 KB per year change): 20 × (1 + 2)
runs finished in 25 s, RSS did not grow after the warm-up session and peaked at 374 MB. The peak
bound is about twice that; the growth bound leaves room for allocator noise; a year change must
not carry geometry again (the bytes bound).
"""

from __future__ import annotations

import pytest

from benchmarks.common import ROOT

SESSIONS = 20
YEARS = (2016, 2019, 2017)
DEADLINE_S = 60.0
MAX_GROWTH_MB_PER_SESSION = 2.0  # measured −0.02; room for allocator noise
MAX_PEAK_RSS_MB = 750.0  # measured VmHWM 374 MB: ~2×
MAX_CHANGE_BYTES = 100_000  # measured ~40 KB; the whole-geometry spec was 2.9 MB

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not (ROOT / "geodata" / "counties.parquet").is_file(), reason="geodata not built"),
]


def test_twenty_concurrent_sessions_change_the_year_without_errors_or_leaks() -> None:
    from concurrent.futures import ThreadPoolExecutor

    from benchmarks.load import run_load

    # Its own thread: Playwright's sync API (the browser tests) keeps an event loop on this one.
    with ThreadPoolExecutor(max_workers=1) as worker:
        result = worker.submit(run_load, SESSIONS, YEARS, deadline_s=DEADLINE_S).result()
    summary = "\n" + result.table()
    assert not result.errors, f"{len(result.errors)} errors, e.g. {sorted(set(result.errors))[:3]}" + summary
    assert result.completed_runs == SESSIONS * (1 + len(YEARS)), summary
    assert result.growth_mb < MAX_GROWTH_MB_PER_SESSION, summary
    assert result.rss_peak < MAX_PEAK_RSS_MB, summary
    assert result.change_bytes < MAX_CHANGE_BYTES, summary
    assert result.wall_s < 65.0, summary
