"""Overview: the campaign in one screen — headline figures, exits per batch, a national map."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas import county_map, layers, overview, published
from atlas.i18n import t
from atlas.legend import escape_markdown, legend_html
from atlas.ui import chart_size, chrome, resources, state, user_data

lang = chrome.chrome("overview").lang
st.title(t("app_title", lang))
st.markdown(t("app_subtitle", lang))
if not chrome.show_error("poverty_counties"):
    st.stop()
data = resources.atlas()
poverty = user_data.session_poverty()
figures = overview.headline_figures(poverty, data.areas, data.official)
PUBLISHED_FLAGS = {"headline_area_counties": "contiguous_area", "headline_key": "key_county"}  # figure -> flag
citations = resources.source_citations()
present = state.view().present
with st.container(key="pa_headline"):
    columns = st.columns(len(figures))
    for column, figure in zip(columns, figures):
        # The sources as numbered links, in full in the figure's help: titles would push the map off the screen.
        column.metric(t(figure.label, lang), figure.text(lang), help=figure.citation_text(citations))
        column.caption(figure.note(lang, citations, chrome.sources_query(), numbered=True))
        flag = PUBLISHED_FLAGS.get(figure.label)
        lists = user_data.lists_in_force()
        known = published.known_note(lists, flag, figure.value, figure.official, lang) if flag else ""
        if known:  # the list that completes this figure, cited
            column.caption(f":material/verified: {escape_markdown(known)}")
    note = overview.completeness_note(figures, lang)
    if note:
        st.caption(note)

left, right = st.columns([4, 2] if present else [3, 2])
with right:
    st.header(t("exits_per_batch", lang))
    batches = overview.exits_per_batch(poverty, data.official)
    table = pd.DataFrame(
        {
            t("exit_year", lang): batches["exit_year"].replace("?", t("no_data", lang)),
            t("exits_official", lang): batches["official"].astype("string").fillna("—"),
            t("exits_in_data", lang): batches["in_data"],
        }
    )
    chart_box = st.container() if present else st  # presenter mode: the chart above its table, in the first screen
    st.dataframe(table, hide_index=True, width="stretch")
    chart_box.altair_chart(overview.exits_chart(batches, lang), width="stretch", height=200 if present else 220)
    if data.official is not None:
        chrome.caption_sources(data.official[data.official["measure"] == "exits"]["source_id"])
with left:
    st.header(t("overview_map_title", lang))
    inputs = resources.map_inputs()
    if inputs is None:
        chrome.show_error("counties.parquet")
    else:
        view = state.view()
        # The map fitted to its real size (presenter mode: it fills the screen's height), the legend beside it.
        shown = chart_size.fitted_view(data.country, chrome.CHINA_VIEW_NARROW)
        model = county_map.build(inputs, poverty, "exit", 2020, lang, shown, contrast=present)
        # The legend beside the map: both in the first screen (1440x900).
        map_part, legend_part = st.columns([3, 1.4])
        with map_part, st.container(key="pa_fig_overview"):
            st.pydeck_chart(
                layers.deck(model.layers, shown, view.basemap, layers.name_tooltip(lang)),
                height=420,
                key="overview_map",
                alt=t("overview_map_title", lang),
            )
        st.html(model.tooltip_css)
        legend_part.html(legend_html(model.title, model.legend, large=present))
chrome.caption_sources(poverty["source_ids"])
user_data.caption_user_data()
state.write_url()
