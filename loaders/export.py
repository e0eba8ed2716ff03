"""Files built in memory from a GeoDataFrame and its metadata: GeoJSON (RFC 7946), CSV (zipped with its
metadata and sources), GeoPackage (the layer plus attribute tables). Shared by the app's exports and the
matcher's command; nothing is written to the server's disk.

Geometry is written to 6 decimals in GeoJSON (RFC 7946 advises no more), exterior rings counter-clockwise
and holes clockwise (RFC 7946 §3.1.6). Numbers are written as they read: a whole number as `1084` (a
nullable integer column stays integer with its blanks), a decimal in its shortest form (`number_text`).
"""

from __future__ import annotations

import io
import json
import math
import sqlite3
import zipfile
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from loaders.tabular.formulas import safe_for_spreadsheet
from loaders.tabular.numbers import number_text

CRS = "EPSG:4326"
GEOJSON_DIGITS = 6


def _plain(value: Any) -> Any:
    """JSON-friendly scalar: pandas NA/NaN -> None, numpy numbers -> Python numbers."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def rfc7946_geometries(geoms: Any) -> list[str | None]:
    """Each geometry as GeoJSON text, rounded to GEOJSON_DIGITS, then wound as RFC 7946 asks (after
    rounding, so a tiny ring cannot flip); None for a missing or empty one. Vectorised (GEOS writes the
    text): a panel's 2,800 county polygons take ~0.5 s, not ~8 s through Python lists."""
    array = np.asarray(geoms, dtype=object)
    present = np.array([g is not None and not g.is_empty for g in array], dtype=bool)
    out: list[str | None] = [None] * len(array)
    if present.any():
        rounded = shapely.transform(array[present], lambda xy: np.round(xy, GEOJSON_DIGITS))
        texts = shapely.to_geojson(shapely.orient_polygons(rounded))
        for i, text in zip(np.flatnonzero(present), texts):
            out[i] = str(text)
    return out


def to_geojson(frame: gpd.GeoDataFrame, meta: dict[str, Any], skip_missing: bool = False) -> bytes:
    """RFC 7946 FeatureCollection; the metadata block is a foreign member 'metadata'. `skip_missing`: a
    property without a value is left out of its feature (a wide panel's empty years), not written null."""
    properties = pd.DataFrame(frame.drop(columns="geometry"))
    columns = [str(c) for c in properties.columns]
    values = [[_plain(v) for v in properties[c].tolist()] for c in properties.columns]
    rows = zip(*values) if values else ([()] * len(frame))
    features = ",".join(
        '{"type":"Feature","properties":'
        + json.dumps(
            {k: v for k, v in zip(columns, cells) if not (skip_missing and v is None)},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        + ',"geometry":'
        + (geometry or "null")
        + "}"
        for cells, geometry in zip(rows, rfc7946_geometries(frame.geometry.values))
    )
    head = json.dumps({"type": "FeatureCollection", "metadata": meta}, ensure_ascii=False, separators=(",", ":"))
    return (head[:-1] + ',"features":[' + features + "]}").encode("utf-8")


def csv_text(table: pd.DataFrame) -> bytes:
    """A table as CSV (UTF-8 with BOM, formulas neutralised): decimals in their shortest form, whole
    numbers without `.0`, blanks empty."""
    out = safe_for_spreadsheet(pd.DataFrame(table))
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column]):
            out[column] = [None if math.isnan(v) else number_text(v) for v in out[column].tolist()]
    return out.to_csv(index=False).encode("utf-8-sig")


def to_csv_zip(
    frame: pd.DataFrame,
    meta: dict[str, Any],
    sources: pd.DataFrame,
    stem: str,
    extra: Iterable[tuple[str, bytes]] = (),
) -> bytes:
    """A zip of the attribute table (no geometry), metadata, sources and any `extra` (name, bytes) files."""
    table = pd.DataFrame(frame).drop(columns="geometry", errors="ignore")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{stem}.csv", csv_text(table))
        archive.writestr("sources.csv", safe_for_spreadsheet(sources).to_csv(index=False).encode("utf-8-sig"))
        archive.writestr("metadata.json", json.dumps(meta, ensure_ascii=False, indent=2).encode("utf-8"))
        for name, data in extra:
            archive.writestr(name, data)
    return buffer.getvalue()


def to_geopackage(
    frame: gpd.GeoDataFrame,
    meta: dict[str, Any],
    sources: pd.DataFrame,
    layer: str = "poverty_counties",
    tables: Iterable[tuple[str, pd.DataFrame]] = (),
    description: str = "",
) -> bytes:
    """A GeoPackage with the layer plus any attribute `tables` (name, frame) and the 'sources' and
    'metadata' tables, built in memory: GDAL writes the layer to its /vsimem/ (pyogrio, into a BytesIO),
    SQLite adds the tables in an in-memory database. `description`: the layer's, in gpkg_contents (what
    GIS tools show in the layer's properties)."""
    buffer = io.BytesIO()
    options = {"DESCRIPTION": description} if description else None
    pyogrio.write_dataframe(frame, buffer, layer=layer, driver="GPKG", layer_options=options)
    info = pd.DataFrame({"key": list(meta), "value": [json.dumps(v, ensure_ascii=False) for v in meta.values()]})
    db = sqlite3.connect(":memory:")
    try:
        db.deserialize(buffer.getvalue())
        for name, table in (*tables, ("sources", sources.fillna("").astype(str)), ("metadata", info)):
            _attribute_table(db, name, table)
        db.commit()
        return db.serialize()
    finally:
        db.close()


def _sql_type(values: pd.Series) -> str:
    if pd.api.types.is_integer_dtype(values):
        return "INTEGER"
    return "REAL" if pd.api.types.is_float_dtype(values) else "TEXT"


def _attribute_table(db: sqlite3.Connection, name: str, table: pd.DataFrame) -> None:
    """A GeoPackage attributes table (OGC 12-128r18 §2.4), registered in gpkg_contents: whole-number
    columns INTEGER (GDAL: Integer64), decimals REAL, the rest TEXT; blanks NULL."""
    columns = ", ".join(f'"{c}" {_sql_type(table[c])}' for c in table.columns)
    db.execute(f'CREATE TABLE "{name}" (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, {columns})')
    marks = ", ".join("?" for _ in table.columns)
    names = ", ".join(f'"{c}"' for c in table.columns)
    cells = zip(*([_plain(v) for v in table[c].tolist()] for c in table.columns)) if len(table.columns) else []
    db.executemany(f'INSERT INTO "{name}" ({names}) VALUES ({marks})', cells)
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    db.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, last_change) VALUES (?, 'attributes', ?, ?)",
        (name, name, stamp),
    )
