"""The code history 1981-2024 (geodata/raw/admin_codes_result.csv): records, designation-era names and the path
from any code to a polygon of the boundary layer. The offline build (pipeline/poverty.py) resolves its lists
with it too.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from loaders.match.names import county_stem
from loaders.schema import data_root

# Years in which the designation lists were valid; the first year a name is in use wins.
DESIGNATION_YEARS = (2013, 2012, 2014, 2011, 2015)

# Qinghai's 行政委员会 (行委) are county-level units with no county code of their own (not in the
# code history), so a name cannot be resolved through it; geodata/raw/no_code_units.csv (sourced)
# fixes their boundary: (province_zh, name_zh) -> (cnmaps code, join_status, note).
NO_CODE_UNITS_FILE = "no_code_units.csv"
NoCodeUnits = dict[tuple[str, str], tuple[str, str, str]]


def load_no_code_units(raw: Path | None = None) -> NoCodeUnits:
    path = (raw if raw is not None else data_root() / "raw") / NO_CODE_UNITS_FILE
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return {(r.province_zh, r.name_zh): (r.code, r.join_status, r.notes) for r in frame.itertuples()}


# ----------------------------------------------------------------------------- code history
@dataclass
class AdminRecord:
    code: str
    province: str
    prefecture: str
    name: str
    level: str
    status: str
    start: int
    end: int | None
    successors: list[str] = field(default_factory=list)

    def in_use(self, year: int) -> bool:
        """In use on 31 December of `year` (start inclusive, end exclusive)."""
        return self.start <= year and (self.end is None or year < self.end)


def load_admin_codes(path: Path | None = None) -> list[AdminRecord]:
    path = path or data_root() / "raw" / "admin_codes_result.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.columns = ["code", "province", "prefecture", "name", "level", "status", "start", "end", "new"]
    records = []
    for r in frame.itertuples(index=False):
        successors = [re.sub(r"\[\d{4}\]$", "", c) for c in r.new.split(";") if c]
        records.append(
            AdminRecord(
                r.code,
                r.province,
                r.prefecture,
                r.name,
                r.level,
                r.status,
                int(r.start),
                int(r.end) if r.end else None,
                successors,
            )
        )
    return records


class CodeHistory:
    """Look-ups over the code history: names in use in a year, successors of a code."""

    def __init__(self, records: list[AdminRecord]):
        self.records = records
        self.by_code: dict[str, list[AdminRecord]] = defaultdict(list)
        self.pointing_to: dict[str, list[AdminRecord]] = defaultdict(list)  # successor -> county records
        for rec in records:
            self.by_code[rec.code].append(rec)
            if rec.level == "县级":
                for succ in rec.successors:
                    self.pointing_to[succ].append(rec)
        self.province_codes = {r.name: r.code[:2] for r in records if r.level == "省级"}

    def record(self, code: str, year: int | None = None) -> AdminRecord | None:
        """The record of `code` in use in `year` (or, failing that / with no year, the latest one)."""
        recs = self.by_code.get(code, [])
        if year is not None:
            recs = [r for r in recs if r.in_use(year)] or recs
        return max(recs, key=lambda r: r.start) if recs else None

    def predecessor(self, code: str, year: int) -> str:
        """The unique county in use in `year` whose code history leads to `code` (a later code)."""
        hits = [r.code for r in self.pointing_to.get(code, []) if r.in_use(year) and r.code != code]
        return hits[0] if len(set(hits)) == 1 else ""

    def counties(self, prov2: str, year: int) -> list[AdminRecord]:
        return [
            r
            for r in self.records
            if r.level == "县级" and r.code.startswith(prov2) and r.in_use(year) and r.name != "市辖区"
        ]

    def name(self, code: str, year: int) -> str:
        rec = self.record(code, year)
        return rec.name if rec else ""




def resolve_designated(history: CodeHistory, province: str, prefecture: str, name: str) -> tuple[str, str]:
    """(code, how) of the county `name` as in use in 2012-2014; ('', reason) if none or ambiguous."""
    prov2 = history.province_codes.get(province, "")
    if not prov2:
        return "", f"unknown province '{province}'"
    for year in DESIGNATION_YEARS:
        pool = history.counties(prov2, year)
        if prefecture:
            in_pref = [r for r in pool if r.prefecture == prefecture]
            pool = in_pref or pool
        exact = [r for r in pool if r.name == name]
        if len(exact) == 1:
            return _designation_era(history, exact[0], f"exact name in {year}")
        if len(exact) > 1:
            return "", f"name '{name}' is ambiguous in {year} ({', '.join(r.code for r in exact)})"
        # Short forms: 青龙县 for 青龙满族自治县, 丰宁县 for 丰宁满族自治县.
        stem = county_stem(name)
        loose = [r for r in pool if r.name.startswith(stem) and r.name != name]
        if len(loose) == 1 and len(stem) >= 2:
            return _designation_era(history, loose[0], f"short form of '{loose[0].name}' ({year})")
    # A later name (卡若区 for 昌都县, 康定市 for 康定县): find it in use after 2015, then go back.
    for year in range(2016, 2025):
        pool = [r for r in history.counties(prov2, year) if r.name == name]
        if len(pool) == 1:
            return _designation_era(history, pool[0], f"later name ({year})")
    return "", "no county of that name in 2011-2024"


def _designation_era(history: CodeHistory, rec: AdminRecord, how: str) -> tuple[str, str]:
    """Map a record found in another year to the code in use in 2013 (the lists' reference year)."""
    if rec.in_use(2013):
        return rec.code, how
    if rec.start > 2013:
        prev = history.predecessor(rec.code, 2013)
        if prev:
            return prev, f"{how}; predecessor in 2013: {prev}"
        return "", f"{how}, but no unique 2013 predecessor of {rec.code}"
    # in use before 2013 only: follow the chain forward to 2013
    code, seen = rec.code, set()
    while code not in seen:
        seen.add(code)
        later = history.record(code)
        if later is None or later.in_use(2013):
            break
        if len(later.successors) != 1:
            return "", f"{how}, but {code} was split before 2013"
        code = later.successors[0]
    return code, f"{how}; successor in 2013: {code}"


# ----------------------------------------------------------------------------- code -> boundary
def successors_in_layer(history: CodeHistory, boundaries, code: str) -> list[str]:
    """The nearest successors of `code` (breadth first through the history) that have a polygon."""
    seen, frontier = {code}, [code]
    while frontier:
        nxt = []
        for c in frontier:
            rec = history.record(c)
            if rec is None:
                continue
            for succ in rec.successors:
                if succ not in seen:
                    seen.add(succ)
                    nxt.append(succ)
        hits = [c for c in nxt if c in boundaries]
        if hits:
            return hits
        frontier = nxt
    return []


def resolve_boundary(history: CodeHistory, boundaries, code_d: str, year: int = 2013) -> tuple[str, str, str]:
    """(boundary code, join_status, note) for a code in use in `year`, following the code history.

    `boundaries` maps boundary code -> (province, prefecture, name)."""
    if code_d in boundaries:
        return code_d, "matched", ""
    hits = successors_in_layer(history, boundaries, code_d)
    if not hits:
        return "", "unmatched", f"no successor of {code_d} in the boundary index"
    old = history.name(code_d, year)
    if len(hits) == 1 and not shared_successor(history, code_d, hits[0], year):
        new_name = boundaries[hits[0]][2]
        return hits[0], "renamed", f"code {code_d} ({old}) became {hits[0]} ({new_name})"
    stem = county_stem(old)
    best = next((c for c in hits if boundaries[c][2].startswith(stem)), hits[0])
    names = ", ".join(f"{c} {boundaries[c][2]}" for c in hits)
    return best, "merged", f"{code_d} ({old}) was merged/split into {names}; joined to {best}"


def shared_successor(
    history: CodeHistory, code_d: str, succ: str, year: int = 2013, whole_units: bool = False
) -> bool:
    """True if `succ` existed in `year` or also absorbed another county in use then (a merger, not a
    rename). `whole_units`: ignore counties that only ceded a part and still exist (兴隆台区 → 大洼区)."""
    rec = history.record(succ, year)
    if rec is not None and rec.in_use(year):
        return True
    return any(
        r.code != code_d and r.in_use(year) and not (whole_units and r.end is None)
        for r in history.pointing_to.get(succ, [])
    )
