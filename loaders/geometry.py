"""Geometry shared by the offline pipeline and the app: rounded GeoJSON mappings, the two levels
of detail of a layer, and lines drawn as polygons for the national views.

A national view (China is ~60° wide in ~650 px, ~0.1° a pixel) gets the coarse geometry: the
boundary layer simplified again as a coverage (shared borders stay shared) to 0.04° and rounded to
0.01°. A zoomed view gets the detailed geometry of the provinces it shows and the coarse one elsewhere.

A national view draws polygons only. deck.gl strokes a line as one instanced draw per segment, and
a software renderer (SwiftShader: browsers without a usable GPU, remote desktops, headless Chromium)
spends ~35 µs on each, so the ~70,000 coarse county edges took ~2 s a frame; the same borders as
polygons take ~0.1 s. The pipeline therefore draws lines as polygons for the national zoom
`LINE_ZOOM`: the counties inset by half a seam (the seam shows what lies beneath), province and
country boundaries as strips. Such lines widen as the map zooms, so a national map stops at
`NATIONAL_MAX_ZOOM`; zoomed views (a province filter, a URL view) get the detailed files and
stroked lines.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

Geometry = dict[str, Any]
COORD_DIGITS = 3  # ~100 m: finer than a pixel at the zooms a county map uses
DETAIL_ZOOM = 4.0  # from here on, a pixel (0.044°) is finer than the coarse tolerance (below)
NATIONAL_MAX_ZOOM = 4.5  # national views draw lines as polygons (below): 3.4x wider here than drawn


def is_national(view: tuple[float, float, float]) -> bool:
    """A view (lat, lon, zoom) drawn from the national files: coarse, lines as polygons (below)."""
    return view[2] < DETAIL_ZOOM


def geometry_index(gdf: gpd.GeoDataFrame, digits: int = COORD_DIGITS, key: str = "code") -> dict[str, Geometry]:
    """`key` value -> GeoJSON geometry dict with coordinates rounded to `digits`."""
    rounded = shapely.set_precision(gdf.geometry.values, 10.0**-digits, mode="keep_collapsed")
    out: dict[str, Geometry] = {}
    for code, geom in zip(gdf[key], rounded):
        if geom is None or geom.is_empty:
            continue
        out[str(code)] = rounded_mapping(geom, digits)
    return out


def union_of(shapes: gpd.GeoDataFrame, codes: Iterable[str]) -> shapely.Geometry:
    """The dissolved outline of the units `codes` of `shapes` (column `code`): an area from its counties.
    The county layer keeps one shared border between neighbours, so the union has no slivers."""
    geoms = shapes.loc[shapes["code"].isin(set(codes)), "geometry"].values
    return shapely.make_valid(shapely.union_all(geoms)) if len(geoms) else shapely.Polygon()


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


COARSE_TOLERANCE = 0.04
COARSE_DIGITS = 2
LINE_ZOOM = 2.75  # the national views' zoom: the polygon lines' widths are pixels here
SEAM_PX, PROVINCE_PX, COUNTRY_PX, SANQU_PX = 0.45, 0.8, 1.2, 2.5
MERCATOR_M_PER_PX_AT_Z0 = 40_075_016.686 / 512  # deck.gl's world is 512 px wide at zoom 0
VIEWPORT_PX = (1400, 900)  # generous: the server does not know the browser's size
BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class LevelOfDetail:
    detailed: Mapping[str, Geometry]
    coarse: Mapping[str, Geometry]
    bounds: Mapping[str, BBox]

    def pick(self, codes: Iterable[str], view: tuple[float, float, float]) -> dict[str, Geometry]:
        """code -> the geometry to send for `view` (lat, lon, zoom)."""
        if is_national(view):
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


def metres(px: float, zoom: float = LINE_ZOOM) -> float:
    """`px` screen pixels at `zoom`, in Web Mercator metres (so a line is as wide in the north
    as in the south, and across as along)."""
    return px * MERCATOR_M_PER_PX_AT_Z0 / 2**zoom


def _rounded(shapes: gpd.GeoSeries) -> np.ndarray:
    return shapely.set_precision(shapes.to_crs(4326).values, 10.0**-COORD_DIGITS, mode="keep_collapsed")


def _mercator(geometries: Iterable[Geometry]) -> gpd.GeoSeries:
    return gpd.GeoSeries([shapely.geometry.shape(g) for g in geometries], crs=4326).to_crs(3857)


def inset(
    geometries: Mapping[str, Geometry], codes: list[str], seam_px: float = SEAM_PX, zoom: float = LINE_ZOOM
) -> dict[str, Geometry]:
    """Each polygon shrunk by half a seam, so neighbours stand `seam_px` apart at `zoom`; a
    polygon too small for that keeps its shape."""
    shrunk = _rounded(
        _mercator(geometries[c] for c in codes).buffer(-metres(seam_px, zoom) / 2, join_style="mitre", mitre_limit=2.0)
    )
    whole = shapely.is_empty(shrunk) | ~shapely.is_valid(shrunk)
    return {
        code: geometries[code] if keep else rounded_mapping(geom, COORD_DIGITS)
        for code, geom, keep in zip(codes, shrunk, whole)
    }


def strips(
    geometries: Iterable[Geometry],
    width_px: float,
    zoom: float = LINE_ZOOM,
    within: BBox | None = None,
    tolerance_px: float = 0.0,
) -> Geometry:
    """The polygons' boundaries (lines: themselves), each shared border once, as strips `width_px` wide at
    `zoom` (one multipolygon); `within` (lon/lat): only the lines inside that box; `tolerance_px`: the
    lines simplified first by that many pixels at `zoom`."""
    network = boundary_network(_mercator(geometries))
    if tolerance_px:
        network = shapely.simplify(network, metres(tolerance_px, zoom))
    if within is not None:
        box = gpd.GeoSeries([shapely.box(*within)], crs=4326).to_crs(3857).iloc[0]
        network = shapely.intersection(network, box)
    buffered = shapely.buffer(
        shapely.get_parts(network), metres(width_px, zoom) / 2, quad_segs=2, join_style="mitre", mitre_limit=2.0
    )
    parts = [p for g in _rounded(gpd.GeoSeries(buffered, crs=3857)) for p in shapely.get_parts(g) if not p.is_empty]
    return rounded_mapping(shapely.MultiPolygon(parts), COORD_DIGITS)


def boundary_network(shapes: gpd.GeoSeries) -> shapely.Geometry:
    """The shapes' boundaries (lines: themselves) merged, each shared border once."""
    edges = shapes.where(shapes.geom_type.str.endswith("LineString"), shapes.boundary)
    return shapely.line_merge(shapely.union_all(edges.values))


