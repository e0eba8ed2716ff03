"""Issue 27, item 6: the wide export of a panel of real size (benchmarks.import_bench.export_panel: ~15,000
synthetic rows, ~2,800 counties, 24 years) within 10 MB as GeoJSON and as GeoPackage, every value as given,
RFC 7946 valid; its polygons generalised as one coverage and said so in the metadata. Size only, no timing
(the seconds are `make bench`'s)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely
from geojson_check import rfc7946_errors
from shapely.geometry import box

from benchmarks.import_bench import EXPORT_ROWS, EXPORT_TARGET, export_panel
from loaders import match
from loaders.match.export import WIDE_TOLERANCE_DEG, joined_table, measures_of, wide_shapes
from loaders.tabular.numbers import number_text

BUDGET = EXPORT_TARGET[1] * 1e6  # bytes
LAYER = "synthetic_panel_joined"


@pytest.fixture(scope="module")
def panel(gazetteer):
    frame, result, boundaries, provenance = export_panel(2024, gazetteer)
    assert len(frame) >= EXPORT_ROWS
    return result, boundaries, provenance


def _text(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return number_text(value) if isinstance(value, float) else str(value)


def test_the_wide_geojson_of_a_real_sized_panel_is_within_budget_and_keeps_every_value(panel) -> None:
    result, boundaries, provenance = panel
    data = match.export_joined(result, provenance, boundaries, "geojson", "wide")
    assert len(data) <= BUDGET, f"wide GeoJSON {len(data) / 1e6:.1f} MB"
    collection = json.loads(data)
    assert rfc7946_errors(collection) == []
    assert str(WIDE_TOLERANCE_DEG) in collection["metadata"]["geometry"]
    cells = {f["properties"]["boundary_code"]: f["properties"] for f in collection["features"]}
    table = joined_table(result.rows)
    located = table[table["boundary_code"].notna()]
    assert len(cells) == located["boundary_code"].nunique()  # one feature per county
    year = result.roles.year
    for measure in measures_of(result):
        for code, y, value in zip(located["boundary_code"], located[year], located[measure]):
            cell = cells[code].get(f"{measure}_{_text(y)}")
            given = _text(value)
            # several rows of one county and year share a cell, joined as text in input order
            assert (_text(cell) == given) or (isinstance(cell, str) and given in cell.split("; ")), (code, y, measure)


def test_the_wide_geopackage_of_a_real_sized_panel_is_within_budget(panel, tmp_path: Path) -> None:
    result, boundaries, provenance = panel
    data = match.export_joined(result, provenance, boundaries, "gpkg", "wide")
    assert len(data) <= BUDGET, f"wide GeoPackage {len(data) / 1e6:.1f} MB"
    path = tmp_path / "wide.gpkg"
    path.write_bytes(data)
    with sqlite3.connect(path) as db:  # the generalisation said where GIS tools show a layer's description
        (described,) = db.execute("SELECT description FROM gpkg_contents WHERE table_name = ?", (LAYER,)).fetchone()
    assert f"at {WIDE_TOLERANCE_DEG}°" in described
    layer = pyogrio.read_dataframe(path, layer=LAYER)
    assert len(layer) == result.rows["boundary_code"].nunique()
    assert shapely.is_valid(layer.geometry.values).all() and not layer.geometry.is_empty.any()


def test_the_wide_polygons_are_one_coverage_simplified_once(panel) -> None:
    _, boundaries, _ = panel
    shapes = wide_shapes(boundaries)
    assert wide_shapes(boundaries) is shapes  # simplified once per boundary set
    before = boundaries.drop_duplicates("code").set_index("code").geometry
    assert list(shapes.index) == list(before.index) and shapely.is_valid(shapes.values).all()
    assert shapely.get_num_coordinates(shapes.values).sum() < 0.6 * shapely.get_num_coordinates(before.values).sum()
    # only vertices dropped: every vertex is one of the atlas's, and no polygon moves more than ~3 tolerances
    kept = {tuple(xy) for xy in shapely.get_coordinates(shapes.values[:200])}
    assert kept <= {tuple(xy) for xy in shapely.get_coordinates(before.values[:200])}
    assert max(shapely.hausdorff_distance(shapes.values, before.values)) < 5 * WIDE_TOLERANCE_DEG
    # neighbours still share their border: the simplified coverage has no gaps or overlaps
    assert shapely.coverage_is_valid(shapes.values[:300])


def test_a_coverage_simpler_than_the_tolerance_is_unchanged() -> None:
    squares = gpd.GeoDataFrame(
        {"code": ["620102", "620103"], "name_zh": ["synthetic_甲", "synthetic_乙"], "name_en": ["A", "B"]},
        geometry=[box(100, 30, 101, 31), box(101, 30, 102, 31)],
        crs="EPSG:4326",
    )
    shapes = wide_shapes(squares)
    assert [round(g.area, 9) for g in shapes.values] == [1.0, 1.0]
