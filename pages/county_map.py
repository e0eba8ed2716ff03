"""County map: the 832 counties through time, filters, details on click or search."""

from __future__ import annotations

import html
from dataclasses import dataclass

import pydeck as pdk
import streamlit as st

from atlas import county_map, filters, layers
from atlas.i18n import t
from atlas.legend import legend_html
from atlas.ui import (
    chart_size,
    chrome,
    county_panel,
    map_click,
    play_button,
    published,
    resources,
    state,
    story_downloads,
    table_view,
    user_data,
)
from atlas.ui.filter_panel import filter_panel
from atlas.url_state import LAYERS, MAP_YEARS
from loaders import geometry

YEARS = tuple(range(MAP_YEARS[0], MAP_YEARS[1] + 1))
PAIR_SIZE = (440, 500)  # a side-by-side map's size (px) until the browser tells the real one

view = chrome.chrome("county_map")
lang = view.lang
title_col, play_col = st.columns([6, 1], vertical_alignment="bottom")
title_col.title(t("page_county_map", lang))
if not (chrome.show_error("poverty_counties") and chrome.show_error("counties.parquet")):
    st.stop()
data = resources.atlas()
inputs = resources.map_inputs()
if inputs is None:
    for part in ("provinces.parquet", "country.parquet"):
        chrome.show_error(part)
    st.stop()
poverty = user_data.session_poverty()
flt = filter_panel(poverty)
selected = filters.apply(poverty, flt)

# Zoom to what is filtered whenever the filter changes; otherwise keep the URL's view.
if st.session_state.get("last_filter") != flt:
    if "last_filter" in st.session_state or view.view is None:
        state.set_view(
            view=None
            if flt.is_empty
            else county_map.filter_view(
                inputs,
                data.counties[data.counties["code"].isin(selected["code"])],
                chrome.CHINA_VIEW,
                close=bool(flt.prefectures) and not flt.provinces,
            )
        )
    st.session_state["last_filter"] = flt


SAME = 0  # the right map's "same as left" choice (a selectbox shows None as no choice at all)


def toggle_compare() -> None:
    current = state.view()
    if current.comparing:
        state.set_view(year2=None, layer2=None)
    else:
        state.set_view(year2=MAP_YEARS[0] if current.year != MAP_YEARS[0] else MAP_YEARS[1])
    for field in ("year2", "layer2"):
        st.session_state.pop(state.page_key(f"w_{field}"), None)


def set_right(field: str) -> None:
    state.set_view(**{field: st.session_state[state.page_key(f"w_{field}")] or None})


def right_select(field: str, label: str, options: list, format_func) -> None:
    """A right-map choice; SAME stands for None (follow the left map)."""
    key = state.page_key(f"w_{field}")
    st.session_state.setdefault(key, getattr(state.view(), field) or SAME)
    st.selectbox(
        label,
        [SAME, *options],
        key=key,
        format_func=format_func,
        on_change=set_right,
        args=(field,),
        placeholder=t("choose_one", lang),
    )


playing = view.playing
play_button.button(lang, "play_button", play_col)


def layer_name(key: str | int) -> str:
    return t("same_as_left", lang) if key == SAME else t(county_map.LAYER_TITLES[key], lang)


PANEL_LAYER = "panel"  # a MapPanel showing a published panel column


def pick_layer(key: str) -> None:
    """A built-in layer, or a published panel column (at its latest year until one is picked)."""
    choice = st.session_state[key]
    if choice in LAYERS:
        state.set_view(layer=choice, panel=None, panel_year=None)
    else:
        state.set_view(panel=choice, panel_year=None)


def year_name(year: int) -> str:
    return t("same_as_left", lang) if year == SAME else str(year)


@dataclass(frozen=True)
class MapPanel:
    """One map of the page (two side by side): its year and layer, and what was built for them."""

    year: int
    layer: str
    model: county_map.MapModel
    deck: pdk.Deck


def image_downloads(panels: list[MapPanel]) -> None:
    """The view as PNG/SVG and, for the built-in layers, its year play as GIF/MP4, drawn on the server when clicked."""
    layer_keys = "-".join(p.layer for p in panels)
    years = "-".join(str(p.year) for p in panels)
    story_downloads.image_downloads(state.view(), f"poverty-atlas_{layer_keys}_{years}_{filters.slug(flt)}")
    if panels[0].layer != PANEL_LAYER:  # the play's frames are the map's years 2015-2020, not a panel's own
        story_downloads.play_downloads(
            state.view(), f"poverty-atlas_{panels[0].layer}_{MAP_YEARS[0]}-{MAP_YEARS[1]}_{filters.slug(flt)}"
        )