def lines_within(network: shapely.Geometry, within: BBox) -> Geometry | None:
    """The lines of `network` (lon/lat) inside the box `within`, for stroking; None when none is."""
    inside = shapely.get_parts(shapely.intersection(network, shapely.box(*within)))
    lines = [p for p in inside if p.geom_type == "LineString" and not p.is_empty]
    return rounded_mapping(shapely.MultiLineString(lines), COORD_DIGITS) if lines else None


# A province's own view (a province filter, a county found by search): like a national view, drawn
# from polygons only, built for the zoom that fits the province into the county map's map column.
PROVINCE_MAP_PX = (740, 600)  # the map column at 1440 px with the sidebar open (3/4 of the page)
PROVINCE_ZOOM_STEP = 0.25
PROVINCE_ZOOM_GAIN = 1.25  # a province view zooms in this far (2.4x) before its lines look too wide


def pixel_degrees(zoom: float) -> float:
    """Degrees of longitude a screen pixel spans at `zoom`."""
    return 360.0 / (512 * 2**zoom)


def main_bounds(shape: shapely.Geometry, share: float = 0.005, reach: float = 2.0) -> BBox:
    """The bounds of a province's mainland and larger islands near it (parts of at least `share` of its
    largest part, within `reach` degrees of it): Hainan's view shows Hainan, not the South China Sea,
    whose reefs include parts larger than `share`."""
    parts = shapely.get_parts(shape)
    areas = shapely.area(parts)
    keep = (areas >= share * areas.max()) & (shapely.distance(parts, parts[areas.argmax()]) <= reach)
    return tuple(shapely.bounds(shapely.union_all(parts[keep])).tolist())


def province_view(bounds: BBox) -> tuple[float, float, float]:
    """The view (lat, lon, zoom) showing a province's bounds whole in PROVINCE_MAP_PX, the zoom
    rounded down to a PROVINCE_ZOOM_STEP (the pipeline builds its lines for that zoom)."""
    minx, miny, maxx, maxy = bounds
    y0, y1 = (math.log(math.tan(math.pi / 4 + math.radians(v) / 2)) for v in (miny, maxy))
    usable = [px * 0.94 for px in PROVINCE_MAP_PX]
    zoom = min(
        math.log2(usable[0] / (512 * (maxx - minx) / 360)), math.log2(usable[1] / (512 * (y1 - y0) / (2 * math.pi)))
    )
    zoom = math.floor(min(zoom, 9.0) / PROVINCE_ZOOM_STEP) * PROVINCE_ZOOM_STEP
    lat = math.degrees(math.atan(math.sinh((y0 + y1) / 2)))
    return round(lat, 4), round((minx + maxx) / 2, 4), zoom


def province_reach(view: tuple[float, float, float]) -> BBox:
    """How far a province's files reach around its own view: as far as a panned view shows (the view's
    box, half as wide and high again). Views closer than its own inside it draw its close files too."""
    return view_bounds(view, (int(1.5 * PROVINCE_MAP_PX[0]), int(1.5 * PROVINCE_MAP_PX[1])))


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


def box_area(box: BBox) -> float:
    return max(0.0, box[2] - box[0]) * max(0.0, box[3] - box[1])


def overlap_area(a: BBox, b: BBox) -> float:
    return box_area((max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])))


def contains(outer: BBox, inner: BBox) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def _overlaps(a: BBox, b: BBox) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]
