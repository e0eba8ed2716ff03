"""The year player shared by every page: which frame shows, and when the next one comes.

A pure state machine (no Streamlit): the page's glue (atlas/ui/play_button.py) keeps a `Player` in the
session and calls `tick` on every run of the part of the page the player drives. A frame advances
only on the player's own tick — at least a step's time since the last advance, with the current
frame drawn to the end — so a click or any other rerun while playing never skips a year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

PLAY_SECONDS = 1.6  # one year on screen while playing
# A step due a little early still counts: a run every PLAY_SECONDS never arrives exactly on time.
EARLY = 0.9

Frame = TypeVar("Frame", int, str)


def opening_play(play: bool | None, present: bool, names_a_year: bool) -> bool:
    """Whether a view opens playing: `play=0/1` in the URL decides; else presenter mode plays, unless
    the link names a year (a prepared link holds the year it names until the person presses Play)."""
    if play is not None:
        return play
    return present and not names_a_year


@dataclass(frozen=True)
class Player:
    playing: bool = False
    last_tick: float | None = None  # when the current frame was first shown while playing

    def toggled(self) -> Player:
        """Play or pause; after Play the current frame shows for a whole step first."""
        return Player(playing=not self.playing)

    def tick(self, frames: Sequence[Frame], current: Frame, now: float, drawn: bool = True) -> tuple[Player, Frame]:
        """The player and the frame to show on this run.

        `current` is the frame on screen (the view's year); `drawn` says whether it was drawn to
        the end (a run cut short is drawn again before moving on). A frame not in `frames` opens
        on the first one."""
        if not frames:
            return self, current
        if current not in frames:
            current = frames[0]
        if not self.playing or len(frames) < 2:
            return replace(self, last_tick=None), current
        if self.last_tick is None:
            return replace(self, last_tick=now), current
        if now - self.last_tick < PLAY_SECONDS * EARLY:
            return self, current
        if not drawn:
            return replace(self, last_tick=now), current
        following = frames[(list(frames).index(current) + 1) % len(frames)]
        return replace(self, last_tick=now), following
