"""Sources: every source with its citation and what it supports, found by search and filters, grouped by
kind (groups closed until opened: 280 sources are no wall); how the data were built.

`?source=<id>` (the links under every figure) shows that source first, highlighted."""

from __future__ import annotations

import html

import streamlit as st

from atlas import sources_view
from atlas.i18n import t
from atlas.legend import anchor
from atlas.ui import chrome, resources, state

lang = chrome.chrome("sources").lang
st.title(t("page_sources", lang))
st.markdown(t("sources_intro", lang))
if not chrome.show_error("sources.csv"):
    st.stop()
data = resources.atlas()
usage = sources_view.usage(data)
rows = data.sources.to_dict("records")
kinds = {row["source_id"]: sources_view.source_kind(row) for row in rows}
publishers = sources_view.publisher_names(data.publishers, lang)
titles = sources_view.title_translations(data.titles, data.sources, lang)


def entry_html(row: dict, target: bool = True) -> str:
    """One source: its id, its citation, the rows it supports; `target`: the row links to the page lead to."""
    supports = usage.get(row["source_id"], {})
    said = (
        f"<br><small>{html.escape(t('sources_supports', lang))}: "
        + html.escape(", ".join(f"{t(sources_view.TABLE_LABELS[k], lang)} {v}" for k, v in supports.items()))
        + "</small>"
        if supports
        else ""
    )
    ident = f' id="{anchor(row["source_id"])}"' if target else ""
    return (
        f'<p class="pa-source"{ident}><code>{html.escape(row["source_id"])}</code> — '
        f"{sources_view.citation_html(row, lang, publishers, titles)}{said}</p>"
    )


focus = next((row for row in rows if row["source_id"] == state.view().source), None)
if focus is not None:
    with st.container(border=True, key="source_focus"):  # its title and entry in one element: drawn together
        st.html(f"<p><strong>{html.escape(t('sources_focus', lang))}</strong></p>{entry_html(focus, target=False)}")
        st.button(
            t("sources_all", lang),
            key="sources_all",
            icon=":material/list:",
            on_click=state.set_view,
            kwargs={"source": None},
        )

search_col, kind_col, supports_col = st.columns([3, 2, 2])
query = search_col.text_input(
    t("sources_search", lang),
    key=state.page_key("sources_query"),
    placeholder=t("sources_search_placeholder", lang),
)
chosen_kinds = kind_col.multiselect(
    t("sources_kind", lang),
    sources_view.SOURCE_KINDS,
    key=state.page_key("sources_kinds"),
    format_func=lambda k: t(sources_view.SOURCE_KIND_LABELS[k], lang),
    placeholder=t("choose_options", lang),
)
chosen_tables = supports_col.multiselect(
    t("sources_supports_filter", lang),
    list(sources_view.TABLE_LABELS),
    key=state.page_key("sources_tables"),
    format_func=lambda k: t(sources_view.TABLE_LABELS[k], lang),
    placeholder=t("choose_options", lang),
)
shown = [
    row
    for row in rows
    if sources_view.matches(row, query, sources_view.translations(row, publishers, titles))
    and (not chosen_kinds or kinds[row["source_id"]] in chosen_kinds)
    and (not chosen_tables or set(usage.get(row["source_id"], {})) & set(chosen_tables))
]
st.caption(t("sources_found", lang, n=len(shown), total=len(rows)) if shown else t("sources_none_found", lang))
narrowed = bool(query or chosen_kinds or chosen_tables)
for kind in sources_view.SOURCE_KINDS:
    group = [row for row in shown if kinds[row["source_id"]] == kind]
    if group:  # open when a search or filter has narrowed the list to a readable length
        with st.expander(
            f"{t(sources_view.SOURCE_KIND_LABELS[kind], lang)} ({len(group)})", expanded=narrowed and len(shown) <= 40
        ):
            st.html("".join(entry_html(row) for row in group))

st.header(t("how_built", lang))
st.markdown(t("how_built_text", lang))
for error in data.errors:
    st.error(t("data_error", lang) + str(error))
