"""The year player's state machine (atlas/player.py): a frame advances only on the player's own tick."""

from __future__ import annotations

import pytest

from atlas.player import EARLY, PLAY_SECONDS, Player, opening_play

YEARS = (2015, 2016, 2017, 2018, 2019, 2020)
STEP = PLAY_SECONDS


@pytest.mark.parametrize(
    ("play", "present", "names_a_year", "expected"),
    [
        (None, True, False, True),  # presenter mode without a year plays, as before
        (None, True, True, False),  # a prepared link holds the year it names
        (None, False, False, False),
        (True, True, True, True),  # play=1 plays, year or not
        (True, False, True, True),
        (False, True, False, False),  # play=0 holds
    ],
)
def test_a_link_opens_playing_only_when_it_says_so(play, present, names_a_year, expected) -> None:
    assert opening_play(play, present, names_a_year) is expected


def test_paused_never_advances() -> None:
    player = Player(playing=False)
    for now in (0.0, 10.0, 100.0):
        player, year = player.tick(YEARS, 2018, now)
        assert year == 2018
    assert player.last_tick is None


def test_the_first_run_after_play_shows_the_current_frame_for_a_whole_step() -> None:
    player = Player(playing=True)
    player, year = player.tick(YEARS, 2017, 100.0)
    assert year == 2017 and player.last_tick == 100.0
    player, year = player.tick(YEARS, 2017, 100.0 + STEP * EARLY - 0.01)
    assert year == 2017
    player, year = player.tick(YEARS, 2017, 100.0 + STEP)
    assert year == 2018 and player.last_tick == 100.0 + STEP


def test_other_reruns_while_playing_do_not_advance() -> None:
    """A click or any rerun between two ticks (the bug of the old Trends loop) keeps the frame."""
    player, year = Player(playing=True).tick(YEARS, 2015, 0.0)
    for now in (0.1, 0.3, 0.7, 1.0, 1.2):
        player, year = player.tick(YEARS, year, now)
        assert year == 2015
    player, year = player.tick(YEARS, year, STEP)
    assert year == 2016


def test_plays_through_and_wraps_one_frame_per_step() -> None:
    player, year = Player(playing=True).tick(YEARS, 2019, 0.0)
    seen = []
    for i in range(1, 5):
        player, year = player.tick(YEARS, year, i * STEP)
        seen.append(year)
    assert seen == [2020, 2015, 2016, 2017]


def test_a_frame_not_drawn_to_the_end_is_drawn_again_before_moving_on() -> None:
    player, year = Player(playing=True).tick(YEARS, 2016, 0.0)
    player, year = player.tick(YEARS, year, STEP, drawn=False)
    assert year == 2016 and player.last_tick == STEP
    player, year = player.tick(YEARS, year, 2 * STEP, drawn=True)
    assert year == 2017


def test_toggle_pauses_and_plays_again_from_the_current_frame() -> None:
    player, year = Player(playing=True).tick(YEARS, 2016, 0.0)
    paused = player.toggled()
    assert not paused.playing and paused.last_tick is None
    playing = paused.toggled()
    playing, year = playing.tick(YEARS, 2018, 50.0)
    assert playing.playing and year == 2018


def test_text_frames_unknown_frames_and_a_single_frame() -> None:
    times = ("2001-2015", "2016-2020")
    player, frame = Player(playing=True).tick(times, "2001-2015", 0.0)
    player, frame = player.tick(times, frame, STEP)
    assert frame == "2016-2020"
    _, frame = Player(playing=False).tick(YEARS, 1999, 0.0)
    assert frame == 2015  # not a frame of the player: opens on the first
    player, frame = Player(playing=True).tick((2019,), 2019, 0.0)
    player, frame = player.tick((2019,), frame, STEP)
    assert frame == 2019 and player.last_tick is None
    assert Player(playing=True).tick((), 2019, 0.0)[1] == 2019
