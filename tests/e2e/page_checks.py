"""What every page is checked for in a real browser, shared by the page-by-page passes (test_desk's in
both languages, test_presenter_pages' in presenter mode): text in the reader's language only, accessible names
included; axe-core's critical and serious violations; no request to another host."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from test_browser import LOAD_TIMEOUT, wait_idle

# Streamlit's own English, which a Chinese page must not show.
STREAMLIT_ENGLISH = (
    "Choose an option",
    "Choose options",
    "No options",
    "Deploy",
    "Drag and drop",
    "Browse files",
    "per file",
)
ALL_PAGES = ["", "county_map", "areas", "trends", "import", "export", "sources"]
# Views that show more words than a page's default: Export's summary and table of a filter (an
# area id such as sisheng_zangqu among its values); on Import, a published block pasted as copied
# (a line without its province cell, a count that disagrees) gives notices and match methods.
LANG_VIEWS = {"export": "export?prov=530000&sqsz=1"}
PASTED_BLOCK = "河  北\t3\t阜平县、涞源县、望都县\n\t2\t五寨县、岢岚县\n四  川\t1\t平武县"
# What those views must say, in each language (the notices, a method, the filter in words).
EXPECTED = {
    ("zh", "import"): ["“河北”（第 1 行）：数量为 3，读到 5 个县名", "全称 + 省份", "该省在2011—2024年间没有名为"],
    ("en", "import"): ["'河北' (line 1): the count says 3; names read: 5", "full name + province"],
    ("zh", "export"): ["省份：云南省；仅三区三州", "四省藏区", "2019-04-30 公布"],
    ("en", "export"): ["Province: Yunnan", "Only the three areas and three prefectures", "Diqing Tibetan"],
}
# In a Chinese page: English phrases of two lower-case words ("full name", "the count says") and
# internal ids (sisheng_zangqu); names in pinyin are capitalised, links and quotes are not read.
ENGLISH_PHRASE = re.compile(r"\b(?:[a-z]{2,} [a-z]{2,}|[a-z]+_[a-z_]+)\b")
VISIBLE_TEXT = """() => [...document.querySelectorAll('[data-testid=stMain], [data-testid=stSidebar]')].map(root => {
    const seen = [], walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const el = walker.currentNode.parentElement;
        if (el.closest('a, [data-testid=stExpander], [data-testid=stIconMaterial]') || !el.checkVisibility()
            || parseFloat(getComputedStyle(el).fontSize) === 0) continue;
        seen.push(walker.currentNode.textContent);
    }
    return seen.join(' ') + ' ' + [...root.querySelectorAll('input, textarea')]
        .map(i => i.placeholder || '').join(' ');
}).join(' ')"""
# A table's cells (st.dataframe draws them on a canvas; its grid keeps them for assistive technology).
TABLE_CELLS = (
    "() => [...document.querySelectorAll('[data-testid=stDataFrame] [role=gridcell]')].map(c => c.innerText).join(' ')"
)


def other_language_texts(lang: str) -> set[str]:
    """The UI strings of the other language long enough not to occur inside a name or a figure."""
    from atlas.i18n import STRINGS

    other = "en" if lang == "zh" else "zh"
    mine = {s[lang] for s in STRINGS.values()}
    texts = {s[other].split("{")[0].strip() for s in STRINGS.values()} - mine
    if lang == "zh":
        return {x for x in texts if len(x.split()) >= 2}
    return {x for x in texts if len(x) >= 4 and not x.isascii()}


def paste_block(page, lang: str) -> None:
    """Paste PASTED_BLOCK on the Import page and wait for the match report."""
    from atlas.i18n import t

    page.get_by_text(t("import_paste", lang), exact=True).click()
    wait_idle(page)
    page.locator('[data-testid="stTextArea"] textarea').fill(PASTED_BLOCK)
    page.get_by_role("button", name=t("import_paste_button", lang)).click()
    page.locator('[data-testid="stMetric"]', has_text=t("import_match_rate", lang)).wait_for(timeout=LOAD_TIMEOUT)
    page.locator('[data-testid="stDataFrame"] [role=gridcell]').first.wait_for(state="attached", timeout=LOAD_TIMEOUT)
    wait_idle(page)


# What the scan reads: the visible text of the page and its sidebar, and every accessible name, placeholder
# and title; not links (citations, titles as published), code (ids), icons, nor text marked with another
# language (a source's own words, atlas/sources_view.quoted_html), nor a chart's own drawing (vega's SVG).
SCAN = """(lang) => {
    const other = el => { const marked = el.closest('[lang]'); return marked && marked !== document.documentElement
        && marked.getAttribute('lang') !== lang; };
    const roots = [...document.querySelectorAll('[data-testid=stMain], [data-testid=stSidebar], #pa-skip')];
    const seen = [], labels = [];
    for (const root of roots) {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
            const el = walker.currentNode.parentElement;
            if (el.closest('a, code, svg, [data-testid*=Icon]') || other(el) || !el.checkVisibility()
                || parseFloat(getComputedStyle(el).fontSize) === 0) continue;
            seen.push(walker.currentNode.textContent);
        }
    }
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
        if (el.closest('svg') || other(el)) continue;
        for (const attr of ['aria-label', 'title', 'placeholder']) {
            if (el.getAttribute(attr)) labels.push(el.getAttribute(attr));
        }
    }
    return [seen.join(' '), labels];
}"""
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
CJK = re.compile(r"[\u3400-\u9fff]")
NAME_ASIDE = re.compile(r"[(（][^()（）]*[)）]")  # a place's Chinese name beside its English one: Guangxi (广西…)
# Names a Chinese page writes in Latin letters (data formats, a library, the units of a figure).
ZH_NAMES = {"CSV", "TSV", "XLSX", "XLS", "PNG", "SVG", "GIF", "MP4", "JSON", "GeoJSON", "Vega", "Lite", "PyPI"}


def accessible_hits(page, lang: str, foreign: set[str]) -> list[str]:
    """The other language in the page's text and in its accessible names, placeholders and titles."""
    text, labels = page.evaluate(SCAN, {"zh": "zh-CN", "en": "en"}[lang])
    text = " ".join(text.split())
    hits = sorted(x for x in foreign if x in text)
    if lang == "zh":
        hits += sorted(set(ENGLISH_PHRASE.findall(text)))
        hits += sorted({x for x in labels if set(LATIN_WORD.findall(x)) - ZH_NAMES})
    else:
        hits += sorted({x for x in labels if CJK.search(NAME_ASIDE.sub("", x))})
    return hits


