"""The county map as data: which features, which colours, which legend. No Streamlit here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
import pydeck as pdk

from atlas import layers
from atlas.classes import LAYER_TITLES, NODATA, class_label, layer_classes, layer_keys
from atlas.colours import (
    CONTEXT_FILL,
    CONTEXT_LINE,
    COUNTRY_LINE,
    HIGHLIGHT_HALO,
    HIGHLIGHT_LINE,
    PROVINCE_LINE,
    RGBA,
    layer_palette,
)
from atlas.i18n import Lang, name_in, t
from atlas.lod import StaticFile, WebLayer
from loaders import geometry
from loaders.geo_io import bounds_view

POVERTY_LAYER_ID = "poverty"


@dataclass(frozen=True)
class MapInputs:
    """What the map needs, prepared once per process (by atlas.ui.resources.map_inputs)."""

    boundaries: pd.DataFrame  # every county: code, name_zh, name_en, province_code
    counties: WebLayer
    provinces: WebLayer
    country: WebLayer
    shapes: Mapping[str, object]  # county code -> its detailed shapely geometry (the selected county's outline)
    province_names: Mapping[str, tuple[str, str]]  # code -> (zh, en)
    area_names: Mapping[str, tuple[str, str]]  # area id -> (zh, en)
    maritime: WebLayer | None = None  # the maritime line (South China Sea), on every view


@dataclass(frozen=True)
class MapModel:
    layers: list[pdk.Layer]
    legend: list[tuple[str, RGBA]]
    title: str
    tooltip_css: str = ""  # the tooltip's value of each county (see layers.value_css)
    max_zoom: float | None = None  # how far the view's files may be zoomed (layers.deck)


HIDDEN: RGBA = (0, 0, 0, 0)
POVERTY_LINE: RGBA = (255, 255, 255, 160)


def area_labels(inputs: MapInputs, lang: Lang) -> dict[str, str]:
    return {k: name_in(zh, en, lang) for k, (zh, en) in inputs.area_names.items()}


def build(
    inputs: MapInputs,
    selected: pd.DataFrame,
    layer: str,
    year: int,
    lang: Lang,
    view: tuple[float, float, float],
    contrast: bool = False,
    highlight: str | None = None,
    value_class: str = layers.TOOLTIP_VALUE_CLASSES[0],
    pick_round: int = 0,
) -> MapModel:
    """The poverty counties in `selected` coloured by class, every other county as quiet context.

    Geometry comes from the static files; what this returns is the session's colour per feature.
    `pick_round`: how many counties were clicked on this map (see layers.selection_round)."""
    palette = layer_palette(layer, contrast)
    area_names = area_labels(inputs, lang)
    classes = layer_classes(selected, layer, year)
    key_of: dict[str, str] = {}
    for code, key in zip(selected["code"], classes):
        key_of.setdefault(code, key)
    deck_layers = [
        *county_layers(inputs, view, layers.selection_round(POVERTY_LAYER_ID, pick_round), key_of, palette),
        *base_layers(inputs, view, contrast),
        *highlight_layers(inputs, highlight, view),
    ]
    labels: dict[str, list[str]] = {}
    for code, key in key_of.items():
        labels.setdefault(class_label(layer, key, lang, area_names), []).append(code)
    legend = legend_items(layer, classes, palette, lang, area_names)
    return MapModel(
        deck_layers, legend, t(LAYER_TITLES[layer], lang), layers.value_css(labels, value_class), max_zoom(inputs, view)
    )


def legend_items(
    layer: str, classes: Sequence[str], palette: Mapping[str, RGBA], lang: Lang, area_names: Mapping[str, str]
) -> list[tuple[str, RGBA]]:
    """The legend rows of `layer`: every class (of the area layer, those shown), and no data."""
    present_keys = set(classes)
    return [
        (class_label(layer, key, lang, area_names), palette[key])
        for key in layer_keys(layer)
        if key in present_keys or key == NODATA or layer != "area"
    ]


def max_zoom(inputs: MapInputs, view: tuple[float, float, float]) -> float:
    """How far a view may zoom: the national and province views draw lines as polygons that widen
    with zoom (loaders.geometry), the detailed files go on to layers.MAX_ZOOM."""
    if geometry.is_national(view):
        return geometry.NATIONAL_MAX_ZOOM
    own = inputs.counties.province_view(view)
    return own[1].max_zoom if own else layers.MAX_ZOOM


def county_layers(
    inputs: MapInputs,
    view: tuple[float, float, float],
    layer_id: str,
    key_of: Mapping[str, str],
    palette: Mapping[str, RGBA],
) -> list[pdk.Layer]:
    """Every county from the static files, coloured `palette[key_of[code]]`; counties without a key
    are quiet context. A zoomed view adds the detailed files of the provinces it shows."""
    colour_index = {key: i for i, key in enumerate(palette, start=2)}  # 0 context, 1 hidden
    fills = [CONTEXT_FILL, HIDDEN, *palette.values()]
    lines = [CONTEXT_LINE, HIDDEN, *[POVERTY_LINE] * len(palette)]

    def coloured(
        one_id: str,
        source: StaticFile,
        hidden: frozenset[str] = frozenset(),
        pickable: bool = False,
        stroked: bool = True,
        hidden_fill: RGBA = HIDDEN,
    ) -> pdk.Layer:
        cls = [1 if c in hidden else colour_index[key_of[c]] if c in key_of else 0 for c in source.codes]
        line = layers.class_colours(cls, lines) if stroked else None
        fill = layers.class_colours(cls, [fills[0], hidden_fill, *fills[2:]])
        return layers.static_layer(one_id, source, fill, line, 0.5, pickable=pickable)

    if geometry.is_national(view):  # the insets: a seam is a gap showing the country drawn beneath in the line colour
        return [
            layers.static_layer("seams", inputs.country.coarse, CONTEXT_LINE, None, 0),
            coloured(layer_id, inputs.counties.national, pickable=True, stroked=False),
        ]
    own = inputs.counties.province_view(view)
    if own is not None:  # a province's own view: the national insets' way, built for its zoom
        code, files = own
        inner = frozenset(files.counties.codes)  # beneath their insets in the seams' colour
        return [
            coloured(f"{layer_id}~own-{code}", files.context, inner, True, False, CONTEXT_LINE),
            coloured(f"{layer_id}-{code}-inset", files.counties, stroked=False),
        ]
    detail = inputs.counties.detail_for(view)
    hidden = frozenset(c for f in detail.values() for c in f.codes)
    close = inputs.counties.close_province(view)
    context = close[1].context if close else inputs.counties.coarse
    # deck.gl updates a line accessor only through a trigger Streamlit overwrites; a new id redraws instead.
    coarse_id = layer_id + (f"~{layers.digest(','.join(sorted(detail)))}" if detail else "")
    # Only the coarse layer is picked (its hidden features too): a click is lost when deck.gl's pick on
    # pointer-down outlasts a tap (250 ms), and in a software renderer picking time grows with vertices.
    return [
        coloured(coarse_id, context, hidden, pickable=True),
        *(coloured(f"{layer_id}-{key}", source) for key, source in detail.items()),
    ]


HIGHLIGHT_PX = 2.0
HALO_PX = 6.0  # the white beneath the line, wider on both sides
_OUTLINE = (("selected-halo", HALO_PX, HIGHLIGHT_HALO), ("selected", HIGHLIGHT_PX, HIGHLIGHT_LINE))


def highlight_layers(inputs: MapInputs, code: str | None, view: tuple[float, float, float]) -> list[pdk.Layer]:
    """The selected county's outline: on a national view a polygon strip (no stroked lines there,
    see loaders.geometry), on a zoomed view a stroke."""
    shape = inputs.shapes.get(code) if code else None
    if shape is None:
        return []
    outline = geometry.rounded_mapping(shape, geometry.COORD_DIGITS)
    if geometry.is_national(view):
        return [
            layers.polygon_layer(layer_id, [geometry.strips([outline], px, view[2])], colour)
            for layer_id, px, colour in _OUTLINE
        ]
    return [layers.outline_layer(layer_id, [outline], colour, px) for layer_id, px, colour in _OUTLINE]


def picked(event: object) -> tuple[str, str] | None:
    """(layer id, code) of the county clicked on the map (any of its county layers)."""
    return layers.selected_feature(event, POVERTY_LAYER_ID)


def base_layers(inputs: MapInputs, view: tuple[float, float, float], contrast: bool) -> list[pdk.Layer]:
    """Province and country outlines at the detail `view` needs, and the maritime line."""
    national = geometry.is_national(view)
    maritime = [] if inputs.maritime is None else [layers.maritime_layer(inputs.maritime, contrast, national)]
    if national:
        strips = layers.base_outlines(inputs.provinces.national, inputs.country.national, contrast, strips=True)
        return strips + maritime
    own = inputs.counties.province_view(view)
    if own is not None:  # one file: the province lines, then the country's
        code, files = own
        return [
            layers.static_layer(
                f"lines-{code}", files.lines, layers.class_colours([0, 1], [PROVINCE_LINE, COUNTRY_LINE]), None, 0
            )
        ]  # the maritime line is in the country's
    close = inputs.counties.close_province(view)
    if close is not None:
        return layers.base_outlines(close[1].close_provinces, close[1].close_country, contrast) + maritime

    def pick(web: WebLayer) -> StaticFile:
        return next(iter(web.detail_for(view).values()), web.coarse)

    return layers.base_outlines(pick(inputs.provinces), pick(inputs.country), contrast) + maritime


SANQU_LINE: RGBA = (20, 20, 20, 255)  # the 三区三州 outline (also in its slide image, atlas.image_outlines)


def area_layers(areas: WebLayer, sanqu: WebLayer, palette: Mapping[str, RGBA]) -> list[pdk.Layer]:
    """The contiguous areas filled by their colour (pickable, layer id "areas") and the 三区三州 as a
    dark outline, both national (polygons only: the areas inset, the outline a strip, loaders.geometry);
    an area without a colour in `palette` is not drawn."""
    fill = [palette.get(u, HIDDEN) for u in areas.national.codes]
    colours = list(dict.fromkeys(fill))
    fill_colours = layers.class_colours([colours.index(c) for c in fill], colours)
    return [
        layers.static_layer("areas", areas.national, fill_colours, None, 0, pickable=True),
        layers.static_layer("sanqu", sanqu.national, SANQU_LINE, None, 0),
    ]


def filter_view(
    inputs: MapInputs, counties: pd.DataFrame, fallback: tuple[float, float, float], close: bool = False
) -> tuple[float, float, float]:
    """The view of filtered counties (with province_code and geometry): their province's own view when
    they lie in one province (fast to draw, the whole province in sight), else a view fitting them.
    `close` (a prefecture chosen): the counties fitted in the map column even in one province, so 拉萨
    opens on its own counties rather than all of Tibet; the province's own view when that is as close."""
    provinces = set(counties["province_code"]) if len(counties) else set()
    own = inputs.counties.views.get(next(iter(provinces))) if len(provinces) == 1 else None
    if own is None:
        return layers.view_of(counties, fallback)
    if not close:
        return own.view
    fitted = layers.view_of(counties, own.view, geometry.PROVINCE_MAP_PX)
    return fitted if fitted[2] > own.view[2] else own.view


