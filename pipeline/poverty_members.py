"""The membership step of the poverty build (pipeline/poverty.py): the listed counties by their
designation-era code (several source rows of one county merged), the counties known only from an exit
announcement, and the deep-poverty counties."""

from __future__ import annotations

from dataclasses import dataclass, field

from loaders.match import resolve_designated
from pipeline.poverty_exits import EXIT_ONLY_NOTE, MEMBERSHIP_FROM_EXITS, join_ids, join_notes
from pipeline.poverty_inputs import Inputs


@dataclass
class Members:
    """The membership entries: by designation-era code, fixed-boundary units, names not resolved."""

    by_code: dict[str, dict] = field(default_factory=dict)
    no_code: list[dict] = field(default_factory=list)  # units of raw/no_code_units.csv (boundary fixed by the table)
    unresolved: list[dict] = field(default_factory=list)
    filled_codes: dict[int, str] = field(default_factory=dict)  # raw row -> resolved code (for --fill-raw)


def membership_rows(inputs: Inputs) -> Members:
    """The membership rows, several source rows of one county merged on the designation-era code."""
    out = Members()
    area_id = inputs.area_id
    for i, row in inputs.members.iterrows():
        code_designated, how = row["code_designated"], "given in raw file"
        boundary = inputs.no_code_units.get((row["province_zh"], row["name_zh"]))
        if not code_designated and not boundary:
            code_designated, how = resolve_designated(
                inputs.history, row["province_zh"], row["prefecture_zh"], row["name_zh"]
            )
            if code_designated:
                out.filled_codes[i] = code_designated
        entry = {
            "name_listed": row["name_zh"],
            "province_zh": row["province_zh"],
            "prefecture_listed": row["prefecture_zh"],
            "key_county": row["key_county"],
            "contiguous_area": area_id.get(row["contiguous_area"], ""),
            "source_ids": row["source_id"],
            "notes": row["notes"],
            "code_designated": code_designated,
            "how": how,
        }
        if row["contiguous_area"] and row["contiguous_area"] not in area_id:
            entry["notes"] = join_notes(entry["notes"], f"unknown contiguous area '{row['contiguous_area']}'")
        if boundary and not code_designated:
            out.no_code.append(dict(entry, boundary=boundary))
        elif not code_designated:
            entry["notes"] = join_notes(entry["notes"], f"name not resolved: {how}")
            out.unresolved.append(entry)
        elif code_designated in out.by_code:
            out.by_code[code_designated] = _merge_member(out.by_code[code_designated], entry)
        else:
            out.by_code[code_designated] = entry
    return out


def add_exit_only_members(inputs: Inputs, exit_by_code: dict, members: dict[str, dict]) -> None:
    """Counties known only from an exit announcement (see MEMBERSHIP_FROM_EXITS)."""
    if not MEMBERSHIP_FROM_EXITS:
        return
    for code_designated, (key, info) in exit_by_code.items():
        if code_designated not in members and info["member_ids"] and key not in inputs.not_members:
            members[code_designated] = {
                "name_listed": key[1],
                "province_zh": key[0],
                "prefecture_listed": info["prefecture_zh"],
                "key_county": "",
                "contiguous_area": "",
                "source_ids": info["member_ids"],
                "notes": EXIT_ONLY_NOTE + " (" + info["member_ids"] + ")",
                "code_designated": code_designated,
                "how": "from exits.csv",
            }


def deep_poverty_by_code(inputs: Inputs) -> dict[str, dict]:
    """The deep-poverty rows by designation-era code."""
    out: dict[str, dict] = {}
    for _, row in inputs.deep.iterrows():
        code_designated, _how = resolve_designated(
            inputs.history, row["province_zh"], row.get("prefecture_zh", ""), row["name_zh"]
        )
        if code_designated:
            out[code_designated] = row.to_dict()
    return out


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
    out["notes"] = join_notes(*notes)
    out["source_ids"] = join_ids(a["source_ids"], b["source_ids"])
    out["prefecture_listed"] = a["prefecture_listed"] or b["prefecture_listed"]
    return out
