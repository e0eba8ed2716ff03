"""The sources page's content: citations and which rows each source supports."""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from typing import NamedTuple

import pandas as pd

from atlas.i18n import HTML_LANG, Lang, t
from loaders.data import Atlas
from loaders.schema import split_ids

# A run of Chinese: CJK characters and the punctuation, digits and spaces between them.
_CJK_RUN = re.compile(
    r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+(?:[\s\d.,:;()\-–—]*[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+)*"
)
_LETTERS = re.compile(r"[A-Za-z]")


def quoted_html(text: str) -> str:
    """A source's own words as HTML, each run marked with its language (the citations mix Chinese titles
    and English notes): a screen reader reads each in its language, and a reader of the other language
    sees them as quoted, not as the app's words."""
    out, at = [], 0
    for run in _CJK_RUN.finditer(text):
        out.append(_marked(text[at : run.start()], "en"))
        out.append(_marked(run.group(0), "zh"))
        at = run.end()
    out.append(_marked(text[at:], "en"))
    return "".join(out)


def _marked(text: str, lang: Lang) -> str:
    """`text` escaped, in a span of its language when it holds words (not only digits and punctuation)."""
    if lang == "en" and not _LETTERS.search(text):
        return html.escape(text)
    return f'<span lang="{HTML_LANG[lang]}">{html.escape(text)}</span>' if text else ""


class Name(NamedTuple):
    """A publisher or title in the reader's language, and whether the atlas translated it (pages say so)."""

    text: str
    by_atlas: bool


def publisher_names(publishers: pd.DataFrame | None, lang: Lang) -> dict[str, Name]:
    """Publisher name in the other language -> in `lang` (geodata/publisher_names.csv), longest first; names
    kept as they are in both languages (a person, a website) need no entry."""
    if publishers is None:
        return {}
    other = "name_en" if lang == "zh" else "name_zh"
    names: dict[str, Name] = {}
    for row in sorted(publishers.to_dict("records"), key=lambda r: (-len(r[other]), -len(r[f"name_{lang}"]))):
        if row["translation"] != "name":
            names.setdefault(row[other], Name(row[f"name_{lang}"], row["translation"] == "atlas"))
    return names


def named_publisher(text: str, names: Mapping[str, Name]) -> Name | None:
    """The publisher `text` names first, in the reader's language when `names` (`publisher_names`) knows it
    (a name further on is someone reported or reposted, not the publisher)."""
    lead = text.strip().casefold()
    return next((own for other, own in names.items() if lead.startswith(other.casefold())), None)


def title_translations(titles: pd.DataFrame | None, sources: pd.DataFrame | None, lang: Lang) -> dict[str, Name]:
    """source_id -> its title in `lang` (geodata/title_translations.csv), where that differs from the title
    as published."""
    if titles is None or sources is None:
        return {}
    published = dict(zip(sources["source_id"], sources["title"]))
    return {
        row["source_id"]: Name(row[f"title_{lang}"], row["translation"] == "atlas")
        for row in titles.to_dict("records")
        if row[f"title_{lang}"] != published.get(row["source_id"])
    }


def _filled(key: str, lang: Lang, **parts: str) -> str:
    """The catalogue's text `key`, escaped, with its {fields} filled by HTML `parts`."""
    marks = {field: f"\x00{i}\x00" for i, field in enumerate(parts)}
    said = html.escape(t(key, lang, **marks))
    for field, mark in marks.items():
        said = said.replace(mark, parts[field])
    return said


def _translated(key: str, lang: Lang, translation: str, original: str) -> str:
    """A translation and the original beside it, as one element: tests/test_i18n_pages.py accepts text in
    the other language (an original) only inside such a pair."""
    translation = f'<span class="pa-translation">{translation}</span>'
    original = f'<span class="pa-original">{original}</span>'
    return f'<span class="pa-translated">{_filled(key, lang, translation=translation, original=original)}</span>'


def publisher_html(text: str, names: Mapping[str, Name], lang: Lang = "en") -> str:
    """The publisher in the reader's language with the original beside: People's Daily (人民日报 …); a name
    the atlas translated says so."""
    own = named_publisher(text, names)
    if own is None:
        return quoted_html(text)
    key = "publisher_by_atlas" if own.by_atlas else "publisher_official"
    return _translated(key, lang, quoted_html(own.text), quoted_html(text))


def title_html(title: str, translation: Name | None, lang: Lang) -> str:
    """The title as published, first and quoted; its translation beside, when the reader's language differs."""
    if translation is None:
        return f"“{quoted_html(title)}”"
    key = "title_by_atlas" if translation.by_atlas else "title_official"
    return _translated(key, lang, f"“{quoted_html(translation.text)}”", f"“{quoted_html(title)}”")


def citation_html(
    row: Mapping[str, object],
    lang: Lang,
    names: Mapping[str, Name] | None = None,
    titles: Mapping[str, Name] | None = None,
) -> str:
    """The citation as HTML: the app's words in the reader's language, the source's own (publisher,
    title, notes) as written and marked with their language, a publisher and title in the other language
    with their translation beside; the address a link."""

    def text(key: str) -> str:
        value = row.get(key)
        return str(value).strip() if isinstance(value, str) else ""

    parts = [
        publisher_html(text("publisher"), names or {}, lang) if text("publisher") else "",
        title_html(text("title"), (titles or {}).get(text("source_id")), lang) if text("title") else "",
    ]
    parts.append(quoted_html(text("date")))  # a date, or what the source says of it ("undated (…)")
    address = text("address")
    if address:
        link = f'<a href="{html.escape(address, quote=True)}" rel="noopener noreferrer">{html.escape(address)}</a>'
        parts.append(f"{t('source_found_at', lang)}: {link}")
    if text("date_accessed"):
        parts.append(f"{t('source_accessed', lang)} {html.escape(text('date_accessed'))}")
    if text("where_found"):
        found = quoted_html(text("where_found"))
        parts.append(found if address else f"{t('source_found_at', lang)}: {found}")
    if text("license"):
        parts.append(f"{t('source_license', lang)}: {quoted_html(text('license'))}")
    if text("notes"):
        parts.append(f"{t('source_notes', lang)}: {quoted_html(text('notes'))}")
    return ". ".join(p for p in parts if p)


# What kind of publication a source is, by what its citation says (first rule that matches).
SOURCE_KINDS = ("wikipedia", "government", "news", "research", "dataset", "web")
_KIND_RULES = (
    ("wikipedia", re.compile(r"wikipedia|维基", re.IGNORECASE)),
    ("dataset", re.compile(r"github|dataset|data set|boundary data|\bcodes?\b", re.IGNORECASE)),
    ("research", re.compile(r"journal|book|年鉴|报告|yearbook|report|paper|论文|学报", re.IGNORECASE)),
    ("news", re.compile(r"新华|日报|人民网|新闻|news|daily|xinhua|央视|晚报|cctv|press", re.IGNORECASE)),
    (
        "government",
        re.compile(r"国务院|政府|办公室|统计局|委员会|ministry|office|gov\.cn|council|bureau", re.IGNORECASE),
    ),
)
SOURCE_KIND_LABELS = dict(
    zip(
        SOURCE_KINDS,
        (
            "source_kind_wikipedia",
            "source_kind_government",
            "source_kind_news",
            "source_kind_research",
            "source_kind_dataset",
            "source_kind_web",
        ),
    )
)


def source_kind(row: Mapping[str, object]) -> str:
    """One of SOURCE_KINDS, from the publisher, title, address and notes."""
    said = " ".join(str(row.get(k) or "") for k in ("publisher", "title", "address", "where_found", "notes"))
    return next((kind for kind, rule in _KIND_RULES if rule.search(said)), "web")


def matches(row: Mapping[str, object], query: str, translated: str = "") -> bool:
    """Whether a search of the sources page finds this source: every word of `query` in its id, title
    or publisher, or in their `translated` names (`translations`); case and tone marks ignored."""
    said = fold(" ".join([*(str(row.get(k) or "") for k in ("source_id", "title", "publisher")), translated]))
    return all(word in said for word in fold(query).split())


def translations(row: Mapping[str, object], names: Mapping[str, Name], titles: Mapping[str, Name]) -> str:
    """The source's publisher and title in the reader's language, where they are translated."""
    own = named_publisher(str(row.get("publisher") or ""), names)
    title = titles.get(str(row.get("source_id") or ""))
    return " ".join(name.text for name in (own, title) if name)


def fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in plain if not unicodedata.combining(c))


