"""Areas: the 14 contiguous areas and the 三区三州 as units — outlines, a table, one or all."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas import areas, county_map, layers, map_table, overview
from atlas.colours import layer_palette
from atlas.i18n import t
from atlas.legend import escape_markdown, legend_html, sources_markdown
from atlas.published import coloured
from atlas.ui import chart_size, chrome, map_click, published, resources, state, table_view, user_data

lang = chrome.chrome("areas").lang
st.title(t("page_areas", lang))
if not state.view().present:  # presenter mode: the map and its legend fill the screen
    st.markdown(t("areas_explain", lang))
if not (chrome.show_error("poverty_counties") and chrome.show_error("contiguous_areas")):
    st.stop()
data = resources.atlas()
names = chrome.area_names() | {"sanqu_sanzhou": t("sanqu_sanzhou", lang)}
choices = ["all", *data.areas["area_id"], "sanqu_sanzhou"]
coverage = areas.area_table(user_data.session_poverty(), data.areas, data.sanqu_units, None).set_index("unit_id")


def known_label(unit_id: str, compact: bool = False) -> str:
    """How much of an area is known ("8 of 61 counties known") ; the 三区三州 by its count (no total is sourced)."""
    known = coverage.at[unit_id, "counties_data"]
    if unit_id == "sanqu_sanzhou":
        return t("selected_counties", lang, n=known)
    return areas.coverage_label(known, coverage.at[unit_id, "counties_official"], lang, compact=compact)


def open_unit(unit_id: str) -> None:
    """A click on the map opens the area clicked, and the selector says so."""
    if unit_id in choices:
        state.set_view(area_unit=unit_id)
        st.session_state["area_unit_pick"] = unit_id


# A click on the map opens the clicked area (its selection is in the map's state before the map is drawn);
# a click deck.gl's tap loses comes from the tooltip (atlas/ui/map_click.py).
clicked = [u for u in layers.picked_ids(st.session_state.get("areas_map"), "areas") if u in choices]
if clicked and clicked[0] != st.session_state.get("areas_last_pick"):
    open_unit(clicked[0])
st.session_state["areas_last_pick"] = clicked[0] if clicked else None
current = state.view().area_unit or "all"
if current not in choices:
    current = "all"


def picked() -> None:
    chosen = st.session_state["area_unit_pick"]
    state.set_view(area_unit=None if chosen == "all" else chosen)


# The selector shows the view's unit: a click on the map, Back or a story moved it (a pick moved it already).
if st.session_state.get("area_unit_pick") != current:
    st.session_state["area_unit_pick"] = current
unit = st.selectbox(
    t("areas_choose", lang),
    choices,
    on_change=picked,
    # How much of an area is known, before it is opened: "Wuling Mountain Area (1 of 64 counties known)".
    format_func=lambda k: (
        t("areas_all", lang) if k == "all" else t("area_pick_known", lang, name=names.get(k, k), known=known_label(k))
    ),
    key="area_unit_pick",
    placeholder=t("choose_one", lang),
)
state.set_view(area_unit=None if unit == "all" else unit)
state.write_url()

inputs = resources.map_inputs()
present = state.view().present
map_col, side = st.columns([3, 1])
with map_col:
    # Presenter mode: the map fills the screen's height and is fitted to its real size.
    figure = st.container(key="pa_fig_areas") if present else st.container()
    if inputs is None:
        chrome.show_error("counties.parquet")
    elif unit == "all":
        complete = {
            a: areas.is_complete(coverage.at[a, "counties_data"], coverage.at[a, "counties_official"])
            for a in data.areas["area_id"]
        }
        palette = {
            a: c if complete.get(a, True) else areas.muted(c)
            for a, c in layer_palette("area", state.view().present).items()
        }
        outlines = data.outlines
        web = resources.web_layers()
        if outlines is None or web is None or "area_outlines" not in web or "sanqu_outline" not in web:
            chrome.show_error("area_outlines")
        else:
            shown = outlines[outlines["kind"].isin(["area", "sanqu_sanzhou"])]
            # A published area list in force: its membership's outlines, dissolved here (once per list).
            dissolved = published.area_outlines(user_data.session_poverty())
            if dissolved is not None:
                counts = pd.DataFrame(
                    {"unit_id": list(dissolved[1]), "poverty_county_count": list(dissolved[1].values())}
                )
                sanqu = pd.DataFrame(shown.loc[shown["kind"] == "sanqu_sanzhou", ["unit_id", "poverty_county_count"]])
                shown = pd.concat([counts, sanqu], ignore_index=True)  # plain frames: no CRS to compare
            drawn = set(shown["unit_id"])
            # The legend's label of each area; the 三区三州 is the dark outline (the legend's note)
            area_classes = {a: f"{names.get(a, a)}: {known_label(a, compact=present)}" for a in data.areas["area_id"]}
            area_classes |= {"sanqu_sanzhou": f"{t('sanqu_sanzhou', lang)}: ━"}
            # Only the areas drawn have a swatch; the others are named in words below the legend.
            legend = [(area_classes[a], palette[a]) for a in data.areas["area_id"] if a in drawn]
            unlisted = areas.unlisted_note([area_classes[a] for a in data.areas["area_id"] if a not in drawn], lang)
            area_layers = county_map.area_layers(web["area_outlines"], web["sanqu_outline"], palette)
            if dissolved is not None:
                area_layers[0] = layers.choropleth_layer("areas", coloured(dissolved[0], palette), None, 0)
            base = county_map.base_layers(inputs, chrome.CHINA_VIEW, present)
            shown_view = chart_size.fitted_view(data.country, chrome.CHINA_VIEW) if present else chrome.CHINA_VIEW
            map_click.follow_clicks("areas_map_click", open_unit)
            figure.pydeck_chart(
                layers.deck(
                    [area_layers[0], *base, area_layers[1]], shown_view, state.view().basemap, layers.name_tooltip(lang)
                ),
                height=600,
                key="areas_map",
                alt=t("page_areas", lang),
                on_select="rerun",
                selection_mode="single-object",
            )
            st.html(
                layers.value_css(
                    {f"{n} {t('county', lang)}": [u] for u, n in zip(shown["unit_id"], shown["poverty_county_count"])}
                )
            )
            st.caption(t("areas_click_hint", lang))
            counts = dict(zip(shown["unit_id"], shown["poverty_county_count"].astype(str)))
            sources = map_table.ids_by_code(coverage.index, coverage["source_id"])
            with side:
                note = " · ".join(
                    [area_classes["sanqu_sanzhou"], t("areas_incomplete_note", lang)]
                    + ([t("area_known_compact_note", lang)] if present else [])
                )
                st.html(legend_html(t("contiguous_area", lang), legend, note, large=state.view().present))
                if unlisted:
                    st.caption(escape_markdown(unlisted))
            with side if present else map_col:  # presenter mode: beside the map, which fills the screen
                table_view.unit_table_view(
                    "areas_table",
                    list(shown["unit_id"]),
                    names,
                    counts,
                    area_classes,
                    sources,
                    t("table_area_counties", lang),
                )
    else:
        members = areas.members(user_data.session_poverty(), unit)
        member_shapes = data.counties[data.counties["code"].isin(members["code"])]
        fitted = layers.view_of(member_shapes, chrome.CHINA_VIEW)
        fitted = chart_size.fitted_view(member_shapes, fitted) if present else fitted
        model = county_map.build(inputs, members, "exit", 2020, lang, fitted, contrast=state.view().present)
        figure.pydeck_chart(
            layers.deck(model.layers, fitted, state.view().basemap, layers.name_tooltip(lang)),
            height=600,
            key=f"area_map_{unit}",
            alt=names.get(unit, unit),
        )
        st.html(model.tooltip_css)
        with side:
            st.html(legend_html(model.title, model.legend, large=state.view().present))
            st.markdown(f"**{escape_markdown(known_label(unit))}**")
        with side if present else map_col:
            selection = user_data.selection_key(("area", unit))
            table_view.county_table_view(f"area_table_{unit}", members, selection, "exit", 2020, model.title)

if unit != "all":
    st.header(names.get(unit, unit))
table = areas.area_table(user_data.session_poverty(), data.areas, data.sanqu_units, data.series.get("incidence"))
if unit != "all":
    table = table[table["unit_id"] == unit]
by_zh = (
    {}
    if data.provinces is None
    else dict(zip(data.provinces["name_zh"], data.provinces["code"].map(chrome.province_names())))
)
shown = pd.DataFrame(
    {
        t("areas_choose", lang): [names.get(u, u) for u in table["unit_id"]],
        t("area_provinces", lang): [areas.province_list(p, by_zh, lang) for p in table["provinces"]],
        t("area_counties_official", lang): table["counties_official"].astype("string").fillna(t("no_data", lang)),
        t("area_counties_data", lang): table["counties_data"],
        **{f"{t('exit_year', lang)} {y}": table[y] for y in ("2016", "2017", "2018", "2019", "2020")},
        f"{t('exit_year', lang)} {t('no_data', lang)}": table["?"],
        t("theme_incidence", lang): table["incidence_latest"].fillna(t("no_data", lang)),
    }
)
st.dataframe(shown, hide_index=True, width="stretch")
chrome.caption_sources(table["source_id"])
user_data.caption_user_data()
_, list_sources = overview.official_total(data.official, "contiguous_area_counties")
official_cite = sources_markdown(list_sources, resources.source_citations(), "", query=chrome.sources_query())
st.markdown(areas.complete_list_note(lang, official_cite or t("no_data", lang)))
if unit != "all":
    notes = data.areas.loc[data.areas["area_id"] == unit, "notes"].dropna()
    if len(notes):  # the compiler's notes, quoted as written (in English)
        with st.expander(t("compiler_note", lang)):
            for note in notes:
                st.caption(escape_markdown(note))
