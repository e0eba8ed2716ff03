from __future__ import annotations

import io
import json
import zipfile

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest

from atlas import export
from atlas.filters import CountyFilter, apply, slug
from loaders.tabular import neutralise_formula


@pytest.fixture
def exported(synthetic_poverty, synthetic_boundaries, synthetic_sources):
    rows = apply(synthetic_poverty.assign(area_km2=1.0), CountyFilter(provinces=("510000",)))
    frame = export.export_frame(rows, synthetic_boundaries)
    sources = export.cited_sources(rows, synthetic_sources)
    meta = export.ExportMeta("test", ["province: 四川省"], "2026-11-25", len(frame)).as_dict(sources)
    return rows, frame, sources, meta


def test_geojson_round_trip_same_rows_and_geometry(exported, tmp_path) -> None:
    rows, frame, _, meta = exported
    data = export.to_geojson(frame, meta)
    collection = json.loads(data)
    assert collection["type"] == "FeatureCollection" and "crs" not in collection  # RFC 7946: no crs member
    assert collection["metadata"]["crs"] == "EPSG:4326"
    assert collection["metadata"]["feature_count"] == len(rows) == 3
    path = tmp_path / "x.geojson"
    path.write_bytes(data)
    back = gpd.read_file(path)
    assert list(back["code"]) == list(rows["code"])
    assert back.geometry.geom_equals_exact(frame.geometry.reset_index(drop=True), tolerance=1e-6).all()
    # Unknown stays unknown: null, not false or 0.
    assert collection["features"][1]["properties"]["deep_poverty"] is None
    assert collection["features"][0]["properties"]["exit_year"] == 2020


def test_metadata_lists_only_cited_sources_and_documents_every_attribute(exported) -> None:
    _, frame, sources, meta = exported
    assert [s["source_id"] for s in meta["sources"]] == ["synthetic-a", "synthetic-b"]
    documented = {a["name"] for a in meta["attributes"]}
    assert set(frame.columns) - {"geometry"} == documented


def test_csv_zip_neutralises_formulas_and_carries_metadata(
    synthetic_poverty, synthetic_boundaries, synthetic_sources
) -> None:
    rows = synthetic_poverty.assign(area_km2=1.0)
    frame = export.export_frame(rows, synthetic_boundaries)
    meta = export.ExportMeta("t", [], "b", len(frame)).as_dict(synthetic_sources)
    archive = zipfile.ZipFile(io.BytesIO(export.to_csv_zip(frame, meta, synthetic_sources, "stem")))
    assert sorted(archive.namelist()) == ["metadata.json", "sources.csv", "stem.csv"]
    table = pd.read_csv(archive.open("stem.csv"), dtype=str, encoding="utf-8-sig")
    assert table.loc[4, "name_zh"].startswith("'=HYPERLINK")
    srcs = pd.read_csv(archive.open("sources.csv"), dtype=str, encoding="utf-8-sig")
    assert srcs.loc[0, "title"].startswith("'=")
    assert json.loads(archive.read("metadata.json"))["feature_count"] == 5


def test_geopackage_has_layer_sources_and_metadata(exported, tmp_path) -> None:
    rows, frame, sources, meta = exported
    path = tmp_path / "x.gpkg"
    path.write_bytes(export.to_geopackage(frame, meta, sources))
    names = {name for name, _ in pyogrio.list_layers(path)}
    assert {"poverty_counties", "sources", "metadata"} <= names
    back = gpd.read_file(path, layer="poverty_counties")
    assert list(back["code"]) == list(rows["code"]) and back.crs.to_epsg() == 4326


def test_rows_without_a_polygon_are_kept_with_null_geometry(synthetic_poverty, synthetic_boundaries) -> None:
    rows = synthetic_poverty.assign(area_km2=1.0)
    frame = export.export_frame(rows, synthetic_boundaries[synthetic_boundaries["code"] != "513401"])
    assert len(frame) == 5 and frame.geometry.isna().sum() == 1


@pytest.mark.parametrize(
    "value, expected",
    [("=1+1", "'=1+1"), ("+x", "'+x"), ("-x", "'-x"), ("@x", "'@x"), ("ok", "ok"), (5, 5), (None, None)],
)
def test_neutralise_formula(value, expected) -> None:
    assert neutralise_formula(value) == expected


def test_file_stem_states_the_filter() -> None:
    assert export.file_stem(slug(CountyFilter(exit_from=2020, exit_to=2020))) == "poverty-counties_exit-2020-2020"
