"""A synthetic county panel shaped like the real ones analysts bring (issue 16), for the Import
page's benchmark and browser test.

    python -m benchmarks.synthetic_panel OUT.csv [--seed 2024]

Shape of a CSMAR-style panel, 2000–2023: about 2,800 counties, each in some of the 24 years
(~14,000 rows), with the code as it was in that year (so a unit renamed or merged carries its
old code in early years), a few rows carrying a code of an older vintage (1981–1999) or the
latest one, an id column of mostly-unique large integers (`AreaID`, the column a page must not
open on), a year column, numeric columns with negatives and a text column. Names and codes are
real (the code history); every value is made up and named synthetic.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import pandas as pd

from loaders.match import AdminRecord, CodeHistory, load_gazetteer

PANEL_YEARS = tuple(range(2000, 2024))
SHARE_PER_YEAR = 0.21  # ~2,850 units in use per year x 24 years x 0.21 -> ~14,000 rows
TERRAIN = ("平原", "丘陵", "山区", "高原", "盆地")


def _in_use(history: CodeHistory, year: int) -> list[AdminRecord]:
    return [
        r
        for r in history.records
        if r.level == "县级" and r.in_use(year) and r.name not in ("市辖区", "省直辖县级行政区划")
    ]


def synthetic_panel(
    seed: int = 2024, years: tuple[int, ...] = PANEL_YEARS, share: float = SHARE_PER_YEAR
) -> pd.DataFrame:
    """The panel as text cells (as a CSV reader hands it over); fixed by `seed`."""
    rng = random.Random(seed)
    history = load_gazetteer().history
    level: dict[str, float] = {}  # a unit's income level, so a county's values are alike through the years
    out = []
    for year in years:
        for rec in _in_use(history, year):
            if rng.random() >= share:
                continue
            code = rec.code
            draw = rng.random()
            if draw < 0.03:  # an older vintage: the code its predecessor had in the 1980s or 1990s
                code = history.predecessor(rec.code, rng.randrange(1981, 2000)) or code
            elif draw < 0.05 and rec.successors:  # the code it has since
                code = rec.successors[0]
            base = level.setdefault(rec.code, rng.uniform(2_000, 40_000))
            out.append(
                {
                    "AreaID": str(20_410_000 + len(out) * 7 + rng.randrange(7)),
                    "代码": code,
                    "县名": rec.name,
                    "省份": rec.province,
                    "年份": str(year),
                    "synthetic_人均收入": f"{base * (1.06 ** (year - years[0])) * rng.uniform(0.9, 1.1):.1f}",
                    "synthetic_增长率": f"{rng.gauss(6.5, 5.0):.2f}",  # negatives too
                    "synthetic_人口": str(int(rng.lognormvariate(12.7, 0.8))),
                    "synthetic_地形": rng.choice(TERRAIN),
                }
            )
    return pd.DataFrame(out).astype("string")


def panel_csv(seed: int = 2024) -> bytes:
    return synthetic_panel(seed).to_csv(index=False).encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    args.out.write_bytes(panel_csv(args.seed))
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
