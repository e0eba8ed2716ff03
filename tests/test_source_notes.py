"""Source notes under figures: short citations linked to their row on the sources page."""

from __future__ import annotations

import re

from paths import APP
from streamlit.testing.v1 import AppTest

from atlas.legend import sources_markdown
from atlas.sources_view import short_citation
from atlas.url_state import ViewState, Vocabulary, encode, parse

HOSTILE_ID = 'x") <img src=x onerror=alert(1)> [y](javascript:z)'


def test_short_citation_is_publisher_short_title_and_date() -> None:
    row = {"publisher": "人民日报 (记者宋豪新)", "title": "四川15个贫困县退出(本报成都8月1日电)", "date": "2018-08-02"}
    assert short_citation(row) == "人民日报, “四川15个贫困县退出(本报成都8月1日电)”, 2018-08-02"
    long = short_citation({"publisher": "P", "title": "国" * 60, "date": "undated"})
    assert long.endswith("…”") and len(long) < 40 and "undated" not in long


def test_source_line_links_citations_not_bare_ids(synthetic_sources) -> None:
    citations = {r["source_id"]: short_citation(r) for r in synthetic_sources.to_dict("records")}
    text = sources_markdown(
        ["synthetic-a", "synthetic-b", "synthetic-unused"],
        citations,
        "Sources: ",
        more="{n} more",
        limit=2,
        query="lang=en",
    )
    # the hostile title (a spreadsheet formula) is shown as escaped text, in a link to its row
    assert "[P, “=cmd\\|' /C calc'\\!A0”, 2020](./sources?source=synthetic-a&lang=en)" in text
    assert "(./sources?source=synthetic-b&lang=en)" in text
    assert "[1 more](./sources?lang=en)" in text and "synthetic-unused" not in text


def test_hostile_source_id_cannot_break_out_of_its_link() -> None:
    text = sources_markdown([HOSTILE_ID], {}, "")
    url = re.search(r"\]\((\./sources\?source=[^)]*)\)$", text)
    assert url and re.fullmatch(r"\./sources\?source=[A-Za-z0-9%._~-]+", url.group(1))
    assert not re.search(r"(?<!\\)<img", text) and "](javascript" not in text


def test_source_parameter_is_parsed_strictly() -> None:
    vocab = Vocabulary(sources=frozenset({"exit-yunnan-2018-cnr"}))
    assert parse({"source": "exit-yunnan-2018-cnr"}, vocab).state.source == "exit-yunnan-2018-cnr"
    assert encode(ViewState(source="exit-yunnan-2018-cnr")) == {"source": "exit-yunnan-2018-cnr"}
    for bad in (HOSTILE_ID, "no-such-source", "", "x" * 500):
        result = parse({"source": bad}, vocab)
        assert result.state.source is None
        assert bad == "" or result.notices


def _run(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page).run()  # opened at the page's URL, as a link does
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_county_facts_cite_sources_by_short_citation_linked_to_the_sources_page() -> None:
    at = _run("pages/county_map.py", lang="en", county="513301")
    lines = [c.value for c in at.caption if c.value.startswith("Sources")]
    assert lines
    assert all("(./sources?source=" in line and "&lang=en)" in line for line in lines)
    assert not any(re.search(r"\[(exit|seed|web|gh)-[a-z0-9-]+\]", line) for line in lines), lines
    facts = "\n".join(m.value.replace("\\", "") for m in at.markdown)
    assert "**Exit date**: announced 2019-04-30" in facts


def test_sources_page_shows_the_linked_source_first() -> None:
    at = _run("pages/sources.py", lang="en", source="exit-yunnan-2018-cnr")
    shown = [h.proto.body for h in at.html if "pa-source" in h.proto.body]
    assert shown[0].startswith(
        '<p><strong>The source you followed</strong></p><p class="pa-source"><code>exit-yunnan-2018-cnr</code>'
    )
    at.button(key="sources_all").click().run()
    assert "source" not in at.query_params
    assert not any("The source you followed" in h.proto.body for h in at.html)


def test_sources_page_ignores_a_hostile_source_parameter_with_a_notice() -> None:
    at = _run("pages/sources.py", source=HOSTILE_ID)
    assert at.warning and "已忽略" in at.warning[0].value
    assert "**所选来源**" not in [m.value for m in at.markdown]


def test_a_sources_own_words_are_marked_with_their_language_and_search_reads_id_title_publisher() -> None:
    from atlas.sources_view import matches, quoted_html, source_kind

    said = quoted_html("2019: 31 counties; '2018年 18个县市区退出' <b>")
    assert '<span lang="en">2019: 31 counties;' in said
    assert '<span lang="zh-CN">年 18个县市区退出</span>' in said
    assert "<b>" not in said  # text, never markup
    row = {"source_id": "exit-x", "title": "甘肃实现贫困县全部摘帽", "publisher": "新华社 (reposted)"}
    assert matches(row, "新华社") and matches(row, "EXIT-x") and matches(row, "Reposted 甘肃")
    assert not matches(row, "xinhua")
    assert source_kind(row) == "news" and source_kind({"publisher": "Wikipedia contributors"}) == "wikipedia"


