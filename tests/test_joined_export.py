"""Issue 27, item 1 and 6: a matched table exported as given, one path for the page and the command.

Every column kind (whole numbers with blanks, decimals, negatives, text that looks like a number, codes)
goes through the three formats (GeoJSON, CSV zip, GeoPackage) of the page's path (loaders.match.export,
which the page's export section calls) and of `python -m loaders.match`, and reads back as the input, char
for char. The fixture is a synthetic GBK CSV with a source-note footer row (real codes and names; made-up
values)."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest

from loaders import match
from loaders.match.export import joined_table
from loaders.tabular.numbers import number_text
from loaders.tabular.upload import read_upload

COLUMNS = ("代码", "县名", "年份", "synthetic_收入", "synthetic_变化", "synthetic_经度", "synthetic_编号")
ROWS = (
    ("140829", "平陆县", "2009", "1084", "-3.25", "117.780670", "0012"),
    ("140830", "芮城县", "2009", "", "0.5", "111.5", "0013"),
    ("140828", "夏县", "2010", "1200", "", "120.1", "0014"),
    ("140828", "夏县", "2011", "-7", "-1", "120.10", "0014"),
    ("999999", "synthetic_无此县", "2011", "5", "2.25", "1e-3", "00"),
)
TYPES = {  # the GeoPackage field of each input column
    "代码": "OFTInteger64",
    "年份": "OFTInteger64",
    "synthetic_收入": "OFTInteger64",
    "synthetic_变化": "OFTReal",
    "synthetic_经度": "OFTString",
    "synthetic_编号": "OFTString",
    "县名": "OFTString",
}


def _csv_bytes() -> bytes:
    lines = [",".join(COLUMNS), *(",".join(r) for r in ROWS), "资料来源：synthetic 统计年鉴,,,,,,"]
    return ("\n".join(lines) + "\n").encode("gbk")


def _text(value) -> str:
    """A read-back cell as the text it stands for ('' for a blank)."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    if isinstance(value, float):
        return number_text(value)
    return str(value)


def _expected() -> dict[str, list[str]]:
    return {c: [r[i] for r in ROWS] for i, c in enumerate(COLUMNS)}


@pytest.fixture(scope="module")
def matched():
    gazetteer = match.load_gazetteer()
    table = read_upload(_csv_bytes(), "synthetic_gbk_footer.csv")
    assert [n.code for n in table.notices] == ["note_rows"]  # the footer is set aside, not a row
    result = match.match_table(table.frame, match.guess_roles(table.frame), gazetteer)
    return result, match.provenance_of("synthetic_gbk_footer.csv", _csv_bytes())


@pytest.fixture(scope="module")
def boundaries():
    return gpd.read_parquet(Path("geodata/counties.parquet"), columns=["code", "name_zh", "name_en", "geometry"])


def _read_back(data: bytes, file_format: str, tmp_path: Path, layer: str) -> pd.DataFrame:
    if file_format == "geojson":
        features = json.loads(data)["features"]
        return pd.DataFrame([f["properties"] for f in features])
    if file_format == "csv":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert {"metadata.json", "sources.csv", f"{layer}.csv"} <= set(archive.namelist())
            text = archive.read(f"{layer}.csv").decode("utf-8-sig")
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    path = tmp_path / "back.gpkg"
    path.write_bytes(data)
    info = pyogrio.read_info(path, layer=layer)
    types = dict(zip(info["fields"], info["ogr_types"]))
    assert {c: types[c] for c in TYPES} == TYPES  # whole numbers Integer64, never Real
    with sqlite3.connect(path) as db:  # the stored values, as GDAL wrote them
        return pd.read_sql(f'SELECT * FROM "{layer}"', db)


