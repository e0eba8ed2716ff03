"""Sources: every source with its citation and what it supports; how the data were built.

`?source=<id>` (the links under every figure) shows that source first, highlighted."""

from __future__ import annotations

import streamlit as st

from atlas import sources_view
from atlas.i18n import t
from atlas.legend import anchor, escape_markdown
from atlas.ui import chrome, resources, state

lang = chrome.chrome("sources").lang
st.title(t("page_sources", lang))
st.markdown(t("sources_intro", lang))
if not chrome.show_error("sources.csv"):
    st.stop()
data = resources.atlas()
usage = sources_view.usage(data)


def entry(row: dict) -> None:
    st.markdown(f"**{escape_markdown(row['source_id'])}** — {escape_markdown(sources_view.citation(row, lang))}")
    supports = usage.get(row["source_id"], {})
    if supports:
        st.caption(
            t("sources_supports", lang)
            + ": "
            + escape_markdown(", ".join(f"{t(sources_view.TABLE_LABELS[k], lang)} {v}" for k, v in supports.items()))
        )


rows = data.sources.to_dict("records")
focus = next((row for row in rows if row["source_id"] == state.view().source), None)
if focus is not None:
    with st.container(border=True, key="source_focus"):
        st.markdown(f"**{t('sources_focus', lang)}**")
        entry(focus)
        st.button(
            t("sources_all", lang),
            key="sources_all",
            icon=":material/list:",
            on_click=state.set_view,
            kwargs={"source": None},
        )
for row in rows:
    st.html(f'<span id="{anchor(row["source_id"])}"></span>')
    entry(row)

st.header(t("how_built", lang))
st.markdown(t("how_built_text", lang))
for error in data.errors:
    st.error(t("data_error", lang) + str(error))