def _plain(said: str) -> str:
    """What a reader sees of a citation's HTML."""
    import html

    return html.unescape(re.sub("<[^>]+>", "", said))


def _synthetic_names():
    import pandas as pd

    return pd.DataFrame(
        {
            "name_zh": ["人民日报", "四川日报", "维基百科编者", "Paul Noll"],
            "name_en": ["People's Daily", "Sichuan Daily", "Wikipedia contributors", "Paul Noll"],
            "translation": ["official", "atlas", "atlas", "name"],
            "source_id": ["s1", None, None, None],
        }
    )


def test_a_publisher_is_named_in_the_readers_language_with_the_original_beside() -> None:
    from atlas.sources_view import publisher_html, publisher_names

    table = _synthetic_names()
    row = {"publisher": "人民日报 (记者顾仲阳); report by 国务院扶贫办", "title": "synthetic", "date": "2018-08-18"}
    assert short_citation(row, publisher_names(table, "en")).startswith("People's Daily, “synthetic”")
    assert short_citation(row, publisher_names(table, "zh")).startswith("人民日报; report by")  # as written
    said = publisher_html(row["publisher"], publisher_names(table, "en"), "en")
    assert _plain(said) == "People's Daily (人民日报 (记者顾仲阳); report by 国务院扶贫办)"
    assert '<span class="pa-original"><span lang="zh-CN">人民日报' in said  # the original kept, marked
    # A name further on is someone reported, not the publisher.
    reported = {"publisher": "China Daily, reporting 人民日报"}
    assert short_citation(reported, publisher_names(table, "en")).startswith("China Daily, reporting")


def test_a_publisher_the_atlas_translated_says_so_in_each_language() -> None:
    from atlas.sources_view import publisher_html, publisher_names

    table = _synthetic_names()

    def shown(text: str, lang: str) -> str:
        return _plain(publisher_html(text, publisher_names(table, lang), lang))

    english = shown("四川日报 (记者侯冲)", "en")
    assert english == "Sichuan Daily (translated by the atlas; original: 四川日报 (记者侯冲))"
    assert shown("四川日报 (记者侯冲)", "zh") == "四川日报 (记者侯冲)"  # the reader's language: as written
    assert (
        shown("Wikipedia contributors (copy on x.org)", "zh")
        == "维基百科编者（本图集译；原文：Wikipedia contributors (copy on x.org)）"
    )
    assert shown("wikipedia CONTRIBUTORS", "zh").startswith("维基百科编者")  # case aside
    assert shown("Paul Noll (paulnoll.com)", "zh") == "Paul Noll (paulnoll.com)"  # a person's name stays
    assert "<b>" not in publisher_html("四川日报 <b>", publisher_names(table, "en"), "en")


def test_a_title_stays_first_as_published_with_the_atlas_translation_beside() -> None:
    import pandas as pd

    from atlas.sources_view import citation_html, matches, publisher_names, title_translations, translations

    sources = pd.DataFrame(
        {
            "source_id": ["synthetic-zh", "synthetic-en"],
            "title": ["甘肃实现贫困县全部摘帽", "Synthetic funds hit record"],
            "publisher": ["四川日报", "Wikipedia contributors"],
        }
    )
    titles = pd.DataFrame(
        {
            "source_id": ["synthetic-zh", "synthetic-en"],
            "title_zh": ["甘肃实现贫困县全部摘帽", "合成资金创纪录"],
            "title_en": ["All of Gansu's poverty counties have exited", "Synthetic funds hit record"],
            "translation": ["atlas", "atlas"],
        }
    )
    names = _synthetic_names()

    def cited(i: int, lang: str) -> str:
        row = sources.iloc[i].to_dict()
        said = citation_html(row, lang, publisher_names(names, lang), title_translations(titles, sources, lang))
        return _plain(said)

    assert cited(0, "en") == (
        "Sichuan Daily (translated by the atlas; original: 四川日报). “甘肃实现贫困县全部摘帽” "
        "(translated by the atlas: “All of Gansu's poverty counties have exited”)"
    )
    assert cited(0, "zh") == "四川日报. “甘肃实现贫困县全部摘帽”"  # nothing to translate
    assert cited(1, "zh") == (
        "维基百科编者（本图集译；原文：Wikipedia contributors）. "
        "“Synthetic funds hit record”（本图集译：“合成资金创纪录”）"
    )
    row = sources.iloc[1].to_dict()
    zh = title_translations(titles, sources, "zh")
    line = short_citation(row, publisher_names(names, "zh"), zh, "zh")
    assert line == "维基百科编者, “Synthetic funds hit record”（本图集译：“合成资金创纪录”）"
    # Search finds a source by its publisher or title in the reader's language too.
    said = translations(row, publisher_names(names, "zh"), zh)
    assert matches(row, "维基百科", said) and matches(row, "合成资金", said) and not matches(row, "维基百科")