@pytest.mark.parametrize("file_format", match.FILE_FORMATS)
def test_every_column_kind_round_trips_through_the_page_export(matched, boundaries, file_format, tmp_path) -> None:
    result, provenance = matched
    data = match.export_joined(result, provenance, boundaries, file_format)
    back = _read_back(data, file_format, tmp_path, "synthetic_gbk_footer_joined")
    assert back["input_row"].map(_text).tolist() == ["1", "2", "3", "4", "5"]
    for column, cells in _expected().items():
        assert back[column].map(_text).tolist() == cells, (file_format, column)
    assert [c for c in back.columns if c not in ("fid", "geom")][:8] == list(match.JOINED_COLUMNS)
    assert back["candidates"].map(_text).tolist()[:4] == ["", "", "", ""]


def test_the_command_writes_what_the_page_writes(matched, boundaries, tmp_path) -> None:
    result, provenance = matched
    source = tmp_path / "synthetic_gbk_footer.csv"
    source.write_bytes(_csv_bytes())
    for suffix, file_format in ((".geojson", "geojson"), (".zip", "csv"), (".gpkg", "gpkg")):
        out = tmp_path / f"synthetic_out{suffix}"
        assert match.main([str(source), "--out", str(out)]) == 0
        page = _read_back(
            match.export_joined(result, provenance, boundaries, file_format),
            file_format,
            tmp_path,
            "synthetic_gbk_footer_joined",
        )
        command = _read_back(out.read_bytes(), file_format, tmp_path, "synthetic_gbk_footer_joined")
        pd.testing.assert_frame_equal(
            page.drop(columns=["fid"], errors="ignore"), command.drop(columns=["fid"], errors="ignore")
        )
    meta = json.loads((tmp_path / "synthetic_out.geojson").read_text(encoding="utf-8"))["metadata"]
    assert meta["user_supplied"]["file_name"] == "synthetic_gbk_footer.csv"
    assert [a["name"] for a in meta["attributes"]][:8] == list(match.JOINED_COLUMNS)
    plain = tmp_path / "synthetic_out.csv"
    assert match.main([str(source), "--out", str(plain)]) == 0
    assert plain.read_text(encoding="utf-8-sig").splitlines()[1].endswith(",2009,1084,-3.25,117.780670,0012")


def test_a_panel_exports_wide_and_long(matched, boundaries, tmp_path) -> None:
    result, provenance = matched
    wide = json.loads(match.export_joined(result, provenance, boundaries, "geojson", "wide"))
    by_code = {f["properties"]["boundary_code"]: f["properties"] for f in wide["features"]}
    assert set(by_code) == {"140829", "140830", "140828"}  # one feature per county
    assert by_code["140828"]["synthetic_收入_2010"] == 1200 and by_code["140828"]["synthetic_收入_2011"] == -7
    assert "synthetic_收入_2009" not in by_code["140830"]  # an empty year is left out, not null
    assert by_code["140829"]["synthetic_经度_2009"] == "117.780670"
    assert wide["metadata"]["rows_not_on_a_polygon"] == [5]
    path = tmp_path / "long.gpkg"
    path.write_bytes(match.export_joined(result, provenance, boundaries, "gpkg", "long"))
    layers = dict(pyogrio.list_layers(path))
    assert layers["counties"] == "MultiPolygon" and layers["synthetic_gbk_footer_joined"] is None
    counties = pyogrio.read_dataframe(path, layer="counties")
    assert sorted(counties["boundary_code"]) == ["140828", "140829", "140830"]  # each polygon once
    with sqlite3.connect(path) as db:
        table = pd.read_sql('SELECT * FROM "synthetic_gbk_footer_joined"', db)
    assert len(table) == 5 and table["synthetic_经度"].tolist()[3] == "120.10"
    with zipfile.ZipFile(io.BytesIO(match.export_joined(result, provenance, boundaries, "csv", "long"))) as z:
        assert "counties.geojson" in z.namelist()
        assert len(json.loads(z.read("counties.geojson"))["features"]) == 3


def test_joined_table_keeps_blanks_of_whole_numbers(matched) -> None:
    table = joined_table(matched[0].rows)
    assert str(table["synthetic_收入"].dtype) == "Int64" and table["synthetic_收入"].isna().tolist()[1]
