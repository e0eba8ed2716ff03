"""Streamlit glue shared by the pages: cached data, the view state and the URL.

The view lives in `st.session_state["view"]` (a ViewState) and is mirrored into
`st.query_params` on every run, so a copied link reopens the same view.

Widgets drawn by a page script belong to that page (Streamlit keys their state by
page), so a widget bound to the view gets a per-page key "w_<field>@<page>":
`widget_key` seeds it from the view whenever it is new (first visit, or back from
another page) and `sync` folds its value back into the view.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import fields, replace
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from atlas import lod, map_image
from atlas.county_map import MapInputs
from atlas.i18n import LANGS, Lang, pick_name, t
from atlas.imported import ActiveImport, AppliedList, applied_note, county_values, overlay, user_facts
from atlas.legend import LEGEND_CSS, escape_markdown, sources_markdown
from atlas.sources_view import short_citation
from atlas.url_state import DEFAULT, ParseResult, ViewState, Vocabulary, encode, notice_text, parse
from loaders import geometry
from loaders.data import Atlas, data_build as load_data_build, load_atlas, with_boundary_attributes
from loaders.match import Gazetteer, load_gazetteer
from loaders.schema import STATIC_GEO, data_root, split_ids

CHINA_VIEW = (35.0, 104.0, 2.75)  # the mainland in a ~650 px wide map
CHINA_VIEW_NARROW = (35.0, 104.5, 2.45)  # the same in a ~500 px wide map column


@st.cache_resource(show_spinner=False)
def atlas() -> Atlas:
    """All data, loaded and validated once per server process."""
    return load_atlas(data_root())


@st.cache_resource(show_spinner=False)
def poverty_table() -> pd.DataFrame | None:
    """The poverty counties with today's names and area from the boundary layer, joined once."""
    data = atlas()
    if data.poverty is None or data.counties is None:
        return None
    return with_boundary_attributes(data.poverty, data.counties)


@st.cache_resource(show_spinner=False)
def gazetteer() -> Gazetteer:
    """Boundary units and the code history for matching users' tables, built once per process."""
    return load_gazetteer()


APPLIED_LISTS = "applied_lists"


def applied_lists() -> tuple[AppliedList, ...]:
    """Membership lists this session applied on the Import page (never shared with other sessions)."""
    return tuple(st.session_state.get(APPLIED_LISTS, ()))


def session_poverty() -> pd.DataFrame | None:
    """`poverty_table()` as this session sees it: with its applied lists overlaid on a copy
    (the bundled table, cached for every session, is never modified)."""
    base = poverty_table()
    if base is None:  # no boundary layer: the table without today's names
        base = atlas().poverty
    lists = applied_lists()
    if base is None or not lists:
        return base
    key = tuple(item.key for item in lists)
    cached = st.session_state.get("_session_poverty")
    if cached is None or cached[0] != key:
        cached = (key, overlay(base, lists))
        st.session_state["_session_poverty"] = cached
    return cached[1]


def user_data_note() -> str:
    """A note for legends and captions while this session uses user-supplied lists ('' otherwise)."""
    return applied_note(applied_lists(), lang())


ACTIVE_IMPORT = "import_active"


def active_import() -> ActiveImport | None:
    """The table this session imported on the Import page, if any."""
    return st.session_state.get(ACTIVE_IMPORT)


def imported_facts(row: dict[str, Any]) -> list[tuple[str, str]]:
    """Facts-panel lines from this session's imports: flags set by a user list, imported values."""
    lines = user_facts(row, applied_lists(), lang())
    active = active_import()
    if active is not None and isinstance(row.get("code"), str):
        prefix = t("import_imported_values", lang())
        lines += [
            (f"{prefix} · {label}", f"{value} ({t('import_user_note', lang(), source=active.provenance.short())})")
            for label, value in county_values(active.result.rows, row["code"], active.value_columns, active.year_column)
        ]
    return lines


def caption_user_data() -> None:
    note = user_data_note()
    if note:
        st.caption(f":material/person: {escape_markdown(note)}")


@st.cache_resource(show_spinner=False)
def geometries(layer: str) -> geometry.LevelOfDetail | None:
    """Both levels of detail of one layer, as GeoJSON, prepared once per server process."""
    frame = getattr(atlas(), layer)
    if frame is None:
        return None
    if layer == "outlines":  # areas overlap the 三区三州: not a coverage
        return geometry.build(frame, key="unit_id", is_coverage=False)
    return geometry.build(frame)


