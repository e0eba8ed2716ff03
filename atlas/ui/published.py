"""Published datasets in this session's view (Streamlit glue): the catalogue read once per store revision
per process, each version's rows once per process (versions never change), the lists a view applies as
AppliedLists overlaid once per combination, outlines dissolved once per area list, the sidebar's choice
(into the URL as `ds=`) and what a link naming an unknown, withdrawn or old version must say.

The revision is polled by atlas.ui.store (a short TTL), and an open page reruns itself when it changes,
so a publish or a new default shows in every session on every worker within a few seconds.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd
import pydeck as pdk
import streamlit as st

from atlas import imported, layers, published
from atlas.county_map import MapInputs, MapModel
from atlas.datasets import DatasetVersion, StoreError, StoreUnavailable, database_url
from atlas.i18n import Lang, t
from atlas.imported import AppliedList, area_lookup, overlay
from atlas.legend import escape_markdown
from atlas.published import FLAG_OF_KIND, Resolved
from atlas.ui import resources, state, store as shared_store
from atlas.url_state import ViewState
from loaders import geometry

RECENT_S = 0.5  # one page run's many questions get one answer
WATCH_S = 2.0  # how often an open page asks whether the store changed (a cached number: no query)
SHOWN_REVISION = "published_revision"  # the store revision this session's page was drawn with


@dataclass(frozen=True)
class Catalogue:
    """Every dataset's versions (oldest first) and the admin's defaults, as of one store revision."""

    revision: int
    by_id: Mapping[str, tuple[DatasetVersion, ...]] = field(default_factory=dict)
    defaults: Mapping[str, DatasetVersion] = field(default_factory=dict)


EMPTY = Catalogue(-1)


@st.cache_resource(show_spinner=False, max_entries=4)
def _catalogue(url: str, revision: int) -> Catalogue:
    store = shared_store.store()
    if store is None:
        raise StoreUnavailable("the dataset store cannot be opened")
    by_id = {d.dataset_id: tuple(store.versions(d.dataset_id)) for d in store.datasets()}
    return Catalogue(revision, by_id, store.defaults())


_recent: dict[str, tuple[float, Catalogue]] = {}  # database URL -> (when looked up, the catalogue then)
_recent_lock = threading.Lock()


def catalogue() -> Catalogue:
    """The catalogue at the store's current revision (EMPTY, and the store's banner, while it cannot be used).
    A page asks many times a run: the answer is kept for RECENT_S per process (a dict lookup), on top of
    the revision's own TTL: a change shows within REVISION_TTL_S + RECENT_S + WATCH_S (4.5 s)."""
    url = database_url()
    with _recent_lock:
        kept = _recent.get(url)
    if kept is not None and time.monotonic() - kept[0] < RECENT_S:
        return kept[1]
    revision = shared_store.revision()
    if revision < 0:
        return EMPTY
    try:
        found = _catalogue(url, revision)
    except StoreError as exc:  # down, or a version gone from a restored store
        st.session_state[shared_store.PROBLEM] = str(exc)
        return EMPTY
    with _recent_lock:
        _recent[url] = (time.monotonic(), found)
    return found


def resolved() -> Resolved:
    """What this view applies: its `ds` refs, else the defaults (published.resolve)."""
    found = catalogue()
    return published.resolve(state.view().datasets, found.by_id, found.defaults)


def _base() -> pd.DataFrame | None:
    base = resources.poverty_table()
    return resources.atlas().poverty if base is None else base


@st.cache_resource(show_spinner=False)
def _area_ids() -> dict[str, str]:
    areas = resources.atlas().areas
    return {} if areas is None else area_lookup(areas)


@st.cache_resource(show_spinner=False, max_entries=64)
def _applied(key: str, _version: DatasetVersion) -> AppliedList:
    """A published list as an AppliedList, read from the store once per version per process (`key`:
    the version's ref and publication time)."""
    store = shared_store.store()
    if store is None:
        raise StoreUnavailable("the dataset store cannot be opened")
    rows = store.rows(_version.dataset_id, _version.version)
    return published.as_applied(_version, rows, _base(), _area_ids())


def lists() -> tuple[AppliedList, ...]:
    """The published county lists this view applies (none while the store cannot be used)."""
    return _lists_of(resolved().versions)


def _lists_of(versions: tuple[DatasetVersion, ...]) -> tuple[AppliedList, ...]:
    out = []
    for version in versions:
        if version.kind not in FLAG_OF_KIND:
            continue
        try:
            out.append(_applied(published.version_key(version), version))
        except StoreError as exc:  # down, or a version gone from a restored store
            st.session_state[shared_store.PROBLEM] = str(exc)
    return tuple(out)


@st.cache_resource(show_spinner=False, max_entries=32)
def _overlaid(keys: tuple[str, ...], _lists: tuple[AppliedList, ...]) -> pd.DataFrame:
    return overlay(_base(), _lists)


