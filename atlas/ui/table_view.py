"""A map's table view (atlas.map_table) under the map: an expander, closed by default, whose table
is built and sent only while it is open (a year step with it closed costs nothing). Streamlit glue
for the map pages."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence

import pandas as pd
import streamlit as st

from atlas import map_table
from atlas.i18n import Lang, t
from atlas.ui import chrome, resources, state

LINK_TEXT = r"source=([a-z0-9.-]+)"  # a link shows the source id it opens (loaders.schema.SOURCE_ID_PATTERN)


def table_view(
    key: str, label: str, build: Callable[[], pd.DataFrame], headers: Mapping[str, str], note: Callable[[int], str]
) -> None:
    """An expander titled `label`; while open, the table `build` returns, `note(rows)` above it."""
    box = st.expander(label, key=key, on_change="rerun", icon=":material/table_view:")
    if not box.open:
        return
    with box:
        frame = build()
        st.caption(note(len(frame)))
        config = {
            column: st.column_config.LinkColumn(name, display_text=LINK_TEXT)
            if column == map_table.SOURCE_LINK
            else name
            for column, name in headers.items()
            if column in frame.columns
        }
        st.dataframe(frame, hide_index=True, width="stretch", column_config=config, key=f"{key}_table")


@st.cache_resource(show_spinner=False, max_entries=resources.VIEW_ENTRIES)
def county_table(_selected: pd.DataFrame, selection: Hashable, layer: str, year: int, lang: Lang, query: str):
    """A county map's table (map_table.county_table), built once per view and shared, never modified."""
    return map_table.county_table(
        _selected,
        layer,
        year,
        lang,
        resources.area_names(lang),
        resources.province_names(lang),
        resources.source_citations(),
        query,
    )


def county_table_view(key: str, selected: pd.DataFrame, selection: Hashable, layer: str, year: int, title: str) -> None:
    """The table view of one county map (its layer and year; `selection` names `selected`, user_data.selection_key)."""
    lang, query = state.lang(), chrome.sources_query()
    table_view(
        key,
        t("table_view_of", lang, what=f"{title} {year}"),
        lambda: county_table(selected, selection, layer, year, lang, query),
        map_table.headers(lang, map_table.county_value_label(layer, lang), t("county", lang)),
        lambda n: t("table_counties_note", lang, n=n),
    )


def unit_table_view(
    key: str,
    codes: Sequence[str],
    names: Mapping[str, str],
    values: Mapping[str, str],
    classes: Mapping[str, str],
    source_ids: Mapping[str, Sequence[str]],
    value_label: str,
) -> None:
    """The table view of a map of units (areas, a series' provinces): map_table.unit_table."""
    lang, query = state.lang(), chrome.sources_query()
    table_view(
        key,
        t("table_view", lang),
        lambda: map_table.unit_table(
            codes, names, values, classes, source_ids, resources.source_citations(), lang, query
        ),
        map_table.headers(lang, value_label),
        lambda n: t("table_units_note", lang, n=n),
    )
