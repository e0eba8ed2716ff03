"""Streamlit glue shared by the pages: the view state, the URL and the chrome (shared data: atlas.resources).

The view lives in `st.session_state["view"]` (a ViewState) and is mirrored into
`st.query_params` on every run, so a copied link reopens the same view.

Widgets drawn by a page script belong to that page (Streamlit keys their state by
page), so a widget bound to the view gets a per-page key "w_<field>@<page>":
`widget_key` seeds it from the view whenever it is new (first visit, or back from
another page) and `sync` folds its value back into the view.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from atlas import resources
from atlas.i18n import LANGS, Lang, t
from atlas.imported import ActiveImport, AppliedList, applied_note, county_values, overlay, user_facts
from atlas.legend import LEGEND_CSS, escape_markdown, sources_markdown
from atlas.player import opening_play
from atlas.url_state import DEFAULT, YEAR_KEYS, ParseResult, ViewState, encode, parse
from loaders.schema import split_ids

CHINA_VIEW = (35.0, 104.0, 2.75)  # the mainland in a ~650 px wide map
CHINA_VIEW_NARROW = (35.0, 104.5, 2.45)  # the same in a ~500 px wide map column


APPLIED_LISTS = "applied_lists"


def applied_lists() -> tuple[AppliedList, ...]:
    """Membership lists this session applied on the Import page (never shared with other sessions)."""
    return tuple(st.session_state.get(APPLIED_LISTS, ()))


def session_poverty() -> pd.DataFrame | None:
    """`resources.poverty_table()` as this session sees it: with its applied lists overlaid on a copy
    (the bundled table, cached for every session, is never modified)."""
    base = resources.poverty_table()
    if base is None:  # no boundary layer: the table without today's names
        base = resources.atlas().poverty
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


def start() -> ViewState:
    """The view of this run: from the URL on a session's first run, then from the session."""
    if "view" not in st.session_state:
        params = st.query_params.to_dict()
        result: ParseResult = parse(params, resources.vocabulary())
        state = result.state
        # A link that names a year holds it: it plays only with play=1 (or after Play).
        opening = opening_play(state.play, state.present, any(k in params for k in YEAR_KEYS))
        st.session_state["view"] = state if opening == state.playing else replace(state, play=opening)
        st.session_state["url_notices"] = list(result.notices)
    return st.session_state["view"]


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
        st.warning(t("url_notice", lang()) + "; ".join(notices), icon=":material/warning:")


def show_error(file_part: str) -> bool:
    """Show the error of a bad data file, if any; True when the file is usable."""
    error = resources.atlas().error_for(file_part)
    if error is None:
        return True
    st.error(t("data_error", lang()) + str(error), icon=":material/error:")
    return False


CAPTION_SOURCES = 4  # more would bury the figure under its footnote


def caption_sources(ids: list[str] | Any) -> None:
    """The source line under a chart or map: short citations, each linked to its row on the sources
    page; a column of rows gives its most cited sources first."""
    if not isinstance(ids, list):
        ids = [sid for sid, _ in Counter(sid for value in ids for sid in split_ids(value)).most_common()]
    query = urlencode({"lang": lang()}) if lang() != DEFAULT.lang else ""
    text = sources_markdown(
        ids, resources.source_citations(), t("sources_short", lang()), t("sources_more", lang()), CAPTION_SOURCES, query
    )
    if text:
        st.caption(text)


# Presenter mode: no chrome, large type, and every page's figure fits one screen (1366x768 up to
# 1920x1080): a map's height follows the viewport (less what its page shows above it, in rem),
# the legend and the year sit beside it.
PRESENTER_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], footer {display: none !important;}
.block-container {padding: 0.6rem 1.2rem 0.4rem 1.2rem !important; max-width: 100% !important;}
html, body, [data-testid="stAppViewContainer"] {font-size: 20px;}
h1 {font-size: clamp(1.3rem, 3.6vh, 2.4rem) !important; padding: 0 !important;}
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
[data-testid="stHeading"] [data-testid="stMarkdownContainer"] {margin-bottom: 0 !important;}
h2, h3 {font-size: clamp(1.1rem, 3.4vh, 1.8rem) !important; padding: 0.1rem 0 !important;}
[data-testid="stMetricValue"] {font-size: clamp(2rem, 6.5vh, 3.2rem) !important;}
.st-key-pa_fig_overview [data-testid="stElementContainer"]:has([data-testid="stDeckGlJsonChart"]),
.st-key-pa_fig_overview [data-testid="stFullScreenFrame"],
.st-key-pa_fig_overview [data-testid="stDeckGlJsonChart"] {height: calc(100vh - 19rem) !important;
  min-height: 240px !important; flex: 0 0 auto !important;}
.st-key-pa_fig_areas [data-testid="stElementContainer"]:has([data-testid="stDeckGlJsonChart"]),
.st-key-pa_fig_areas [data-testid="stFullScreenFrame"],
.st-key-pa_fig_areas [data-testid="stDeckGlJsonChart"] {height: calc(100vh - 8.5rem) !important;
  min-height: 240px !important; flex: 0 0 auto !important;}
.st-key-pa_fig_trends [data-testid="stElementContainer"]:has([data-testid="stDeckGlJsonChart"]),
.st-key-pa_fig_trends [data-testid="stFullScreenFrame"],
.st-key-pa_fig_trends [data-testid="stDeckGlJsonChart"] {height: calc(100vh - 14rem) !important;
  min-height: 240px !important; flex: 0 0 auto !important;}
.pa-map-label {font-size: 1.2rem; font-weight: 600; margin: 1rem 0 0 0;}
.pa-year {font-size: clamp(3rem, 11vh, 7.5rem); font-weight: 700; line-height: 1; margin: 0;
  font-variant-numeric: tabular-nums;}
.pa-year-pair {font-size: clamp(2rem, 7vh, 4.8rem);}
</style>
"""


def page_style() -> None:
    st.html(LEGEND_CSS + (PRESENTER_CSS if view().present else ""))


def province_names() -> dict[str, str]:
    """Province code -> display name in the current language."""
    return resources.province_names(lang())


def area_names() -> dict[str, str]:
    """Contiguous-area id -> display name in the current language."""
    return resources.area_names(lang())


def prefecture_names() -> dict[str, str]:
    """Prefecture code -> name, for the prefectures that hold poverty counties."""
    return resources.prefecture_names()


def selection_key(flt: Hashable) -> tuple:
    """What names the rows a filter selects in this session: the filter and the lists it applied."""
    return flt, tuple(item.key for item in applied_lists())


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
