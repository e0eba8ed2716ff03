"""Turn an official county list in a file into rows of geodata/raw/ (maintainers; issue 9 §7).

    python -m pipeline.import_list INPUT --flag key_county|contiguous_area|deep_poverty
        --source-id ID [--area AREA | --area-col C] [--name-col N] [--province-col P] [--code-col C]
        [--prefecture-col F] [--sheet S] [--header-row N] [--skip-unmatched] [--dry-run] [--raw DIR]

The list is matched like any user table (loaders.match: codes of any vintage, old names, short
forms); each matched county is written with its designation-era (2013) code, name and prefecture
from the code history, so `make data` (pipeline.poverty) joins it like the hand transcriptions:

  key_county, contiguous_area -> raw/counties_832.csv (key_county=true, or contiguous_area=<area>)
  deep_poverty                -> raw/deep_poverty_334.csv

The source id must already be in raw/sources_*.csv (cite first, then import). Rows are appended
(existing lines stay byte for byte); a county already listed with the same source id is skipped,
so a second run changes nothing. If any row is ambiguous or not found, nothing is written unless
--skip-unmatched (then the skipped rows are printed).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from loaders.match import (
    MATCHED_STATUSES,
    Gazetteer,
    add_file_arguments,
    clean_name,
    file_options,
    load_gazetteer,
    match_file,
    normalise_code,
    report,
    resolve_designated,
)
from pipeline import sources as build_sources
from pipeline.poverty_inputs import RAW

# A list names counties by code, name, province and prefecture; it has no year column.
LIST_ROLES = ("code", "name", "province", "prefecture")

FLAG_FILES = {
    "key_county": "counties_832.csv",
    "contiguous_area": "counties_832.csv",
    "deep_poverty": "deep_poverty_334.csv",
}
MEMBER_COLUMNS = [
    "province_zh",
    "prefecture_zh",
    "name_zh",
    "code_designated",
    "key_county",
    "contiguous_area",
    "source_id",
    "notes",
]
DEEP_COLUMNS = ["province_zh", "prefecture_zh", "name_zh", "source_id", "notes"]
REFERENCE_YEAR = 2013  # the lists were drawn up 2011-2014; raw/ holds the names and codes of 2013


class ImportListError(ValueError):
    """The list cannot be imported as asked (unknown flag, source or area; unmatched rows)."""


@dataclass(frozen=True)
class ImportOutcome:
    target: Path
    written: pd.DataFrame  # rows appended to `target`
    already_present: list[str]  # counties already listed with this source id
    skipped: list[str]  # rows not written (unmatched, or no 2013 county)
    match_report: str


def _area_lookup(raw: Path) -> dict[str, str]:
    """area_id, name_zh, name_zh without 区/山区, name_en (lower case) -> name_zh as raw/ writes it."""
    areas = pd.read_csv(raw / "contiguous_areas.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    out = {}
    for a in areas.itertuples():
        for key in (
            a.area_id,
            a.name_zh,
            a.name_zh.removesuffix("区"),
            a.name_zh.removesuffix("山区"),
            a.name_en.lower(),
        ):
            out.setdefault(key.strip(), a.name_zh)
    return out


def _designated(gazetteer: Gazetteer, input_code: str, boundary_code: str, province: str, name: str) -> str:
    """The county code of 2013 behind a matched row: its own code if in use in 2013, else the code of
    its polygon in 2013 or that polygon's unique 2013 predecessor, else its name resolved as in 2013."""
    history = gazetteer.history
    for code in (input_code, boundary_code):
        rec = history.record(code, REFERENCE_YEAR) if code else None
        if rec is not None and rec.level == "县级" and rec.in_use(REFERENCE_YEAR):
            return code
    if boundary_code:
        prev = history.predecessor(boundary_code, REFERENCE_YEAR)
        if prev:
            return prev
    return resolve_designated(history, province, "", name)[0] if province and name else ""


