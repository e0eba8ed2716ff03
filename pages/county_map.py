"""County map: the 832 counties through time, filters, details on click or search."""
from __future__ import annotations

import time

import streamlit as st

from atlas import county_map, filters, layers, ui
from atlas.facts import county_facts, display_name, timeline
from atlas.filter_panel import filter_panel
from atlas.i18n import t
from atlas.legend import escape_markdown, legend_html
from atlas.url_state import LAYERS, MAP_YEARS

PLAY_SECONDS = 1.6

view = ui.chrome("county_map")
lang = view.lang
st.title(t("page_county_map", lang))
if not (ui.show_error("poverty_counties") and ui.show_error("counties.parquet")):
    st.stop()
data = ui.atlas()
inputs = ui.map_inputs()
if inputs is None:
    for part in ("provinces.parquet", "country.parquet"):
        ui.show_error(part)
    st.stop()
poverty = ui.session_poverty()
flt = filter_panel(poverty)
selected = filters.apply(poverty, flt)

# Zoom to what is filtered whenever the filter changes; otherwise keep the URL's view.
if st.session_state.get("last_filter") != flt:
    if "last_filter" in st.session_state or view.view is None:
        ui.set_view(view=None if flt.is_empty else layers.view_of(data.counties[data.counties["code"].isin(selected["code"])], ui.CHINA_VIEW))
    st.session_state["last_filter"] = flt


def pick_county() -> None:
    choice = st.session_state.get("county_search_pick")
    if choice:
        ui.set_view(county=choice)


def toggle_play() -> None:
    st.session_state["playing"] = not st.session_state.get("playing", False)
    st.session_state.pop("last_tick", None)


playing = st.session_state.setdefault("playing", view.present)
st.button(t("pause", lang) if playing else t("play", lang), on_click=toggle_play, key="play_button",
          icon=":material/pause:" if playing else ":material/play_arrow:")


@st.fragment(run_every=PLAY_SECONDS if playing else None)
def map_section() -> None:
    now = time.monotonic()
    if playing and now - st.session_state.get("last_tick", 0.0) >= PLAY_SECONDS * 0.9:
        if "last_tick" in st.session_state:  # the first run after Play shows the current year first
            nxt = ui.view().year + 1
            ui.set_view(year=nxt if nxt <= MAP_YEARS[1] else MAP_YEARS[0])
        st.session_state["last_tick"] = now
    controls = st.columns([5, 3])
    controls[0].slider(t("year", lang), MAP_YEARS[0], MAP_YEARS[1], key=ui.widget_key("year"))
    controls[1].selectbox(t("layer", lang), LAYERS, key=ui.widget_key("layer"),
                          format_func=lambda k: t(county_map.LAYER_TITLES[k], lang))
    current = ui.sync("year", "layer")
    shown_view = current.view or ui.CHINA_VIEW
    model = county_map.build(inputs, selected, current.layer, current.year, lang, shown_view,
                             contrast=current.present, highlight=current.county)
    map_col, side = st.columns([3, 1]) if not current.present else st.columns([4, 1.4])
    with map_col:
        event = st.pydeck_chart(
            layers.deck(model.layers, shown_view, current.basemap, layers.name_tooltip(lang)),
            on_select="rerun", selection_mode="single-object", key="county_map_chart",
            height=760 if current.present else 620,
        )
        st.html(model.tooltip_css)
        picked = county_map.picked(event)
        if picked and picked != st.session_state.get("last_pick"):
            st.session_state["last_pick"] = picked
            ui.set_view(county=picked)
            ui.write_url()
        st.caption(t("map_view_note", lang))
        ui.caption_sources(selected["source_ids"])
    with side:
        note = f"{t('year', lang)} {current.year}" if current.layer == "status" else ""
        if current.layer in ("area", "key", "deep"):
            note = " · ".join(filter(None, [note, ui.user_data_note()]))
        st.html(legend_html(model.title, model.legend, note, large=current.present))
        st.markdown(f"**{t('selected_counties', lang, n=len(selected))}**")
        ui.caption_user_data()
        if not current.present:
            county_panel()


def county_panel() -> None:
    current = ui.view()
    query = st.text_input(t("search_county", lang), key="county_search")
    if query:
        hits = filters.search(poverty, query)
        if hits.empty:
            st.caption(t("search_none", lang))
        else:
            st.selectbox(t("county", lang), [""] + hits["code"].tolist(), key="county_search_pick",
                         format_func=lambda c: "" if not c else display_name(poverty.set_index("code").loc[c], lang),
                         on_change=pick_county)
    rows = poverty[poverty["code"] == current.county] if current.county else poverty.iloc[0:0]
    if rows.empty:
        st.caption(t("click_hint", lang))
        return
    row = rows.iloc[0].to_dict()
    st.subheader(display_name(row, lang))
    facts = county_facts(row, lang, ui.area_names(), current.year)
    facts += ui.imported_facts(row)
    st.markdown("\n".join(f"- **{escape_markdown(label)}**: {escape_markdown(value)}" for label, value in facts))
    st.caption(f"{t('timeline', lang)}: {escape_markdown(timeline(row.get('exit_year'), lang))}")
    if isinstance(row.get("notes"), str) and row["notes"]:
        st.caption(escape_markdown(row["notes"]))
    ui.caption_sources(rows["source_ids"])


map_section()
