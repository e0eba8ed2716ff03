from __future__ import annotations

import json

import geopandas as gpd
from shapely.geometry import Polygon

from atlas import layers
from atlas.legend import anchor, escape_markdown, legend_html, sources_markdown
from loaders import geometry

HOSTILE = '<img src=x onerror="alert(1)">&'


def test_geometry_index_rounds_coordinates() -> None:
    gdf = gpd.GeoDataFrame(
        {"code": ["110101"]},
        geometry=[Polygon([(116.123456, 39.987654), (116.2, 39.9), (116.3, 40.0123456)])],
        crs=4326,
    )
    geom = geometry.geometry_index(gdf, digits=3)["110101"]
    flat = json.dumps(geom)
    assert "116.123" in flat and "116.1234" not in flat and "39.988" in flat


def test_tooltip_properties_are_html_escaped() -> None:
    props = layers.tooltip_properties(HOSTILE, HOSTILE, HOSTILE, (1, 2, 3, 4), "110101")
    for key in ("n", "p", "v"):
        assert "<" not in props[key] and "&lt;img" in props[key]
    assert props["f"] == [1, 2, 3, 4] and props["c"] == "110101"


def test_features_skip_codes_without_geometry_and_carry_only_given_properties() -> None:
    geoms = {"1": {"type": "Point", "coordinates": [0, 0]}}
    feats = layers.features(["1", "2"], geoms, {"1": {"n": "a"}, "2": {"n": "b"}})
    assert len(feats) == 1 and feats[0]["properties"] == {"n": "a"}


def test_selected_feature_reads_a_pydeck_selection_and_ignores_junk() -> None:
    class Event:
        selection = {"objects": {"poverty": [{"properties": {"c": "513401", "n": "x"}}]}}

    class Junk:
        selection = {"objects": {"poverty": [{"properties": {"c": "<script>"}}]}}

    assert layers.selected_feature(Event(), "poverty") == ("poverty", "513401")
    assert layers.selected_feature(Junk(), "poverty") is None
    assert layers.selected_feature(None, "poverty") is None
    assert layers.selected_feature(Event(), "other") is None
    # The selection as kept in session state (a mapping), on a detail layer "poverty-510000".
    state = {
        "selection": {
            "indices": {"poverty-510000": [3]},
            "objects": {"poverty-510000": [{"properties": {"c": "513401"}}]},
        }
    }
    assert layers.selected_feature(state, "poverty") == ("poverty-510000", "513401")


def test_legend_escapes_labels_and_has_every_entry() -> None:
    out = legend_html(HOSTILE, [(HOSTILE, (1, 2, 3, 255)), ("无数据", (189, 189, 189, 200))], note=HOSTILE)
    assert "<img" not in out and out.count("&lt;img") == 3
    assert "无数据" in out and "rgba(1,2,3,1.00)" in out


def test_sources_markdown_links_each_id_once_and_escapes_citations() -> None:
    text = sources_markdown(["a-1", "a-1", "b"], {"a-1": "[click](javascript:alert(1))", "b": "*bold*"}, "Sources: ")
    assert text.count("(./sources?source=a-1)") == 1
    assert "\\[click\\]\\(javascript" in text and "\\*bold\\*" in text


def test_anchor_and_markdown_escape_are_inert() -> None:
    assert anchor('x"><script>') == "src-x---script-"
    assert escape_markdown("<b>**x**</b>") == "\\<b\\>\\*\\*x\\*\\*\\</b\\>"


def test_layer_payload_has_no_unescaped_markup() -> None:
    geoms = {"1": {"type": "Point", "coordinates": [0, 0]}}
    props = {"1": layers.tooltip_properties(HOSTILE, "p", "v")}
    deck = layers.deck(
        [layers.choropleth_layer("ctx", layers.features(["1"], geoms, props))], (30, 100, 4), basemap=False
    )
    spec = json.loads(deck.to_json())
    assert "<img" not in deck.to_json()
    # Offline by default: no tile provider, and the style Streamlit reads as "no basemap".
    assert spec.get("mapProvider") is None and spec["mapStyle"] == layers.NO_BASEMAP_STYLE
    assert "cartocdn" in layers.deck([], (30, 100, 4), basemap=True).to_json()


def test_layer_props_carry_no_accidental_accessor_strings() -> None:
    """pydeck turns any string prop into an '@@=' expression; only real accessors may be strings."""
    geoms = {"1": {"type": "Point", "coordinates": [0, 0]}}
    feats = layers.features(["1"], geoms, {"1": layers.tooltip_properties("a", "b", "c", (1, 2, 3, 4), "110101")})
    built = [layers.choropleth_layer("c", feats), layers.outline_layer("o", geoms.values(), (1, 2, 3, 255), 2.0)]
    spec = json.loads(layers.deck(built, (30, 100, 4), basemap=False).to_json())
    for layer in spec["layers"]:
        expressions = {k: v for k, v in layer.items() if isinstance(v, str) and v.startswith("@@=")}
        assert set(expressions.values()) <= {"@@=properties.f"}, expressions


def test_class_colours_carry_one_digit_per_feature_and_tens_past_ten_colours() -> None:
    small = layers.class_colours([0, 2, 1], [(1, 1, 1, 1), (2, 2, 2, 2), (3, 3, 3, 3)])
    assert small == '([[1,1,1,1],[2,2,2,2],[3,3,3,3]])[("021")[properties.i]]'
    palette = [(k, k, k, 255) for k in range(12)]
    big = layers.class_colours([11, 3, 10], palette)
    assert '("101")[properties.i]*10+("130")[properties.i]*1' in big


def test_value_css_escapes_labels_and_ignores_odd_codes() -> None:
    css = layers.value_css({HOSTILE + '"}body{x:"': ["510000", "<b>"], "无数据": ["110101"]})
    assert css.startswith("<style>") and css.endswith("</style>") and css.count("<") == 2
    assert ".av510000::after{" in css and "<b>" not in css and '"无数据"' in css


def test_two_maps_on_one_page_read_their_tooltip_values_from_their_own_classes() -> None:
    """Side by side, the right map's tooltip must not show the left map's value (another year)."""
    left, right = layers.value_css({"2015": ["513401"]}), layers.value_css({"2019": ["513401"]}, "bv")
    assert ".av513401::after" in left and ".bv513401::after" in right and ".av" not in right
    assert 'class="bv{c}"' in layers.name_tooltip("zh", "bv")["html"]
    assert 'class="av{c}"' in layers.name_tooltip("en")["html"]