def import_list(
    path: Path,
    flag: str,
    source_id: str,
    *,
    raw: Path = RAW,
    area: str | None = None,
    area_col: str | None = None,
    skip_unmatched: bool = False,
    dry_run: bool = False,
    gazetteer: Gazetteer | None = None,
    **column_options,
) -> ImportOutcome:
    path, raw = Path(path), Path(raw)
    if flag not in FLAG_FILES:
        raise ImportListError(f"unknown flag '{flag}'; use one of {', '.join(FLAG_FILES)}")
    known = set(build_sources.merge(raw)["source_id"])
    if source_id not in known:
        raise ImportListError(
            f"unknown source id '{source_id}': cite the list first in "
            f"{raw / 'sources_counties.csv'} (title, publisher, date, where found, license)"
        )
    areas = _area_lookup(raw)
    if flag == "contiguous_area":
        if (area is None) == (area_col is None):
            raise ImportListError("a contiguous-area list needs --area AREA (one area) or --area-col COLUMN")
        if area is not None and area.strip() not in areas:
            raise ImportListError(f"unknown contiguous area '{area}'; known: {', '.join(sorted(set(areas.values())))}")
    gazetteer = gazetteer or load_gazetteer()
    result = match_file(path, gazetteer=gazetteer, **column_options)
    roles = result.roles
    if flag == "contiguous_area" and area_col is not None and area_col not in result.rows.columns:
        raise ImportListError(f"{path.name}: no column '{area_col}' (for --area-col)")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    history = gazetteer.history
    prov_names = {r.code[:2]: r.name for r in history.records if r.level == "省级"}
    new_rows, skipped = [], []
    for rec in result.rows.to_dict("records"):
        listed = " ".join(
            str(rec[c]) for c in (roles.province, roles.code, roles.name) if c is not None and not pd.isna(rec[c])
        )
        where = f"row {rec['row']} ({listed})"
        if rec["match_status"] not in MATCHED_STATUSES:
            skipped.append(f"{where}: {rec['match_status']} — {rec['match_method']}")
            continue
        area_name = ""
        if flag == "contiguous_area":
            value = area if area is not None else rec[area_col]
            area_name = areas.get(str(value).strip(), "") if not pd.isna(value) else ""
            if not area_name:
                skipped.append(f"{where}: unknown contiguous area '{value}'")
                continue
        name = clean_name(rec[roles.name]) if roles.name else ""
        no_code = next((k for k in gazetteer.no_code_units if k[1] == name), None)
        boundary = rec["boundary_code"]
        if no_code and flag == "deep_poverty":
            skipped.append(f"{where}: {name} has no county code; the build reads deep-poverty rows by code history")
            continue
        if no_code:  # 行委: written by name; the build fixes its polygon (raw/no_code_units.csv)
            province, prefecture, name_2013, code_d = no_code[0], "", no_code[1], ""
        else:
            province = prov_names.get(boundary[:2], "")
            code_d = _designated(
                gazetteer, normalise_code(rec[roles.code]) if roles.code else "", boundary, province, name
            )
            if not code_d:
                skipped.append(f"{where}: {boundary} {gazetteer.name_zh(boundary)} has no county of {REFERENCE_YEAR}")
                continue
            county = history.record(code_d, REFERENCE_YEAR)
            province, prefecture, name_2013 = prov_names.get(code_d[:2], province), county.prefecture, county.name
        note = f"imported by pipeline.import_list from {path.name} (sha256 {sha[:12]}), row {rec['row']}"
        if name and name != name_2013:
            note += f", listed as '{name}'"
        new_rows.append(
            {
                "province_zh": province,
                "prefecture_zh": prefecture,
                "name_zh": name_2013,
                "code_designated": code_d,
                "key_county": "true" if flag == "key_county" else "",
                "contiguous_area": area_name,
                "source_id": source_id,
                "notes": note,
            }
        )
    text = report(result, gazetteer)
    if skipped and not skip_unmatched:
        raise ImportListError(
            f"{len(skipped)} row(s) not matched; nothing written (fix the list, or pass "
            "--skip-unmatched):\n  " + "\n  ".join(skipped) + "\n" + text
        )
    target = raw / FLAG_FILES[flag]
    columns = DEEP_COLUMNS if flag == "deep_poverty" else MEMBER_COLUMNS
    existing = (
        pd.read_csv(target, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        if target.is_file()
        else pd.DataFrame(columns=columns)
    )
    # the same county, source and flag value already listed: skipped (a second run changes nothing)
    flag_columns = ["source_id"] + [c for c in ("key_county", "contiguous_area") if c in columns]
    present = {tuple(r[c] for c in ["province_zh", "name_zh", *flag_columns]) for r in existing.to_dict("records")}
    if "code_designated" in existing.columns:
        present |= {
            tuple(r[c] for c in ["code_designated", *flag_columns])
            for r in existing.to_dict("records")
            if r["code_designated"]
        }
    fresh, already = [], []
    for row in new_rows:
        keys = {tuple(row[c] for c in ["province_zh", "name_zh", *flag_columns])}
        if row["code_designated"] and flag != "deep_poverty":
            keys.add(tuple(row[c] for c in ["code_designated", *flag_columns]))
        if keys & present:
            already.append(f"{row['province_zh']} {row['name_zh']}")
            continue
        present |= keys
        fresh.append(row)
    written = pd.DataFrame(fresh, columns=MEMBER_COLUMNS).reindex(columns=columns)
    if fresh and not dry_run:
        _append(target, columns, written)
    return ImportOutcome(target, written, already, skipped, text)


def _append(target: Path, columns: list[str], rows: pd.DataFrame) -> None:
    """Append rows; the existing lines stay as they are."""
    new_file = not target.is_file() or target.stat().st_size == 0
    if not new_file and not target.read_bytes().endswith(b"\n"):
        with target.open("ab") as fh:
            fh.write(b"\n")
    with target.open("a", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        if new_file:
            writer.writerow(columns)
        writer.writerows(rows[columns].itertuples(index=False, name=None))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.import_list", description=__doc__.split("\n")[0])
    add_file_arguments(parser, LIST_ROLES)
    parser.add_argument("--flag", required=True, choices=sorted(FLAG_FILES))
    parser.add_argument("--source-id", required=True)
    parser.add_argument("--area", help="the contiguous area of every row (area_id or name, e.g. 乌蒙山区)")
    parser.add_argument("--area-col", help="the column naming each row's contiguous area")
    parser.add_argument("--skip-unmatched", action="store_true", help="write the matched rows, list the others")
    parser.add_argument("--dry-run", action="store_true", help="match and report, write nothing")
    parser.add_argument("--raw", type=Path, default=RAW, help="the raw folder (default geodata/raw)")
    args = parser.parse_args(argv)
    from loaders.tabular import UploadError

    try:
        outcome = import_list(
            args.input,
            args.flag,
            args.source_id,
            raw=args.raw,
            area=args.area,
            area_col=args.area_col,
            skip_unmatched=args.skip_unmatched,
            dry_run=args.dry_run,
            **file_options(args, LIST_ROLES),
        )
    except (ImportListError, UploadError, KeyError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(outcome.match_report)
    for line in outcome.skipped:
        print(f"skipped {line}")
    if outcome.already_present:
        print(f"already listed with {args.source_id}: {', '.join(outcome.already_present)}")
    verb = "would write" if args.dry_run else "wrote"
    print(f"{verb} {len(outcome.written)} row(s) to {outcome.target}")
    if len(outcome.written) and not args.dry_run:
        print("next: make data (rebuilds the poverty tables), then make report")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