def county_view(inputs: MapInputs, code: str, fallback: tuple[float, float, float]) -> tuple[float, float, float]:
    """A view centred on a county at its province's own zoom (that province's files draw it); the
    province's own view when centring would hand the view to a neighbour's files."""
    rows = inputs.boundaries[inputs.boundaries["code"] == code]
    shape = inputs.shapes.get(code)
    if rows.empty or shape is None:
        return fallback
    own = inputs.counties.views.get(rows["province_code"].iloc[0])
    if own is None:
        return close_view(inputs, code, fallback)
    point = shape.representative_point()
    centred = (round(point.y, 4), round(point.x, 4), own.view[2])
    chosen = inputs.counties.province_view(centred)
    return centred if chosen is not None and chosen[1] is own else own.view


def close_view(inputs: MapInputs, code: str, fallback: tuple[float, float, float]) -> tuple[float, float, float]:
    """A view fitting one county: the detailed files, with stroked county borders."""
    shape = inputs.shapes.get(code)
    if shape is None:
        return fallback
    fitted = bounds_view(tuple(shape.bounds), *geometry.PROVINCE_MAP_PX, padding=0.15, max_zoom=10.0)
    return round(fitted["latitude"], 4), round(fitted["longitude"], 4), round(max(fitted["zoom"], 7.0), 2)
