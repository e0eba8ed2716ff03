"""Static map geometry: the committed files are the build's output, and a rerun sends colours, not geometry."""

from __future__ import annotations

import hashlib
import json

import pytest

from atlas import county_map, lod
from loaders.build import web_layers
from loaders.data import load_atlas, with_boundary_attributes

FOLDER = web_layers.STATIC_GEO


def test_static_geometry_files_are_the_builds_output() -> None:
    built = web_layers.build()
    on_disk = {p.name for p in FOLDER.glob("*.json")}
    assert on_disk == set(built), "run: python -m loaders.build.web_layers"
    manifest = json.loads((FOLDER / web_layers.MANIFEST).read_text(encoding="utf-8"))
    for name, content in built.items():
        committed = (FOLDER / name).read_bytes()
        assert committed == content, f"{name} differs from the build; run: python -m loaders.build.web_layers"
        if name != web_layers.MANIFEST:
            assert manifest[name]["sha256"] == hashlib.sha256(committed).hexdigest()


def test_static_files_hold_geometry_ids_and_names_only() -> None:
    collection = json.loads((FOLDER / "counties.json").read_text(encoding="utf-8"))
    keys = {k for f in collection["features"] for k in f["properties"]}
    assert keys == {"i", "c", "nz", "ne", "pz", "pe"}  # no class, colour or poverty attribute
    assert [f["properties"]["i"] for f in collection["features"]] == list(range(len(collection["features"])))


@pytest.fixture(scope="module")
def inputs_and_poverty():
    data = load_atlas()
    web = lod.web_layers(FOLDER, data.provinces)
    inputs = county_map.MapInputs(
        boundaries=data.counties[["code", "name_zh", "name_en", "province_code"]],
        counties=web["counties"],
        provinces=web["provinces"],
        country=web["country"],
        shapes=dict(zip(data.counties["code"], data.counties.geometry)),
        province_names={},
        area_names={},
    )
    return inputs, with_boundary_attributes(data.poverty, data.counties)


def _spec(model: county_map.MapModel) -> str:
    from atlas.layers import deck

    return deck(model.layers, (35.0, 104.0, 2.75), False).to_json()


def test_a_year_step_sends_colours_not_geometry(inputs_and_poverty) -> None:
    inputs, poverty = inputs_and_poverty
    before = _spec(county_map.build(inputs, poverty, "status", 2016, "zh", (35.0, 104.0, 2.75)))
    after = _spec(county_map.build(inputs, poverty, "status", 2019, "zh", (35.0, 104.0, 2.75)))
    assert before != after
    for spec in (before, after):
        assert '"coordinates"' not in spec and len(spec) < 20_000
        assert "app/static/geo/counties.json?v=" in spec


def test_colours_follow_the_session_table_not_the_files(inputs_and_poverty) -> None:
    """An imported membership list changes the session's table; the colours must follow it."""
    inputs, poverty = inputs_and_poverty
    changed = poverty.assign(deep_poverty=~poverty["deep_poverty"].fillna(False).astype(bool))
    assert _spec(county_map.build(inputs, poverty, "deep", 2020, "zh", (35.0, 104.0, 2.75))) != _spec(
        county_map.build(inputs, changed, "deep", 2020, "zh", (35.0, 104.0, 2.75))
    )


def test_a_zoomed_view_draws_its_provinces_in_detail_and_hides_them_in_the_coarse_layer(inputs_and_poverty) -> None:
    inputs, poverty = inputs_and_poverty
    sichuan = poverty[poverty["province_code"] == "510000"]
    spec = json.loads(
        _spec(county_map.build(inputs, sichuan, "status", 2018, "zh", (30.5, 102.5, 5.6), highlight="513401"))
    )
    urls = [layer["data"] for layer in spec["layers"] if isinstance(layer.get("data"), str)]
    assert any("counties-510000.json" in u for u in urls) and any("provinces-detail.json" in u for u in urls)
    ids = [layer["id"] for layer in spec["layers"]]
    assert "selected" in ids and ids[0].startswith(county_map.POVERTY_LAYER_ID + "~")
