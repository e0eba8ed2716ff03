from __future__ import annotations

import io
import json
import zipfile

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from geojson_check import rfc7946_errors
from shapely.geometry import Polygon

from atlas import export, imported
from atlas.filters import CountyFilter, apply, slug
from loaders.schema import GEODATA
from loaders.tabular.formulas import neutralise_formula


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


# --- issue 16: RFC 7946, numbers as numbers, every row, nothing on disk, user lists as sources ----------


def test_checker_flags_what_the_old_export_wrote() -> None:
    clockwise = {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]]}
    collection = {"type": "FeatureCollection", "crs": {}, "features": [{"type": "Feature", "properties": {}}]}
    collection["features"][0]["geometry"] = clockwise
    assert rfc7946_errors(collection) == [
        "a crs member (removed in RFC 7946)",
        "feature 0 ring 0: exterior ring is clockwise",
    ]


def test_geojson_winds_rings_as_rfc7946_asks(synthetic_poverty, synthetic_boundaries) -> None:
    # clockwise shell with a counter-clockwise hole: the reverse of RFC 7946
    shell = [(100, 30), (100, 31), (101, 31), (101, 30)]
    hole = [(100.2, 30.2), (100.8, 30.2), (100.8, 30.8), (100.2, 30.8)]
    boundaries = synthetic_boundaries.copy()
    boundaries.loc[0, "geometry"] = Polygon(shell, [hole])
    frame = export.export_frame(synthetic_poverty.assign(area_km2=1.0), boundaries)
    collection = json.loads(export.to_geojson(frame, {}))
    assert rfc7946_errors(collection) == []
    assert len(collection["features"][0]["geometry"]["coordinates"]) == 2  # the hole is kept


def test_a_real_province_export_is_rfc7946() -> None:
    counties = gpd.read_parquet(GEODATA / "counties.parquet")
    sichuan = counties[counties["province_code"] == "510000"].head(45)
    frame = gpd.GeoDataFrame({"code": sichuan["code"].to_numpy()}, geometry=sichuan.geometry.to_numpy(), crs=4326)
    assert rfc7946_errors(json.loads(export.to_geojson(frame, {}))) == []


@pytest.fixture
def with_negatives(synthetic_poverty, synthetic_boundaries):
    rows = synthetic_poverty.assign(area_km2=[1.5, -2.25, 0.0, -1e-3, 12345.0])
    return rows, export.export_frame(rows, synthetic_boundaries)


def test_every_format_round_trips_rows_and_numbers(with_negatives, synthetic_sources, tmp_path) -> None:
    rows, frame = with_negatives
    meta = export.ExportMeta("t", [], "b", len(frame)).as_dict(synthetic_sources)
    features = json.loads(export.to_geojson(frame, meta))["features"]
    assert [f["properties"]["code"] for f in features] == list(rows["code"])
    assert [f["properties"]["area_km2"] for f in features] == [1.5, -2.25, 0.0, -1e-3, 12345.0]
    assert [f["properties"]["exit_year"] for f in features] == [2020, 2019, 2018, 2016, None]
    archive = zipfile.ZipFile(io.BytesIO(export.to_csv_zip(frame, meta, synthetic_sources, "s")))
    table = pd.read_csv(archive.open("s.csv"), encoding="utf-8-sig", dtype={"code": str})
    assert table["area_km2"].tolist() == [1.5, -2.25, 0.0, -1e-3, 12345.0]  # no "'-2.25"
    assert list(table["code"]) == list(rows["code"])
    path = tmp_path / "x.gpkg"
    path.write_bytes(export.to_geopackage(frame, meta, synthetic_sources))
    back = gpd.read_file(path, layer="poverty_counties")
    assert back["area_km2"].tolist() == [1.5, -2.25, 0.0, -1e-3, 12345.0]
    assert list(back["code"]) == list(rows["code"])


def test_geopackage_is_built_in_memory(with_negatives, synthetic_sources, tmp_path, monkeypatch) -> None:
    import tempfile

    def refuse(*args, **kwargs):
        raise AssertionError("the export touched a temporary file")

    for name in ("TemporaryDirectory", "mkdtemp", "mkstemp", "NamedTemporaryFile", "TemporaryFile"):
        monkeypatch.setattr(tempfile, name, refuse)
    spare = tmp_path / "tmp"
    spare.mkdir()
    monkeypatch.setenv("TMPDIR", str(spare))
    monkeypatch.setenv("CPL_TMPDIR", str(spare))
    monkeypatch.chdir(spare)
    _, frame = with_negatives
    data = export.to_geopackage(frame, {"title": "t"}, synthetic_sources)
    assert data.startswith(b"SQLite format 3") and list(spare.iterdir()) == []
    path = tmp_path / "x.gpkg"
    path.write_bytes(data)
    assert {name for name, _ in pyogrio.list_layers(path)} == {"poverty_counties", "sources", "metadata"}
    assert pyogrio.read_dataframe(path, layer="sources")["source_id"].tolist() == list(synthetic_sources["source_id"])


def test_an_applied_list_is_a_source_of_the_export(synthetic_poverty, synthetic_boundaries, synthetic_sources) -> None:
    provenance = imported.provenance_of("synthetic_deep.csv", b"synthetic list")
    applied = imported.AppliedList("deep_poverty", {"513401": None}, (), provenance)
    rows = imported.overlay(synthetic_poverty, [applied]).assign(area_km2=1.0)
    frame = export.export_frame(rows, synthetic_boundaries)
    sources = imported.with_user_sources(export.cited_sources(rows, synthetic_sources), [applied])
    meta = export.ExportMeta("t", [], "b", len(frame)).as_dict(sources)
    archive = zipfile.ZipFile(io.BytesIO(export.to_csv_zip(frame, meta, sources, "s")))
    listed = pd.read_csv(archive.open("sources.csv"), dtype=str, encoding="utf-8-sig")
    user = listed[listed["title"] == "synthetic_deep.csv"]
    assert len(user) == 1
    assert provenance.sha256 in user["where_found"].iloc[0] and user["date"].iloc[0] == provenance.time
    assert "deep_poverty" in user["notes"].iloc[0]
    assert len(listed) == len(export.cited_sources(rows, synthetic_sources)) + 1


def test_geojson_validator_flags_clockwise_rings_and_passes_the_export() -> None:
    import geojson_validator
    import shapely

    from loaders.geometry import rounded_mapping

    counties = gpd.read_parquet(GEODATA / "counties.parquet")
    some = counties[counties["province_code"] == "510000"].head(5)
    clockwise = shapely.orient_polygons(some.geometry.to_numpy(), exterior_cw=True)  # as the old export wrote
    old = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": rounded_mapping(g, 6)} for g in clockwise],
    }
    assert "exterior_not_ccw" in geojson_validator.validate_geometries(old, criteria_problematic=())["invalid"]
    frame = gpd.GeoDataFrame({"code": some["code"].to_numpy()}, geometry=some.geometry.to_numpy(), crs=4326)
    new = json.loads(export.to_geojson(frame, {"title": "t"}))
    assert geojson_validator.validate_geometries(new, criteria_problematic=())["invalid"] == {}
    assert geojson_validator.validate_structure(new, check_crs=True) == {}
