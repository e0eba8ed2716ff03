"""What a map shows, as a table: one row per unit drawn, with its value, its legend class and its
sources (short citations, ids, a link to the first on the sources page). The keyboard's and the
screen reader's way to the same facts as the map. No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from atlas.classes import LAYER_COLUMNS, class_label, layer_classes
from atlas.facts import display_name, layer_fact
from atlas.i18n import Lang, t
from atlas.legend import source_link
from loaders.schema import split_ids

# Column keys of a table (headers in the reader's language: `headers`); SOURCE_LINK holds a URL.
UNIT, PROVINCE, CODE, VALUE, CLASS, SOURCES, SOURCE_IDS, SOURCE_LINK = (
    "unit",
    "province",
    "code",
    "value",
    "class",
    "sources",
    "source_ids",
    "source_link",
)


# What a row of the table reads (display_name's names, the province, the sources)
NAME_COLUMNS = ("code", "name_zh", "name_en", "boundary_name_zh", "boundary_name_en", "province_code", "province_zh")


def sources_cell(ids: Sequence[str], citations: Mapping[str, str]) -> str:
    """A row's sources as their short citations (a grid cell shows text, not Markdown)."""
    return "; ".join(citations.get(i) or i for i in ids)


def first_link(ids: Sequence[str], query: str) -> str:
    """The sources page showing the row's first source ("" without one)."""
    return source_link(ids[0], query) if ids else ""


def county_table(
    selected: pd.DataFrame,
    layer: str,
    year: int,
    lang: Lang,
    area_names: Mapping[str, str],
    province_names: Mapping[str, str],
    citations: Mapping[str, str],
    query: str = "",
) -> pd.DataFrame:
    """The counties a county map colours (`atlas.county_map.build`): one row per polygon, the first
    row of a code as on the map, with the value the layer is classed by and the legend's label."""
    drawn = selected.drop_duplicates("code")  # the map colours a polygon by its first row
    keys = layer_classes(drawn, layer, year)
    needed = [c for c in (*NAME_COLUMNS, "source_ids", LAYER_COLUMNS[layer]) if c in drawn.columns]
    rows = drawn[list(dict.fromkeys(needed))].to_dict("records")
    joined = [r.get("source_ids") for r in rows]
    cells = {v: sources_cell(split_ids(v), citations) for v in set(joined)}  # rows share sources
    return pd.DataFrame(
        {
            UNIT: [display_name(r, lang) for r in rows],
            PROVINCE: [province_names.get(str(r.get("province_code")), r.get("province_zh") or "") for r in rows],
            CODE: [str(r["code"]) for r in rows],
            VALUE: [layer_fact(r, layer, lang, area_names) for r in rows],
            CLASS: [class_label(layer, key, lang, area_names) for key in keys],
            SOURCES: [cells[v] for v in joined],
            SOURCE_IDS: ["; ".join(split_ids(v)) for v in joined],
            SOURCE_LINK: [first_link(split_ids(v), query) for v in joined],
        },
        columns=[UNIT, VALUE, CLASS, PROVINCE, CODE, SOURCES, SOURCE_IDS, SOURCE_LINK],  # what the map shows first
    )


def county_value_label(layer: str, lang: Lang) -> str:
    """The header of a county table's value column: the fact the layer is classed by."""
    return t(LAYER_COLUMNS[layer], lang)


def unit_table(
    codes: Sequence[str],
    names: Mapping[str, str],
    values: Mapping[str, str],
    classes: Mapping[str, str],
    source_ids: Mapping[str, Sequence[str]],
    citations: Mapping[str, str],
    lang: Lang,
    query: str = "",
) -> pd.DataFrame:
    """Units a map draws (areas, provinces of a series): those with a value first, each part in the
    map's order; a unit missing from `values` or `classes` is "no data", never a guess."""
    no_data = t("no_data", lang)
    codes = [c for c in codes if values.get(c)] + [c for c in codes if not values.get(c)]
    return pd.DataFrame(
        {
            UNIT: [names.get(c, c) for c in codes],
            CODE: list(codes),
            VALUE: [values.get(c) or no_data for c in codes],
            CLASS: [classes.get(c) or no_data for c in codes],
            SOURCES: [sources_cell(source_ids.get(c, ()), citations) for c in codes],
            SOURCE_IDS: ["; ".join(source_ids.get(c, ())) for c in codes],
            SOURCE_LINK: [first_link(list(source_ids.get(c, ())), query) for c in codes],
        },
        columns=[UNIT, VALUE, CLASS, CODE, SOURCES, SOURCE_IDS, SOURCE_LINK],
    )


def ids_by_code(codes: Sequence[str], ids: Sequence[object]) -> dict[str, list[str]]:
    """Code -> its source ids, from rows of (code, "a;b") (a code of several rows: all their ids)."""
    out: dict[str, list[str]] = {}
    for code, value in zip(codes, ids):
        out[code] = list(dict.fromkeys([*out.get(code, []), *split_ids(value)]))
    return out


def headers(lang: Lang, value_label: str = "", unit_label: str = "") -> dict[str, str]:
    """Column key -> header in the reader's language."""
    return {
        UNIT: unit_label or t("table_unit", lang),
        PROVINCE: t("province", lang),
        CODE: t("code", lang),
        VALUE: value_label or t("table_value", lang),
        CLASS: t("table_class", lang),
        SOURCES: t("table_sources", lang),
        SOURCE_IDS: t("table_source_ids", lang),
        SOURCE_LINK: t("table_source_link", lang),
    }