@st.cache_resource(show_spinner=False)
def web_layers() -> dict[str, lod.WebLayer] | None:
    """The static geometry files (static/geo/, built by pipeline.web_layers) per layer."""
    provinces = atlas().provinces
    if provinces is None or not (STATIC_GEO / "manifest.json").exists():
        return None
    return lod.web_layers(STATIC_GEO, provinces)


@st.cache_resource(show_spinner=False)
def map_inputs() -> MapInputs | None:
    """The county map's ingredients, prepared once; None when a boundary file is bad."""
    data = atlas()
    web = web_layers()
    if data.counties is None or data.provinces is None or data.country is None or web is None:
        return None
    areas = data.areas
    return MapInputs(
        boundaries=data.counties[["code", "name_zh", "name_en", "province_code"]].copy(),
        counties=web["counties"],
        provinces=web["provinces"],
        country=web["country"],
        shapes=dict(zip(data.counties["code"], data.counties.geometry)),
        province_names={
            c: (zh, en)
            for c, zh, en in zip(data.provinces["code"], data.provinces["name_zh"], data.provinces["name_en"])
        },
        area_names={}
        if areas is None
        else {a: (zh, en) for a, zh, en in zip(areas["area_id"], areas["name_zh"], areas["name_en"])},
    )


@st.cache_resource(show_spinner=False)
def image_geometry() -> map_image.ImageGeometry | None:
    """Outlines for the map images (projected, simplified), prepared once per process."""
    data = atlas()
    if data.counties is None or data.provinces is None or data.country is None:
        return None
    return map_image.prepare(data.counties, data.provinces, data.country)


@st.cache_resource(show_spinner=False)
def vocabulary() -> Vocabulary:
    data = atlas()
    series_units: set[str] = set()
    fund_types: set[str] = set()
    for name, frame in data.series.items():
        series_units |= set(frame["unit_code"])
        if name == "funds":
            fund_types |= set(frame["fund_type"])
    return Vocabulary(
        provinces=frozenset(data.provinces["code"]) if data.provinces is not None else frozenset(),
        prefectures=frozenset(data.prefectures["code"]) if data.prefectures is not None else frozenset(),
        counties=frozenset(data.counties["code"]) if data.counties is not None else frozenset(),
        areas=frozenset(data.areas["area_id"]) if data.areas is not None else frozenset(),
        series_units=frozenset(series_units),
        fund_types=frozenset(fund_types),
        sources=frozenset(data.sources["source_id"]) if data.sources is not None else frozenset(),
    )


def start() -> ViewState:
    """The view of this run: from the URL on a session's first run and after the browser's Back or
    Forward, otherwise from the session."""
    if "view" not in st.session_state:
        result: ParseResult = parse(st.query_params.to_dict(), vocabulary())
        st.session_state["view"] = result.state
        st.session_state["url_notices"] = list(result.notices)
    elif _history_navigation() and st.query_params.to_dict() != encode(view()):
        # Each view change pushed a history entry (write_url); Back returns to it. Without this the
        # run would write the session's view over the older URL, and that press of Back did nothing.
        restored = parse(st.query_params.to_dict(), vocabulary()).state
        set_view(**{f.name: getattr(restored, f.name) for f in fields(restored)})
    return st.session_state["view"]


def _history_navigation() -> bool:
    """This run comes from the browser's Back or Forward (not from a rerun sent before the browser
    had our last URL, which would carry an older query string too)."""
    ctx = get_script_run_ctx()
    return bool(ctx is not None and getattr(ctx, "is_history_navigation", False))


def view() -> ViewState:
    return st.session_state["view"]


def lang() -> Lang:
    return view().lang


def page_key(name: str) -> str:
    """A widget key that belongs to the current page."""
    return f"{name}@{st.session_state.get('page', '')}"


