"""The Import page's session (Streamlit glue): what this browser session brought, read once per
file; its match, computed once per file, column roles and rows, with the user's resolutions;
the classes of each value column, computed once; and the page's widget values, kept across a
visit to another page. Everything lives in this session's memory only. The rules are pure
functions in atlas.imported.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import DeletedFile

from atlas import imported
from atlas.i18n import Lang
from atlas.ui import resources, user_data
from loaders import match, tabular
from loaders.tabular.formulas import safe_for_spreadsheet
from loaders.tabular.numbers import numeric_values
from loaders.tabular.upload import read_upload

KEPT = "import_kept"
INPUT = "import_input"  # (table, provenance, notices): what this session brought
MEMO = "import_memo"  # name -> (key, value): the last result of each costly step
RESOLUTIONS = "import_resolutions"  # input row -> boundary code chosen by the user
RESOLVED_FOR = "import_resolved_for"  # the match those resolutions belong to
PASTED = "import_pasted"

Result = TypeVar("Result")


def _memo(name: str, key: object, compute: Callable[[], Result]) -> Result:
    """`compute()` once per `key`: a rerun (a year step, another column, Pause) repeats no work."""
    memo = st.session_state.setdefault(MEMO, {})
    hit = memo.get(name)
    if hit is None or hit[0] != key:
        hit = (key, compute())
        memo[name] = hit
    return hit[1]


def settle_shared_data() -> None:
    """Once per process, after the shared data (boundaries, gazetteer, geometry) is loaded: keep its
    ~200,000 objects out of Python's cyclic garbage collector, which otherwise walks them all in the
    full collections a panel's reruns trigger (0.5–1 s a rerun on a busy machine). They live as long
    as the process anyway; freed objects are still freed by their reference counts."""
    if gc.get_freeze_count() == 0:
        gc.freeze()


def kept(key: str, default: object) -> dict[str, Any]:
    """Widget arguments for a value that outlives a visit to another page (Streamlit drops a page's
    widget state when another page runs): `st.radio(..., **kept("import_kind", "upload"))`."""
    if key not in st.session_state:
        st.session_state[key] = st.session_state.setdefault(KEPT, {}).get(key, default)
    return {"key": key, "on_change": _keep, "args": (key,)}


def _keep(key: str) -> None:
    st.session_state.setdefault(KEPT, {})[key] = st.session_state[key]


def kept_choice(key: str, options: list[Any], default: Any) -> dict[str, Any]:
    """`kept` for a choice among `options` that change with the file: an old value gives way to `default`."""
    arguments = kept(key, default)
    if st.session_state[key] not in options:
        st.session_state[key] = default
    return arguments


# --- what the session brought -------------------------------------------------------------------


def read_file(data: bytes, filename: str, sheet: str | None, header_row: int | None) -> tabular.ImportedTable:
    """An upload read once per (content, sheet, header row)."""
    key = (hashlib.sha256(data).hexdigest(), filename, sheet, header_row)
    return _memo("read", key, lambda: read_upload(data, filename, sheet=sheet, header_row=header_row))


def use_input(table: pd.DataFrame, provenance: imported.Provenance, notices: tuple[tabular.Notice, ...] = ()) -> None:
    """Make this the session's table (kept while the same content comes again)."""
    current = st.session_state.get(INPUT)
    if current is None or current[1].sha256 != provenance.sha256:
        st.session_state[INPUT] = (table, provenance, notices)


def current_input() -> tuple[pd.DataFrame, imported.Provenance, tuple[tabular.Notice, ...]] | None:
    return st.session_state.get(INPUT)


def forget_input() -> None:
    st.session_state.pop(INPUT, None)
    st.session_state.pop(user_data.ACTIVE_IMPORT, None)


def upload_gone() -> bool:
    """The browser still shows an uploaded file that this server no longer holds: the session it was
    uploaded to has ended (a server restart, or another worker after a failover). Streamlit then gives
    the uploader None and keeps a DeletedFile as its state, which nothing on the page said before."""
    return isinstance(st.session_state.get("import_file"), DeletedFile)


def uploader_changed() -> None:
    if st.session_state.get("import_file") is None:  # the user removed the file
        st.session_state.pop(INPUT, None)


def take_pasted() -> None:
    st.session_state[PASTED] = st.session_state.get("import_text", "")


def pasted() -> str:
    return st.session_state.get(PASTED, "")


def value_defaults(table: pd.DataFrame, table_key: str, columns: tuple[str, ...]) -> list[str]:
    """The value columns preselected (no ids), read once per table."""
    return _memo("value_defaults", (table_key, columns), lambda: imported.value_defaults(table, list(columns)))


# --- the match ------------------------------------------------------------------------------------


