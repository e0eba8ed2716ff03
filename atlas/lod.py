"""Two levels of detail for the map, so the browser loads what the view needs and no more.

A national view (China is ~60° wide in ~1,000 px, ~0.06° a pixel) gets the
coarse geometry: the boundary layer simplified again as a coverage (shared
borders stay shared) to 0.02° and rounded to 0.01°. A zoomed view gets the
detailed geometry of the provinces it shows and the coarse one elsewhere.

`build` makes both levels in the offline build (loaders.build.web_layers writes them
to static/geo/); `WebLayer` is the app's index of those files: which file to draw for
a view, and the order of its features (what a colour table is indexed by).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from atlas.layers import COORD_DIGITS, Geometry, geometry_index, rounded_mapping

COARSE_TOLERANCE = 0.04
COARSE_DIGITS = 2
DETAIL_ZOOM = 4.0  # from here on, a pixel (0.044°) is finer than the coarse tolerance
VIEWPORT_PX = (1400, 900)  # generous: the server does not know the browser's size
MAP_PX = (900, 650)  # the county map's usual size, for choosing detailed files
MAX_DETAIL_FILES = 1
MIN_DETAIL_SHARE = 0.15
BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class LevelOfDetail:
    detailed: Mapping[str, Geometry]
    coarse: Mapping[str, Geometry]
    bounds: Mapping[str, BBox]

    def pick(self, codes: Iterable[str], view: tuple[float, float, float]) -> dict[str, Geometry]:
        """code -> the geometry to send for `view` (lat, lon, zoom)."""
        if view[2] < DETAIL_ZOOM:
            return {c: self.coarse[c] for c in codes if c in self.coarse}
        box = view_bounds(view)
        return {
            c: (self.detailed[c] if _overlaps(self.bounds[c], box) else self.coarse[c])
            for c in codes
            if c in self.coarse
        }


def build(gdf: gpd.GeoDataFrame, key: str = "code", is_coverage: bool = True) -> LevelOfDetail:
    """Both levels of a layer. A feature too small to survive coarse simplification keeps its detail."""
    geoms = gdf.geometry.values
    if is_coverage:
        coarse = shapely.coverage_simplify(geoms, COARSE_TOLERANCE, simplify_boundary=True)
    else:
        coarse = shapely.simplify(geoms, COARSE_TOLERANCE, preserve_topology=True)
    coarse = shapely.set_precision(coarse, 10.0**-COARSE_DIGITS, mode="keep_collapsed")
    lost = shapely.is_empty(coarse) | ~shapely.is_valid(coarse)
    coarse = np.where(lost, geoms, coarse)
    codes = [str(c) for c in gdf[key]]
    detailed = geometry_index(gdf, COORD_DIGITS, key)
    coarse_index = {
        code: (detailed[code] if was_lost else rounded_mapping(geom, COARSE_DIGITS))
        for code, geom, was_lost in zip(codes, coarse, lost)
    }
    bounds = {code: tuple(b) for code, b in zip(codes, shapely.bounds(geoms).tolist())}
    return LevelOfDetail(detailed, coarse_index, bounds)


@dataclass(frozen=True)
class StaticFile:
    """One GeoJSON file of static/geo/: its URL (relative to the page, versioned by its
    content hash, so a browser refetches only what changed) and its features' codes in order."""

    url: str
    codes: tuple[str, ...]


STATIC_URL = "app/static/geo/"  # Streamlit serves static/ at <app>/app/static/


def static_files(folder: Path) -> dict[str, StaticFile]:
    """File name -> StaticFile, from the build's manifest.json."""
    entries = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return {
        name: StaticFile(f"{STATIC_URL}{name}?v={e['sha256'][:12]}", tuple(e["codes"])) for name, e in entries.items()
    }


@dataclass(frozen=True)
class WebLayer:
    """A layer's coarse file and its detailed files, each detailed file with its bounding box."""

    coarse: StaticFile
    detail: Mapping[str, StaticFile]
    bounds: Mapping[str, BBox]

    def detail_for(self, view: tuple[float, float, float]) -> dict[str, StaticFile]:
        """The detailed files of the (at most MAX_DETAIL_FILES) provinces filling most of a zoomed view
        (lat, lon, zoom); none for a national view. The edges of a view stay coarse: every detailed
        file costs the browser parsing, tessellation and picking time."""
        if view[2] < DETAIL_ZOOM:
            return {}
        box = view_bounds(view, MAP_PX)
        share = {key: _overlap_area(self.bounds[key], box) / _area(box) for key in self.detail}
        chosen = sorted((k for k, v in share.items() if v >= MIN_DETAIL_SHARE), key=lambda k: -share[k])
        return {key: self.detail[key] for key in sorted(chosen[:MAX_DETAIL_FILES])}


def web_layers(folder: Path, provinces: gpd.GeoDataFrame) -> dict[str, WebLayer]:
    """The layers of static/geo/: counties (detailed per province), provinces, country, area outlines."""
    files = static_files(folder)
    whole = tuple(provinces.total_bounds)
    by_province = {c: tuple(b) for c, b in zip(provinces["code"], provinces.geometry.bounds.to_numpy().tolist())}
    out = {
        "counties": WebLayer(
            files["counties.json"],
            {p: files[f"counties-{p}.json"] for p in by_province if f"counties-{p}.json" in files},
            by_province,
        ),
        "provinces": WebLayer(files["provinces.json"], {"all": files["provinces-detail.json"]}, {"all": whole}),
        "country": WebLayer(files["country.json"], {"all": files["country-detail.json"]}, {"all": whole}),
    }
    for name in ("area_outlines", "sanqu_outline"):
        if f"{name}.json" in files:
            out[name] = WebLayer(files[f"{name}.json"], {}, {})
    return out


def view_bounds(view: tuple[float, float, float], size: tuple[int, int] = VIEWPORT_PX) -> BBox:
    """The lon/lat box a web-mercator view of `size` pixels shows."""
    lat, lon, zoom = view
    degrees_per_px = 360.0 / (512 * 2**zoom)
    half_w = size[0] / 2 * degrees_per_px
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    half_h = size[1] / 2 * degrees_per_px * math.pi / 180

    def lat_of(merc: float) -> float:
        return math.degrees(2 * math.atan(math.exp(merc)) - math.pi / 2)

    return lon - half_w, lat_of(y - half_h), lon + half_w, lat_of(y + half_h)


def _area(box: BBox) -> float:
    return max(0.0, box[2] - box[0]) * max(0.0, box[3] - box[1])


def _overlap_area(a: BBox, b: BBox) -> float:
    return _area((max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])))


def _overlaps(a: BBox, b: BBox) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]
