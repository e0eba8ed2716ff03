"""The shared dataset store (atlas.datasets) as the pages see it (Streamlit glue): one Store per process
and database URL, a banner while it cannot be used (the atlas then serves its bundled data), and its
revision polled cheaply so that every session on every worker sees a change within a few seconds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from atlas.datasets import Store, StoreUnavailable, database_url
from atlas.i18n import Lang, t
from atlas.legend import escape_markdown

RETRY_S = 10.0  # a store that could not be opened is tried again after this long, not on every run
REVISION_TTL_S = 2.0  # one small query per process this often: a publish shows everywhere within 5 s
PROBLEM = "store_problem"  # this run's StoreUnavailable message, for the banner

Result = TypeVar("Result")
_failed: dict[str, tuple[float, str]] = {}  # database URL -> (when opening failed, why)
_lock = threading.Lock()


@st.cache_resource(show_spinner=False)
def _open(url: str) -> Store:
    return Store.open(url)  # raises StoreUnavailable: nothing cached, tried again after RETRY_S


def store() -> Store | None:
    """This process's Store for ATLAS_DATABASE_URL, or None while it cannot be opened (see problem())."""
    url = database_url()
    with _lock:
        failed = _failed.get(url)
        if failed is not None and time.monotonic() - failed[0] < RETRY_S:
            _note(failed[1])
            return None
    try:
        return _open(url)
    except StoreUnavailable as exc:
        with _lock:
            _failed[url] = (time.monotonic(), str(exc))
        _note(str(exc))
        return None


def _note(problem: str) -> None:
    st.session_state[PROBLEM] = problem


@st.cache_data(ttl=REVISION_TTL_S, show_spinner=False)
def _revision(url: str) -> int:
    opened = store()
    if opened is None:
        return -1
    try:
        return opened.revision()
    except StoreUnavailable:
        return -1


def revision() -> int:
    """A number that changes with every write to the store (-1 while it cannot be used); cache what
    you derive from the store by it. Read at most every REVISION_TTL_S per process."""
    found = _revision(database_url())
    if found < 0:
        store()  # notes why, for the banner
    else:
        st.session_state.pop(PROBLEM, None)
    return found


def call(action: Callable[[Store], Result]) -> Result | None:
    """`action(store)`, or None (and the banner) when the store cannot be opened or used."""
    opened = store()
    if opened is None:
        return None
    try:
        return action(opened)
    except StoreUnavailable as exc:
        _note(str(exc))
        return None


def banner(lang: Lang) -> None:
    """While the store cannot be used: say so, and that the atlas shows its bundled data."""
    problem = st.session_state.get(PROBLEM)
    if problem:
        st.warning(t("store_unavailable", lang) + escape_markdown(problem), icon=":material/cloud_off:")
