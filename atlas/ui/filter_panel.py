"""The filter widgets shared by the county map and the export page (so both select the same)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas.filters import CountyFilter
from atlas.i18n import t
from atlas.ui import chrome, state
from atlas.url_state import DEFAULT, EXIT_YEAR_RANGE

FILTER_FIELDS = ("provinces", "prefectures", "areas", "sanqu_only", "key_only", "deep_only")


def _clear() -> None:
    state.set_view(
        **{f: getattr(DEFAULT, f) for f in FILTER_FIELDS},
        exit_from=DEFAULT.exit_from,
        exit_to=DEFAULT.exit_to,
        county=None,
        view=None,
    )
    st.session_state[state.page_key("w_exit")] = (DEFAULT.exit_from, DEFAULT.exit_to)


def filter_panel(poverty: pd.DataFrame) -> CountyFilter:
    """Draw the filters in the sidebar; return the filter they set."""
    lang = state.lang()
    province_names = chrome.province_names()
    area_names = chrome.area_names()
    pref_names = chrome.prefecture_names()
    pref_province = dict(zip(poverty["prefecture_code"], poverty["province_code"]))
    with st.sidebar:
        st.subheader(t("filters", lang))
        st.multiselect(
            t("province", lang),
            sorted(set(poverty["province_code"])),
            key=state.widget_key("provinces"),
            placeholder=t("choose_options", lang),
            format_func=lambda c: province_names.get(c, c),
        )
        chosen = set(st.session_state[state.widget_key("provinces")])
        # Chosen prefectures stay options when their province is removed, so the widget never errors.
        kept = set(st.session_state.get(state.widget_key("prefectures"), ()))
        options = sorted(c for c in pref_names if not chosen or pref_province.get(c) in chosen or c in kept)
        st.multiselect(
            t("prefecture", lang),
            options,
            key=state.widget_key("prefectures"),
            placeholder=t("choose_options", lang),
            format_func=lambda c: pref_names.get(c, c),
        )
        st.multiselect(
            t("contiguous_area", lang),
            list(area_names),
            key=state.widget_key("areas"),
            placeholder=t("choose_options", lang),
            format_func=lambda a: area_names.get(a, a),
        )
        st.toggle(t("sanqu_only", lang), key=state.widget_key("sanqu_only"))
        st.toggle(t("key_only", lang), key=state.widget_key("key_only"))
        st.toggle(t("deep_only", lang), key=state.widget_key("deep_only"))
        exit_key = state.page_key("w_exit")
        if exit_key not in st.session_state:
            st.session_state[exit_key] = (state.view().exit_from, state.view().exit_to)
        st.slider(
            t("exit_range", lang), EXIT_YEAR_RANGE[0], EXIT_YEAR_RANGE[1], key=exit_key, help=t("exit_range_help", lang)
        )
        st.button(t("reset_filters", lang), on_click=_clear, key=state.page_key("clear_filters"))
    exit_from, exit_to = st.session_state[exit_key]
    state.set_view(exit_from=exit_from, exit_to=exit_to)
    return CountyFilter.from_state(state.sync(*FILTER_FIELDS))


def filter_names() -> dict[str, str]:
    """Display names of every code and id a filter may hold (for describing it)."""
    return chrome.province_names() | chrome.prefecture_names() | chrome.area_names()
