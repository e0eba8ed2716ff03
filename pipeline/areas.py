"""Outlines of the 14 contiguous areas and of the 三区三州, dissolved from member counties.

`python -m pipeline.areas` reads geodata/counties.parquet, poverty_counties.csv,
contiguous_areas.csv and sanqu_sanzhou.csv and writes geodata/area_outlines.parquet.
The county layer keeps one shared border between neighbours, so the union of
members has no slivers along internal borders.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from loaders.geo_io import load_layer
from loaders.geometry import union_of
from loaders.schema import CONTIGUOUS_AREAS, GEODATA, POVERTY_COUNTIES, SANQU_UNITS
from loaders.tables import read_table

OUTPUT = "area_outlines.parquet"
PREFIX_LENGTH = {"province": 2, "prefecture": 4, "county": 6}


def sanqu_members(counties: pd.DataFrame, units: pd.DataFrame) -> dict[str, list[str]]:
    """unit_id -> boundary county codes, by the code-prefix rule of sanqu_sanzhou.csv."""
    members = {}
    for unit_id, level, code in zip(units["unit_id"], units["level"], units["codes"]):
        prefix = code[: PREFIX_LENGTH[level]]
        members[unit_id] = sorted(c for c in counties["code"] if c.startswith(prefix))
    return members


def build(
    counties: gpd.GeoDataFrame, poverty: pd.DataFrame, areas: pd.DataFrame, units: pd.DataFrame
) -> gpd.GeoDataFrame:
    poverty_codes = set(poverty["code"])
    rows = []
    for area_id, name_zh, name_en in zip(areas["area_id"], areas["name_zh"], areas["name_en"]):
        codes = sorted(set(poverty.loc[poverty["contiguous_area"] == area_id, "code"]))
        rows.append(("area", area_id, name_zh, name_en, len(codes), len(codes), union_of(counties, codes)))
    members = sanqu_members(counties, units)
    for unit_id, name_zh, name_en in zip(units["unit_id"], units["name_zh"], units["name_en"]):
        codes = members[unit_id]
        rows.append(
            (
                "sanqu_unit",
                unit_id,
                name_zh,
                name_en,
                len(codes),
                len(poverty_codes & set(codes)),
                union_of(counties, codes),
            )
        )
    everything = sorted({c for codes in members.values() for c in codes})
    rows.append(
        (
            "sanqu_sanzhou",
            "sanqu_sanzhou",
            "三区三州",
            "Three areas and three prefectures",
            len(everything),
            len(poverty_codes & set(everything)),
            union_of(counties, everything),
        )
    )
    frame = pd.DataFrame(
        rows, columns=["kind", "unit_id", "name_zh", "name_en", "county_count", "poverty_county_count", "geometry"]
    )
    # A unit with no known member has no outline (it is "no data", not an empty shape).
    frame = frame[~shapely.is_empty(frame["geometry"].to_numpy())]
    return gpd.GeoDataFrame(frame.reset_index(drop=True), geometry="geometry", crs=counties.crs)


def main(root: Path = GEODATA) -> None:
    counties = load_layer("counties", root)
    outlines = build(
        counties, read_table(POVERTY_COUNTIES, root), read_table(CONTIGUOUS_AREAS, root), read_table(SANQU_UNITS, root)
    )
    outlines.to_parquet(root / OUTPUT, index=False, compression="zstd", write_covering_bbox=False)
    for row in outlines.itertuples(index=False):
        print(
            f"{row.kind:14} {row.unit_id:20} counties {row.county_count:4}  "
            f"poverty counties {row.poverty_county_count:4}"
        )


if __name__ == "__main__":
    main()
