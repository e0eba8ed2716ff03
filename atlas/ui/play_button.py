"""Streamlit glue of the year player (atlas/player.py): one Play/Pause button and one tick for every page.

Playing or not is the view's `play` (in the URL as play=0/1); the player's clock is kept per page in
the session. A page draws `button`, runs the part the player drives as a fragment with
`run_every=run_every()`, asks `tick` for the frame to show first thing in it, and calls `drawn` last.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import streamlit as st

from atlas.i18n import Lang, t
from atlas.player import PLAY_SECONDS, Frame, Player
from atlas.ui import state


def _key(name: str) -> str:
    return state.page_key(f"player_{name}")


def playing() -> bool:
    return state.view().playing


def run_every() -> float | None:
    """The fragment's rerun interval: the player's own tick, only while playing."""
    return PLAY_SECONDS if playing() else None


def toggle() -> None:
    state.set_view(play=not playing())
    st.session_state[_key("clock")] = Player(playing=playing())


def button(lang: Lang, key: str, where=st) -> None:
    """Play / Pause; the choice goes into the URL (play=0/1)."""
    where.button(
        t("pause", lang) if playing() else t("play", lang),
        on_click=toggle,
        key=key,
        icon=":material/pause:" if playing() else ":material/play_arrow:",
    )


def tick(frames: Sequence[Frame], current: Frame) -> Frame:
    """The frame to show on this run: the next one only when a step is due and `current` was drawn."""
    clock = st.session_state.get(_key("clock"))
    if clock is None or clock.playing != playing():
        clock = Player(playing=playing())
    clock, frame = clock.tick(frames, current, time.monotonic(), st.session_state.get(_key("drawn")) == current)
    st.session_state[_key("clock")] = clock
    return frame


def drawn(frame: Frame) -> None:
    """Record that `frame` was drawn to the end (the last thing of the fragment's run)."""
    st.session_state[_key("drawn")] = frame