PICK_ROUND = "pick_round"


def take_click(key: str) -> None:
    """A click on a county selects it before the map is built again, so the new map outlines it."""
    hit = county_map.picked(st.session_state.get(key))
    if hit is None or hit == st.session_state.get("last_pick"):
        return
    st.session_state["last_pick"] = hit
    st.session_state[PICK_ROUND] = st.session_state.get(PICK_ROUND, 0) + 1
    state.set_view(county=hit[1])


def pick_county(code: str) -> None:
    """A county named by the tooltip where the map was clicked (atlas/ui/map_click.py)."""
    if code.isdigit() and len(code) == 6:
        state.set_view(county=code)


def draw_map(panel: MapPanel, height: int, key: str) -> None:
    st.pydeck_chart(
        panel.deck,
        on_select=lambda: take_click(key),
        selection_mode="single-object",
        key=key,
        height=height,
        alt=f"{panel.model.title} {panel.year}",
    )
    st.html(panel.model.tooltip_css)


@st.fragment(run_every=play_button.run_every())
def map_section() -> None:
    # The slider once showed the next year while the legend still showed the last: the slider
    # was drawn, then the map was built (slow), then the legend, and on a busy machine the next
    # tick cut the run short in between. Now the maps are built before anything is drawn, and a
    # tick only advances a year that was drawn to the end (a cut-short run is drawn again).
    # A published panel column as the layer (the view's `panel`): the map, the slider and the player take its years.
    panel = published.shown(lang, chrome.CHINA_VIEW)
    if panel is not None:
        frame = play_button.tick(panel.years, panel.choice.year)
        if frame != panel.choice.year:
            state.set_view(panel_year=frame)
            panel = panel.at(frame)
    else:
        year = play_button.tick(YEARS, state.view().year)
        if year != state.view().year:
            state.set_view(year=year)
    state.widget_key("year")
    current = state.sync("year")  # the layer is the callback's (layer_select): a panel column is no `layer`
    comparing = current.comparing and panel is None
    shown_view = current.view or chrome.CHINA_VIEW
    if comparing:
        # Two maps side by side are narrow: both show the whole country (or filter), fitted to the
        # panel's real size, as the downloaded image does.
        sizes = chart_size.chart_sizes()
        size = (min(w for w, _ in sizes), min(h for _, h in sizes)) if len(sizes) == 2 else PAIR_SIZE
        shown = data.country if flt.is_empty else data.counties[data.counties["code"].isin(selected["code"])]
        shown_view = layers.view_of(shown, shown_view, size)
    years = [current.year] + ([current.year2 or current.year] if comparing else [])
    layer_keys = [current.layer] + ([current.layer2 or current.layer] if comparing else [])
    # Shared by every session drawing the same view (the second viewer of a link costs little).
    panels = [
        MapPanel(
            year,
            layer,
            *resources.county_map_view(
                inputs,
                selected,
                user_data.selection_key(flt),
                layer,
                year,
                lang,
                shown_view,
                current.basemap,
                contrast=current.present,
                highlight=current.county,
                value_class=layers.TOOLTIP_VALUE_CLASSES[i],
                pick_round=st.session_state.get(PICK_ROUND, 0),
            ),
        )
        for i, (layer, year) in enumerate(zip(layer_keys, years))
        if panel is None
    ]
    panel_note = ""
    if panel is not None:
        model, deck, panel_note = published.panel_map(panel, inputs, lang)
        panels.append(MapPanel(panel.choice.year, PANEL_LAYER, model, deck))
        years = [panel.choice.year]
    status_years = " · ".join(dict.fromkeys(str(p.year) for p in panels if p.layer == "status"))

    def year_slider() -> None:
        if panel is not None:
            published.panel_year_slider(panel, lang, playing)
            return
        if not playing:
            st.slider(t("year", lang), MAP_YEARS[0], MAP_YEARS[1], key=state.widget_key("year"))
            return
        # While playing, a read-only slider per year (Pause to pick a year): a slider whose value
        # the server keeps changing could stay a year behind in the browser (seen at 2020 -> 2015).
        st.slider(
            t("year", lang),
            MAP_YEARS[0],
            MAP_YEARS[1],
            value=current.year,
            disabled=True,
            key=f"year_playing_{current.year}@county_map",
        )

    def layer_select() -> None:
        # The built-in layers, then each published panel column the view applies (its `panel` field).
        options = published.panel_options(chrome.CHINA_VIEW)
        key = state.page_key("w_layer")
        st.session_state[key] = panel.choice.field if panel is not None else current.layer  # the view is the truth
        st.selectbox(
            t("layer", lang),
            [*LAYERS, *options],
            key=key,
            format_func=lambda choice: options.get(choice) or layer_name(choice),
            placeholder=t("choose_one", lang),
            on_change=pick_layer,
            args=(key,),
        )

    def legend() -> None:
        # One legend per layer shown: two years of one layer share it.
        for key, model in {p.layer: p.model for p in panels}.items():
            note = panel_note if key == PANEL_LAYER else f"{t('year', lang)} {status_years}" if key == "status" else ""
            if key in ("area", "key", "deep"):
                note = " · ".join(filter(None, [note, user_data.user_data_note()]))
            st.html(legend_html(model.title, model.legend, note, large=current.present))

    def table(i: int, shown: MapPanel) -> None:  # closed until asked
        selection = user_data.selection_key(flt)
        table_view.county_table_view(
            f"county_table_{i}", selected, selection, shown.layer, shown.year, shown.model.title
        )

    def maps() -> None:
        # Presenter CSS sizes the map to the viewport; two maps side by side are narrow, and a tall frame
        # only added blank space above them (1440x900: both must be in the first screen).
        height = 320 if current.present else 440 if comparing else 620
        map_click.follow_clicks("county_map_click", pick_county)
        map_cols = st.columns(len(panels), gap="small") if comparing else [st.container()]
        for i, (col, shown) in enumerate(zip(map_cols, panels)):
            fit = (f"pa_map_fit_pair_{i}" if comparing else "pa_map_fit") if current.present else None
            with col, st.container(key=fit):
                if comparing:
                    st.html(f'<p class="pa-map-label">{shown.year} · {html.escape(shown.model.title)}</p>')
                key = "county_map_chart" if i == 0 else "county_map_chart_right"
                # Fitted to the maps' real size once the browser has told it: a map whose view the frontend
                # had moved kept part of the old view (Streamlit applies only the view's changed keys).
                draw_map(shown, height, f"{key}~{layers.digest(repr(shown_view))}" if comparing else key)
            if not current.present and panel is None:  # presenter mode: beside the map (tables would scroll it off)
                with col:
                    table(i, shown)
        if panel is not None:
            published.panel_citation(panel, lang)
        elif not current.present:
            limit = "zoom_note_national" if geometry.is_national(shown_view) else "zoom_note_province"
            own = geometry.is_national(shown_view) or inputs.counties.province_view(shown_view) is not None
            st.caption(" · ".join([t("map_view_note", lang)] + ([t(limit, lang)] if own else [])))
            chrome.caption_sources(selected["source_ids"])

    if current.present:
        # The maps are sent first: a run cut short by the next tick (a slow machine) must not leave
        # the slider or the legend showing a year the map never got.
        map_area, side = st.columns([4, 1.25], gap="small")
        with map_area:
            maps()
        with side:
            label_class = "pa-year pa-year-pair" if len(set(years)) > 1 else "pa-year"
            st.html(f'<p class="{label_class}" data-testid="pa-year">{" · ".join(dict.fromkeys(map(str, years)))}</p>')
            year_slider()
            layer_select()
            legend()
            for i, shown in enumerate(panels if panel is None else []):
                table(i, shown)
    else:
        controls = st.columns([5, 3, 3], vertical_alignment="bottom")
        with controls[0]:
            year_slider()
        with controls[1]:
            layer_select()
        if panel is None:  # a panel column is shown alone
            controls[2].button(
                t("compare_off", lang) if current.comparing else t("compare_on", lang),
                key="compare_button",
                on_click=toggle_compare,
                icon=":material/crop_square:" if current.comparing else ":material/splitscreen_left:",
            )
        if comparing:
            right = st.columns([5, 3, 3])
            with right[0]:
                right_select("year2", t("year2", lang), list(YEARS), year_name)
            with right[1]:
                right_select("layer2", t("layer2", lang), list(LAYERS), layer_name)
        map_area, side = st.columns([3, 1])
        with map_area:
            maps()
        with side:  # the search and a county's facts first: in view on a 900 px high screen
            county_panel.county_panel(poverty, inputs, lang)
            legend()
            st.markdown(f"**{t('selected_counties', lang, n=len(selected))}**")
            user_data.caption_user_data()
            image_downloads(panels)
    play_button.drawn(current.year if panel is None else panel.choice.year)


map_section()