def _widget_value(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def widget_key(field: str) -> str:
    """Key of the current page's widget bound to view field `field`, seeded from the view when new."""
    key = page_key(f"w_{field}")
    if key not in st.session_state:
        st.session_state[key] = _widget_value(getattr(view(), field))
    st.session_state.setdefault("bound", {})[field] = key
    return key


def set_view(**changes: Any) -> None:
    """Change the view (and the widgets bound to the changed fields). Call it before those
    widgets are drawn, or from a callback."""
    st.session_state["view"] = replace(view(), **changes)
    bound = st.session_state.get("bound", {})
    for field, value in changes.items():
        key = bound.get(field)
        if key in st.session_state:
            st.session_state[key] = _widget_value(value)


def sync(*fields: str) -> ViewState:
    """Fold the values of the named widgets into the view; mirror the view into the URL."""
    changes: dict[str, Any] = {}
    bound = st.session_state.get("bound", {})
    for field in fields:
        key = bound.get(field)
        if key in st.session_state:
            value = st.session_state[key]
            changes[field] = tuple(value) if isinstance(value, list) else value
    if changes:
        st.session_state["view"] = replace(view(), **changes)
    write_url()
    return view()


def write_url() -> None:
    wanted = encode(view())
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def show_notices() -> None:
    notices = st.session_state.pop("url_notices", [])
    if notices:
        text = ("；" if lang() == "zh" else "; ").join(notice_text(n, lang()) for n in notices)
        st.warning(t("url_notice", lang()) + escape_markdown(text), icon=":material/warning:")


def show_error(file_part: str) -> bool:
    """Show the error of a bad data file, if any; True when the file is usable."""
    error = atlas().error_for(file_part)
    if error is None:
        return True
    st.error(t("data_error", lang()) + str(error), icon=":material/error:")
    return False


@st.cache_resource(show_spinner=False)
def source_citations() -> dict[str, str]:
    """source_id -> short citation (publisher, “short title”, date)."""
    sources = atlas().sources
    if sources is None:
        return {}
    return {row["source_id"]: short_citation(row) for row in sources.to_dict("records")}


CAPTION_SOURCES = 4  # more would bury the figure under its footnote


def caption_sources(ids: list[str] | Any) -> None:
    """The source line under a chart or map: short citations, each linked to its row on the sources
    page; a column of rows gives its most cited sources first."""
    if not isinstance(ids, list):
        ids = [sid for sid, _ in Counter(sid for value in ids for sid in split_ids(value)).most_common()]
    query = urlencode({"lang": lang()}) if lang() != DEFAULT.lang else ""
    text = sources_markdown(
        ids, source_citations(), t("sources_short", lang()), t("sources_more", lang()), CAPTION_SOURCES, query
    )
    if text:
        st.caption(text)


# Presenter mode: no chrome, large type, and the map page fits one screen (1366x768 up to
# 1920x1080): the map's height follows the viewport, the legend and the year sit beside it.
PRESENTER_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], footer {display: none !important;}
.block-container {padding: 0.6rem 1.2rem 0.4rem 1.2rem !important; max-width: 100% !important;}
html, body, [data-testid="stAppViewContainer"] {font-size: 20px;}
h1 {font-size: clamp(1.3rem, 3.6vh, 2.4rem) !important; padding: 0 !important;}
[data-testid="stMetricValue"] {font-size: 3.2rem !important;}
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] {gap: 0.45rem;}
.st-key-leave_present {position: fixed; bottom: 0.4rem; right: 0.8rem; z-index: 999990; width: auto !important;}
.st-key-leave_present button {opacity: 0.5; font-size: 0.7rem; min-height: 0; padding: 0.1rem 0.5rem;}
.st-key-leave_present button:hover {opacity: 1;}
[class*="st-key-pa_map_fit"] [data-testid="stElementContainer"]:has([data-testid="stDeckGlJsonChart"]),
[class*="st-key-pa_map_fit"] [data-testid="stFullScreenFrame"],
[class*="st-key-pa_map_fit"] [data-testid="stDeckGlJsonChart"] {height: calc(100vh - 6rem) !important;
  min-height: 280px !important; max-height: none !important;}
[class*="st-key-pa_map_fit_pair"] [data-testid="stElementContainer"]:has([data-testid="stDeckGlJsonChart"]),
[class*="st-key-pa_map_fit_pair"] [data-testid="stFullScreenFrame"],
[class*="st-key-pa_map_fit_pair"] [data-testid="stDeckGlJsonChart"] {height: calc(100vh - 8rem) !important;}
h1 {line-height: 1.25 !important; margin: 0 !important;}
.pa-map-label {font-size: 1.2rem; font-weight: 600; margin: 1rem 0 0 0;}
.pa-year {font-size: clamp(3rem, 11vh, 7.5rem); font-weight: 700; line-height: 1; margin: 0;
  font-variant-numeric: tabular-nums;}
