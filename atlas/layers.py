"""pydeck layers built from our own outlines: readable offline, small on the wire.

The maps' geometry is static GeoJSON (static/geo/, see pipeline.web_layers): a
layer names its file's URL, the browser fetches it once and caches it, and a rerun
sends only a colour per feature (`class_colours`: a palette and one digit per feature,
a few KB), so a year step costs kilobytes. Inline features (`features`) remain for the
few small layers built from session data (a selected county, the trends choropleth).
Every text property is HTML-escaped here, because deck.gl's tooltip puts property
values into HTML as they are.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import geopandas as gpd
import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from atlas.colours import (
    COUNTRY_LINE,
    PROVINCE_LINE,
    RGBA,
)
from atlas.lod import StaticFile, WebLayer
from loaders.geo_io import bounds_view
from loaders.geometry import NATIONAL_MAX_ZOOM, Geometry, is_national

MAX_ZOOM = 11

TOOLTIP = {
    "html": "<b>{n}</b><br/>{p}<br/>{v}",
    "style": {"fontSize": "14px", "backgroundColor": "#1f1f1f", "color": "#ffffff"},
}


# The CSS class prefix of the tooltip values of a page's first and second map: each map's tooltip reads
# its values from its own classes (the two maps may show different years).
TOOLTIP_VALUE_CLASSES = ("av", "bv")


def name_tooltip(lang: str, value_class: str = TOOLTIP_VALUE_CLASSES[0]) -> dict[str, Any]:
    """The tooltip of a static layer: the names its features carry (`nz`/`ne`, province `pz`/`pe`),
    and the value of the feature's class, drawn by the page's `value_css` with the same `value_class`
    (two maps on one page need two)."""
    suffix = "z" if lang == "zh" else "e"
    return {
        **TOOLTIP,
        "html": f'<b>{{n{suffix}}}</b><br/>{{p{suffix}}}<br/><span class="{value_class}{{c}}"></span>',
    }


def class_colours(classes: Sequence[int], palette: Sequence[RGBA]) -> str:
    """A deck.gl JSON expression: feature `properties.i` gets palette[classes[i]].

    The classes travel as strings of digits, one character per feature (a second string for
    the tens when the palette has more than ten colours): ~3 KB for the ~2,900 counties. The
    expression language has no calls, so the digits are turned into numbers by arithmetic."""
    colours = json.dumps([list(c) for c in palette], separators=(",", ":"))
    units = "".join(str(k % 10) for k in classes)
    index = f'("{units}")[properties.i]'
    if len(palette) > 10:
        tens = "".join(str(k // 10) for k in classes)
        index = f'("{tens}")[properties.i]*10+{index}*1'
    return f"({colours})[{index}]"


def value_css(labels: Mapping[str, Sequence[str]], value_class: str = TOOLTIP_VALUE_CLASSES[0]) -> str:
    """Tooltip values as CSS: label -> the codes showing it. deck.gl's tooltip can only show a
    feature's own (static) properties; the value of a county comes from the session."""

    def css_string(text: str) -> str:
        return (
            '"'
            + "".join(c if c.isalnum() or c in " -_.,:()·/%" or ord(c) > 127 else f"\\{ord(c):x} " for c in text)
            + '"'
        )

    rules = [
        ",".join(f".{value_class}{code}::after" for code in codes if str(code).isalnum())
        + f"{{content:{css_string(label)}}}"
        for label, codes in labels.items()
        if codes
    ]
    return "<style>" + "".join(rules) + "</style>"


def features(
    codes: Iterable[str],
    geometries: Mapping[str, Geometry],
    properties: Mapping[str, Mapping[str, Any]],
) -> list[dict[str, Any]]:
    """GeoJSON features for `codes` that have a geometry; properties as given."""
    return [
        {"type": "Feature", "geometry": geometries[code], "properties": dict(properties[code])}
        for code in codes
        if code in geometries
    ]


def tooltip_properties(
    name: str, province: str, value: str, fill: RGBA | None = None, code: str = ""
) -> dict[str, Any]:
    """The fields the tooltip template reads, escaped; `f` is the fill colour."""
    props: dict[str, Any] = {"n": html.escape(name), "p": html.escape(province), "v": html.escape(value)}
    if code:
        props["c"] = code
    if fill is not None:
        props["f"] = list(fill)
    return props


