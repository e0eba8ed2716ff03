"""CPU of a county-map page open and of a year step: the first session of a view, then later ones.

    python -m benchmarks.shared_work [--sessions 5] [--rounds 3]

One `atlas.ui.server` process; websocket sessions one after another (benchmarks/common.py), so the
server's CPU time (utime + stime from /proc/<pid>/stat) around a run is that run's cost. A warm-up
session on another view loads the data and geometry first. Then, per round, a view not drawn
before (another map layer, 2016): its first session opens the county map on it and steps the year
to 2019, and --sessions later sessions do the same. The figures are means over the rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
from pathlib import Path

from benchmarks.balanced import PAGE
from benchmarks.common import OUR_APP, Server, StreamlitClient

TICK = os.sysconf("SC_CLK_TCK")
WARM_UP, MEASURED = "deep", ("status", "exit", "area", "sqsz", "key")  # each round a view not drawn before


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (every thread, ended ones too), in seconds; clock ticks of 10 ms,
    so the figures are means over many runs."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


async def session(server: Server, layer: str, year: int = 2016, step_to: int = 2019) -> tuple[float, float]:
    """(server CPU of the page open, of the year step) of one new session on `?layer=layer&year=year`."""
    pid = server.proc.pid
    client = StreamlitClient(server.url)
    await client.connect()
    try:
        before = cpu_seconds(pid)
        opened = await client.run(page_name=PAGE, query_string=f"layer={layer}&year={year}", timeout=120)
        middle = cpu_seconds(pid)
        stepped = await client.set_slider("w_year", step_to, page_name=PAGE, timeout=120)
        after = cpu_seconds(pid)
    finally:
        await client.close()
    errors = opened.errors + stepped.errors
    if errors:
        raise RuntimeError(errors)
    return middle - before, after - middle


async def measure(server: Server, sessions: int, rounds: int) -> list[tuple[tuple[float, float], list]]:
    await session(server, WARM_UP)  # a view not measured: loads data, geometry, page code
    out = []
    for layer in MEASURED[:rounds]:
        first = await session(server, layer)
        later = [await session(server, layer) for _ in range(sessions)]
        out.append((first, later))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=8, help="later sessions per view")
    parser.add_argument("--rounds", type=int, default=5, help=f"views measured (at most {len(MEASURED)})")
    args = parser.parse_args(argv)
    with Server(OUR_APP) as server:
        results = asyncio.run(measure(server, args.sessions, args.rounds))
    first_open = statistics.fmean(f[0] for f, _ in results)
    first_step = statistics.fmean(f[1] for f, _ in results)
    later_open = statistics.fmean(s[0] for _, later in results for s in later)
    later_step = statistics.fmean(s[1] for _, later in results for s in later)
    print("| Server CPU per run (mean) | first session of a view | later sessions | later / first |")
    print("|---|---|---|---|")
    print(f"| County map page open | {first_open:.3f} s | {later_open:.3f} s | {later_open / first_open:.0%} |")
    print(f"| Year step | {first_step:.3f} s | {later_step:.3f} s | {later_step / first_step:.0%} |")
    print(f"\n{len(results)} views × (1 + {args.sessions}) sessions, one after another.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
