"""A user's table on the map: its values classed by year, the view that fits it, the overlays."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from atlas import layers
from atlas.classes import NODATA, classed_labels, classify, readable_numbers
from atlas.colours import NODATA_RGBA, RGBA, layer_palette, sequential
from atlas.county_map import HIDDEN, MapInputs, MapModel, base_layers, county_layers
from atlas.i18n import Lang, t
from atlas.imported.columns import is_year_column
from atlas.imported.rows import located
from loaders.geo_io import bounds_view
from loaders.geometry import LevelOfDetail

IMPORT_LAYER_ID = "imported"


MULTIPLE = "multiple"  # class of a polygon that several input rows landed on (merged units)


OTHER = "other"


MAX_CATEGORIES = 10


OVERLAY_LINE: RGBA = (70, 70, 70, 150)


AREA_LINE: RGBA = (0, 90, 160, 255)


MULTIPLE_RGBA: RGBA = (120, 120, 200, 230)


METHOD_LABELS = {"unique values": "method_unique", "natural breaks (Fisher–Jenks)": "method_jenks"}  # atlas.classes


def rows_by_year(rows: pd.DataFrame, year_column: str | None) -> dict[int, pd.DataFrame]:
    """The rows on the map split by (whole) year, once: a year step then only picks one."""
    if not year_column or year_column not in rows:
        return {}
    on_map = located(rows)
    years = pd.to_numeric(on_map[year_column].astype("string").str.strip(), errors="coerce")
    whole = years[years.notna() & (years == years.round())].astype(int)
    return {int(year): on_map.loc[group.index] for year, group in whole.groupby(whole, sort=True)}


def years_of(rows: pd.DataFrame, year_column: str | None) -> list[int]:
    return sorted(rows_by_year(rows, year_column))


@dataclass(frozen=True)
class ValueClasses:
    """How one imported column is coloured: keys per row, legend items and a note (the method)."""

    keys: pd.Series  # per input row (index of rows)
    palette: dict[str, RGBA]
    legend: list[tuple[str, RGBA]]
    note: str


def value_classes(
    rows: pd.DataFrame, column: str, numbers: pd.Series | None, lang: Lang, contrast: bool = False
) -> ValueClasses:
    """Numeric columns: classes over every year at once (so colours compare through time).
    Text columns: the most frequent categories, the rest as 'other'. Empty cells: no data."""
    no_data = t("no_data", lang)
    if numbers is not None:
        classed = classify(numbers.loc[located(rows).index])  # the values that are on the map
        ramp = sequential(len(classed.bins), contrast) if classed.bins else []
        palette = {str(i): c for i, c in enumerate(ramp)} | {NODATA: NODATA_RGBA, MULTIPLE: MULTIPLE_RGBA}
        grouped = not is_year_column(column, numbers)  # a year reads 2016, not 2,016
        labels = (
            readable_numbers(classed.bins, grouped)
            if classed.method == "unique values"
            else classed_labels(classed, None, grouped)
        )
        legend = list(zip(labels, ramp)) + [(no_data, NODATA_RGBA)]
        method = t(METHOD_LABELS.get(classed.method, "no_data"), lang)
        return ValueClasses(classed.keys, palette, legend, t("import_class_method", lang, method=method))
    text = rows[column].astype("string").str.strip().replace("", pd.NA)
    top = text.value_counts().head(MAX_CATEGORIES).index.tolist()
    colours = list(layer_palette("area", contrast).values())[:MAX_CATEGORIES]
    palette = {str(c): colour for c, colour in zip(top, colours)} | {
        OTHER: (90, 90, 90, 230),
        NODATA: NODATA_RGBA,
        MULTIPLE: MULTIPLE_RGBA,
    }
    keys = text.map(lambda v: NODATA if pd.isna(v) else (str(v) if v in top else OTHER)).astype(object)
    legend = [(str(c), palette[str(c)]) for c in top]
    if (keys == OTHER).any():
        legend.append((t("import_other", lang), palette[OTHER]))
    legend.append((no_data, NODATA_RGBA))
    return ValueClasses(keys, palette, legend, t("import_categories", lang))


LISTED_RGBA: RGBA = (142, 68, 173, 230)


def listed_classes(rows: pd.DataFrame, lang: Lang) -> ValueClasses:
    """A plain list (no value column): every listed county in one colour."""
    keys = pd.Series("listed", index=rows.index, dtype=object)
    palette = {"listed": LISTED_RGBA, MULTIPLE: MULTIPLE_RGBA, NODATA: NODATA_RGBA}
    return ValueClasses(keys, palette, [(t("import_listed", lang), LISTED_RGBA)], "")


FIT_PX = (620, 520)  # a little smaller than the map column, so matched counties keep a margin


def fit_view(
    counties: pd.DataFrame, codes: Iterable[str], fallback: tuple[float, float, float]
) -> tuple[float, float, float]:
    """A view fitting the polygons of `codes` in the import map (no closer than a prefecture)."""
    chosen = counties[counties["code"].isin(set(codes))]
    if chosen.empty:
        return fallback
    fitted = bounds_view(chosen, width=FIT_PX[0], height=FIT_PX[1], max_zoom=8.0)
    return fitted["latitude"], fitted["longitude"], fitted["zoom"]


@dataclass(frozen=True)
class MapContext:
    """Optional overlays for context: the 832 poverty counties and the area / 三区三州 outlines."""

    poverty_codes: Sequence[str] = ()
    outlines: LevelOfDetail | None = None
    outline_ids: Sequence[str] = ()


@dataclass(frozen=True)
class ClassedCounties:
    """An imported column classed on its polygons, as the web map and the map images draw it."""

    key_of: dict[str, str]  # polygon code -> class key (ValueClasses.palette)
    labels: dict[str, list[str]]  # tooltip value -> codes (layers.value_css)
    legend: list[tuple[str, RGBA]]
    title: str  # the legend's: the column and its year


def classed_counties(
    rows: pd.DataFrame, column: str, classes: ValueClasses, year_column: str | None, year: int | None, lang: Lang
) -> ClassedCounties:
    """Each polygon's class of the column (for `year`, as map_model), its tooltip values and the legend."""
    shown = located(rows)
    if year_column and year is not None:
        shown = rows_by_year(rows, year_column).get(year, shown.iloc[:0])
    by_code: dict[str, list[tuple[str, str]]] = {}
    for index, code, value in zip(shown.index, shown["boundary_code"], shown[column]):
        raw = "" if pd.isna(value) else str(value).strip()
        by_code.setdefault(str(code), []).append((classes.keys.get(index, NODATA), raw))
    key_of: dict[str, str] = {}
    labels: dict[str, list[str]] = {}
    for code, entries in by_code.items():
        key_of[code] = entries[0][0] if len(entries) == 1 else MULTIPLE
        values = "; ".join(raw or t("no_data", lang) for _, raw in entries)
        labels.setdefault(f"{column}{'' if year is None else f' {year}'}: {values}", []).append(code)
    legend = list(classes.legend)
    if any(len(entries) > 1 for entries in by_code.values()):
        legend.insert(-1, (t("import_multiple", lang), MULTIPLE_RGBA))
    return ClassedCounties(key_of, labels, legend, column if year is None else f"{column} · {year}")