# Widths in Latin letters; a Chinese character counts as two.
SHORT_TITLE = 44
SHORT_PUBLISHER = 30
_ASIDE = re.compile(r"\s*[(（][^()（）]*[)）]")


def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def _shorten(text: str, limit: int) -> str:
    if sum(map(_width, text)) <= limit:
        return text
    used, cut = 0, 0
    while cut < len(text) and used + _width(text[cut]) <= limit - 1:
        used += _width(text[cut])
        cut += 1
    return text[:cut].rstrip() + "…"


def short_citation(
    row: Mapping[str, object],
    names: Mapping[str, Name] | None = None,
    titles: Mapping[str, Name] | None = None,
    lang: Lang = "en",
) -> str:
    """Publisher, “short title”, date: a line under a figure (asides in brackets dropped, long parts cut);
    a publisher `names` (`publisher_names`) knows in the reader's language is named so, and a title `titles`
    (`title_translations`) translates has its translation beside."""

    def text(key: str) -> str:
        value = row.get(key)
        return " ".join(value.split()) if isinstance(value, str) else ""

    own = named_publisher(text("publisher"), names or {})
    publisher = own.text if own else _ASIDE.sub("", text("publisher")).strip() or text("publisher")
    publisher = _shorten(publisher, SHORT_PUBLISHER)
    title = f"“{_shorten(text('title'), SHORT_TITLE)}”" if text("title") else ""
    translation = (titles or {}).get(text("source_id"))
    if title and translation:
        key = "title_by_atlas" if translation.by_atlas else "title_official"
        title = t(key, lang, original=title, translation=f"“{_shorten(translation.text, SHORT_TITLE)}”")
    date = text("date") if re.fullmatch(r"\d{4}(-\d{2}){0,2}", text("date")) else ""
    return ", ".join(p for p in (publisher, title, date) if p)


# The tables a source supports rows of, as the page names them.
TABLE_LABELS = {
    "poverty_counties": "headline_counties",
    "contiguous_areas": "headline_areas",
    "official_totals": "official_totals",
    "incidence": "theme_incidence",
    "funds": "theme_funds",
    "relocation": "theme_relocation",
    "county_aliases": "sources_supports_aliases",
    "place_aliases": "sources_supports_place_aliases",
}


def usage(data: Atlas) -> dict[str, dict[str, int]]:
    """source_id -> {table name: rows citing it}."""
    tables = {
        "poverty_counties": (data.poverty, "source_ids"),
        "contiguous_areas": (data.areas, "source_id"),
        "official_totals": (data.official, "source_id"),
    }
    tables |= {name: (frame, "source_id") for name, frame in data.series.items()}
    tables |= {"county_aliases": (data.aliases, "source_id"), "place_aliases": (data.place_aliases, "source_id")}
    counts: dict[str, Counter[str]] = {}
    for name, (frame, column) in tables.items():
        if frame is None:
            continue
        for value in frame[column]:
            for sid in split_ids(value):
                counts.setdefault(sid, Counter())[name] += 1
    return {sid: dict(c) for sid, c in counts.items()}
