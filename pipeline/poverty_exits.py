"""The exit side of the poverty build (pipeline/poverty.py): exit announcements, their dates, and the
third-party compilation's years, with the provenance rules below; and the raw-table helpers both use."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pandas as pd

from loaders.match import CodeHistory, resolve_designated
from loaders.schema import EXIT_DATE_KINDS

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


def read_raw(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def join_ids(*parts: str) -> str:
    seen: list[str] = []
    for part in parts:
        for sid in (part or "").split(";"):
            sid = sid.strip()
            if sid and sid not in seen:
                seen.append(sid)
    return ";".join(seen)


def join_notes(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def with_date_kinds(exits: pd.DataFrame, kinds_path: Path) -> pd.DataFrame:
    """Each exit row's date as the approval date where its announcement gives one, and its kind
    (EXIT_DATE_KINDS) from raw/exit_dates.csv; a dated row whose announcement is not there fails."""
    exits = exits.assign(exit_date_kind="")
    if not exits["exit_date"].ne("").any():
        return exits
    kinds = read_raw(kinds_path)
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


def aggregate_exits(exits: pd.DataFrame) -> dict[tuple[str, str], dict]:
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
            "source_ids": join_ids(*grp["source_id"]),
            "prefecture_zh": next((p for p in grp["prefecture_zh"] if p), ""),
            "member_ids": join_ids(
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


def exits_by_code(
    history: CodeHistory, exits: dict[tuple[str, str], dict]
) -> tuple[dict[str, tuple[tuple[str, str], dict]], list[str]]:
    """Each exit entry by its designation-era code (the first of a code wins), and the unresolved."""
    by_code: dict[str, tuple[tuple[str, str], dict]] = {}
    unresolved: list[str] = []
    for key, info in exits.items():
        code_designated, how = resolve_designated(history, key[0], info["prefecture_zh"], key[1])
        if code_designated:
            by_code.setdefault(code_designated, (key, info))
        else:
            unresolved.append(f"{key[0]} {key[1]} ({how})")
    return by_code, unresolved


def apply_secondary_exits(history: CodeHistory, secondary: pd.DataFrame, rows: list[dict]) -> list[str]:
    """Exit years from the third-party compilation, by the provenance rule above SECONDARY_EXIT_NOTE;
    returns the compilation's rows that match no county (or one already matched)."""
    by_designated = {r["_designated"]: i for i, r in enumerate(rows) if r["_designated"]}
    by_code: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        if r["code"]:
            by_code[r["code"]].append(i)
    by_name = {(r["province_zh"], n): i for i, r in enumerate(rows) for n in (r["name_zh"], r["_name_listed"])}
    matched: dict[int, dict] = {}
    unmatched: list[str] = []
    for sec in secondary.to_dict("records"):
        i = _match_secondary(history, sec, by_designated, by_code, by_name)
        label = f"{sec['province_zh']} {sec['name_zh']} ({sec['code_listed']})"
        if i is None:
            unmatched.append(label)
        elif i in matched:
            unmatched.append(f"{label}: same county as {matched[i]['name_zh']}")
        else:
            matched[i] = sec
    for i, row in enumerate(rows):
        sec = matched.get(i)
        if sec is None:
            if row["exit_year"]:
                row["notes"] = join_notes(row["notes"], SECONDARY_MISSING)
        elif not row["exit_year"]:
            row["exit_year"], row["exit_date"], row["exit_date_kind"] = sec["exit_year"], "", ""
            row["exit_year_source_kind"] = "secondary"
            row["source_ids"] = join_ids(row["source_ids"], sec["source_id"])
            row["notes"] = join_notes(row["notes"], SECONDARY_EXIT_NOTE)
        elif row["exit_year"] != sec["exit_year"]:
            row["notes"] = join_notes(
                row["notes"], f"{SECONDARY_DISAGREES} {sec['exit_year']}; the official {row['exit_year']} is kept"
            )
    return unmatched


def _match_secondary(history: CodeHistory, sec: dict, by_designated: dict, by_code: dict, by_name: dict) -> int | None:
    """Row index for one compilation row. Its code is mostly a 2014-era or later code (513301 康定县,
    520403 平坝县): taken as the designation-era code, or mapped back to its 2013 predecessor; else as a
    boundary code (130705 宣化县); else the name is resolved (532600 文山市) or matched as written (行委)."""
    code = sec["code_listed"]
    rec = history.record(code, 2013)
    code_designated = (
        code if rec is not None and rec.level == "县级" and rec.in_use(2013) else history.predecessor(code, 2013)
    )
    if code_designated in by_designated:
        return by_designated[code_designated]
    if len(by_code.get(code, [])) == 1:
        return by_code[code][0]
    code_designated, _how = resolve_designated(history, sec["province_zh"], sec["prefecture_zh"], sec["name_zh"])
    if code_designated in by_designated:
        return by_designated[code_designated]
    return by_name.get((sec["province_zh"], sec["name_zh"]))
