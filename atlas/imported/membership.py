"""A user's membership list applied over the bundled flags for one session (the bundled table is never
modified: `overlay` works on a copy), and what the facts and legends say of it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from atlas.i18n import Lang, t
from atlas.imported.provenance import Provenance
from atlas.imported.rows import located

USER_FLAGS = ("contiguous_area", "key_county", "deep_poverty")
PUBLISHED_COLUMNS = ("published", "published_source")  # overlay's columns for published datasets


def area_key(text: str) -> str:
    """Names compared without spaces, dash variants and the generic suffixes (片区, 山区, 地区, 区, 山)."""
    key = re.sub(r"\s+", "", str(text)).lower()
    key = re.sub(r"[—–－‐-]", "-", key)
    stripped = True
    while stripped:  # 六盘山片区, 六盘山区 and 六盘山 all become 六盘
        stripped = False
        for suffix in ("集中连片特困地区", "连片特困地区", "片区", "地区", "区", "山"):
            if key.endswith(suffix) and len(key) > len(suffix) + 1:
                key, stripped = key[: -len(suffix)], True
                break
    return key


def area_lookup(areas: pd.DataFrame) -> dict[str, str]:
    """Normalised area name (Chinese, English, id; 新疆南疆三地州 also without 新疆) -> area id."""
    lookup: dict[str, str] = {}
    for area_id, zh, en in zip(areas["area_id"], areas["name_zh"], areas["name_en"]):
        for name in (area_id, zh, en, str(zh).removeprefix("新疆")):
            if isinstance(name, str) and name:
                lookup[area_key(name)] = area_id
    return lookup


@dataclass(frozen=True)
class AppliedList:
    """A membership list applied to one session's copy of the poverty table."""

    flag: str  # one of USER_FLAGS
    members: Mapping[str, str | None]  # boundary code -> area id (contiguous_area) or None
    complete_in: tuple[str, ...]  # where the list is complete: province codes, or area ids; () = not complete
    provenance: Provenance

    @property
    def key(self) -> str:
        return f"{self.flag}:{self.provenance.key}:{','.join(self.complete_in)}:{len(self.members)}"


@dataclass(frozen=True)
class MembershipPlan:
    """What applying a list would do, said before the user applies it."""

    applied: AppliedList
    flagged: int  # poverty counties the list names
    cleared: int  # poverty counties set to False / no area because the list is complete there
    non_poverty: list[tuple[Any, str, str]] = field(default_factory=list)  # (input row, code, today's name)
    unknown_areas: list[tuple[Any, str]] = field(default_factory=list)  # (input row, area text)
    unplaced: list[Any] = field(default_factory=list)  # input rows not on a polygon


def plan_membership(
    rows: pd.DataFrame,
    flag: str,
    poverty: pd.DataFrame,
    provenance: Provenance,
    *,
    area_column: str | None = None,
    fixed_area: str | None = None,
    areas: pd.DataFrame | None = None,
    complete: str = "no",
) -> MembershipPlan:
    """Turn matched rows into an AppliedList. `complete`: "no", "provinces" (complete in the
    provinces the list touches) or "national"; for contiguous_area, complete in the areas it names."""
    if flag not in USER_FLAGS:
        raise ValueError(f"unknown flag {flag!r}")
    on_map = located(rows)
    poverty_codes = set(poverty["code"])
    lookup = area_lookup(areas) if areas is not None else {}
    members: dict[str, str | None] = {}
    non_poverty: list[tuple[Any, str, str]] = []
    unknown: list[tuple[Any, str]] = []

    def column(frame: pd.DataFrame, name: str | None) -> list[Any]:
        return frame[name].tolist() if name and name in frame else [None] * len(frame)

    def row_ids(frame: pd.DataFrame) -> list[Any]:
        return frame["row"].tolist() if "row" in frame else frame.index.tolist()

    # Plain lists, not iterrows: a panel of 15,000 rows is planned on every rerun of the page.
    for row_id, code, name, area_text in zip(
        row_ids(on_map),
        on_map["boundary_code"].astype(str).tolist(),
        column(on_map, "boundary_name_zh"),
        column(on_map, area_column),
    ):
        area: str | None = None
        if flag == "contiguous_area":
            area = fixed_area
            if area_column:
                text = "" if area_text is None or pd.isna(area_text) else str(area_text).strip()
                area = lookup.get(area_key(text)) if text else fixed_area
                if area is None:
                    unknown.append((row_id, text))
                    continue
            if area is None:
                unknown.append((row_id, ""))
                continue
        if code not in poverty_codes:
            non_poverty.append((row_id, code, str(name or "")))
            continue
        members[code] = area
    scope: tuple[str, ...] = ()
    if complete != "no" and members:
        if flag == "contiguous_area":
            scope = tuple(sorted({a for a in members.values() if a}))
        elif complete == "provinces":
            provinces = poverty.drop_duplicates("code").set_index("code")["province_code"]
            scope = tuple(sorted({provinces[c] for c in members}))
        else:
            scope = ("national",)
    applied = AppliedList(flag, members, scope, provenance)
    cleared = int(_cleared_mask(poverty, applied).sum())
    unplaced = row_ids(rows[~rows.index.isin(on_map.index)])
    return MembershipPlan(applied, len(members), cleared, non_poverty, unknown, unplaced)


