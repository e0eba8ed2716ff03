"""What every page shares: the sidebar (language, presenter mode, basemap, add to story), URL notices,
data-file errors, source lines under figures and place names in the reader's language.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from atlas import story
from atlas.i18n import LANGS, t
from atlas.legend import escape_markdown, sources_markdown
from atlas.ui import presenter_tools, resources, state, story_play, style
from atlas.url_state import DEFAULT, ViewState, notice_text
from loaders.schema import split_ids

CHINA_VIEW = (35.0, 104.0, 2.75)  # the mainland in a ~650 px wide map


CHINA_VIEW = (35.0, 104.0, 2.75)  # the mainland in a ~650 px wide map
CHINA_VIEW_NARROW = (35.0, 104.5, 2.45)  # the same in a ~500 px wide map column


def show_notices() -> None:
    notices = st.session_state.pop("url_notices", [])
    if notices:
        text = ("；" if state.lang() == "zh" else "; ").join(notice_text(n, state.lang()) for n in notices)
        st.warning(t("url_notice", state.lang()) + escape_markdown(text), icon=":material/warning:")


def show_error(file_part: str) -> bool:
    """Show the error of a bad data file, if any; True when the file is usable."""
    error = resources.atlas().error_for(file_part)
    if error is None:
        return True
    st.error(t("data_error", state.lang()) + str(error), icon=":material/error:")
    return False


def sources_query() -> str:
    """What a link to the sources page carries, so that it opens in the reader's language."""
    return urlencode({"lang": state.lang()}) if state.lang() != DEFAULT.lang else ""


CAPTION_SOURCES = 4  # more would bury the figure under its footnote


def caption_sources(ids: list[str] | Any) -> None:
    """The source line under a chart or map: short citations, each linked to its row on the sources
    page; a column of rows gives its most cited sources first."""
    if not isinstance(ids, list):
        ids = [sid for sid, _ in Counter(sid for value in ids for sid in split_ids(value)).most_common()]
    text = sources_markdown(
        ids,
        resources.source_citations(),
        t("sources_short", state.lang()),
        t("sources_more", state.lang()),
        CAPTION_SOURCES,
        sources_query(),
    )
    if text:
        st.caption(text)


def province_names() -> dict[str, str]:
    """Province code -> display name in the current language."""
    return resources.province_names(state.lang())


def area_names() -> dict[str, str]:
    """Contiguous-area id -> display name in the current language."""
    return resources.area_names(state.lang())


def prefecture_names() -> dict[str, str]:
    """Prefecture code -> name in the current language, for the prefectures that hold poverty counties."""
    return resources.prefecture_names(state.lang())


def place_names() -> dict[str, str]:
    """Province and prefecture code -> name in the current language (facts, tables)."""
    return resources.place_names(state.lang())


def chrome(page: str) -> ViewState:
    """The shared sidebar (language, presenter mode, basemap), page style and URL notices.

    Every page calls this first with its name: it is part of each run, and returns the state.view."""
    story_play.story_step(page)
    if st.session_state.get("page") != page:
        # Entering a page: its state.view-bound widgets state.start again from the state.view.
        for key in [k for k in st.session_state if isinstance(k, str) and k.endswith(f"@{page}")]:
            del st.session_state[key]
        st.session_state["page"] = page
        st.session_state["bound"] = {}
        if page != "sources" and state.view().source:  # a highlighted source belongs to the sources page only
            state.set_view(source=None)
        if page != "story" and state.view().story:  # so does a story carried by a link to the Story page
            state.set_view(story=None)
    story_play.slide_bar(page)
    if page in story.STORY_PAGES:
        st.session_state[story_play.LAST_PAGE] = page
    current = state.view()
    with st.sidebar:
        st.radio(
            t("language", current.lang),
            LANGS,
            key=state.widget_key("lang"),
            format_func=lambda code: {"zh": "中文", "en": "English"}[code],
            horizontal=True,
        )
        st.toggle(
            t("presenter_mode", current.lang), key=state.widget_key("present"), help=t("presenter_help", current.lang)
        )
        st.toggle(t("basemap", current.lang), key=state.widget_key("basemap"))
        st.caption(t("share_link", current.lang))
        if page in story.STORY_PAGES:
            st.button(
                t("story_add", current.lang),
                key="story_add",
                icon=":material/playlist_add:",
                on_click=story_play.add_view,
                args=(page,),
            )
    current = state.sync("lang", "present", "basemap")
    if current.present:
        add = (lambda: story_play.add_view(page)) if page in story.STORY_PAGES else None
        presenter_tools.corner(current.lang, add, lambda: state.set_view(present=False))
    style.page_style()
    show_notices()
    return current