def poverty(applied: tuple[AppliedList, ...]) -> pd.DataFrame | None:
    """The poverty table with these published lists, overlaid once per combination per process."""
    base = _base()
    if base is None or not applied:
        return base
    return _overlaid(tuple(a.key for a in applied), applied)


@st.cache_resource(show_spinner=False, max_entries=16)
def _outlines(keys: tuple[str, ...], _shown: pd.DataFrame) -> tuple[list[dict[str, Any]], dict[str, int]]:
    data = resources.atlas()
    frame = published.dissolve(data.counties, _shown, list(data.areas["area_id"]))
    coarse = geometry.build(frame, key="unit_id", is_coverage=False).coarse
    names = {a: (zh, en) for a, zh, en in zip(data.areas["area_id"], data.areas["name_zh"], data.areas["name_en"])}
    feats = [
        {"type": "Feature", "geometry": coarse[u], "properties": {"c": u, "i": i, "nz": names[u][0], "ne": names[u][1]}}
        for i, u in enumerate(frame["unit_id"])
        if u in coarse
    ]
    return feats, dict(zip(frame["unit_id"], frame["poverty_county_count"].astype(int)))


def area_outlines(shown: pd.DataFrame) -> tuple[list[dict[str, Any]], dict[str, int]] | None:
    """The areas' outlines dissolved from the published area list in force (features with `c`, and the
    member count per area), dissolved once per list per process; None when no published area list applies."""
    keys = tuple(a.key for a in lists() if a.flag == "contiguous_area")
    if not keys or resources.atlas().counties is None or resources.atlas().areas is None:
        return None
    return _outlines(keys, shown)


def pinned(view: ViewState) -> ViewState:
    """The view naming the datasets it applies, so that a slide plays the same map on any machine
    whatever that atlas's defaults are."""
    if view.datasets is not None:
        return view
    return replace(view, datasets=tuple(v.ref for v in resolved().versions))


def table_for(refs: tuple[str, ...]) -> tuple[pd.DataFrame | None, tuple[str, ...]]:
    """The poverty table a slide's recorded datasets make, and their citations (for its files)."""
    found = catalogue()
    applied = _lists_of(published.resolve(refs, found.by_id, found.defaults).versions)
    return poverty(applied), tuple(a.provenance.short() for a in applied)


@st.cache_resource(show_spinner=False, max_entries=16)
def _panel(key: str, fallback: tuple[float, float, float], _version: DatasetVersion) -> published.Panel:
    """A published panel read once per version per process (`key`: its ref and publication time)."""
    store = shared_store.store()
    if store is None:
        raise StoreUnavailable("the dataset store cannot be opened")
    return published.panel_of(store.rows(_version.dataset_id, _version.version), resources.atlas().counties, fallback)


@st.cache_resource(show_spinner=False, max_entries=64)
def _panel_classes(key: str, column: str, lang: Lang, contrast: bool, _rows: pd.DataFrame) -> imported.ValueClasses:
    """One column's classes over every year at once, once per process."""
    return published.panel_classes(_rows, column, lang, contrast)


@st.cache_resource(show_spinner=False, max_entries=resources.VIEW_ENTRIES)
def _panel_view(
    key: str,
    column: str,
    year: int,
    lang: Lang,
    present: bool,
    basemap: bool,
    _inputs: MapInputs,
    _panel: published.Panel,
) -> tuple[MapModel, pdk.Deck]:
    """One view of a panel layer (its model and deck), built once per process and shared, never modified."""
    classes = _panel_classes(key, column, lang, present, _panel.rows)
    model = imported.map_model(_inputs, _panel.by_year[year], column, classes, None, year, lang, _panel.view)
    deck = layers.deck(model.layers, _panel.view, basemap, layers.name_tooltip(lang))
    deck.to_json = functools.cache(deck.to_json)  # type: ignore[method-assign]  # never modified: serialised once
    return model, deck


def _loaded(
    versions: tuple[DatasetVersion, ...], fallback: tuple[float, float, float]
) -> list[tuple[DatasetVersion, published.Panel]]:
    """Each of these versions that is a panel, read (one the store cannot give is left out, its banner says why)."""
    out = []
    for version in versions:
        if version.kind != "panel":
            continue
        try:
            out.append((version, _panel(published.version_key(version), fallback, version)))
        except StoreError as exc:  # down, or a version gone from a restored store
            st.session_state[shared_store.PROBLEM] = str(exc)
    return out


def panels_for(
    refs: tuple[str, ...], fallback: tuple[float, float, float]
) -> dict[str, tuple[DatasetVersion, published.Panel]]:
    """The published panels among a slide's or a view's recorded datasets, by ref (for its files)."""
    found = catalogue()
    versions = published.resolve(refs, found.by_id, found.defaults).versions
    return {version.ref: (version, panel) for version, panel in _loaded(versions, fallback)}


