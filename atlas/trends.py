"""The series (incidence, funds, relocation) in one long shape for maps and line charts.

A missing value is a missing row: nothing here fills, carries forward or
interpolates. Line charts get an explicit null where a year is missing, so
the line breaks instead of bridging the gap.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import altair as alt
import pandas as pd
import pydeck as pdk

from atlas import layers
from atlas.charts import described
from atlas.classes import NODATA, classed_labels, classify
from atlas.colours import NODATA_RGBA, RGBA, sequential
from atlas.i18n import Lang, joined, t
from loaders.geometry import Geometry

# Finest first: the map shows the finest level with data for the chosen time.
LEVEL_ORDER = ("county", "prefecture", "province", "area", "group", "national")
MAPPABLE = {"county": "counties", "prefecture": "prefectures", "province": "provinces", "area": "areas"}

# The groups of the series with a name in the catalogue (else their Chinese name is shown).
GROUP_NAME_KEYS = {
    "sanqu_sanzhou": "sanqu_sanzhou",
    "ethnic_8_provinces": "group_ethnic_8_provinces",
    "region_central": "group_region_central",
    "region_east": "group_region_east",
    "region_west": "group_region_west",
    "sichuan_zangqu": "group_sichuan_zangqu",
}


def level_label(level: str, lang: Lang) -> str:
    """A series level (loaders.schema.SERIES_LEVELS) as the reader reads it."""
    keys = {
        "national": "level_national",
        "province": "level_province",
        "prefecture": "level_prefecture",
        "area": "level_area",
        "group": "level_group",
        "county": "level_county",
    }
    return t(keys[level], lang) if level in keys else level


@dataclass(frozen=True)
class Measure:
    key: str
    theme: str
    column: str
    unit_en: str
    unit_zh: str
    label_en: str
    label_zh: str


MEASURES = {
    m.key: m
    for m in (
        Measure("incidence_pct", "incidence", "incidence_pct", "%", "%", "Poverty incidence", "贫困发生率"),
        Measure(
            "poor_population_10k",
            "incidence",
            "poor_population_10k",
            "10,000 persons",
            "万人",
            "Rural poor population",
            "农村贫困人口",
        ),
        Measure("amount_100m_yuan", "funds", "amount_100m_yuan", "100 million yuan", "亿元", "Amount", "金额"),
        Measure("value", "relocation", "value", "", "", "Value", "数值"),
    )
}


def theme_measures(theme: str) -> list[str]:
    return [k for k, m in MEASURES.items() if m.theme == theme]


def long_frame(series: pd.DataFrame, theme: str, measure: str, variant: str | None = None) -> pd.DataFrame:
    """Columns: level, unit_code, unit_name_zh, time, value, unit, source_id, notes.

    `variant` picks the poverty line (incidence), the fund type (funds) or the
    relocation measure (relocation).
    """
    frame = series
    if theme == "incidence" and variant:
        frame = frame[frame["standard"] == variant]
    if theme == "funds" and variant:
        frame = frame[frame["fund_type"] == variant]
    if theme == "relocation" and variant:
        frame = frame[frame["measure"] == variant]
    column = MEASURES[measure].column
    time = frame["period"].astype(str) if theme == "relocation" else frame["year"].astype("Int64").astype(str)
    unit = frame["unit"] if theme == "relocation" else pd.Series(MEASURES[measure].unit_en, index=frame.index)
    out = pd.DataFrame(
        {
            "level": frame["level"],
            "unit_code": frame["unit_code"],
            "unit_name_zh": frame["unit_name_zh"],
            "time": time,
            "value": pd.to_numeric(frame[column], errors="coerce"),
            "unit": unit,
            "source_id": frame["source_id"],
            "notes": frame["notes"],
        }
    )
    return out[out["value"].notna()].reset_index(drop=True)


def variants(series: pd.DataFrame, theme: str) -> list[str]:
    if theme == "incidence":
        return series["standard"].value_counts().index.tolist()  # the most used line first
    if theme == "funds":
        return sorted(series["fund_type"].dropna().unique())
    if theme == "relocation":
        return sorted(series["measure"].dropna().unique())
    return []


def times(frame: pd.DataFrame) -> list[str]:
    return sorted(frame["time"].unique(), key=lambda s: (len(s), s))


def levels_of(frame: pd.DataFrame) -> list[str]:
    """Levels with a value at any time, finest first."""
    present = set(frame["level"])
    return [level for level in LEVEL_ORDER if level in present]


def level_times(frame: pd.DataFrame, level: str) -> list[str]:
    """The times at which `level` has values: what the year player walks through at that level."""
    return times(frame[frame["level"] == level])


COVERAGE_COLUMNS = ["measure", "variant", "level", "time", "units"]


def coverage_counts(series: pd.DataFrame, theme: str) -> pd.DataFrame:
    """How many units have a value, per measure, variant (None when the theme has none), level and
    time: what `opening` chooses from."""
    rows = []
    for measure in theme_measures(theme):
        for variant in variants(series, theme) or [None]:
            frame = long_frame(series, theme, measure, variant)
            counts = frame.groupby(["level", "time"])["unit_code"].nunique()
            rows += [(measure, variant, level, time, int(n)) for (level, time), n in counts.items()]
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)


def variants_of(counts: pd.DataFrame, measure: str, theme_variants: list[str]) -> list[str]:
    """The variants with a value for `measure`, in the theme's order: a choice that shows nothing is
    not offered."""
    have = set(counts.loc[counts["measure"] == measure, "variant"])
    return [v for v in theme_variants if v in have]


@dataclass(frozen=True)
class Opening:
    """The measure, variant, level and time Trends shows."""

    measure: str
    variant: str | None
    level: str
    time: str


def opening(
    counts: pd.DataFrame,
    measure: str | None = None,
    variant: str | None = None,
    level: str | None = None,
    year: int | None = None,
) -> Opening | None:
    """What Trends opens on. A value named (by the URL or a widget) is kept when the data have it
    (with the ones named before it, in this order); the rest is chosen from `coverage_counts`: a
    mappable level first (the map is the page's figure), then the most units with a value, then the
    latest time, then the finer level. None when the counts are empty."""
    chosen = counts
    for column, wanted in (("measure", measure), ("variant", variant), ("level", level), ("time", year)):
        if wanted is not None:
            narrowed = chosen[chosen[column] == str(wanted)] if column == "time" else chosen[chosen[column] == wanted]
            chosen = narrowed if not narrowed.empty else chosen
    if chosen.empty:
        return None
    order = {key: i for i, key in enumerate(dict.fromkeys(counts["measure"]))}
    variant_order = {key: i for i, key in enumerate(dict.fromkeys(counts["variant"]))}

    def rank(row: tuple) -> tuple:
        m, v, lvl, time, units = row
        return (lvl in MAPPABLE, units, (len(time), time), -LEVEL_ORDER.index(lvl), -order[m], -variant_order[v])

    best = max(chosen[COVERAGE_COLUMNS].itertuples(index=False, name=None), key=rank)
    return Opening(best[0], best[1], best[2], best[3])


def values_at(frame: pd.DataFrame, level: str, time: str) -> pd.DataFrame:
    return frame[(frame["level"] == level) & (frame["time"] == time)].reset_index(drop=True)


def unit_names(frame: pd.DataFrame, lang: Lang, places: Mapping[str, str]) -> dict[str, str]:
    """unit code -> name in the reader's language: the series' own Chinese names in Chinese; in English
    places (provinces, prefectures, areas) by code from `places`, groups and the nation from the UI
    strings, else the Chinese name."""
    rows = frame.drop_duplicates("unit_code")
    out = {}
    for code, level, zh in zip(rows["unit_code"], rows["level"], rows["unit_name_zh"]):
        if lang == "zh":
            out[code] = zh
        elif level == "national":
            out[code] = t("level_national", lang)
        elif level == "group":
            key = GROUP_NAME_KEYS.get(code)
            out[code] = t(key, lang) if key else zh
        else:
            out[code] = places.get(code, zh)
    return out


def line_data(
    frame: pd.DataFrame,
    level: str,
    units: list[str],
    with_national: bool = True,
    names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Series name × time grid for the chosen units (and the national line), nulls where missing;
    `names`: unit code -> series name (else the Chinese name)."""
    chosen = frame[(frame["level"] == level) & frame["unit_code"].isin(units)]
    if with_national and level != "national":
        chosen = pd.concat([chosen, frame[frame["level"] == "national"]])
    if chosen.empty:
        return chosen.assign(series=pd.Series(dtype=str))
    chosen = chosen.assign(
        series=[(names or {}).get(c, zh) for c, zh in zip(chosen["unit_code"], chosen["unit_name_zh"])]
    )
    grid = pd.MultiIndex.from_product([chosen["series"].unique(), times(frame)], names=["series", "time"])
    values = chosen.drop_duplicates(["series", "time"]).set_index(["series", "time"])["value"]
    return values.reindex(grid).reset_index()


def line_chart(
    lines: pd.DataFrame, x_title: str, y_title: str, by_year: bool, series_title: str, description: str
) -> alt.LayerChart:
    """The Trends line chart (Vega-Lite): every line named in the legend, however many (no label cut, one
    per row, beside the plot so a short chart keeps them), points on every value joined across missing
    years, and a line with a single value labelled with it and its year, so it reads without its tooltip.
    `description` (see `lines_description`) names it for screen readers; the tooltips say `series_title`,
    `x_title` and `y_title`, in the reader's language, not the columns' names."""
    x = alt.X("time:Q" if by_year else "time:O", title=x_title, axis=alt.Axis(format="d") if by_year else alt.Axis())
    legend = alt.Legend(orient="right", title=None, labelLimit=0, symbolLimit=0, columns=1)
    known = lines.dropna(subset=["value"])  # a line joins its values across the years the sources skip
    base = alt.Chart(known).encode(x=x, y=alt.Y("value:Q", title=y_title), color=alt.Color("series:N", legend=legend))
    tooltip = [
        alt.Tooltip("series:N", title=series_title),
        alt.Tooltip("time:Q" if by_year else "time:O", title=x_title),
        alt.Tooltip("value:Q", title=y_title),
    ]
    drawn = base.mark_line(point=True).encode(tooltip=tooltip)
    lone = known[known.groupby("series")["value"].transform("size") == 1]
    lone = lone.assign(text=[f"{v:,.4g} ({x})" for v, x in zip(lone["value"], lone["time"])])
    labels = alt.Chart(lone).mark_text(align="left", dx=7, dy=-7).encode(
        x=x, y="value:Q", text="text:N", color=alt.Color("series:N", legend=None)
    )
    return described(alt.layer(drawn, labels), description)


def lines_description(lines: pd.DataFrame, measure: str, unit: str, lang: Lang) -> str:
    """The line chart in one sentence for screen readers: what it measures, the times it spans and the
    lines it draws (by their names in `lines`)."""
    times = lines["time"].astype(str)
    names = list(dict.fromkeys(lines["series"]))
    return t(
        "chart_lines_description",
        lang,
        measure=measure,
        unit=unit,
        start=times.min(),
        end=times.max(),
        n=len(names),
        lines=joined(names, lang),
    )


def line_table(lines: pd.DataFrame, unit: str, no_data: str) -> pd.DataFrame:
    """The line chart as a table: a row per line (in the chart's order), a column per time, each value
    written as the map writes it and `no_data` where the sources give none."""
    written = [no_data if pd.isna(v) else f"{v:,.2f} {unit}".strip() for v in lines["value"]]
    table = lines.assign(value=written, time=lines["time"].astype(str)).pivot(index="series", columns="time")["value"]
    rows, columns = dict.fromkeys(lines["series"]), dict.fromkeys(lines["time"].astype(str))
    return (
        table.reindex(index=list(rows), columns=list(columns))
        .rename_axis(index=None, columns=None)
        .reset_index(names="series")
    )


def unit_choices(frame: pd.DataFrame, level: str) -> dict[str, str]:
    rows = frame[frame["level"] == level].drop_duplicates("unit_code")
    return dict(zip(rows["unit_code"], rows["unit_name_zh"]))


@dataclass(frozen=True)
class ChoroplethModel:
    layers: list[pdk.Layer]
    legend: list[tuple[str, RGBA]]
    method: str
    codes: tuple[str, ...] = ()  # every unit drawn, in the map's order
    value_text: Mapping[str, str] = field(default_factory=dict)  # code -> "1.23 %" (units with a value)
    class_text: Mapping[str, str] = field(default_factory=dict)  # code -> its legend label


@dataclass(frozen=True)
class UnitClasses:
    """Units of one level classed by value, as the Trends map draws them (and a slide's image)."""

    keys: Mapping[str, str]  # code -> class key; NODATA where the sources give no value
    palette: Mapping[str, RGBA]  # class key -> colour
    names: Mapping[str, str]  # class key -> its legend label
    legend: list[tuple[str, RGBA]]
    method: str


def unit_classes(
    by_code: Mapping[str, float], codes: list[str], no_data_label: str, contrast: bool = False
) -> UnitClasses:
    """Class `codes` (every unit drawn) by their value in `by_code`; a unit without one is "no data"."""
    classed = classify(pd.Series([by_code.get(c) for c in codes], index=codes, dtype="Float64"))
    colours = sequential(len(classed.bins), contrast) if classed.bins else []
    labels = classed_labels(classed)
    return UnitClasses(
        classed.keys,
        {str(i): c for i, c in enumerate(colours)} | {NODATA: NODATA_RGBA},
        dict(zip(map(str, range(len(colours))), labels)) | {NODATA: no_data_label},
        list(zip(labels, colours)) + [(no_data_label, NODATA_RGBA)],
        classed.method,
    )


def choropleth(
    values: pd.DataFrame,
    geoms: dict[str, Geometry],
    names: dict[str, str],
    unit: str,
    no_data_label: str,
    contrast: bool = False,
    stroked: bool = True,
) -> ChoroplethModel:
    """Units of one level classed by value; units with a polygon but no value are "no data".
    `stroked` False leaves the units' outlines to the base map (provinces: atlas.county_map.base_layers)."""
    by_code = values.drop_duplicates("unit_code").set_index("unit_code")["value"]
    all_codes = list(geoms)
    classes = unit_classes(by_code, all_codes, no_data_label, contrast)
    props = {}
    value_text = {}
    for code in all_codes:
        value = by_code.get(code)
        label = "—" if value is None or pd.isna(value) else f"{value:,.2f} {unit}".strip()
        if label != "—":
            value_text[code] = label
        colour = classes.palette[classes.keys[code]]
        props[code] = layers.tooltip_properties(names.get(code, code), "", label, colour, code)
    line = (90, 90, 90, 200) if stroked else None
    layer = layers.choropleth_layer("series", layers.features(all_codes, geoms, props), line_rgba=line)
    class_text = {code: classes.names[classes.keys[code]] for code in all_codes}
    return ChoroplethModel([layer], classes.legend, classes.method, tuple(all_codes), value_text, class_text)


def coverage_grid(frame: pd.DataFrame, level: str, names: Mapping[str, str]) -> pd.DataFrame:
    """Which units of a level have a value in which year: units × times, "●" where the sources give
    one, "" where they do not (what the map and the chart can show)."""
    rows = frame[(frame["level"] == level) & frame["value"].notna()]
    if rows.empty:
        return pd.DataFrame()
    grid = pd.crosstab([names.get(c, c) for c in rows["unit_code"]], rows["time"]).reindex(columns=times(frame))
    return grid.fillna(0).astype(int).map(lambda n: "●" if n else "").rename_axis(index=None, columns=None)
