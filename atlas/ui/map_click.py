"""A click on a map that deck.gl's own tap can lose (a software renderer, a national view): a small
component (atlas/ui/assets/map_click.js, served by this app) sends the feature the tooltip names when
the pointer is pressed and released without a drag."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from atlas.ui.style import asset

_MOUNT = st.components.v2.component("pa_map_click", js=asset("map_click.js"), isolate_styles=False)


def follow_clicks(key: str, on_pick: Callable[[str], None]) -> None:
    """Call `on_pick(code)` (a county code, an area id) for each click on a map of the page."""
    _MOUNT(key=key, on_pick_change=lambda: _take(key, on_pick), height=0)


def _take(key: str, on_pick: Callable[[str], None]) -> None:
    picked = (st.session_state.get(key) or {}).get("pick")
    if isinstance(picked, str) and picked:
        on_pick(picked)
