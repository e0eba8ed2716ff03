"""The view of a session: read from the URL on its first run (and on Back/Forward), kept in
`st.session_state["view"]` (a ViewState), mirrored into the URL on every run.

Widgets drawn by a page script belong to that page (Streamlit keys their state by page), so a
widget bound to the view gets a per-page key "w_<field>@<page>": `widget_key` seeds it from the
view whenever it is new (first visit, or back from another page) and `sync` folds its value back.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from atlas.i18n import Lang
from atlas.player import opening_play
from atlas.ui import resources
from atlas.url_state import YEAR_KEYS, ParseResult, ViewState, encode, parse


def start() -> ViewState:
    """The view of this run: from the URL on a session's first run and after the browser's Back or
    Forward, otherwise from the session."""
    if "view" not in st.session_state:
        params = st.query_params.to_dict()
        result: ParseResult = parse(params, resources.vocabulary())
        state = result.state
        # A link that names a year holds it: it plays only with play=1 (or after Play).
        opening = opening_play(state.play, state.present, any(k in params for k in YEAR_KEYS))
        st.session_state["view"] = state if opening == state.playing else replace(state, play=opening)
        st.session_state["url_notices"] = list(result.notices)
    elif _history_navigation() and st.query_params.to_dict() != encode(view()):
        # Each view change pushed a history entry (write_url); Back returns to it. Without this the
        # run would write the session's view over the older URL, and that press of Back did nothing.
        restored = parse(st.query_params.to_dict(), resources.vocabulary()).state
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
