"""Sources: every source with its citation and what it supports; how the data were built."""
from __future__ import annotations

import streamlit as st

from atlas import sources_view, ui
from atlas.i18n import t
from atlas.legend import anchor, escape_markdown

lang = ui.chrome("sources").lang
st.title(t("page_sources", lang))
st.markdown(t("sources_intro", lang))
if not ui.show_error("sources.csv"):
    st.stop()
data = ui.atlas()
usage = sources_view.usage(data)
for row in data.sources.itertuples(index=False):
    st.html(f'<span id="{anchor(row.source_id)}"></span>')
    st.markdown(f"**{escape_markdown(row.source_id)}** — {escape_markdown(sources_view.citation(row._asdict()))}")
    supports = usage.get(row.source_id, {})
    if supports:
        st.caption(t("sources_supports", lang) + ": " + escape_markdown(", ".join(f"{k} {v}" for k, v in supports.items())))

st.subheader(t("how_built", lang))
st.markdown(sources_view.HOW_BUILT[lang])
for error in data.errors:
    st.error(t("data_error", lang) + str(error))
