"""Streamlit glue: what every session shares, built once per server process.

First the data and prepared geometry (geodata/, static/geo/); then work a page run repeats for the
same view (names per language, a county map's classes, colours and deck), so the second viewer of
a view reuses the first one's result. All `st.cache_resource`: shared by reference, never modified.
"""

from __future__ import annotations

from collections.abc import Hashable

import pandas as pd
import pydeck as pdk
import streamlit as st

from atlas import county_map, layers, lod
from atlas.county_map import MapInputs
from atlas.i18n import LANGS, Lang, name_in, pick_name
from atlas.image_geometry import ImageGeometry, prepare
from atlas.sources_view import publisher_names, short_citation, title_translations
from atlas.trends import COVERAGE_COLUMNS, MEASURES, coverage_counts, variants as theme_variants
from atlas.url_state import Vocabulary
from loaders import geometry
from loaders.data import Atlas, data_build as load_data_build, load_atlas, with_boundary_attributes
from loaders.match import Gazetteer, load_gazetteer
from loaders.schema import STATIC_GEO, data_root


@st.cache_resource(show_spinner=False)
def atlas() -> Atlas:
    """All data, loaded and validated once per server process."""
    return load_atlas(data_root())


@st.cache_resource(show_spinner=False)
def poverty_table() -> pd.DataFrame | None:
    """The poverty counties with today's names and area from the boundary layer, joined once."""
    data = atlas()
    if data.poverty is None or data.counties is None:
        return None
    return with_boundary_attributes(data.poverty, data.counties)


@st.cache_resource(show_spinner=False)
def gazetteer() -> Gazetteer:
    """Boundary units and the code history for matching users' tables, built once per process."""
    return load_gazetteer()


@st.cache_resource(show_spinner=False)
def geometries(layer: str) -> geometry.LevelOfDetail | None:
    """Both levels of detail of one layer, as GeoJSON, prepared once per server process."""
    frame = getattr(atlas(), layer)
    if frame is None:
        return None
    if layer == "outlines":  # areas overlap the 三区三州: not a coverage
        return geometry.build(frame, key="unit_id", is_coverage=False)
    return geometry.build(frame)


@st.cache_resource(show_spinner=False)
def web_layers() -> dict[str, lod.WebLayer] | None:
    """The static geometry files (static/geo/, built by pipeline.web_layers) per layer."""
    provinces = atlas().provinces
    if provinces is None or not (STATIC_GEO / "manifest.json").exists():
        return None
    return lod.web_layers(STATIC_GEO, provinces)


@st.cache_resource(show_spinner=False)
def map_inputs() -> MapInputs | None:
    """The county map's ingredients, prepared once; None when a boundary file is bad."""
    data = atlas()
    web = web_layers()
    if data.counties is None or data.provinces is None or data.country is None or web is None:
        return None
    areas = data.areas
    return MapInputs(
        boundaries=data.counties[["code", "name_zh", "name_en", "province_code"]].copy(),
        counties=web["counties"],
        provinces=web["provinces"],
        country=web["country"],
        shapes=dict(zip(data.counties["code"], data.counties.geometry)),
        province_names={
            c: (zh, en)
            for c, zh, en in zip(data.provinces["code"], data.provinces["name_zh"], data.provinces["name_en"])
        },
        maritime=web.get("maritime"),
        area_names={}
        if areas is None
        else {a: (zh, en) for a, zh, en in zip(areas["area_id"], areas["name_zh"], areas["name_en"])},
    )


@st.cache_resource(show_spinner=False)
def image_geometry() -> ImageGeometry | None:
    """Outlines for the map images (projected, simplified), prepared once per process."""
    data = atlas()
    if data.counties is None or data.provinces is None or data.country is None:
        return None
    return prepare(data.counties, data.provinces, data.country, data.maritime, data.outlines)


@st.cache_resource(show_spinner=False)
def vocabulary() -> Vocabulary:
    data = atlas()
    series_units: set[str] = set()
    variants: set[str] = set()
    for theme, frame in data.series.items():
        series_units |= set(frame["unit_code"])
        variants |= set(theme_variants(frame, theme))
    return Vocabulary(
        provinces=frozenset(data.provinces["code"]) if data.provinces is not None else frozenset(),
        prefectures=frozenset(data.prefectures["code"]) if data.prefectures is not None else frozenset(),
        counties=frozenset(data.counties["code"]) if data.counties is not None else frozenset(),
        areas=frozenset(data.areas["area_id"]) if data.areas is not None else frozenset(),
        series_units=frozenset(series_units),
        variants=frozenset(variants),
        sources=frozenset(data.sources["source_id"]) if data.sources is not None else frozenset(),
        measures=frozenset(MEASURES),
    )


def source_citations() -> dict[str, str]:
    """source_id -> short citation (publisher, “short title”, date), publishers named in the page's language."""
    view = st.session_state.get("view")
    return _source_citations(view.lang if view is not None else "zh")