def language_hits(page, name: str, lang: str, foreign: set[str]) -> list[str]:
    """Text of the other language on the page as it is drawn (none expected), and what must be said."""
    # What the page shows, not what it cites or quotes: a source's title (links), quoted notes
    # (expanders); icons (their names are ligatures); text hidden or drawn at size 0 (replaced by CSS).
    text = " ".join(f"{page.evaluate(VISIBLE_TEXT)} {page.evaluate(TABLE_CELLS)}".split())
    hits = sorted(x for x in foreign if x in text)
    if lang == "zh":
        hits += sorted(set(ENGLISH_PHRASE.findall(text)))
    return hits + [f"missing: {x}" for x in EXPECTED.get((lang, name), []) if x not in text]


AXE = Path(__file__).parent / "axe" / "axe.min.js"


def axe_violations(page) -> list[tuple[str, str, int, list[str]]]:
    """axe-core's critical and serious violations on the page, and headings out of order (moderate):
    (rule, impact, count, first targets)."""
    # Streamlit dims an element while a run that may replace it is going on (and fades it back in):
    # judge the settled page.
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stElementContainer]')]"
        ".every(e => e.dataset.stale !== 'true' && getComputedStyle(e).opacity === '1')",
        timeout=LOAD_TIMEOUT,
    )
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        (v["id"], v["impact"], len(v["nodes"]), [n["failureSummary"][-160:] for n in v["nodes"][:2]])
        for v in result["violations"]
        if v["impact"] in ("critical", "serious") or v["id"] == "heading-order"
    ]


def settled_offline(page, server: str) -> None:
    """Late fetches (favicon, fonts) done and the favicon our own; the requests to another host the page
    fixture's context refused and recorded are then judged by assert_clean."""
    page.wait_for_load_state("networkidle", timeout=LOAD_TIMEOUT)
    icon = page.locator('link[rel~="icon"]').first.get_attribute("href", timeout=LOAD_TIMEOUT) or ""
    assert urlsplit(icon).netloc in ("", urlsplit(server).netloc), f"favicon from another host: {icon}"


# Streamlit's developer toolbar: the Deploy button and the main menu (rerun, clear cache, settings …).
DEVELOPER_TEXTS = ("Deploy", "Rerun", "Clear cache", "Record screen", "Made with Streamlit")


def no_developer_tools(page) -> None:
    assert page.locator('[data-testid="stAppDeployButton"]').count() == 0
    assert page.locator('[data-testid="stMainMenu"]').count() == 0
    header = page.locator('header[data-testid="stHeader"]')
    text = header.inner_text() if header.count() else ""
    assert not [t for t in DEVELOPER_TEXTS if t in text], text
    for label in DEVELOPER_TEXTS:
        assert page.get_by_role("button", name=label, exact=True).count() == 0, label


def placeholders_speak(page, lang: str) -> None:
    """The browser draws a multiselect's placeholder (Streamlit's default is English): read it there, on
    every empty filter."""
    shown = [
        box.get_attribute("placeholder", timeout=LOAD_TIMEOUT)
        for box in page.locator('[data-testid="stMultiSelect"] input').all()
    ]
    shown = [p for p in shown if p]  # a filter with a value shows no placeholder
    assert shown and set(shown) == {"请选择" if lang == "zh" else "Choose options"}, shown
