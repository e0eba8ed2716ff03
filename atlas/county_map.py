"""The county map as data: which features, which colours, which legend. No Streamlit here."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import pydeck as pdk

from atlas import layers
from atlas.lod import LevelOfDetail
from atlas.classes import NODATA, class_label, layer_classes, layer_keys
from atlas.colors import RGBA, layer_palette
from atlas.i18n import Lang, pick_name, t

POVERTY_LAYER_ID = "poverty"
CONTEXT_LAYER_ID = "context"
LAYER_TITLES = {
    "status": "layer_status", "exit": "layer_exit", "area": "layer_area",
    "sqsz": "layer_sqsz", "key": "layer_key", "deep": "layer_deep",
}


@dataclass(frozen=True)
class MapInputs:
    """What the map needs, prepared once per process (see atlas.ui)."""

    boundaries: pd.DataFrame  # every county: code, name_zh, name_en, province_code
    counties: LevelOfDetail
    provinces: LevelOfDetail
    country: LevelOfDetail
    province_names: Mapping[str, tuple[str, str]]  # code -> (zh, en)
    area_names: Mapping[str, tuple[str, str]]  # area id -> (zh, en)


@dataclass(frozen=True)
class MapModel:
    layers: list[pdk.Layer]
    legend: list[tuple[str, RGBA]]
    title: str


def area_labels(inputs: MapInputs, lang: Lang) -> dict[str, str]:
    return {k: (zh if lang == "zh" else en or zh) for k, (zh, en) in inputs.area_names.items()}


def province_label(inputs: MapInputs, code: str, lang: Lang) -> str:
    zh, en = inputs.province_names.get(code, ("", ""))
    return zh if lang == "zh" else en or zh


def build(
    inputs: MapInputs,
    selected: pd.DataFrame,
    layer: str,
    year: int,
    lang: Lang,
    view: tuple[float, float, float],
    contrast: bool = False,
    highlight: str | None = None,
) -> MapModel:
    """Layers for the poverty counties in `selected`, every other county as quiet context."""
    palette = layer_palette(layer, contrast)
    area_names = area_labels(inputs, lang)
    classes = layer_classes(selected, layer, year)
    codes = selected["code"].tolist()
    props: dict[str, dict] = {}
    for code, key, name_zh, name_en, province in zip(
        codes, classes, selected["name_zh"], selected["name_en"], selected["province_code"]
    ):
        label = class_label(layer, key, lang, area_names)
        props.setdefault(code, layers.tooltip_properties(
            pick_name(name_zh, name_en, lang), province_label(inputs, province, lang), label, palette[key], code))
    chosen = set(props)
    context_codes = [c for c in inputs.boundaries["code"] if c not in chosen]
    geoms = inputs.counties.pick(inputs.boundaries["code"], view)
    deck_layers = [
        layers.context_layer(CONTEXT_LAYER_ID, layers.features(context_codes, geoms, dict.fromkeys(context_codes, {}))),
        layers.choropleth_layer(POVERTY_LAYER_ID, layers.features(props, geoms, props)),
        *base_layers(inputs, view, contrast),
        *layers.highlight_layer(inputs.counties.detailed.get(highlight) if highlight else None),
    ]
    present_keys = set(classes)
    legend = [
        (class_label(layer, key, lang, area_names), palette[key])
        for key in layer_keys(layer)
        if key in present_keys or key == NODATA or layer != "area"
    ]
    return MapModel(deck_layers, legend, t(LAYER_TITLES[layer], lang))


def base_layers(inputs: MapInputs, view: tuple[float, float, float], contrast: bool) -> list[pdk.Layer]:
    """Province and country outlines at the detail `view` needs."""
    return layers.base_outlines(inputs.provinces.pick(inputs.provinces.coarse, view),
                                inputs.country.pick(inputs.country.coarse, view), contrast)
