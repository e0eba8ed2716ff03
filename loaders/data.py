"""Everything the app reads, loaded and validated in one place, joined and checked.

`load_atlas` never raises for a bad file: it records a `DataFileError` for it and
carries on with the rest, so a page can say which file is wrong and still show
what does not depend on it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import geopandas as gpd
import pandas as pd

from loaders.errors import DataFileError
from loaders.geo_io import load_layer
from loaders.names_schema import COUNTY_ALIASES, PLACE_ALIASES, PUBLISHER_NAMES, TITLE_TRANSLATIONS
from loaders.schema import (
    CONTIGUOUS_AREAS,
    FUNDS,
    GEODATA,
    INCIDENCE,
    OFFICIAL_TOTALS,
    POVERTY_COUNTIES,
    RELOCATION,
    SANQU_UNITS,
    SOURCES,
    split_ids,
)
from loaders.tables import read_table

T = TypeVar("T")
BUILD_INFO = "build_info.json"


@dataclass
class Atlas:
    counties: gpd.GeoDataFrame | None = None
    prefectures: gpd.GeoDataFrame | None = None
    provinces: gpd.GeoDataFrame | None = None
    country: gpd.GeoDataFrame | None = None
    maritime: gpd.GeoDataFrame | None = None  # the maritime line of the national maps
    poverty: pd.DataFrame | None = None
    areas: pd.DataFrame | None = None
    official: pd.DataFrame | None = None
    sanqu_units: pd.DataFrame | None = None
    outlines: gpd.GeoDataFrame | None = None
    sources: pd.DataFrame | None = None
    aliases: pd.DataFrame | None = None
    place_aliases: pd.DataFrame | None = None  # other names of provinces and prefectures (Lhasa)
    publishers: pd.DataFrame | None = None  # publishers' names in Chinese and English (人民日报, People's Daily)
    titles: pd.DataFrame | None = None  # sources' titles in Chinese and English (one of them translated)
    series: dict[str, pd.DataFrame] = field(default_factory=dict)
    errors: list[DataFileError] = field(default_factory=list)

    def error_for(self, file_part: str) -> DataFileError | None:
        return next((e for e in self.errors if file_part in str(e.path)), None)


def _attempt(errors: list[DataFileError], load: Callable[[], T]) -> T | None:
    try:
        return load()
    except DataFileError as exc:
        errors.append(exc)
        return None


def check_source_ids(frame: pd.DataFrame, column: str, known: set[str], path: Path, required: bool = True) -> None:
    """Every row cites at least one source (unless not `required`), and every cited id exists."""
    for i, value in enumerate(frame[column], start=2):
        ids = split_ids(value)
        if not ids and required:
            raise DataFileError(path, "no source cited", row=i, column=column)
        unknown = [s for s in ids if s not in known]
        if unknown:
            raise DataFileError(path, f"unknown source id(s): {', '.join(unknown)}", row=i, column=column)


def load_atlas(root: Path = GEODATA) -> Atlas:
    atlas = Atlas()
    errs = atlas.errors
    atlas.counties = _attempt(errs, lambda: load_layer("counties", root))
    atlas.prefectures = _attempt(errs, lambda: load_layer("prefectures", root))
    atlas.provinces = _attempt(errs, lambda: load_layer("provinces", root))
    atlas.country = _attempt(errs, lambda: load_layer("country", root))
    atlas.maritime = _attempt(errs, lambda: load_layer("maritime", root))
    atlas.sources = _attempt(errs, lambda: read_table(SOURCES, root))
    known = set(atlas.sources["source_id"]) if atlas.sources is not None else set()

    def cited(schema, column: str, required: bool = True) -> Callable[[], pd.DataFrame]:
        def load() -> pd.DataFrame:
            frame = read_table(schema, root)
            if atlas.sources is not None:
                check_source_ids(frame, column, known, root / schema.file, required)
            return frame

        return load

    atlas.poverty = _attempt(errs, cited(POVERTY_COUNTIES, "source_ids"))
    atlas.areas = _attempt(errs, cited(CONTIGUOUS_AREAS, "source_id"))
    atlas.official = _attempt(errs, cited(OFFICIAL_TOTALS, "source_id"))
    atlas.sanqu_units = _attempt(errs, cited(SANQU_UNITS, "source_id"))
    atlas.aliases = _attempt(errs, cited(COUNTY_ALIASES, "source_id"))
    atlas.place_aliases = _attempt(errs, cited(PLACE_ALIASES, "source_id"))
    atlas.publishers = _attempt(errs, cited(PUBLISHER_NAMES, "source_id", required=False))  # atlas's have none
    atlas.titles = _attempt(errs, cited(TITLE_TRANSLATIONS, "source_id"))
    atlas.outlines = _attempt(errs, lambda: load_layer("area_outlines", root))
    for name, schema in (("incidence", INCIDENCE), ("funds", FUNDS), ("relocation", RELOCATION)):
        frame = _attempt(errs, cited(schema, "source_id"))
        if frame is not None:
            atlas.series[name] = frame
    return atlas


def with_boundary_attributes(poverty: pd.DataFrame, boundaries: pd.DataFrame) -> pd.DataFrame:
    """The poverty table with the boundary layer's area (km²) and today's names beside each row."""
    by_code = boundaries.drop_duplicates("code").set_index("code")
    return poverty.assign(
        area_km2=poverty["code"].map(by_code["area_km2"]),
        boundary_name_zh=poverty["code"].map(by_code["name_zh"]),
        boundary_name_en=poverty["code"].map(by_code["name_en"]),
    )


def data_build(root: Path = GEODATA) -> str:
    """When the tables were built (geodata/build_info.json) and from which boundary release
    (geodata/build_manifest.json, kept free of dates so that builds are byte-reproducible)."""
    parts = []
    try:
        parts.append(f"tables built {json.loads((root / BUILD_INFO).read_text(encoding='utf-8'))['built']}")
    except (OSError, ValueError, KeyError):
        pass
    try:
        source = json.loads((root / "build_manifest.json").read_text(encoding="utf-8"))["source"]
        parts.append(f"boundaries from {source['package']} {source['version']}")
    except (OSError, ValueError, KeyError):
        pass
    return "; ".join(parts) or "unknown"