def _stroke(px: float) -> dict[str, Any]:
    """Strokes `px` wide at every zoom. pydeck would turn a string such as "pixels" into an
    accessor expression, so the width is set as a zero-metre line raised to a pixel minimum."""
    return {"get_line_width": 0, "line_width_min_pixels": px, "line_joint_rounded": True}


def digest(text: str) -> str:
    """A short digest of an expression, for deck.gl's update triggers and layer ids."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def _geojson_layer(
    layer_id: str,
    feats: list[dict[str, Any]] | str,
    fill: str | RGBA | None,
    line: str | RGBA | None,
    line_px: float,
    pickable: bool,
) -> pdk.Layer:
    """A GeoJsonLayer of inline features or a URL: `fill` and `line` are an accessor expression or one
    colour (`fill` None for outlines only, `line` None for no stroke). deck.gl ignores a changed
    accessor function unless its update trigger changes too, so every expression brings its digest
    as trigger."""
    # Picking renders every pickable vertex, and a click is lost when the pick takes longer than a
    # tap (250 ms; deck.gl picks on pointer-down, see the README): strokes, ~4x the vertices of the
    # fills, are drawn but not picked.
    extra: dict[str, Any] = {"_sub_layer_props": {"polygons-stroke": {"pickable": False}}} if pickable and line else {}
    triggers = {
        prop: digest(value)
        for prop, value in (("getFillColor", fill), ("getLineColor", line))
        if isinstance(value, str)
    }
    if triggers:
        extra["update_triggers"] = triggers
    if line is not None:
        extra |= {"get_line_color": line if isinstance(line, str) else list(line), **_stroke(line_px)}
    return pdk.Layer(
        "GeoJsonLayer",
        id=layer_id,
        data=feats,
        stroked=line is not None,
        filled=fill is not None,
        get_fill_color=fill if isinstance(fill, str) or fill is None else list(fill),
        pickable=pickable,
        **extra,
    )


def static_layer(
    layer_id: str,
    source: StaticFile,
    fill: str | RGBA | None,
    line: str | RGBA | None,
    line_px: float,
    pickable: bool = False,
) -> pdk.Layer:
    """A layer drawn from a static geometry file (fetched once per browser), coloured by the session."""
    return _geojson_layer(layer_id, source.url, fill, line, line_px, pickable)


def choropleth_layer(
    layer_id: str,
    feats: list[dict[str, Any]],
    line_rgba: RGBA | None = (255, 255, 255, 160),
    line_px: float = 0.5,
    pickable: bool = True,
) -> pdk.Layer:
    """Features coloured by their own fill property `f`; `line_rgba` None: no outline."""
    return _geojson_layer(layer_id, feats, "properties.f", line_rgba, line_px, pickable)


def _plain_features(geometries: Iterable[Geometry]) -> list[dict[str, Any]]:
    return [{"type": "Feature", "geometry": g, "properties": {}} for g in geometries]


def outline_layer(layer_id: str, geometries: Iterable[Geometry], colour: RGBA, width_px: float) -> pdk.Layer:
    """Unfilled outlines (an area, a selected county on a zoomed view)."""
    return _geojson_layer(layer_id, _plain_features(geometries), None, colour, width_px, pickable=False)


def polygon_layer(layer_id: str, geometries: Iterable[Geometry], colour: RGBA) -> pdk.Layer:
    """Polygons in one colour, no stroke (a line drawn as a strip, see loaders.geometry)."""
    return _geojson_layer(layer_id, _plain_features(geometries), colour, None, 0, pickable=False)


def base_outlines(provinces: StaticFile, country: StaticFile, present: bool, strips: bool = False) -> list[pdk.Layer]:
    """Province and country outlines: the base map that needs no tiles. `strips`: the files hold the
    lines as polygons (national views, loaders.geometry), drawn at their built width."""
    if strips:
        return [
            static_layer("provinces", provinces, PROVINCE_LINE, None, 0),
            static_layer("country", country, COUNTRY_LINE, None, 0),
        ]
    scale = 1.6 if present else 1.0
    return [
        static_layer("provinces", provinces, None, PROVINCE_LINE, 0.8 * scale),
        static_layer("country", country, None, COUNTRY_LINE, 1.4 * scale),
    ]


def maritime_layer(source: WebLayer, present: bool, national: bool) -> pdk.Layer:
    """The maritime line (the South China Sea dashes) in the country line's colour: a national view's
    strip (polygons, as its other lines), else the lines a pixel width at every zoom."""
    if national:
        return static_layer("maritime", source.national, COUNTRY_LINE, None, 0)
    return static_layer("maritime", source.coarse, None, COUNTRY_LINE, 2.0 if present else 1.4)


# Streamlit's map element loads a Carto style whenever the spec names none, except for this value.
NO_BASEMAP_STYLE = "__MAP_STYLE__"


class CompactDeck(pdk.Deck):
    """pydeck pretty-prints its JSON (indent=2): five times the bytes on every rerun. Written once: a deck
    is never changed after `deck` made it, and a cached map's deck is asked for its JSON on every rerun."""

    @functools.cached_property
    def _json(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))

    def to_json(self) -> str:
        return self._json


