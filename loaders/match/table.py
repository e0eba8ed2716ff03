"""A whole table matched row by row (every input row kept, in order) and a user-chosen resolution of one row."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import pandas as pd

from loaders.match.gazetteer import Gazetteer
from loaders.match.methods import step
from loaders.match.names import MATCHED_STATUSES, STATUSES, clean_name, normalise_code, normalise_text, parse_year
from loaders.match.roles import ColumnRoles

OUTPUT_COLUMNS = (
    "row",
    "match_status",
    "boundary_code",
    "boundary_name_zh",
    "boundary_name_en",
    "match_method",
    "method_steps",  # the method as codes with values (loaders.match.methods), worded in the reader's language
    "candidates",
    "suggestions",
)



@dataclass(frozen=True)
class MatchResult:
    rows: pd.DataFrame
    roles: ColumnRoles
    sources: tuple[str, ...] = field(default=(), repr=False)  # per row, the unit it names (see methods.Outcome)
    set_aside: tuple[int, ...] = ()  # input rows of totals (全国, 合计, a province's row), not matched

    def summary(self) -> dict[str, int]:
        counts = self.rows["match_status"].value_counts()
        out: dict = {s: int(counts.get(s, 0)) for s in STATUSES}
        out["total"] = len(self.rows)
        out["match_rate"] = (sum(out[s] for s in MATCHED_STATUSES) / len(self.rows)) if len(self.rows) else 0.0
        return out

    def merged_groups(self) -> dict[str, list[int]]:
        """boundary_code -> input rows of different units landing on the same polygon (a year panel's
        repeated rows of one unit are not a merger)."""
        done = self.rows[self.rows["match_status"].isin(MATCHED_STATUSES)]
        units = pd.Series(
            self.sources if len(self.sources) == len(self.rows) else self.rows["row"].astype(str), index=self.rows.index
        )
        kinds = units[done.index].groupby(done["boundary_code"]).nunique()  # at once: a panel has ~3,000 codes
        several = done[done["boundary_code"].isin(kinds.index[kinds > 1])]
        return {str(code): [int(r) for r in rows] for code, rows in several.groupby("boundary_code", sort=True)["row"]}


_TOTAL_NAME = re.compile(r"^(全国|全省|全区|全市|全州|全盟|全县|总计|合计|小计|共计|总数|汇总|全国合计|全国总计)$")
_SUBTOTAL_NAME = re.compile(r"^.{2,}(合计|小计|总计|共计)$")  # 凉山彝族自治州合计, 阿坝州小计: no county ends so


def total_rows(frame: pd.DataFrame, roles: ColumnRoles, gazetteer: Gazetteer) -> list:
    """Index labels of the rows that sum others, not counties: 全国 / 合计 / 总计 in the name or closing it
    (凉山州小计), a province's name as the name (四川省), a prefecture's name on a row without a code (凉山州,
    凉山彝族自治州; not a name a county bore: 哈密市, 东莞市 stay), or a code of a province or prefecture
    (100000, 510000, 510700: county codes never end in 00). Set aside before matching, with a notice."""
    found = []
    codes = frame[roles.code] if roles.code else pd.Series([None] * len(frame), index=frame.index)
    names = frame[roles.name] if roles.name else pd.Series([None] * len(frame), index=frame.index)
    for label, code_v, name_v in zip(frame.index, codes, names):
        name = re.sub(r"\s+", "", normalise_text(name_v))
        code = normalise_code(code_v) or normalise_code(name_v)
        if (
            (code and code.endswith("00"))
            or _TOTAL_NAME.match(name)
            or _SUBTOTAL_NAME.match(name)
            or (name and name in gazetteer.provinces)
            or (not code and name in gazetteer.prefecture_rows)
        ):
            found.append(label)
    return found


def match_table(frame: pd.DataFrame, roles: ColumnRoles, gazetteer: Gazetteer) -> MatchResult:
    """Every input row kept (in order) with its status, boundary code, today's names and method.

    Rows are numbered by the frame's integer index + 1 (a fresh table: 1..n; a table whose
    duplicate rows were dropped keeps each row's input number); any other index: 1..n."""
    for role in ("code", "name", "province", "prefecture", "year"):
        column = getattr(roles, role)
        if column is not None and column not in frame.columns:
            raise KeyError(f"column '{column}' (chosen as {role}) is not in the table")
    if roles.code is None and roles.name is None:
        raise ValueError("choose a county code column or a county name column")
    n = len(frame)

    def column(role: str) -> list:
        name = getattr(roles, role)
        return list(frame[name]) if name is not None else [None] * n

    records = []
    for code_v, name_v, prov_v, pref_v, year_v in zip(
        *(column(r) for r in ("code", "name", "province", "prefecture", "year"))
    ):
        code = normalise_code(code_v)
        name = clean_name(name_v)
        if not code and normalise_code(name):  # a code in the name column
            code, name = normalise_code(name), ""
        prov2 = gazetteer.province_prefix(prov_v) if prov_v is not None else ""
        prefs = frozenset(gazetteer.prefecture_prefixes(pref_v)) if pref_v is not None else frozenset()
        if prov2 and prefs:
            prefs = frozenset(p for p in prefs if p.startswith(prov2)) or prefs
        outcome = gazetteer.match_one(code, name, prov2, prefs, parse_year(year_v) if year_v is not None else None)
        if code_v is not None and normalise_text(code_v) and not code:
            outcome = replace(outcome, method=step("not_a_code", text=normalise_text(code_v)) + outcome.method)
        if prov_v is not None and normalise_text(prov_v) and not prov2:
            outcome = replace(outcome, method=outcome.method + step("province_unknown", text=normalise_text(prov_v)))
        records.append(outcome)
    rows = frame.reset_index(drop=True).copy()
    rows = rows.rename(columns={c: f"{c} (input)" for c in rows.columns if c in OUTPUT_COLUMNS})
    rows["row"] = _row_numbers(frame.index)
    rows["match_status"] = [o.status for o in records]
    rows["boundary_code"] = [o.code or None for o in records]
    rows["boundary_name_zh"] = [gazetteer.name_zh(o.code) or None for o in records]
    rows["boundary_name_en"] = [gazetteer.name_en(o.code) or None for o in records]
    rows["match_method"] = [str(o.method) for o in records]  # English, as exported
    rows["method_steps"] = pd.Series([o.method for o in records], index=rows.index, dtype=object)
    rows["candidates"] = [list(o.candidates) for o in records]
    rows["suggestions"] = [list(o.suggestions) for o in records]
    return MatchResult(rows, roles, tuple(o.source for o in records))