def plan_notices(plan: MembershipPlan, lang: Lang) -> list[tuple[bool, str]]:
    """(is a warning, text) of what applying a list would leave out (first 30 rows of each kind)."""
    notices = []
    if plan.non_poverty:
        listed = ", ".join(f"{r} {name or code}" for r, code, name in plan.non_poverty[:30])
        notices.append((False, t("import_non_poverty", lang, n=len(plan.non_poverty), rows=listed)))
    if plan.unknown_areas:
        listed = ", ".join(f"{r} “{text}”" for r, text in plan.unknown_areas[:30])
        notices.append((True, t("import_unknown_areas", lang, n=len(plan.unknown_areas), rows=listed)))
    if plan.unplaced:
        listed = ", ".join(map(str, plan.unplaced[:30]))
        notices.append((False, t("import_unplaced", lang, n=len(plan.unplaced), rows=listed)))
    return notices


def _cleared_mask(poverty: pd.DataFrame, applied: AppliedList) -> pd.Series:
    """Poverty counties outside the list but inside the scope where the user says it is complete."""
    outside = ~poverty["code"].isin(set(applied.members))
    if not applied.complete_in:
        return pd.Series(False, index=poverty.index)
    if applied.flag == "contiguous_area":
        return outside & poverty["contiguous_area"].isin(applied.complete_in)
    if applied.complete_in == ("national",):
        return outside
    return outside & poverty["province_code"].isin(applied.complete_in)


def overlay(poverty: pd.DataFrame, applied: Iterable[AppliedList]) -> pd.DataFrame:
    """A copy of the poverty table with the applied lists' flags; `user_supplied` names, per row, the
    flags that came from a user list (and `user_source` which file); `published` and `published_source`
    the same for published datasets (atlas.published)."""
    out = poverty.copy()
    for column in (*Provenance.columns, *PUBLISHED_COLUMNS):
        if column not in out:
            out[column] = ""
    for item in applied:
        named = out["code"].isin(set(item.members))
        cleared = _cleared_mask(out, item)
        if item.flag == "contiguous_area":
            out.loc[named, "contiguous_area"] = out.loc[named, "code"].map(item.members)
            out.loc[cleared, "contiguous_area"] = None
        else:
            out.loc[named, item.flag] = True
            out.loc[cleared, item.flag] = False
        changed = named | cleared
        flags, source = item.provenance.columns
        out.loc[changed, flags] = (out.loc[changed, flags] + ";" + item.flag).str.strip(";")
        out.loc[changed, source] = item.provenance.short()
    return out


def user_facts(row: Mapping[str, Any], applied: Sequence[AppliedList], lang: Lang) -> list[tuple[str, str]]:
    """(flag, 'user-supplied: file …' or 'published: dataset …') for each flag of this county a list set."""
    return [
        (t(item.flag, lang), item.provenance.note(lang))
        for item in applied
        if item.flag in str(row.get(item.provenance.columns[0]) or "").split(";")
    ]


def applied_note(applied: Sequence[AppliedList], lang: Lang) -> str:
    """The legend / page note when user lists or published datasets are in force ('' when none)."""
    notes = []
    for key, own in (("published_applied_note", True), ("import_applied_note", False)):
        items = [a for a in applied if (a.provenance.columns == PUBLISHED_COLUMNS) is own]
        if items:
            notes.append(t(key, lang, lists="; ".join(f"{t(a.flag, lang)} ← {a.provenance.short()}" for a in items)))
    return " · ".join(notes)