.pa-year-pair {font-size: clamp(2rem, 7vh, 4.8rem);}
</style>
"""


HTML_LANG = {"zh": "zh-CN", "en": "en"}
# Streamlit's grey captions (its text at 60% opacity: 3.9:1 on white) and their links (3.0:1) fall short
# of WCAG AA's 4.5:1; these are 7:1 and 8:1.
READABLE_CSS = """
<style>
[data-testid="stCaptionContainer"] {opacity: 1 !important;}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {color: #555352 !important;}
[data-testid="stCaptionContainer"] a, [data-testid="stMarkdownContainer"] a {color: #1d4c91 !important;}
</style>
"""


# Streamlit's file uploader has no option for its texts ("Upload", "20MB per file • …"): in Chinese the
# button says ours and the English limits line is hidden (the Import page states its limits itself).
UPLOADER_ZH_CSS = """
<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {font-size: 0 !important;}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {
  content: "选择文件"; font-size: 0.875rem;}
[data-testid="stFileUploaderDropzoneInstructions"] {display: none !important;}
</style>
"""


def page_style() -> None:
    # Streamlit writes <html lang="en"> whatever the page's language: screen readers and fonts need ours.
    # Set once and kept: an observer puts it back whenever the frontend writes its own.
    lang_script = (
        f"<script>(() => {{ window.__paLang = '{HTML_LANG[lang()]}'; const root = document.documentElement;"
        "const keep = () => { if (root.lang !== window.__paLang) root.lang = window.__paLang; }; keep();"
        "if (!window.__paLangKept) { window.__paLangKept = new MutationObserver(keep);"
        "window.__paLangKept.observe(root, {attributes: true, attributeFilter: ['lang']}); } })();</script>"
    )
    st.html(
        LEGEND_CSS
        + READABLE_CSS
        + (UPLOADER_ZH_CSS if lang() == "zh" else "")
        + (PRESENTER_CSS if view().present else "")
        + lang_script,
        unsafe_allow_javascript=True,
    )


def province_names() -> dict[str, str]:
    """Province code -> display name in the current language."""
    provinces = atlas().provinces
    if provinces is None:
        return {}
    return {
        c: pick_name(zh, en, lang()) for c, zh, en in zip(provinces["code"], provinces["name_zh"], provinces["name_en"])
    }


def area_names() -> dict[str, str]:
    """Contiguous-area id -> display name in the current language."""
    areas = atlas().areas
    if areas is None:
        return {}
    return {
        a: (zh if lang() == "zh" else en or zh)
        for a, zh, en in zip(areas["area_id"], areas["name_zh"], areas["name_en"])
    }


def prefecture_names() -> dict[str, str]:
    """Prefecture code -> name in the current language, for the prefectures that hold poverty counties."""
    poverty = atlas().poverty
    if poverty is None:
        return {}
    rows = poverty.dropna(subset=["prefecture_code", "prefecture_zh"]).drop_duplicates("prefecture_code")
    names = dict(zip(rows["prefecture_code"], rows["prefecture_zh"]))
    prefectures = atlas().prefectures
    if prefectures is not None:
        known = {
            c: pick_name(zh, en, lang()) for c, zh, en in zip(*(prefectures[k] for k in ("code", "name_zh", "name_en")))
        }
        names = {c: known.get(c, zh) for c, zh in names.items()}
    return names


def place_names() -> dict[str, str]:
    """Province and prefecture code -> name in the current language (facts, tables)."""
    prefectures = atlas().prefectures
    every = (
        {}
        if prefectures is None
        else {
            c: pick_name(zh, en, lang()) for c, zh, en in zip(*(prefectures[k] for k in ("code", "name_zh", "name_en")))
        }
    )
    return every | province_names()


@st.cache_resource(show_spinner=False)
def data_build() -> str:
    return load_data_build(data_root())


def chrome(page: str) -> ViewState:
    """The shared sidebar (language, presenter mode, basemap), page style and URL notices.

    Every page calls this first with its name: it is part of each run, and returns the view."""
    if st.session_state.get("page") != page:
        # Entering a page: its view-bound widgets start again from the view.
        for key in [k for k in st.session_state if isinstance(k, str) and k.endswith(f"@{page}")]:
            del st.session_state[key]
        st.session_state["page"] = page
        st.session_state["bound"] = {}
        if page != "sources" and view().source:  # a highlighted source belongs to the sources page only
            set_view(source=None)
    current = view()
    with st.sidebar:
        st.radio(
            t("language", current.lang),
            LANGS,
            key=widget_key("lang"),
            format_func=lambda code: {"zh": "中文", "en": "English"}[code],
            horizontal=True,
        )
        st.toggle(t("presenter_mode", current.lang), key=widget_key("present"), help=t("presenter_help", current.lang))
        st.toggle(t("basemap", current.lang), key=widget_key("basemap"))
        st.caption(t("share_link", current.lang))
    current = sync("lang", "present", "basemap")
    if current.present:
        st.button(
            t("presenter_mode", current.lang),
            key="leave_present",
            icon=":material/close:",
            on_click=set_view,
            kwargs={"present": False},
        )
    page_style()
    show_notices()
    return current