def _row_numbers(index: pd.Index) -> list[int]:
    if pd.api.types.is_integer_dtype(index) and index.is_unique and (len(index) == 0 or index.min() >= 0):
        return [int(i) + 1 for i in index]
    return list(range(1, len(index) + 1))


def resolve(result: MatchResult, row: int, boundary_code: str | None, gazetteer: Gazetteer) -> MatchResult:
    """The user's choice for one row (1-based): a boundary code, or None to leave it unmatched."""
    rows = result.rows.copy()
    hit = rows.index[rows["row"] == row]
    if len(hit) != 1:
        raise KeyError(f"no row {row} in the match result")
    i = hit[0]
    if boundary_code is None:
        method = step("left_unmatched")
        values = {
            "match_status": "not_found",
            "boundary_code": None,
            "boundary_name_zh": None,
            "boundary_name_en": None,
            "match_method": str(method),
            "method_steps": method,
        }
    else:
        code = normalise_code(boundary_code)
        if code not in gazetteer.boundaries:
            raise ValueError(f"{boundary_code!r} is not a code of the boundary layer")
        method = step("chosen_by_user", label=gazetteer.label(code))
        values = {
            "match_status": "matched",
            "boundary_code": code,
            "boundary_name_zh": gazetteer.name_zh(code),
            "boundary_name_en": gazetteer.name_en(code),
            "match_method": str(method),
            "method_steps": method,
        }
    for key, value in values.items():
        rows.at[i, key] = value
    sources = list(result.sources)
    if len(sources) == len(rows):
        sources[list(rows.index).index(i)] = values["boundary_code"] or ""
    return replace(result, rows=rows, sources=tuple(sources))
