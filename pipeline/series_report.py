"""Coverage and cross-checks of the time series.

    python -m pipeline.series_report

`series_report()` is a pure function (reads files, writes nothing) returning:

* ``coverage``: for each series and level, the units and the years (periods)
  present, and how many cells (unit x year) are filled;
* ``cross_checks``: published totals compared with sums of their parts where
  both exist - national vs the provinces present, national vs the three regions,
  the eight ethnic provinces vs its members, the five-year relocation plan vs its
  parts - and every second source (``alt`` rows in geodata/raw/series/) compared
  with the value used. Differences are reported, never hidden or "fixed".
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from loaders.schema import SERIES_LEVELS
from pipeline import series as bs, series_rows

SERIES_DIR = bs.OUT_DIR
ETHNIC_8 = ("150000", "450000", "520000", "530000", "540000", "630000", "640000", "650000")
REGIONS = ("region_east", "region_central", "region_west")
TOL = 1e-6


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _f(text: str) -> float | None:
    return float(text) if text not in ("", None) else None


def coverage(series_dir: Path = SERIES_DIR) -> dict[str, dict[str, dict[str, object]]]:
    """series -> level -> {units, n_units, years, n_cells}."""
    out: dict[str, dict[str, dict[str, object]]] = {}
    for name, time_col in (("incidence", "year"), ("funds", "year"), ("relocation", "period")):
        rows = _read(series_dir / f"{name}.csv")
        by_level: dict[str, dict[str, set]] = defaultdict(lambda: {"units": set(), "times": set(), "cells": set()})
        for r in rows:
            d = by_level[r["level"]]
            d["units"].add(r["unit_code"])
            d["times"].add(r[time_col])
            d["cells"].add((r["unit_code"], r[time_col]))
        out[name] = {
            level: {
                "units": sorted(d["units"]),
                "n_units": len(d["units"]),
                "years": sorted(d["times"]),
                "n_cells": len(d["cells"]),
            }
            for level, d in sorted(by_level.items(), key=lambda kv: SERIES_LEVELS.index(kv[0]))
        }
    return out


def _sum_check(
    label: str, total: float | None, parts: dict[str, float | None], expected: tuple[str, ...] | None
) -> dict[str, object]:
    present = {k: v for k, v in parts.items() if v is not None}
    s = sum(present.values())
    complete = expected is not None and all(k in present for k in expected)
    diff = None if total is None else round(s - total, 6)
    return {
        "check": label,
        "published_total": total,
        "sum_of_parts": round(s, 6),
        "parts_present": len(present),
        "parts_expected": len(expected) if expected else None,
        "complete": complete,
        "difference": diff,
        "agrees": complete and diff is not None and abs(diff) <= TOL,
    }


def _incidence_checks(rows: list[dict[str, str]]) -> list[dict[str, object]]:
    checks = []
    idx: dict[tuple[str, str, str, str], dict[str, str]] = {
        (r["level"], r["unit_code"], r["year"], r["standard"]): r for r in rows
    }
    nat = {(k[2], k[3]): _f(r["poor_population_10k"]) for k, r in idx.items() if k[0] == "national"}
    for (year, std), total in sorted(nat.items()):
        provs = {
            k[1]: _f(r["poor_population_10k"])
            for k, r in idx.items()
            if k[0] == "province" and k[2] == year and k[3] == std
        }
        if any(v is not None for v in provs.values()):
            c = _sum_check(f"incidence {year}: national vs sum of provinces [{std}]", total, provs, None)
            c["note"] = "partial: only the provinces present are summed"
            checks.append(c)
        regs = {
            code: _f(idx[("group", code, year, std)]["poor_population_10k"])
            for code in REGIONS
            if ("group", code, year, std) in idx
        }
        if regs:
            checks.append(_sum_check(f"incidence {year}: national vs east+central+west [{std}]", total, regs, REGIONS))
    for (lvl, code, year, std), r in sorted(idx.items()):
        if (lvl, code) != ("group", "ethnic_8_provinces"):
            continue
        members = {
            p: _f(idx[("province", p, year, std)]["poor_population_10k"])
            for p in ETHNIC_8
            if ("province", p, year, std) in idx
        }
        if any(v is not None for v in members.values()):
            checks.append(
                _sum_check(
                    f"incidence {year}: eight ethnic provinces vs its members [{std}]",
                    _f(r["poor_population_10k"]),
                    members,
                    ETHNIC_8,
                )
            )
    return checks


def _funds_checks(rows: list[dict[str, str]]) -> list[dict[str, object]]:
    checks = []
    idx = {(r["level"], r["unit_code"], r["year"], r["fund_type"]): _f(r["amount_100m_yuan"]) for r in rows}
    for (lvl, _code, year, ftype), total in sorted(idx.items()):
        if lvl != "national":
            continue
        provs = {k[1]: v for k, v in idx.items() if k[0] == "province" and k[2] == year and k[3] == ftype}
        if provs:
            c = _sum_check(f"funds {year} {ftype}: national vs sum of provinces", total, provs, None)
            c["note"] = "partial: only the provinces present are summed"
            checks.append(c)
    for (lvl, code, year, ftype), total in sorted(idx.items()):
        if (lvl, code) != ("group", "ethnic_8_provinces"):
            continue
        members = {p: idx.get(("province", p, year, ftype)) for p in ETHNIC_8}
        if any(v is not None for v in members.values()):
            checks.append(
                _sum_check(f"funds {year} {ftype}: eight ethnic provinces vs its members", total, members, ETHNIC_8)
            )
    return checks


def _relocation_checks(rows: list[dict[str, str]]) -> list[dict[str, object]]:
    checks = []
    idx = {(r["level"], r["unit_code"], r["period"], r["measure"]): _f(r["value"]) for r in rows}
    total = idx.get(("national", "CN", "2016-2020", "planned"))
    if total is not None:
        regs = {c: idx.get(("group", c, "2016-2020", "planned")) for c in REGIONS}
        if any(v is not None for v in regs.values()):
            label = "relocation 2016-2020 planned: national vs east+central+west"
            checks.append(_sum_check(label, total, regs, REGIONS))
        years = tuple(str(y) for y in range(2016, 2021))
        yearly = {y: idx.get(("national", "CN", y, "planned")) for y in years}
        if any(v is not None for v in yearly.values()):
            label = "relocation 2016-2020 planned: national five-year plan vs yearly plans"
            c = _sum_check(label, total, yearly, years)
            checks.append(c)
    return checks


def _reduction_checks(series_dir: Path, raw_dir: Path) -> list[dict[str, object]]:
    """Published annual reductions vs the difference of consecutive published stocks.

    The difference is computed here only to compare two published numbers; it is
    never written to the data.
    """
    path = raw_dir / "checks_reductions.csv"
    if not path.is_file():
        return []
    stocks: dict[tuple[str, str, int], float] = {}
    for r in _read(series_dir / "incidence.csv"):
        if r["poor_population_10k"]:
            stocks[(r["level"], r["unit_code"], int(r["year"]))] = float(r["poor_population_10k"])
    out = []
    for r in _read(path):
        unit, factor = series_rows.UNIT_FACTORS["population"][r["reduction_unit"]]
        published = float(r["reduction"]) * factor
        y = int(r["year"])
        before, after = stocks.get((r["level"], r["unit_code"], y - 1)), stocks.get((r["level"], r["unit_code"], y))
        diff = None if before is None or after is None else round((before - after) - published, 6)
        out.append(
            {
                "check": f"reduction {r['level']} {r['unit_code']} {y}: published ({r['source_id']}) "
                f"vs stock {y - 1} - stock {y}",
                "published_total": published,
                "sum_of_parts": None if diff is None else round(before - after, 6),
                "parts_present": sum(v is not None for v in (before, after)),
                "parts_expected": 2,
                "complete": diff is not None,
                "difference": diff,
                "agrees": diff is not None and abs(diff) <= TOL,
            }
        )
    return out


def _alt_checks(raw_dir: Path, sources_dir: Path) -> list[dict[str, object]]:
    """Each `alt` (second-source) row against the `use` row of the same key."""
    converted = bs.convert_all(bs.read_raw(raw_dir), bs.load_source_ids(sources_dir))
    value_cols = {
        "incidence": ("poor_population_10k", "incidence_pct"),
        "funds": ("amount_100m_yuan",),
        "relocation": ("value",),
    }
    out = []
    for theme, items in converted.items():
        used = {key: row for status, key, row, _ in items if status == "use"}
        for status, key, row, raw in items:
            if status != "alt":
                continue
            u = used[key]
            for col in value_cols[theme]:
                a, b = _f(row[col]), _f(u[col])
                if a is None or b is None:
                    continue
                out.append(
                    {
                        "check": f"{theme} {' / '.join(str(k) for k in key[:3])}"
                        + (f" {key[3]}" if theme != "incidence" else "")
                        + f" {col}",
                        "used": b,
                        "used_source": u["source_id"],
                        "alt": a,
                        "alt_source": row["source_id"],
                        "alt_file": f"{raw.path.name} row {raw.line}",
                        "difference": round(a - b, 6),
                        "agrees": abs(a - b) <= TOL,
                    }
                )
    return out


def _excluded(raw_dir: Path) -> list[dict[str, str]]:
    out = []
    for theme, rows in bs.read_raw(raw_dir).items():
        for r in rows:
            if r.data.get("status") == "excluded":
                out.append(
                    {
                        "theme": theme,
                        "file": f"{r.path.name} row {r.line}",
                        "unit": f"{r.data['level']} {r.data['unit_code']}",
                        "time": r.data.get("year") or r.data.get("period", ""),
                        "source_id": r.data["source_id"],
                        "why": r.data.get("notes", ""),
                    }
                )
    return out


def series_report(
    series_dir: Path = SERIES_DIR, raw_dir: Path = bs.RAW_DIR, sources_dir: Path = bs.SOURCES_GLOB_DIR
) -> dict[str, object]:
    """Coverage, cross-checks, second-source comparisons and excluded rows."""
    return {
        "coverage": coverage(series_dir),
        "cross_checks": (
            _incidence_checks(_read(series_dir / "incidence.csv"))
            + _funds_checks(_read(series_dir / "funds.csv"))
            + _relocation_checks(_read(series_dir / "relocation.csv"))
            + _reduction_checks(series_dir, raw_dir)
        ),
        "second_sources": _alt_checks(raw_dir, sources_dir),
        "excluded": _excluded(raw_dir),
    }


def _fmt(x: object) -> str:
    if isinstance(x, float):
        return series_rows.fmt_number(x)
    return "-" if x is None else str(x)


def main() -> None:
    rep = series_report()
    print("== Coverage (units x years present) ==")
    for name, levels in rep["coverage"].items():  # type: ignore[union-attr]
        print(f"{name}:")
        for level, d in levels.items():
            years = d["years"]
            span = f"{years[0]}..{years[-1]}" if years else "-"
            print(
                f"  {level:<10} {d['n_units']:>3} units, {d['n_cells']:>3} unit-years, "
                f"times {span} ({len(years)} distinct): {', '.join(d['units'])}"
            )
    print("\n== Cross-checks: published totals vs sums of parts ==")
    for c in rep["cross_checks"]:  # type: ignore[union-attr]
        status = "OK" if c["agrees"] else ("INCOMPLETE" if not c["complete"] else "DIFFERS")
        print(
            f"  [{status}] {c['check']}: total {_fmt(c['published_total'])}, sum {_fmt(c['sum_of_parts'])} "
            f"({c['parts_present']}/{_fmt(c['parts_expected'])} parts), difference {_fmt(c['difference'])}"
        )
    print("\n== Second sources (alt rows) vs value used ==")
    for c in rep["second_sources"]:  # type: ignore[union-attr]
        status = "OK" if c["agrees"] else "DIFFERS"
        print(
            f"  [{status}] {c['check']}: used {_fmt(c['used'])} ({c['used_source']}) vs "
            f"{_fmt(c['alt'])} ({c['alt_source']}, {c['alt_file']})"
        )
    print("\n== Transcribed but excluded ==")
    for e in rep["excluded"]:  # type: ignore[union-attr]
        print(f"  {e['theme']} {e['unit']} {e['time']} ({e['source_id']}, {e['file']}): {e['why'][:160]}")


if __name__ == "__main__":
    main()