def map_model(
    inputs: MapInputs,
    rows: pd.DataFrame,
    column: str,
    classes: ValueClasses,
    year_column: str | None,
    year: int | None,
    lang: Lang,
    view: tuple[float, float, float],
    context: MapContext = MapContext(),
    contrast: bool = False,
) -> MapModel:
    """The imported column on today's county polygons (for `year` when there is a year column; `rows`
    may be that year's rows already, from `rows_by_year`, with `year_column` None).

    A polygon that several input rows landed on (merged units) gets its own class and lists every
    value in its tooltip: adding them up could be wrong (rates), so no number is made up."""
    drawn = classed_counties(rows, column, classes, year_column, year, lang)
    deck_layers = [
        *county_layers(inputs, view, IMPORT_LAYER_ID, drawn.key_of, classes.palette),
        *base_layers(inputs, view, contrast),
    ]
    if context.poverty_codes:
        wanted = set(context.poverty_codes)
        coarse = inputs.counties.coarse
        lines = layers.class_colours([1 if c in wanted else 0 for c in coarse.codes], [HIDDEN, OVERLAY_LINE])
        deck_layers.append(layers.static_layer("poverty_outline", coarse, None, lines, 0.9))
    if context.outlines is not None and context.outline_ids:
        picked = context.outlines.pick(context.outline_ids, view)
        deck_layers.append(layers.outline_layer("area_outline", picked.values(), AREA_LINE, 2.2))
    return MapModel(deck_layers, drawn.legend, drawn.title, layers.value_css(drawn.labels))


def county_values(
    rows: pd.DataFrame, code: str, roles_values: Sequence[str], year_column: str | None
) -> list[tuple[str, str]]:
    """(label, value) of every imported value on county `code`, for the facts panel."""
    mine = located(rows)
    mine = mine[mine["boundary_code"].astype("string") == code]
    out: list[tuple[str, str]] = []
    for _, row in mine.iterrows():
        year = f" {row[year_column]}" if year_column and year_column in row and not pd.isna(row[year_column]) else ""
        for column in roles_values:
            value = row.get(column)
            if value is not None and not pd.isna(value) and str(value).strip():
                out.append((f"{column}{year}", str(value).strip()))
    return out
