"""The joined export of an imported list or panel (atlas.imported, loaders.match.export): every row and value
kept in every format, the report beside it, the user's sources in the metadata."""

from __future__ import annotations

import json

import pandas as pd

from atlas import imported
from loaders.match.export import input_columns, joined_meta, rows_frame, user_source_table
from tests.imported_rows import PROVENANCE, match_rows


def test_export_keeps_every_row_with_the_report(synthetic_boundaries) -> None:
    rows = match_rows([("513401", "matched", "甲"), (None, "not_found", '=HYPERLINK("x")')], geometry=["g1", "g2"])
    frame = rows_frame(rows, synthetic_boundaries)
    assert len(frame) == 2
    assert list(frame.columns[:6]) == list(imported.REPORT_COLUMNS)  # the report's columns lead the export's
    assert "input_geometry" in frame.columns  # an input column named like ours is kept, renamed
    assert frame.geometry.iloc[0] is not None and frame.geometry.iloc[1] is None
    meta = joined_meta(
        PROVENANCE,
        {"matched": 1, "total": 2, "match_rate": 0.5},
        input_columns(rows),
        "test build",
        len(frame),
    )
    assert meta["user_supplied"]["sha256"] == PROVENANCE.sha256
    assert meta["match_summary"] == {"matched": 1, "total": 2, "match_rate": 0.5}


def test_export_metadata_names_user_lists(synthetic_sources) -> None:
    from atlas.export import ExportMeta

    user = [{"flag": "deep_poverty", **PROVENANCE.as_dict()}]
    meta = ExportMeta("x", [], "test build", 1, user).as_dict(synthetic_sources)
    assert meta["user_supplied"][0]["sha256"] == PROVENANCE.sha256
    assert "user_supplied" not in ExportMeta("x", [], "test build", 1).as_dict(synthetic_sources)


def test_joined_export_round_trips_every_row_and_value(synthetic_boundaries, tmp_path) -> None:
    """issue 16: the import page's GeoJSON and GeoPackage wrote every value as text, the CSV wrote -5.2
    as '-5.2. Numbers come back as numbers (negatives too), text as text, every row in input order."""
    import io
    import zipfile

    import geopandas as gpd
    import pyogrio
    from geojson_check import rfc7946_errors

    from atlas import export

    entries = [
        ("513401", "matched", "甲"),
        (None, "not_found", "=1+2"),
        ("513402", "renamed", "乙"),
        (None, "ambiguous", "丙"),
    ]
    rows = match_rows(
        entries,
        synthetic_收入=pd.array(["-5.2", "1234.5", None, "0"], dtype="string"),
        synthetic_year=pd.array(["2019", "2020", "2021", "-1"], dtype="string"),
        synthetic_code=pd.array(["0101", "513401", None, "7"], dtype="string"),
        synthetic_text=pd.array(["-A1+1", "@SUM(A1)", "平武县", "-5.2"], dtype="string"),
    )
    rows["row"] = [1, 3, 4, 7]  # a table whose duplicate rows were dropped keeps its row numbers
    frame = rows_frame(rows, synthetic_boundaries)
    meta = joined_meta(PROVENANCE, {"total": 4}, input_columns(rows), "b", len(frame))
    sources = user_source_table(PROVENANCE)
    money = [-5.2, 1234.5, None, 0.0]
    years = [2019, 2020, 2021, -1]
    texts = ["-A1+1", "@SUM(A1)", "平武县", "-5.2"]
    collection = json.loads(export.to_geojson(frame, meta))
    assert rfc7946_errors(collection) == []
    props = [f["properties"] for f in collection["features"]]
    assert [p["input_row"] for p in props] == [1, 3, 4, 7]
    assert [p["synthetic_收入"] for p in props] == money
    assert [p["synthetic_year"] for p in props] == years
    assert [p["synthetic_code"] for p in props] == ["0101", "513401", None, "7"]  # an identifier stays text
    assert [p["synthetic_text"] for p in props] == texts
    assert [p["name"] for p in props] == ["甲", "=1+2", "乙", "丙"]

    archive = zipfile.ZipFile(io.BytesIO(export.to_csv_zip(frame, meta, sources, "s")))
    table = pd.read_csv(archive.open("s.csv"), encoding="utf-8-sig", dtype={"synthetic_code": str})
    assert table["input_row"].tolist() == [1, 3, 4, 7]
    assert table["synthetic_收入"].tolist()[:2] == [-5.2, 1234.5] and table["synthetic_收入"].isna().tolist()[2]
    assert table["synthetic_year"].tolist() == years
    assert table["synthetic_text"].tolist() == ["'-A1+1", "'@SUM(A1)", "平武县", "-5.2"]  # only formulas guarded
    assert table["name"].tolist() == ["甲", "'=1+2", "乙", "丙"]

    path = tmp_path / "joined.gpkg"
    path.write_bytes(export.to_geopackage(frame, meta, sources))
    back = gpd.read_file(path, layer="poverty_counties")
    assert back["input_row"].tolist() == [1, 3, 4, 7]
    assert pd.api.types.is_float_dtype(back["synthetic_收入"]) and back["synthetic_收入"].tolist()[:2] == [-5.2, 1234.5]
    assert pd.api.types.is_integer_dtype(back["synthetic_year"]) and back["synthetic_year"].tolist() == years
    assert back["synthetic_text"].tolist() == texts and back["synthetic_code"].tolist()[:2] == ["0101", "513401"]
    assert back.geometry.isna().tolist() == [False, True, False, True]
    assert pyogrio.read_dataframe(path, layer="sources")["where_found"].str.contains(PROVENANCE.sha256).all()