def panel_options(fallback: tuple[float, float, float]) -> dict[str, str]:
    """The published panel columns the County map may show as its layer: the view's `panel` field -> label."""
    return {
        published.panel_field(version.dataset_id, column): published.panel_label(version, column)
        for version, panel in _loaded(resolved().versions, fallback)
        for column in panel.columns
    }


def shown(lang: Lang, fallback: tuple[float, float, float]) -> published.ShownPanel | None:
    """The published panel column and year the view shows (None: a built-in layer), saying what of the
    view's `panel` and `pyear` cannot be shown. While the store cannot be used its banner says why."""
    view = state.view()
    if view.panel is None or catalogue() is EMPTY:
        return None
    found, notices = published.pick_panel(view.panel, view.panel_year, _loaded(resolved().versions, fallback))
    for notice in notices:
        st.warning(escape_markdown(notice.text(lang)), icon=":material/layers:")
    return found


def panel_map(panel: published.ShownPanel, inputs: MapInputs, lang: Lang) -> tuple[MapModel, pdk.Deck, str]:
    """The shown panel's map (model and deck, shared by every session showing it) and its legend's note."""
    view = state.view()
    column, year = panel.choice.column, panel.choice.year
    model, deck = _panel_view(panel.key, column, year, lang, view.present, view.basemap, inputs, panel.panel)
    return model, deck, _panel_classes(panel.key, column, lang, view.present, panel.panel.rows).note


def panel_citation(panel: published.ShownPanel, lang: Lang) -> None:
    """What the panel layer is drawn from: its title, version, publisher and source."""
    cited = published.PublishedSource.of(panel.version).note(lang)
    st.caption(f":material/verified: {escape_markdown(cited)}")


def _pick_year(key: str) -> None:
    state.set_view(panel_year=st.session_state[key])


def panel_year_slider(panel: published.ShownPanel, lang: Lang, playing: bool) -> None:
    """The panel's own years; the choice goes into the view (`pyear`). Read-only while playing."""
    if playing:
        # A key per year, as the County map's own slider: one whose value the server keeps changing lags.
        year = panel.choice.year
        key = state.page_key(f"panel_year_playing_{year}")
        st.select_slider(t("year", lang), panel.years, value=year, disabled=True, key=key)
        return
    key = state.page_key("w_panel_year")
    st.session_state[key] = panel.choice.year  # the view is the truth (a link, Back, a slide)
    st.select_slider(t("year", lang), panel.years, key=key, on_change=_pick_year, args=(key,))


def _label(ref: str, found: Catalogue, lang: Lang) -> str:
    dataset_id, _, number = ref.partition("@")
    version = next((v for v in found.by_id.get(dataset_id, ()) if str(v.version) == number), None)
    if version is None:
        return ref
    default = " " + t("published_defaults", lang) if found.defaults.get(version.kind) == version else ""
    return f"{version.title} · v{version.version}{default}"


def _choose(key: str) -> None:
    refs = tuple(st.session_state.get(key) or ())
    panel = state.view().panel
    if panel is not None and not any(r.startswith(panel.partition(":")[0] + "@") for r in refs):
        state.set_view(panel=None, panel_year=None)  # its panel turned off: the map goes back to a built-in layer
    state.set_view(datasets=refs)


def sidebar(lang: Lang) -> None:
    """The viewer's choice of published datasets (into the URL), and what the link's refs need said.
    Also writes back a `latest` ref as its number."""
    found = catalogue()
    if found is EMPTY:  # the store's banner says why; the link keeps what it names for when it is back
        return
    result = resolved()
    view = state.view()
    if view.datasets is not None and result.refs != view.datasets:
        state.set_view(datasets=result.refs)  # `latest` becomes the number it stands for
    for notice in result.notices:
        st.warning(escape_markdown(notice.text(lang)), icon=":material/history:")
    if not found.by_id:
        return
    shown = [v.ref for v in result.versions]
    options = published.choices(found.by_id, shown)
    key = f"ds_pick@{found.revision}@{'|'.join(shown)}@{view.datasets is None}"
    with st.sidebar:
        st.multiselect(
            t("published_sidebar", lang),
            options,
            default=shown,
            format_func=lambda ref: _label(ref, found, lang),
            key=key,
            help=t("published_sidebar_help", lang),
            on_change=_choose,
            args=(key,),
        )


@st.fragment(run_every=WATCH_S)
def _poll() -> None:
    if catalogue().revision != st.session_state.get(SHOWN_REVISION):
        st.rerun(scope="app")


def watch() -> None:
    """Rerun this page when the store changed since it was drawn (another worker published, withdrew
    or chose a default): polled every WATCH_S by a fragment that reads a cached number. Only once the
    store holds a dataset: an atlas that publishes nothing keeps its pages quiet."""
    found = catalogue()
    st.session_state[SHOWN_REVISION] = found.revision
    if found.by_id:
        _poll()
