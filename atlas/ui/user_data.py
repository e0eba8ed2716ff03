"""What this browser session brought on the Import page: the lists it applied as official flags
(never shared with other sessions) and the table it imported, as the other pages see them; and, before
them, the published datasets its view applies (atlas.ui.published), which take the same path.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import pandas as pd
import streamlit as st

from atlas.i18n import t
from atlas.imported import ActiveImport, AppliedList, applied_note, county_values, overlay, user_facts
from atlas.legend import escape_markdown
from atlas.published import disagreements
from atlas.ui import published, resources, state

APPLIED_LISTS = "applied_lists"


def applied_lists() -> tuple[AppliedList, ...]:
    """Membership lists this session applied on the Import page (never shared with other sessions)."""
    return tuple(st.session_state.get(APPLIED_LISTS, ()))


def lists_in_force() -> tuple[AppliedList, ...]:
    """The published lists this view applies, then this session's own (which win where both speak)."""
    return published.lists() + applied_lists()


def session_poverty() -> pd.DataFrame | None:
    """`resources.poverty_table()` as this session sees it: with the published lists its view applies
    (overlaid once per process) and its own applied lists overlaid on a copy (the bundled table, cached
    for every session, is never modified)."""
    base = published.poverty(published.lists())
    lists = applied_lists()
    if base is None or not lists:
        return base
    key = tuple(item.key for item in lists_in_force())
    cached = st.session_state.get("_session_poverty")
    if cached is None or cached[0] != key:
        cached = (key, overlay(base, lists))
        st.session_state["_session_poverty"] = cached
    return cached[1]


def user_data_note() -> str:
    """A note for legends and captions while this session uses user-supplied lists ('' otherwise)."""
    return applied_note(lists_in_force(), state.lang())


ACTIVE_IMPORT = "import_active"


def active_import() -> ActiveImport | None:
    """The table this session imported on the Import page, if any."""
    return st.session_state.get(ACTIVE_IMPORT)


def imported_facts(row: dict[str, Any]) -> list[tuple[str, str]]:
    """Facts-panel lines from this session's imports and published data: flags set by a list (and where a
    published list and the bundled record disagree, both), imported values."""
    lines = user_facts(row, lists_in_force(), state.lang())
    bundled = resources.poverty_table()
    if bundled is not None and isinstance(row.get("code"), str):
        same = bundled[bundled["code"] == row["code"]]
        lines += disagreements(
            same.iloc[0].to_dict() if len(same) else None, row, state.lang(), resources.area_names(state.lang())
        )
    active = active_import()
    if active is not None and isinstance(row.get("code"), str):
        prefix = t("import_imported_values", state.lang())
        lines += [
            (
                f"{prefix} · {label}",
                f"{value} ({t('import_user_note', state.lang(), source=active.provenance.short())})",
            )
            for label, value in county_values(active.result.rows, row["code"], active.value_columns, active.year_column)
        ]
    return lines


def caption_user_data() -> None:
    note = user_data_note()
    if note:
        st.caption(f":material/person: {escape_markdown(note)}")


def selection_key(flt: Hashable) -> tuple:
    """What names the rows a filter selects in this session: the filter and the lists it applied."""
    return flt, tuple(item.key for item in lists_in_force())