def deck(
    layers: list[pdk.Layer],
    view: tuple[float, float, float],
    basemap: bool,
    tooltip: dict[str, Any] | None = None,
    max_zoom: float | None = None,
) -> pdk.Deck:
    """A Deck with our tooltip; no tiles unless asked (no token needed either way). A national view's
    lines are polygons that widen with zoom, so it zooms in only so far (filter a province for more);
    `max_zoom` sets the limit of another such view (a province's own, atlas.county_map)."""
    lat, lon, zoom = view
    if max_zoom is None:
        max_zoom = NATIONAL_MAX_ZOOM if is_national(view) else MAX_ZOOM
    return CompactDeck(
        layers=layers,
        initial_view_state=pdk.ViewState(latitude=lat, longitude=lon, zoom=zoom, min_zoom=2, max_zoom=max_zoom),
        map_provider="carto" if basemap else None,
        map_style="light" if basemap else NO_BASEMAP_STYLE,
        tooltip=tooltip or TOOLTIP,
    )


def picked_features(event: Any, layer_prefix: str) -> list[tuple[str, str]]:
    """(layer id, feature id `c`) of the features picked in a pydeck selection (an event or its
    session state), on the layers whose id starts with `layer_prefix`."""
    try:
        objects = event["selection"]["objects"] if isinstance(event, Mapping) else event.selection["objects"]
    except (AttributeError, KeyError, TypeError):
        return []
    found = []
    for layer_id, picked in (objects or {}).items():
        if not str(layer_id).startswith(layer_prefix):
            continue
        for obj in picked or []:
            props = obj.get("properties", obj) if isinstance(obj, dict) else {}
            code = props.get("c") if isinstance(props, dict) else None
            if isinstance(code, str) and code:
                found.append((str(layer_id), code))
    return found


def picked_ids(event: Any, layer_prefix: str) -> list[str]:
    """Ids (property `c`) of the features picked in a pydeck selection, see `picked_features`."""
    return [code for _, code in picked_features(event, layer_prefix)]


def selected_feature(event: Any, layer_prefix: str) -> tuple[str, str] | None:
    """(layer id, county code) of a clicked county in a pydeck selection, if any: a click on a
    layer that was renamed since (see `selection_round`) is a new click, even on the same county."""
    hits = [(layer, c) for layer, c in picked_features(event, layer_prefix) if c.isdigit() and len(c) == 6]
    return hits[0] if hits else None


def selection_round(layer_id: str, round_number: int) -> str:
    """The pickable layer's id after `round_number` clicks. Streamlit keeps a map's selection and fades
    every unselected feature (alpha 102) while one is held, so after each click the layer gets a new id:
    the browser then drops the selection of a layer that is gone, and the map keeps its legend colours
    (the clicked county is outlined by our own layer instead)."""
    return f"{layer_id}@{round_number}" if round_number else layer_id


def view_of(
    frame: pd.DataFrame | gpd.GeoDataFrame,
    fallback: tuple[float, float, float],
    size: tuple[int, int] | None = None,
) -> tuple[float, float, float]:
    """A view fitting `frame`'s bounds (see loaders.geo_io.bounds_view) in a map of `size` px (width,
    height; None: a large map of its own); `fallback` when empty."""
    if len(frame) == 0:
        return fallback
    fitted = bounds_view(frame) if size is None else bounds_view(frame, *size)
    return fitted["latitude"], fitted["longitude"], fitted["zoom"]
