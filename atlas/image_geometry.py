"""The outlines of the map images, projected and simplified once per process, and the box a map
shows: fitted to its counties, or a national map with the South China Sea in an inset."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.path import Path as MplPath

# An Albers equal-area projection fitted to China: areas compare honestly, the north is not stretched.
CHINA_ALBERS = "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +ellps=WGS84 +units=m +no_defs"
SIMPLIFY_M = 3000.0  # about half a pixel of a whole-country 1600 px image
DETAIL_M = 800.0  # the same for a province-wide one
# The South China Sea islands (南海诸岛) and the maritime line in a lower-right inset of a national map, as
# Chinese maps customarily show them; the main map then ends south of Hainan (MAINLAND_SOUTH).
SOUTH_SEA_LONLAT = (106.5, 2.8, 122.6, 23.2)
MAINLAND_SOUTH = 18.0  # degrees north: country parts wholly south of it are the inset's islands
INSET_HEIGHT = 0.36  # of the main map's height
NATIONAL_SHARE = 0.75  # a view this share of the country's width or wider is national


@dataclass(frozen=True)
class ImageGeometry:
    """Outlines projected and simplified once per process."""

    counties: gpd.GeoSeries  # indexed by county code
    provinces: gpd.GeoSeries
    country: gpd.GeoSeries
    detailed_counties: gpd.GeoSeries
    detailed_provinces: gpd.GeoSeries
    maritime: gpd.GeoSeries | None = None  # the maritime line (lines), projected; None: no inset
    outlines: gpd.GeoSeries | None = None  # area outlines (the 三区三州 …) by id, projected
    mainland: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # the country without the inset's islands
    south_sea: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # the inset's box
    # Each outline's matplotlib path, made when first drawn (two thirds of an image's time went there):
    # layer name -> index label -> path. Filled from any thread; a race only makes one path twice.
    paths: dict[str, dict[object, MplPath]] = field(default_factory=dict, compare=False, repr=False)


def prepare(
    counties: gpd.GeoDataFrame,
    provinces: gpd.GeoDataFrame,
    country: gpd.GeoDataFrame,
    maritime: gpd.GeoDataFrame | None = None,
    outlines: gpd.GeoDataFrame | None = None,
) -> ImageGeometry:
    """Project to China Albers and simplify as coverages (shared borders stay shared); with the maritime
    line, national maps get the South China Sea inset."""

    def project(frame: gpd.GeoDataFrame, key: str | None, coverage: bool, tolerance: float) -> gpd.GeoSeries:
        series = frame.set_index(key).geometry if key else frame.geometry
        projected = series.to_crs(CHINA_ALBERS)
        values = projected.values
        simple = shapely.coverage_simplify(values, tolerance) if coverage else shapely.simplify(values, tolerance)
        simple = np.where(shapely.is_empty(simple), values, simple)
        return gpd.GeoSeries(simple, index=projected.index, crs=CHINA_ALBERS)

    parts = country.geometry.explode(index_parts=False)
    mainland = gpd.GeoSeries(parts[parts.bounds["maxy"] > MAINLAND_SOUTH].values, crs=country.crs)
    south_sea = gpd.GeoSeries([shapely.box(*SOUTH_SEA_LONLAT).segmentize(0.5)], crs="EPSG:4326")
    return ImageGeometry(
        project(counties, "code", True, SIMPLIFY_M),
        project(provinces, None, True, SIMPLIFY_M),
        project(country, None, False, SIMPLIFY_M),
        project(counties, "code", True, DETAIL_M),
        project(provinces, None, True, DETAIL_M),
        None if maritime is None else maritime.geometry.to_crs(CHINA_ALBERS).reset_index(drop=True),
        None if outlines is None else project(outlines.drop_duplicates("unit_id"), "unit_id", False, SIMPLIFY_M),
        tuple(mainland.to_crs(CHINA_ALBERS).total_bounds),
        tuple(south_sea.to_crs(CHINA_ALBERS).total_bounds),
    )


def _padded(box: Sequence[float]) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = box
    pad = 0.04 * max(x1 - x0, y1 - y0)
    return x0 - pad, y0 - pad, x1 + pad, y1 + pad


def national(geometry: ImageGeometry, codes: Sequence[str]) -> bool:
    """Whether the chosen counties make a national map (with the South China Sea inset)."""
    if geometry.maritime is None:
        return False
    shown = geometry.counties[geometry.counties.index.isin(list(codes))]
    if len(shown) in (0, len(geometry.counties)):
        return True
    x0, _, x1, _ = shown.total_bounds
    c0, _, c1, _ = geometry.mainland
    return x1 - x0 >= NATIONAL_SHARE * (c1 - c0)


def projected_box(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """A lon/lat box's bounds in the images' projection."""
    shape = gpd.GeoSeries([shapely.box(*box).segmentize(0.5)], crs="EPSG:4326").to_crs(CHINA_ALBERS)
    return tuple(shape.total_bounds)


def extent(geometry: ImageGeometry, codes: Sequence[str]) -> tuple[float, float, float, float]:
    """The box to show: the chosen counties with a margin; a national map the mainland and Hainan (the
    islands of the South China Sea go in the inset), or the whole country when there is no inset."""
    if national(geometry, codes):
        return _padded(geometry.mainland)
    shown = geometry.counties[geometry.counties.index.isin(list(codes))]
    frame = shown if 0 < len(shown) < len(geometry.counties) else geometry.country
    return _padded(frame.total_bounds)


def inset_room(geometry: ImageGeometry, box: tuple[float, float, float, float]) -> tuple[tuple, tuple[float, float]]:
    """(main box, inset width and height) of a national map: the inset goes in the main map's lower right
    corner, so the box is widened to the east until no land lies under it."""
    x0, y0, x1, y1 = box
    s0, t0, s1, t1 = geometry.south_sea
    h = INSET_HEIGHT * (y1 - y0)
    w = h * (s1 - s0) / (t1 - t0)
    gap = 0.015 * (x1 - x0)
    land = shapely.intersection(geometry.country.values[0], shapely.box(x0, y0, x1, y0 + h + gap))
    east = x0 if land.is_empty else land.bounds[2]
    return (x0, y0, max(x1, east + gap + w), y1), (w, h)


def fit(box: tuple[float, float, float, float], aspect: float) -> tuple[float, float, float, float]:
    """Grow `box` to the axes' aspect (width / height), keeping it centred."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    if w / h < aspect:
        grow = (h * aspect - w) / 2
        return x0 - grow, y0, x1 + grow, y1
    grow = (w / aspect - h) / 2
    return x0, y0 - grow, x1, y1 + grow
