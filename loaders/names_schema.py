"""The tables of other names: what a person may search a county, province or prefecture by (English, Uyghur,
Kyrgyz, Tibetan romanisations, the county seat), and publishers' names in Chinese and English."""

from __future__ import annotations

from loaders.columns import Column, TableSchema

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
