"""A bounded load test: 20 concurrent websocket sessions on the county map (loopback only).

Each session opens the county map and moves the year slider three times, speaking
Streamlit's websocket protocol (see benchmarks/common.py). The full version with a
table is `python -m benchmarks.load` (`make load`).

The server is started as `python -m atlas.server`, as `make run` does.

Bounds, from measurements on 2 cores / 24 GB on 2026-11-25 (benchmarks/latest_load.md;
compact deck JSON, coarse national geometry, ~2.9 MB per rerun): 20 × (1 + 3) runs
finished in ~41 s, RSS grew 0.3–0.8 MB per session after the warm-up session and
peaked at ~690 MB. The peak bound is about twice that; the growth bound leaves room for
allocator noise.
"""
from __future__ import annotations

import pytest

from benchmarks.common import ROOT

SESSIONS = 20
YEARS = (2016, 2019, 2017)
DEADLINE_S = 85.0
MAX_GROWTH_MB_PER_SESSION = 4.0  # measured 0.31, 0.75 (3 years) and 0.80 (2 years); room for allocator noise
MAX_PEAK_RSS_MB = 1400.0  # measured VmHWM 669–688 MB: ~2×

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
    assert result.wall_s < 90.0, summary
