"""Checks of geodata/poverty_counties.csv against the official totals (python -m pipeline.report).

`check_poverty()` is pure: it reads the built CSVs and returns a `PovertyReport`; `main()` prints it.
Anything that does not add up is listed together with the rows concerned.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from loaders.schema import GEODATA, OFFICIAL_TOTALS
from loaders.tables import read_table
from pipeline.poverty_exits import EXIT_ONLY_NOTE, SECONDARY_DISAGREES, SECONDARY_MISSING


@dataclass(frozen=True)
class OfficialTotals:
    """The totals of geodata/official_totals.csv the checks need; None where no source gives one."""

    rows: int | None
    key_counties: int | None
    contiguous_area_counties: int | None
    deep_poverty: int | None
    exit_years: dict[int, int]


def official_totals(root: Path = GEODATA) -> OfficialTotals:
    """Read the sourced totals file (each row cites its source_id)."""
    table = read_table(OFFICIAL_TOTALS, root)
    by_measure = {m: int(v) for m, y, v in zip(table["measure"], table["year"], table["value"]) if pd.isna(y)}
    exits = table[table["measure"].eq("exits") & table["year"].notna()]
    return OfficialTotals(
        rows=by_measure.get("poverty_counties"),
        key_counties=by_measure.get("key_counties"),
        contiguous_area_counties=by_measure.get("contiguous_area_counties"),
        deep_poverty=by_measure.get("deep_poverty_counties"),
        exit_years={int(y): int(v) for y, v in zip(exits["year"], exits["value"])},
    )


@dataclass
class Check:
    name: str
    expected: int | None
    actual: int
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)  # rows concerned when it does not add up

    @property
    def ok(self) -> bool:
        return self.expected is None or self.expected == self.actual


@dataclass
class ExitProvenance:
    """Exit years by provenance (column exit_year_source_kind)."""

    by_batch: dict[int, dict[str, int]]  # year -> {"official": n, "secondary-only": n}
    unknown: int  # rows with no exit year at all
    both: int  # rows with an official year and a year in the compilation
    disagree: pd.DataFrame  # those of `both` where the two years differ

    @property
    def agreement_rate(self) -> float | None:
        return None if not self.both else (self.both - len(self.disagree)) / self.both


@dataclass
class PovertyReport:
    checks: list[Check]
    areas: pd.DataFrame  # area_id, name_zh, official, data
    join_status: dict[str, int]
    membership_basis: dict[str, int]
    province_counts: dict[str, int]
    exit_provenance: ExitProvenance
    official: OfficialTotals

    def check(self, name: str) -> Check:
        return next(c for c in self.checks if c.name == name)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def source_ids_known(root: Path = GEODATA) -> set[str]:
    """Ids in geodata/sources.csv if it exists, else in the fragments geodata/raw/sources_*.csv."""
    merged = root / "sources.csv"
    files = [merged] if merged.is_file() else sorted((root / "raw").glob("sources_*.csv"))
    ids: set[str] = set()
    for f in files:  # csv.DictReader: a malformed line in another team's fragment does not hide the ids
        with open(f, encoding="utf-8-sig", newline="") as fh:
            ids |= {row["source_id"] for row in csv.DictReader(fh) if row.get("source_id")}
    return ids


def check_poverty(root: Path = GEODATA) -> PovertyReport:
    d = _read(root / "poverty_counties.csv")
    official_total = official_totals(root)
    areas = _read(root / "contiguous_areas.csv")
    brief = ["code", "name_zh", "province_zh", "join_status", "source_ids"]
    checks: list[Check] = []

    checks.append(Check("rows", official_total.rows, len(d), d[brief].head(0)))
    # Units merged into one polygon share its code; that is documented (join_status 'merged'), not a duplicate.
    shared = d["code"].ne("") & d["code"].duplicated(keep=False)
    dup = d[shared & d["join_status"].ne("merged")]
    checks.append(Check("duplicate codes (not merged units)", 0, len(dup), dup[brief]))
    key = d["key_county"].eq("true")
    checks.append(Check("key counties (true)", official_total.key_counties, int(key.sum())))
    checks.append(
        Check("key-county status unknown", 0, int(d["key_county"].eq("").sum()), d.loc[d["key_county"].eq(""), brief])
    )
    in_area = d["contiguous_area"].ne("")
    checks.append(Check("contiguous-area counties", official_total.contiguous_area_counties, int(in_area.sum())))
    checks.append(Check("deep-poverty counties", official_total.deep_poverty, int(d["deep_poverty"].eq("true").sum())))
    years = pd.to_numeric(d["exit_year"], errors="coerce")
    for y, n in official_total.exit_years.items():
        checks.append(Check(f"exit year {y}", n, int((years == y).sum())))
    checks.append(Check("exit year unknown", 0, int(years.isna().sum()), d.loc[years.isna(), brief]))
    unmatched = d[d["join_status"].eq("unmatched")]
    checks.append(Check("unmatched to a boundary", 0, len(unmatched), unmatched[brief]))
    known = source_ids_known(root)
    no_source = d[d["source_ids"].eq("")]
    checks.append(Check("rows without a source", 0, len(no_source), no_source[brief]))
    unknown = d[d["source_ids"].map(lambda s: any(i not in known for i in s.split(";") if i))]
    checks.append(Check("rows citing an unknown source id", 0, len(unknown), unknown[brief]))

    counted = d.loc[in_area, "contiguous_area"].value_counts()
    area_table = pd.DataFrame(
        {
            "area_id": areas["area_id"],
            "name_zh": areas["name_zh"],
            "official": pd.to_numeric(areas["county_count_official"], errors="coerce").astype("Int64"),
            "data": [int(counted.get(a, 0)) for a in areas["area_id"]],
        }
    )
    official_sum = area_table["official"].dropna()
    checks.append(Check("official area counts found", 14, int(len(official_sum))))

    secondary = d["exit_year_source_kind"].eq("secondary")
    official = d["exit_year_source_kind"].eq("official")
    by_batch = {
        y: {"official": int((official & (years == y)).sum()), "secondary-only": int((secondary & (years == y)).sum())}
        for y in official_total.exit_years
    }
    both = official & ~d["notes"].str.contains(SECONDARY_MISSING, regex=False)
    disagree = d.loc[
        both & d["notes"].str.contains(SECONDARY_DISAGREES, regex=False),
        ["code", "name_zh", "province_zh", "exit_year", "notes"],
    ]
    said = disagree["notes"].str.extract(f"({re.escape(SECONDARY_DISAGREES)}[^;]*)", expand=False)
    disagree = disagree.assign(notes=said)
    provenance = ExitProvenance(by_batch, int(years.isna().sum()), int(both.sum()), disagree)

    exit_only = d["notes"].str.contains(EXIT_ONLY_NOTE, regex=False)
    basis = {"membership list": int((~exit_only).sum()), "exit announcement only": int(exit_only.sum())}
    return PovertyReport(
        checks=checks,
        areas=area_table,
        join_status={k: int(v) for k, v in d["join_status"].value_counts().items()},
        membership_basis=basis,
        province_counts={k: int(v) for k, v in d.groupby("province_zh").size().items()},
        exit_provenance=provenance,
        official=official_total,
    )


def format_report(rep: PovertyReport, max_rows: int = 40) -> str:
    lines = ["Poverty counties: checks against the official totals", ""]
    for c in rep.checks:
        exp = " (no sourced official total)" if c.expected is None else f" (expected {c.expected})"
        flag = "ok " if c.ok else "NO "
        lines.append(f"  [{flag}] {c.name}: {c.actual}{exp}")
        if not c.ok and not c.rows.empty:
            shown = c.rows.head(max_rows).to_string(index=False, max_colwidth=60)
            lines += ["        " + s for s in shown.splitlines()]
            if len(c.rows) > max_rows:
                lines.append(f"        ... and {len(c.rows) - max_rows} more")
    lines += ["", "Contiguous areas (official count vs counties in the data):"]
    for r in rep.areas.itertuples(index=False):
        off = "?" if pd.isna(r.official) else str(r.official)
        mark = "" if (not pd.isna(r.official) and int(r.official) == r.data) else "   <- differs or unknown"
        lines.append(f"  {r.area_id:16s} {r.name_zh:10s} official {off:>3s}  data {r.data:>3d}{mark}")
    p = rep.exit_provenance
    lines += ["", "Exit years by provenance (official = raw/exits.csv; secondary-only = third-party compilation):"]
    for y, n in p.by_batch.items():
        lines.append(
            f"  {y}: official {n['official']:>3d}  secondary-only {n['secondary-only']:>3d}"
            f"  total {n['official'] + n['secondary-only']:>3d} (expected {rep.official.exit_years[y]})"
        )
    lines.append(f"  unknown: {p.unknown}")
    rate = "n/a" if p.agreement_rate is None else f"{p.agreement_rate:.1%}"
    lines.append(f"  official vs secondary where both exist: {p.both - len(p.disagree)}/{p.both} agree ({rate})")
    if len(p.disagree):
        lines += ["        " + s for s in p.disagree.to_string(index=False, max_colwidth=80).splitlines()]
    lines += [
        "",
        "Join status: " + ", ".join(f"{k} {v}" for k, v in rep.join_status.items()),
        "Membership basis: " + ", ".join(f"{k} {v}" for k, v in rep.membership_basis.items()),
        "Rows by province: " + ", ".join(f"{k} {v}" for k, v in rep.province_counts.items()),
    ]
    return "\n".join(lines)


def main() -> int:
    rep = check_poverty()
    print(format_report(rep))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
