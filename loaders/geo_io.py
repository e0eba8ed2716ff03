"""Reading the boundary layers in geodata/ (built by pipeline.geodata). No Streamlit here."""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import pandas as pd

from loaders.errors import DataFileError
from loaders.layer_schema import GEO_LAYERS, LayerSchema
from loaders.schema import GEODATA

# Web-mercator tiles are 512 px wide in deck.gl / MapLibre at zoom 0.
TILE_SIZE = 512
MAX_MERCATOR_LAT = 85.0511


def load_layer(name: str, root: Path | str | None = None) -> gpd.GeoDataFrame:
    """geodata/<name>.parquet as a GeoDataFrame in EPSG:4326, validated.

    Raises DataFileError naming the file (and row/column where it applies) when the file is missing or
    unreadable, a column of its schema (loaders.layer_schema.GEO_LAYERS) is missing or not numeric where it should
    be, a code is missing/duplicated/not six digits, a geometry is missing, or the CRS is not EPSG:4326.
    """
    path = Path(root if root is not None else GEODATA) / f"{name}.parquet"
    if not path.exists():
        raise DataFileError(path, "file not found; run `make geodata`")
    try:
        frame = gpd.read_parquet(path)
    except Exception as exc:  # pyarrow / geopandas raise many kinds
        raise DataFileError(path, f"cannot read GeoParquet: {exc}") from exc
    schema = GEO_LAYERS.get(name, LayerSchema(path.name, "", (), ""))
    for column in schema.names:
        if column not in frame.columns:
            raise DataFileError(path, "required column missing", column=column)
    for col in schema.columns:
        if col.kind in ("int", "float") and not pd.api.types.is_numeric_dtype(frame[col.name]):
            raise DataFileError(path, f"not numeric ({frame[col.name].dtype})", column=col.name)
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        raise DataFileError(
            path, f"CRS must be EPSG:4326, found {frame.crs.to_string() if frame.crs else 'none'}", column="geometry"
        )
    missing = frame.geometry.isna() | frame.geometry.is_empty
    if missing.any():
        raise DataFileError(path, "geometry missing or empty", row=int(missing.to_numpy().argmax()), column="geometry")
    if "code" in frame.columns:
        dup = frame["code"].duplicated(keep=False)
        if dup.any():
            row = int(dup.to_numpy().argmax())
            raise DataFileError(path, f"duplicate code {frame['code'].iloc[row]!r}", row=row, column="code")
    for column in (c.name for c in schema.columns if c.kind == "code6"):
        if column in frame.columns:
            ok = frame[column].astype("string").str.fullmatch(r"\d{6}").fillna(False).astype(bool)
            if not ok.all():
                row = int((~ok).to_numpy().argmax())
                raise DataFileError(path, f"not a six-digit code: {frame[column].iloc[row]!r}", row=row, column=column)
    return frame


def _mercator_y(lat: float) -> float:
    lat = max(-MAX_MERCATOR_LAT, min(MAX_MERCATOR_LAT, lat))
    rad = math.radians(lat)
    return math.log(math.tan(math.pi / 4 + rad / 2))


def bounds_view(
    gdf: gpd.GeoDataFrame | pd.DataFrame | tuple[float, float, float, float],
    width: int = 1000,
    height: int = 700,
    padding: float = 0.05,
    max_zoom: float = 12.0,
) -> dict[str, float]:
    """A pydeck view {latitude, longitude, zoom} fitting a layer's bounds (or a (minx, miny, maxx, maxy) tuple)
    in a width x height px viewport, leaving `padding` (a fraction of each side) free.

    Web-mercator: the centre is the bbox centre in mercator space; zoom = log2 of how many 512-px tiles the
    viewport can hold across the bbox, the tighter of the two axes. A point or empty extent gets max_zoom.
    """
    if isinstance(gdf, tuple):
        minx, miny, maxx, maxy = (float(v) for v in gdf)
    else:
        minx, miny, maxx, maxy = (float(v) for v in gdf.total_bounds)
    if any(math.isnan(v) for v in (minx, miny, maxx, maxy)):
        raise ValueError("cannot fit a view to empty bounds")
    y0, y1 = _mercator_y(miny), _mercator_y(maxy)
    latitude = math.degrees(math.atan(math.sinh((y0 + y1) / 2)))
    longitude = (minx + maxx) / 2
    usable_w = width * (1 - 2 * padding)
    usable_h = height * (1 - 2 * padding)
    # Fraction of the whole world (2*pi in mercator units, 360 degrees) spanned by the bbox.
    frac_x = (maxx - minx) / 360.0
    frac_y = (y1 - y0) / (2 * math.pi)
    zooms = []
    if frac_x > 0:
        zooms.append(math.log2(usable_w / (TILE_SIZE * frac_x)))
    if frac_y > 0:
        zooms.append(math.log2(usable_h / (TILE_SIZE * frac_y)))
    zoom = min(zooms) if zooms else max_zoom
    zoom = max(0.0, min(max_zoom, zoom))
    return {"latitude": round(latitude, 6), "longitude": round(longitude, 6), "zoom": round(zoom, 2)}
