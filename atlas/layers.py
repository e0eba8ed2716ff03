"""pydeck layers built from our own outlines: readable offline, small on the wire.

Geometry is turned into rounded GeoJSON once (`geometry_index`) and reused on
every rerun; a rerun only attaches a colour and the few tooltip fields a layer
needs. Every text property is HTML-escaped here, because deck.gl's tooltip puts
property values into HTML as they are.
"""
from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping
from typing import Any

import geopandas as gpd
import pandas as pd
import pydeck as pdk
import shapely
from pydeck.bindings.json_tools import default_serialize

from atlas.colors import COUNTRY_LINE, CONTEXT_FILL, CONTEXT_LINE, HIGHLIGHT_LINE, PROVINCE_LINE, RGBA
from loaders.geo_io import bounds_view

Geometry = dict[str, Any]
COORD_DIGITS = 3  # ~100 m: finer than a pixel at the zooms a county map uses

TOOLTIP = {
    "html": "<b>{n}</b><br/>{p}<br/>{v}",
    "style": {"fontSize": "14px", "backgroundColor": "#1f1f1f", "color": "#ffffff"},
}


def geometry_index(gdf: gpd.GeoDataFrame, digits: int = COORD_DIGITS, key: str = "code") -> dict[str, Geometry]:
    """`key` value -> GeoJSON geometry dict with coordinates rounded to `digits`."""
    rounded = shapely.set_precision(gdf.geometry.values, 10.0**-digits, mode="keep_collapsed")
    out: dict[str, Geometry] = {}
    for code, geom in zip(gdf[key], rounded):
        if geom is None or geom.is_empty:
            continue
        out[str(code)] = rounded_mapping(geom, digits)
    return out


def rounded_mapping(geom: shapely.Geometry, digits: int) -> Geometry:
    """GeoJSON mapping; set_precision leaves binary noise (0.30000000000000004), round it away."""
    mapping = shapely.geometry.mapping(geom)

    def walk(value: Any) -> Any:
        if isinstance(value, float):
            return round(value, digits)
        if isinstance(value, (list, tuple)):
            return [walk(v) for v in value]
        return value

    return {"type": mapping["type"], "coordinates": walk(mapping["coordinates"])}


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


def tooltip_properties(name: str, province: str, value: str, fill: RGBA | None = None, code: str = "") -> dict[str, Any]:
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


def _geojson_layer(layer_id: str, feats: list[dict[str, Any]], fill: str | RGBA | None, line: RGBA,
                   line_px: float, pickable: bool) -> pdk.Layer:
    """A GeoJsonLayer: `fill` is an accessor, one colour, or None for outlines only."""
    extra: dict[str, Any] = {"auto_highlight": True, "highlight_color": [0, 163, 255, 90]} if pickable else {}
    return pdk.Layer(
        "GeoJsonLayer",
        id=layer_id,
        data=feats,
        stroked=True,
        filled=fill is not None,
        get_fill_color=fill if isinstance(fill, str) or fill is None else list(fill),
        get_line_color=list(line),
        **_stroke(line_px),
        pickable=pickable,
        **extra,
    )


def choropleth_layer(layer_id: str, feats: list[dict[str, Any]], line_rgba: RGBA = (255, 255, 255, 160),
                     line_px: float = 0.5, pickable: bool = True) -> pdk.Layer:
    """Features coloured by their own fill property `f`."""
    return _geojson_layer(layer_id, feats, "properties.f", line_rgba, line_px, pickable)


def context_layer(layer_id: str, feats: list[dict[str, Any]]) -> pdk.Layer:
    """Counties drawn quietly for context, every feature the same colour. Not pickable: a pickable
    layer of ~2,000 features under the choropleth stops Streamlit's click selection from firing."""
    return _geojson_layer(layer_id, feats, CONTEXT_FILL, CONTEXT_LINE, 0.5, pickable=False)


def outline_layer(layer_id: str, geometries: Iterable[Geometry], colour: RGBA, width_px: float) -> pdk.Layer:
    """Unfilled outlines (provinces, the country, a selected county)."""
    feats = [{"type": "Feature", "geometry": g, "properties": {}} for g in geometries]
    return _geojson_layer(layer_id, feats, None, colour, width_px, pickable=False)


def base_outlines(provinces: Mapping[str, Geometry], country: Mapping[str, Geometry], present: bool) -> list[pdk.Layer]:
    """Province and country outlines: the base map that needs no tiles."""
    scale = 1.6 if present else 1.0
    return [
        outline_layer("provinces", provinces.values(), PROVINCE_LINE, 0.8 * scale),
        outline_layer("country", country.values(), COUNTRY_LINE, 1.4 * scale),
    ]


def highlight_layer(geometry: Geometry | None) -> list[pdk.Layer]:
    return [] if geometry is None else [outline_layer("selected", [geometry], HIGHLIGHT_LINE, 3.0)]


# Streamlit's map element loads a Carto style whenever the spec names none, except for this value.
NO_BASEMAP_STYLE = "__MAP_STYLE__"


class CompactDeck(pdk.Deck):
    """pydeck pretty-prints its JSON (indent=2): five times the bytes on every rerun."""

    def to_json(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))


def deck(layers: list[pdk.Layer], view: tuple[float, float, float], basemap: bool) -> pdk.Deck:
    """A Deck with our tooltip; no tiles unless asked (no token needed either way)."""
    lat, lon, zoom = view
    return CompactDeck(
        layers=layers,
        initial_view_state=pdk.ViewState(latitude=lat, longitude=lon, zoom=zoom, min_zoom=2, max_zoom=11),
        map_provider="carto" if basemap else None,
        map_style="light" if basemap else NO_BASEMAP_STYLE,
        tooltip=TOOLTIP,
    )


def selected_code(event: Any, layer_ids: Iterable[str]) -> str | None:
    """The county code of a clicked feature in a pydeck selection event, if any."""
    try:
        objects = event.selection["objects"]
    except (AttributeError, KeyError, TypeError):
        return None
    for layer_id in layer_ids:
        for obj in objects.get(layer_id, []) or []:
            props = obj.get("properties", obj) if isinstance(obj, dict) else {}
            code = props.get("c") if isinstance(props, dict) else None
            if isinstance(code, str) and code.isdigit() and len(code) == 6:
                return code
    return None


def view_of(frame: pd.DataFrame | gpd.GeoDataFrame, fallback: tuple[float, float, float]) -> tuple[float, float, float]:
    """A view fitting `frame`'s bounds (see loaders.geo_io.bounds_view); `fallback` when empty."""
    if len(frame) == 0:
        return fallback
    fitted = bounds_view(frame)
    return fitted["latitude"], fitted["longitude"], fitted["zoom"]
