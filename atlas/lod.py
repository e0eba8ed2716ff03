"""Two levels of detail for the map, so a rerun sends what the view needs and no more.

A national view (China is ~60° wide in ~1,000 px, ~0.06° a pixel) gets the
coarse geometry: the boundary layer simplified again as a coverage (shared
borders stay shared) to 0.02° and rounded to 0.01°. A zoomed view gets the
detailed geometry for the features it shows and the coarse one elsewhere.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from atlas.layers import COORD_DIGITS, Geometry, geometry_index, rounded_mapping

COARSE_TOLERANCE = 0.02
COARSE_DIGITS = 2
DETAIL_ZOOM = 5.0  # from here on, a pixel is finer than the coarse tolerance
VIEWPORT_PX = (1400, 900)  # generous: the server does not know the browser's size
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
            for c in codes if c in self.coarse
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


def _overlaps(a: BBox, b: BBox) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]