def test_an_uploaded_panel_comes_out_of_every_format_unchanged(tmp_path) -> None:
    """Upload → drop repeated rows → match → export: every kept input row, in order, with its input
    number and every value as uploaded (numbers as numbers, negatives too; text as text)."""
    import io
    import zipfile

    import geopandas as gpd
    from geojson_check import rfc7946_errors

    from atlas import export
    from loaders import match
    from loaders.schema import GEODATA
    from loaders.tabular.rows import drop_duplicate_rows
    from loaders.tabular.upload import read_upload

    csv_text = (
        "代码,县名,年份,synthetic_增长率,synthetic_备注\n"
        "610928,旬阳县,2020,-5.2,=1+2\n"
        "610928,旬阳县,2020,-5.2,=1+2\n"  # a repeated row, dropped
        "610981,旬阳市,2021,0.75,-A1+1\n"
        ",synthetic_无此县,2021,-0.001,\n"
        "330104,江干区,2019,12,平武县\n"
    )
    table = read_upload(csv_text.encode("utf-8"), "synthetic_panel.csv")
    kept = drop_duplicate_rows(table.frame)
    result = match.match_table(kept, match.guess_roles(kept), match.load_gazetteer())
    assert result.merged_groups() == {}  # 旬阳县 and 旬阳市: one county renamed, not a merger
    counties = gpd.read_parquet(GEODATA / "counties.parquet", columns=["code", "geometry"])
    frame = rows_frame(result.rows, counties)
    meta = joined_meta(PROVENANCE, result.summary(), input_columns(result.rows), "b", len(frame))
    sources = user_source_table(PROVENANCE)
    expected = {
        "input_row": [1, 3, 4, 5],
        "代码": [610928, 610981, None, 330104],
        "年份": [2020, 2021, 2021, 2019],
        "synthetic_增长率": [-5.2, 0.75, -0.001, 12.0],
        "synthetic_备注": ["=1+2", "-A1+1", None, "平武县"],
    }
    collection = json.loads(export.to_geojson(frame, meta))
    assert rfc7946_errors(collection) == []  # the real polygons, wound as RFC 7946 asks
    props = [f["properties"] for f in collection["features"]]
    for column, values in expected.items():
        assert [p[column] for p in props] == values, column
    archive = zipfile.ZipFile(io.BytesIO(export.to_csv_zip(frame, meta, sources, "s")))
    back = pd.read_csv(archive.open("s.csv"), encoding="utf-8-sig")
    gpkg = tmp_path / "s.gpkg"
    gpkg.write_bytes(export.to_geopackage(frame, meta, sources))
    layer = gpd.read_file(gpkg, layer="poverty_counties")
    for read in (back, layer):
        for column in ("input_row", "年份", "synthetic_增长率"):
            assert read[column].tolist() == expected[column], column
        assert read["代码"].tolist()[:2] == [610928, 610981] and read["代码"].tolist()[3] == 330104
    assert back["synthetic_备注"].tolist()[:2] == ["'=1+2", "'-A1+1"]  # the CSV guards formulas only
    assert layer["synthetic_备注"].tolist()[:2] == ["=1+2", "-A1+1"]
    assert layer["boundary_code"].tolist()[:2] == ["610928", "610928"]