def without_totals(
    table: pd.DataFrame, roles: match.ColumnRoles, gazetteer: match.Gazetteer, table_key: str
) -> tuple[pd.DataFrame, tabular.Notice | None]:
    """The table without its totals rows (全国, 合计, province and prefecture rows; each other row keeps its
    input number) and the notice naming them; found once per table and roles."""
    totals = _memo("totals", (table_key, roles), lambda: match.total_rows(table, roles, gazetteer))
    if not totals:
        return table, None
    rows = tuple(int(i) + 1 for i in totals[: tabular.LISTED_ROWS])
    return table.drop(index=totals), tabular.Notice.of("subtotal_rows", n=len(totals), rows=rows)


def matched(
    table: pd.DataFrame, provenance: imported.Provenance, roles: match.ColumnRoles, gazetteer: match.Gazetteer
) -> match.MatchResult:
    """The match of this table, once per (file, roles, rows), with the user's resolutions applied; also
    the session's active import (the other pages' facts show its values)."""
    key = (provenance.sha256, roles, tuple(table.index))
    if st.session_state.get(RESOLVED_FOR) != key:  # another file, roles or rows: old resolutions don't fit
        st.session_state[RESOLVED_FOR] = key
        st.session_state[RESOLUTIONS] = {}
    base = _memo("match", key, lambda: match.match_table(table, roles, gazetteer))
    chosen = tuple(st.session_state.get(RESOLUTIONS, {}).items())

    def resolved() -> match.MatchResult:
        result = base
        for row_id, code in chosen:
            result = match.resolve(result, row_id, code, gazetteer)
        return result

    result = _memo("resolved", (key, chosen), resolved)
    st.session_state[user_data.ACTIVE_IMPORT] = imported.ActiveImport(
        result, provenance, tuple(str(c) for c in table.columns), roles.values, roles.year
    )
    return result


def version() -> object:
    """The key of the current match with its resolutions (what derived results are cached by)."""
    return st.session_state[MEMO]["resolved"][0]


def resolve_row(row_id: int, code: str | None) -> None:
    if code:
        st.session_state.setdefault(RESOLUTIONS, {})[row_id] = code


def merged_groups(result: match.MatchResult) -> dict[str, list[int]]:
    return _memo("merged", version(), result.merged_groups)


def report_frame(result: match.MatchResult, lang: Lang) -> pd.DataFrame:
    """The match report as shown, cells that a spreadsheet would run neutralised (safe to show too)."""
    rows = result.rows
    return _memo(
        "report",
        (version(), lang),
        lambda: safe_for_spreadsheet(imported.report_frame(rows, result.roles, lang)),
    )


# --- the map ---------------------------------------------------------------------------------------


def default_column(rows: pd.DataFrame, columns: tuple[str, ...]) -> str | None:
    return _memo("default_column", (version(), columns), lambda: imported.default_value_column(rows, list(columns)))


def column_classes(
    rows: pd.DataFrame, column: str, lang: Lang, contrast: bool
) -> tuple[imported.ValueClasses, list[tuple[int, str]], bool]:
    """(classes, non-numbers, numeric) of one column, computed once per column: the same classes
    for every year."""

    def compute() -> tuple[imported.ValueClasses, list[tuple[int, str]], bool]:
        numbers, bad = numeric_values(rows, column)
        numeric = imported.is_mostly_numbers(numbers, bad)
        return imported.value_classes(rows, column, numbers if numeric else None, lang, contrast), bad, numeric

    return _memo(f"classes:{column}", (version(), lang, contrast), compute)


def map_context(show_poverty: bool, show_areas: bool) -> imported.MapContext:
    """The overlays the user asked for: the 832 (as this session sees them), area outlines."""
    poverty = user_data.session_poverty() if show_poverty else None
    outlines = resources.atlas().outlines if show_areas else None
    return imported.MapContext(
        poverty_codes=tuple(poverty["code"]) if poverty is not None else (),
        outlines=resources.geometries("outlines") if outlines is not None else None,
        outline_ids=tuple(outlines.loc[outlines["kind"].isin(["area", "sanqu_sanzhou"]), "unit_id"])
        if outlines is not None
        else (),
    )


def fitted_view(
    rows: pd.DataFrame, counties: pd.DataFrame, fallback: tuple[float, float, float]
) -> tuple[float, float, float]:
    codes = imported.located(rows)["boundary_code"]
    return _memo("view", version(), lambda: imported.fit_view(counties, codes, fallback))


def rows_by_year(rows: pd.DataFrame, year_column: str | None) -> dict[int, pd.DataFrame]:
    return _memo("years", (version(), year_column), lambda: imported.rows_by_year(rows, year_column))


# --- lists applied as flags -----------------------------------------------------------------------


def apply_list(applied: imported.AppliedList) -> None:
    others = [a for a in user_data.applied_lists() if a.flag != applied.flag]
    st.session_state[user_data.APPLIED_LISTS] = (*others, applied)


def remove_lists() -> None:
    st.session_state.pop(user_data.APPLIED_LISTS, None)
