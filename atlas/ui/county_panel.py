"""The county map's side panel: search for a county (one step: a single match is taken at once) and
the chosen county's facts, timeline and sources. Streamlit glue for pages/county_map.py."""

from __future__ import annotations

import html
import re

import pandas as pd
import streamlit as st

from atlas import county_map, filters
from atlas.county_map import MapInputs
from atlas.facts import county_facts, display_name, timeline
from atlas.i18n import Lang, t
from atlas.legend import escape_markdown
from atlas.sources_view import quoted_html
from atlas.ui import chrome, resources, state, user_data


@st.cache_resource(show_spinner=False)
def other_names() -> dict[str, tuple[str, ...]]:
    """Each county's other names (Hotan, Kashgar, Gyantse …; geodata/county_aliases.csv), once per process."""
    return filters.aliases_by_code(resources.atlas().aliases)


@st.cache_resource(show_spinner=False)
def places() -> pd.DataFrame:
    """The provinces and prefectures search can open (those the filters offer: they hold poverty counties),
    with their other names (Lhasa; geodata/place_aliases.csv)."""
    data = resources.atlas()
    poverty = data.poverty if data.poverty is not None else pd.DataFrame(columns=["province_code", "prefecture_code"])
    frames = [
        frame[frame["code"].isin(poverty[column])][["code", "name_zh", "name_en"]].assign(kind=kind)
        for frame, column, kind in (
            (data.provinces, "province_code", "province"),
            (data.prefectures, "prefecture_code", "prefecture"),
        )
        if frame is not None
    ]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["code", "name_zh", "name_en"])


def found(poverty: pd.DataFrame, query: str) -> pd.DataFrame:
    """What a search box's text finds: counties by their names or other names, then the provinces and
    prefectures it names (a name both a county and a place, such as Hotan, lists the county first)."""
    counties = filters.search(poverty, query, aliases=other_names()).assign(kind="county")
    if COUNTY_WORD.search(query.strip()):  # "Hetian County", "和田县": a county is asked for, not a place
        return counties
    other = filters.search(places(), query, aliases=filters.aliases_by_code(resources.atlas().place_aliases))
    return pd.concat([counties, other], ignore_index=True) if len(other) else counties


COUNTY_WORD = re.compile(r"(county|xian|县)$", re.IGNORECASE)
PLACE_KINDS = {"province": "search_province", "prefecture": "search_prefecture"}
WHOLE_PAGE = "county_search_whole_page"


def found_label(row: dict, lang: Lang) -> str:
    """The official name, and the other name it was found by: 和田县（Hotan County）; a place says what
    it is: 凉山彝族自治州（市州）."""
    name = display_name(row, lang)
    if row.get("kind") in PLACE_KINDS:
        name = t(PLACE_KINDS[row["kind"]], lang, name=name)
    alias = row.get("found_as")
    return t("search_found_as", lang, name=name, alias=alias) if isinstance(alias, str) and alias else name


def go_to(code: str, inputs: MapInputs, kind: str = "county") -> None:
    """Select a county found by search and bring the map to it (its province's own view); a province or
    prefecture found opens as the filter, which zooms the map to it."""
    if kind in PLACE_KINDS:
        codes = (code,)
        state.set_view(provinces=codes if kind == "province" else (), prefectures=codes if kind == "prefecture" else ())
        state.set_view(county=None)
        st.session_state[WHOLE_PAGE] = True  # the filters are drawn outside the map's fragment
    else:
        state.set_view(county=code, view=county_map.county_view(inputs, code, state.view().view or chrome.CHINA_VIEW))


def search_county(poverty: pd.DataFrame, inputs: MapInputs) -> None:
    """Enter in the search box: a single match is taken at once."""
    hits = found(poverty, st.session_state.get("county_search", ""))
    st.session_state.pop("county_search_pick", None)
    if len(hits) == 1:
        go_to(hits["code"].iloc[0], inputs, hits["kind"].iloc[0])


def pick_county(inputs: MapInputs, kinds: dict[str, str]) -> None:
    choice = st.session_state.get("county_search_pick")
    if choice:
        go_to(choice, inputs, kinds.get(choice, "county"))


def county_panel(poverty: pd.DataFrame, inputs: MapInputs, lang: Lang) -> None:
    if st.session_state.pop(WHOLE_PAGE, False):  # a place found: the whole page runs again with its filter
        st.rerun(scope="app")
    current = state.view()
    query = st.text_input(
        t("search_county", lang),
        key="county_search",
        on_change=search_county,
        args=(poverty, inputs),
        placeholder=t("search_placeholder", lang),
    )
    if query:
        hits = found(poverty, query)
        if hits.empty:
            st.caption(t("search_none", lang))
        elif len(hits) == 1 and isinstance(hits["found_as"].iloc[0], str):
            st.caption(escape_markdown(found_label(hits.iloc[0].to_dict(), lang)))
        elif len(hits) > 1:
            # Codes do not clash: a county's never ends in 00, a prefecture's or province's does.
            names = {row["code"]: found_label(row, lang) for row in hits.to_dict("records")}
            st.selectbox(
                t("county", lang),
                list(names),
                index=None,
                placeholder=t("search_pick", lang, n=len(hits)),
                key="county_search_pick",
                format_func=names.get,
                on_change=pick_county,
                args=(inputs, dict(zip(hits["code"], hits["kind"]))),
                label_visibility="collapsed",
            )
    rows = poverty[poverty["code"] == current.county] if current.county else poverty.iloc[0:0]
    if rows.empty:
        other = inputs.boundaries[inputs.boundaries["code"] == current.county] if current.county else rows
        if not other.empty:  # a county of the map outside the 832: say so with its name
            name = display_name(other.iloc[0].to_dict(), lang)
            st.header(name)
            st.caption(escape_markdown(t("not_poverty_county", lang, name=name)))
        st.caption(t("click_hint", lang))
        return
    row = rows.iloc[0].to_dict()
    st.header(display_name(row, lang))
    close = county_map.close_view(inputs, row["code"], chrome.CHINA_VIEW)
    if current.view != close:
        st.button(
            t("zoom_to_county", lang),
            key="zoom_to_county",
            icon=":material/zoom_in:",
            on_click=state.set_view,
            kwargs={"view": close},
        )
    facts = county_facts(row, lang, chrome.area_names(), current.year, chrome.place_names())
    facts += user_data.imported_facts(row)
    st.markdown("\n".join(f"- **{escape_markdown(label)}**: {escape_markdown(value)}" for label, value in facts))
    st.caption(f"{t('timeline', lang)}: {escape_markdown(timeline(row.get('exit_year'), lang))}")
    if isinstance(row.get("notes"), str) and row["notes"]:
        # The compiler's words as written, marked with their language (quoted, not the app's words).
        note = html.escape(t("compiler_note", lang)) + ": " + quoted_html(row["notes"])
        st.html(f'<p class="pa-quoted-note">{note}</p>')
    chrome.caption_sources(rows["source_ids"])