@st.cache_resource(show_spinner=False)
def _source_citations(lang: Lang) -> dict[str, str]:
    sources = atlas().sources
    if sources is None:
        return {}
    names = publisher_names(atlas().publishers, lang)
    titles = title_translations(atlas().titles, sources, lang)
    return {row["source_id"]: short_citation(row, names, titles, lang) for row in sources.to_dict("records")}


@st.cache_resource(show_spinner=False)
def series_coverage(theme: str) -> pd.DataFrame:
    """Units with a value per measure, variant, level and time of a series (trends.coverage_counts)."""
    series = atlas().series.get(theme)
    return pd.DataFrame(columns=COVERAGE_COLUMNS) if series is None else coverage_counts(series, theme)


@st.cache_resource(show_spinner=False)
def data_build() -> str:
    return load_data_build(data_root())


# --- Work a page run repeats for the same view: done by the first session that draws it ---------
# A meeting opens one link: every later session of that view reuses the first one's result
# (st.cache_data would copy the result on each call, costing as much as the work).
VIEW_ENTRIES = 512  # views kept per process (a county-map model and its deck: ~0.2 MB)


@st.cache_resource(show_spinner=False)
def province_names(lang: Lang) -> dict[str, str]:
    """Province code -> display name in `lang`."""
    provinces = atlas().provinces
    if provinces is None:
        return {}
    return {
        c: pick_name(zh, en, lang) for c, zh, en in zip(provinces["code"], provinces["name_zh"], provinces["name_en"])
    }


@st.cache_resource(show_spinner=False)
def area_names(lang: Lang) -> dict[str, str]:
    """Contiguous-area id -> display name in `lang`."""
    areas = atlas().areas
    if areas is None:
        return {}
    return {a: name_in(zh, en, lang) for a, zh, en in zip(areas["area_id"], areas["name_zh"], areas["name_en"])}


@st.cache_resource(show_spinner=False)
def every_prefecture_name(lang: Lang) -> dict[str, str]:
    """Prefecture code -> display name in `lang`, for every prefecture of the boundary layer."""
    prefectures = atlas().prefectures
    if prefectures is None:
        return {}
    return {c: pick_name(zh, en, lang) for c, zh, en in zip(*(prefectures[k] for k in ("code", "name_zh", "name_en")))}


@st.cache_resource(show_spinner=False)
def prefecture_names(lang: Lang) -> dict[str, str]:
    """Prefecture code -> display name in `lang`, for the prefectures that hold poverty counties (the
    name the poverty table gives where the boundary layer has no such prefecture)."""
    poverty = atlas().poverty
    if poverty is None:
        return {}
    rows = poverty.dropna(subset=["prefecture_code", "prefecture_zh"]).drop_duplicates("prefecture_code")
    known = every_prefecture_name(lang)
    return {c: known.get(c, zh) for c, zh in zip(rows["prefecture_code"], rows["prefecture_zh"])}


@st.cache_resource(show_spinner=False)
def view_names(lang: Lang) -> dict[str, str]:
    """County, prefecture, province and area codes -> names in `lang`: a view in words (atlas.story.view_title)."""
    counties = atlas().counties
    named = (
        {}
        if counties is None
        else {
            c: pick_name(zh, en, lang) for c, zh, en in zip(counties["code"], counties["name_zh"], counties["name_en"])
        }
    )
    return named | place_names(lang) | area_names(lang)


def slide_names() -> dict[Lang, dict[str, str]]:
    """`view_names` in both languages: a new slide is titled in both (atlas.story.new_slide)."""
    return {lang: view_names(lang) for lang in LANGS}


@st.cache_resource(show_spinner=False)
def place_names(lang: Lang) -> dict[str, str]:
    """Province and prefecture code -> display name in `lang` (facts, tables)."""
    return every_prefecture_name(lang) | province_names(lang)


@st.cache_resource(show_spinner=False, max_entries=VIEW_ENTRIES)
def county_map_view(
    _inputs: MapInputs,
    _selected: pd.DataFrame,
    selection: Hashable,
    layer: str,
    year: int,
    lang: Lang,
    view: tuple[float, float, float],
    basemap: bool,
    contrast: bool = False,
    highlight: str | None = None,
    value_class: str = layers.TOOLTIP_VALUE_CLASSES[0],
    pick_round: int = 0,
) -> tuple[county_map.MapModel, pdk.Deck]:
    """The county map of one view and its deck (classes, colours, legend, layer specs), built once
    per process and shared, never modified. `selection` names the rows of `_selected` (see
    user_data.selection_key); the other arguments are the view (`pick_round`: how many clicks the session made,
    which renames the clickable layer so that Streamlit drops a selection's fading)."""
    model = county_map.build(
        _inputs,
        _selected,
        layer,
        year,
        lang,
        view,
        contrast=contrast,
        highlight=highlight,
        value_class=value_class,
        pick_round=pick_round,
    )
    deck = layers.deck(model.layers, view, basemap, layers.name_tooltip(lang, value_class), model.max_zoom)
    return model, deck
