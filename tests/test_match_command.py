"""The command (`python -m loaders.match`) and `match_file` end to end: a file in, CSV, GeoJSON or GeoPackage out,
every row kept."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from geojson_check import rfc7946_errors

from benchmarks.common import ROOT
from loaders import match


@pytest.fixture
def synthetic_input_gbk(tmp_path) -> Path:
    """A GBK-encoded export with a title line, a total row, a formula and HTML in cells."""
    text = (
        "synthetic 2014年 贫困县名单\n"
        "省份,县名,代码,synthetic_人口\n"
        '四川省,康定县,513321,"1,200"\n'
        "广西壮族自治区,三江县,,=1+1\n"
        ",城关区,,<b>3</b>\n"
        "青海省,冷湖行委,,4\n"
        "四川省,平五县,,5\n"
        "合计,,,10\n"
    )
    path = tmp_path / "synthetic_input.csv"
    path.write_bytes(text.encode("gbk"))
    return path


def test_command_writes_csv_with_every_row(synthetic_input_gbk, tmp_path):
    out = tmp_path / "synthetic_out.csv"
    proc = subprocess.run(
        [sys.executable, "-m", "loaders.match", str(synthetic_input_gbk), "--out", str(out)],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "5 rows: matched 1, renamed 1, merged 1, ambiguous 1, not_found 1; match rate 60.0%" in proc.stdout
    assert "540102 城关区 (西藏自治区 拉萨市); 620102 城关区 (甘肃省 兰州市)" in proc.stdout
    assert "510727 平武县" in proc.stdout
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(table["县名"]) == ["康定县", "三江县", "城关区", "冷湖行委", "平五县"]
    assert list(table["boundary_code"]) == ["513301", "450226", "", "632803", ""]
    assert list(table["match_status"]) == ["renamed", "matched", "ambiguous", "merged", "not_found"]
    assert table.loc[1, "synthetic_人口"] == "'=1+1"  # formula neutralised
    assert table.loc[2, "synthetic_人口"] == "<b>3</b>"  # kept as text; markup is the viewer's concern
    assert table.loc[2, "candidates"] == "540102; 620102"


def test_command_writes_geojson_with_null_geometry_for_unmatched(synthetic_input_gbk, tmp_path, capsys):
    out = tmp_path / "synthetic_out.geojson"
    assert (
        match.main([str(synthetic_input_gbk), "--name-col", "县名", "--province-col", "省份", "--out", str(out)]) == 0
    )
    assert "match rate 60.0%" in capsys.readouterr().out
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert len(features) == 5
    by_name = {f["properties"]["县名"]: f for f in features}
    assert by_name["康定县"]["properties"]["boundary_code"] == "513301"
    assert by_name["康定县"]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert by_name["平五县"]["geometry"] is None and by_name["城关区"]["geometry"] is None
    assert by_name["平五县"]["properties"]["match_status"] == "not_found"


def test_geopackage_output_keeps_every_row(gazetteer, tmp_path):
    import pyogrio

    frame = pd.DataFrame({"县": ["康定县", "synthetic_无此县"], "geometry": ["input text", "kept"]})
    result = match.match_table(frame, match.ColumnRoles(name="县"), gazetteer)
    out = tmp_path / "synthetic.gpkg"
    match.write_result(result, out)
    back = pyogrio.read_dataframe(out, layer="DataFrame_joined")  # the page's shape: input_row, input_geometry
    assert list(back["boundary_code"].fillna("")) == ["513301", ""] and list(back["input_row"]) == [1, 2]
    assert list(back["input_geometry"]) == ["input text", "kept"]
    assert back.geometry.iloc[0] is not None and back.geometry.iloc[1] is None


def test_command_refuses_unknown_column_and_bad_file(synthetic_input_gbk, tmp_path, capsys):
    assert match.main([str(synthetic_input_gbk), "--name-col", "nope", "--out", str(tmp_path / "o.csv")]) == 2
    assert "no column 'nope'" in capsys.readouterr().err
    empty = tmp_path / "synthetic_empty.csv"
    empty.write_bytes(b"")
    assert match.main([str(empty), "--out", str(tmp_path / "o.csv")]) == 2
    assert "empty" in capsys.readouterr().err
    assert not (tmp_path / "o.csv").exists()


def test_match_file_for_notebooks(synthetic_input_gbk):
    result = match.match_file(synthetic_input_gbk, name_col="县名", province_col="省份", code_col="代码")
    assert result.roles.values == ("synthetic_人口",)
    assert result.summary()["total"] == 5
    assert list(result.rows["boundary_code"].fillna("")) == ["513301", "450226", "", "632803", ""]
    frame = pd.DataFrame({"county": ["康定县", "三江县"], "province": ["四川", "广西"]})
    assert list(match.match_file(frame).rows["boundary_code"]) == ["513301", "450226"]


def test_command_drops_a_guessed_column(tmp_path, capsys):
    table = tmp_path / "synthetic_levels.csv"
    table.write_text("省份,城市,县名,值\n四川省,synthetic_错,平武县,-5.2\n四川省,synthetic_错,北川县,3\n", "utf-8")
    out = tmp_path / "o.geojson"
    assert match.main([str(table), "--prefecture-col", "", "--out", str(out)]) == 0
    assert "prefecture=None" in capsys.readouterr().out
    collection = json.loads(out.read_text("utf-8"))
    assert rfc7946_errors(collection) == []  # counter-clockwise rings, no crs member
    props = [f["properties"] for f in collection["features"]]
    assert [p["boundary_code"] for p in props] == ["510727", "510726"]
    assert [p["值"] for p in props] == [-5.2, 3.0]  # numbers stay numbers


def test_the_command_sets_totals_aside(tmp_path, capsys):
    source = tmp_path / "synthetic_totals.csv"
    source.write_text("代码,地区,synthetic_人口\n100000,全国,40\n510727,平武县,17\n510726,北川羌族自治县,23\n")
    result = match.match_file(source)
    assert result.set_aside == (1,) and result.rows["row"].tolist() == [2, 3]
    assert match.main([str(source), "--out", str(tmp_path / "o.geojson")]) == 0
    assert "set aside as totals" in capsys.readouterr().out


def test_the_command_sets_prefecture_subtotals_aside(tmp_path, capsys):
    source = tmp_path / "synthetic_subtotals.csv"
    source.write_text(
        "县名,synthetic_人口\n凉山彝族自治州,40\n西昌市,17\n昭觉县,23\n凉山州小计,40\n哈密市,5\n",
        encoding="utf-8",
    )
    result = match.match_file(source)
    assert result.set_aside == (1, 4) and result.rows["row"].tolist() == [2, 3, 5]
    assert result.rows["boundary_code"].tolist()[:2] == ["513401", "513431"]
    assert match.main([str(source), "--out", str(tmp_path / "o.geojson")]) == 0
    assert "set aside as totals" in capsys.readouterr().out
