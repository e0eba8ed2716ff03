"""Benchmark of the import matcher (loaders.match), printed by `make bench`.

    python -m benchmarks.match_bench [--rows 3000] [--repeat 3]

(f) matching a table of 3,000 rows with code, name, province, prefecture, year and two value
    columns. The rows are built from real boundary names and codes with a fixed seed: current
    codes and names, codes and names of units renamed or merged since 2011, short forms of
    autonomous counties, names without code, and one-character typos (synthetic_ values).
    Timed with the gazetteer loaded (the page caches it) and its caches emptied before
    each run; the gazetteer load is printed apart.
(g) match rates on the test fixtures (tests/fixtures/synthetic_match_cases.csv) and on the table.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

import pandas as pd

from loaders.match import (
    MATCHED_STATUSES,
    STATUSES,
    Gazetteer,
    core_name,
    guess_roles,
    load_gazetteer,
    match_table,
)
from loaders.schema import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "synthetic_match_cases.csv"
TARGET_SECONDS = 1.0


def synthetic_table(gazetteer: Gazetteer, rows: int = 3000, seed: int = 2013) -> pd.DataFrame:
    rng = random.Random(seed)
    units = gazetteer.units
    history = gazetteer.history
    old = [
        r
        for r in history.records
        if r.level == "县级"
        and r.end
        and 2011 < r.end <= 2024
        and r.name != "市辖区"
        and r.code not in gazetteer.boundaries
        and any(s in gazetteer.boundaries for s in r.successors)
    ]
    autonomous = units[units["name_zh"].str.contains("自治")]
    prov_names = {r.code[:2]: r.name for r in history.records if r.level == "省级"}
    out = []
    for _ in range(rows):
        kind = rng.random()
        if kind < 0.15 and old:  # a unit renamed or merged since: its old code and name
            rec = rng.choice(old)
            out.append((rec.code, rec.name, rec.province, rec.prefecture))
            continue
        pool = autonomous if kind < 0.25 else units
        unit = pool.iloc[rng.randrange(len(pool))]
        code, name, prov, pref = unit["code"], unit["name_zh"], unit["province_zh"], unit["prefecture_zh"]
        if kind < 0.25:  # short form, no code: 三江县
            out.append(("", core_name(name) + "县", prov, pref))
        elif kind < 0.30:  # typo, no code
            i = rng.randrange(len(name) - 1) if len(name) > 1 else 0
            out.append(("", name[:i] + "口" + name[i + 1 :], prov, ""))
        elif kind < 0.45:  # name and province only
            out.append(("", name, prov_names.get(code[:2], prov), ""))
        else:  # code as a spreadsheet stores it
            out.append((f"{code}.0" if rng.random() < 0.3 else code, name, prov, pref))
    frame = pd.DataFrame(out, columns=["代码", "县名", "省份", "地市"])
    frame["年份"] = [str(rng.randrange(2013, 2021)) for _ in range(rows)]
    frame["synthetic_发生率"] = [f"{rng.uniform(0, 40):.1f}" for _ in range(rows)]
    frame["synthetic_资金"] = [f"{rng.uniform(100, 9000):,.0f}" for _ in range(rows)]
    return frame.astype("string")


def rate_line(label: str, summary: dict) -> str:
    counts = ", ".join(f"{s} {summary[s]}" for s in STATUSES)
    return f"| {label} | {summary['total']} | {summary['match_rate']:.1%} | {counts} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    start = time.perf_counter()
    gazetteer = load_gazetteer()
    load_s = time.perf_counter() - start
    table = synthetic_table(gazetteer, args.rows)
    roles = guess_roles(table)
    times = []
    for _ in range(args.repeat):
        gazetteer.clear_cache()
        start = time.perf_counter()
        result = match_table(table, roles, gazetteer)
        times.append(time.perf_counter() - start)
    best, median = min(times), statistics.median(times)
    verdict = "OK" if median < TARGET_SECONDS else "SLOWER THAN TARGET"
    print(
        f"(f) match {len(table):,} rows x {len(table.columns)} columns: median {median:.3f} s, best {best:.3f} s "
        f"over {args.repeat} runs (target < {TARGET_SECONDS:.0f} s: {verdict}); gazetteer load {load_s:.2f} s"
    )
    print(
        f"    roles guessed: code={roles.code} name={roles.name} province={roles.province} "
        f"prefecture={roles.prefecture} year={roles.year} values={', '.join(roles.values)}"
    )

    cases = pd.read_csv(FIXTURE, dtype=str, keep_default_na=False)
    fixture = cases.drop(columns=["case", "expected_status", "expected_code"])
    fixture_result = match_table(fixture, guess_roles(fixture), gazetteer)
    expected_rate = cases["expected_status"].isin(MATCHED_STATUSES).mean()
    print("(g) match rates")
    print("| table | rows | match rate | statuses |")
    print("|---|---|---|---|")
    print(rate_line("test fixtures (synthetic_match_cases.csv)", fixture_result.summary()))
    print(rate_line(f"benchmark table ({len(table):,} synthetic rows)", result.summary()))
    unmatched = int((~cases["expected_status"].isin(MATCHED_STATUSES)).sum())
    print(
        f"    fixtures: expected rate {expected_rate:.1%} (their {unmatched} unmatched rows are ambiguous or "
        "unknown on purpose)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
