"""Presenter mode's corner: "add this view to the story" (the sidebar, where it lives otherwise, is
hidden) and the exit button, both in dark text on white (WCAG AA: 4.5:1 and more; the half-transparent
grey they had was 2.95:1). Hidden while a story plays: its bar has Previous, Next and End."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from atlas.i18n import Lang, t

TOOLS_CSS = """
<style>
.st-key-pa_present_tools {position: fixed; top: 0.4rem; right: 0.8rem; z-index: 999990; width: auto !important;
  flex-direction: row !important; gap: 0.4rem !important; align-items: center;}
.st-key-pa_present_tools [data-testid="stElementContainer"] {width: auto !important;}
.st-key-pa_present_tools button {font-size: 0.7rem; min-height: 0; padding: 0.1rem 0.5rem; color: #1f1f1f;
  background: #ffffff; border: 1px solid #6b6b6b;}
.st-key-pa_present_tools button:hover {color: #000000; border-color: #000000;}
body:has(.st-key-pa_story_bar) .st-key-pa_present_tools {display: none !important;}
</style>
"""


def corner(lang: Lang, add: Callable[[], None] | None, leave: Callable[[], None]) -> None:
    """The two buttons (`add` None: the page cannot be a slide, only the exit)."""
    with st.container(key="pa_present_tools"):
        if add is not None:
            st.button(t("story_add", lang), key="story_add_present", icon=":material/playlist_add:", on_click=add)
        st.button(t("presenter_mode", lang), key="leave_present", icon=":material/close:", on_click=leave)
    st.html(TOOLS_CSS)
