from __future__ import annotations

import pytest

from atlas.url_state import DEFAULT, MAX_VALUE_LENGTH, ViewState, Vocabulary, encode, parse

VOCAB = Vocabulary(
    provinces=frozenset({"510000", "620000"}),
    prefectures=frozenset({"513400"}),
    counties=frozenset({"513401", "513402"}),
    areas=frozenset({"wumeng", "liupan"}),
    series_units=frozenset({"CN", "510000"}),
    variants=frozenset({"central_special", "2010 rural standard (2300 yuan/yr; 2010 prices)"}),
    measures=frozenset({"incidence_pct", "poor_population_10k"}),
)


def test_defaults_encode_to_an_empty_query() -> None:
    assert encode(DEFAULT) == {}
    assert parse({}, VOCAB).state == DEFAULT


def test_round_trip_of_a_full_view() -> None:
    state = ViewState(
        lang="en",
        present=True,
        year=2017,
        layer="area",
        provinces=("510000",),
        prefectures=("513400",),
        areas=("wumeng", "liupan"),
        sanqu_only=True,
        key_only=True,
        deep_only=True,
        exit_from=2018,
        exit_to=2019,
        county="513401",
        view=(28.1234, 102.5, 6.5),
        area_unit="wumeng",
        theme="funds",
        level="national",
        series_year=2016,
        measure="poor_population_10k",
        variant="central_special",
        compare=("CN", "510000"),
    )
    result = parse(encode(state), VOCAB)
    assert result.notices == ()
    assert result.state == state


def test_a_poverty_line_in_prose_round_trips() -> None:
    state = ViewState(theme="incidence", variant="2010 rural standard (2300 yuan/yr; 2010 prices)")
    result = parse(encode(state), VOCAB)
    assert result.notices == ()
    assert result.state == state


@pytest.mark.parametrize(
    "params",
    [
        {"year": "2050"},
        {"year": "abc"},
        {"year": "-1"},
        {"year": "2016.5"},
        {"year": "9" * 5000},
        {"lang": "fr"},
        {"layer": "<script>alert(1)</script>"},
        {"prov": "999999"},
        {"prov": "51000"},
        {"prov": ",".join(["510000"] * 100)},
        {"view": "90,0,3"},
        {"view": "1,2"},
        {"view": "nan,nan,nan"},
        {"exit": "2020-2016"},
        {"exit": "2016-abc"},
        {"present": "yes please"},
        {"county": "'; DROP TABLE"},
        {"area": "../../etc/passwd"},
        {"cmp": "<img src=x onerror=alert(1)>"},
        {"unit": "elsewhere"},
        {"variant": "<b>central_special</b>"},
        {"variant": "a fund the data do not know"},
    ],
)
def test_hostile_or_malformed_values_fall_back_with_a_notice(params: dict[str, str]) -> None:
    result = parse(params, VOCAB)
    assert result.state == DEFAULT
    assert len(result.notices) == 1
    assert "<" not in result.notices[0] or "&lt;" not in result.notices[0]
    assert len(result.notices[0]) < 120


def test_unknown_keys_are_reported_and_valid_ones_kept() -> None:
    result = parse({"year": "2018", "utm_source": "mail", "<b>": "x"}, VOCAB)
    assert result.state.year == 2018
    assert len(result.notices) == 2


def test_list_values_take_the_last_and_duplicates_collapse() -> None:
    result = parse({"year": ["2016", "2017"], "prov": "510000,510000"}, VOCAB)
    assert result.state.year == 2017
    assert result.state.provinces == ("510000",)


def test_overlong_values_are_rejected_before_parsing() -> None:
    result = parse({"prov": "5" * (MAX_VALUE_LENGTH + 1)}, VOCAB)
    assert result.state.provinces == ()
    assert "too long" in result.notices[0]


def test_notices_show_non_printable_input_inertly() -> None:
    result = parse({"layer": "\x00\u202e<x>"}, VOCAB)
    assert "\x00" not in result.notices[0] and "\u202e" not in result.notices[0]


def test_single_exit_year_means_a_one_year_range() -> None:
    state = parse({"exit": "2019"}, VOCAB).state
    assert (state.exit_from, state.exit_to) == (2019, 2019)


def test_comparison_and_play_round_trip() -> None:
    state = ViewState(present=True, year=2019, year2=2015, layer2="exit", play=False)
    params = encode(state)
    assert params == {"present": "1", "year": "2019", "year2": "2015", "layer2": "exit", "play": "0"}
    result = parse(params, VOCAB)
    assert result.notices == ()
    assert result.state == state
    assert result.state.comparing and not result.state.playing


def test_play_follows_presenter_mode_unless_set() -> None:
    assert not DEFAULT.playing and not DEFAULT.comparing
    assert parse({"present": "1"}, VOCAB).state.playing
    assert not parse({"present": "1", "play": "0"}, VOCAB).state.playing
    assert parse({"play": "1"}, VOCAB).state.playing
    assert parse({"layer2": "area"}, VOCAB).state.comparing


@pytest.mark.parametrize(
    "params",
    [
        {"year2": "2014"},
        {"year2": "2021"},
        {"year2": "20l5"},
        {"year2": "<b>2015</b>"},
        {"year2": ""},
        {"layer2": "Status"},
        {"layer2": "exit,area"},
        {"layer2": "javascript:alert(1)"},
        {"play": "2"},
        {"play": "yes"},
        {"play": "<script>"},
        {"play": "1" * 500},
        {"measure": "unknown_measure"},
        {"measure": "<img src=x>"},
    ],
)
def test_hostile_comparison_and_play_values_are_ignored_with_a_notice(params: dict[str, str]) -> None:
    result = parse(params, VOCAB)
    assert result.state == DEFAULT
    assert len(result.notices) == 1
    assert "<" not in result.notices[0] or "&lt;" not in result.notices[0]


@pytest.mark.parametrize("column", ["synthetic_rate", "synthetic 人口 (万人)", "a:b", "50% <b>x</b>"])
def test_a_published_panel_column_and_year_round_trip(column: str) -> None:
    state = ViewState(datasets=("synthetic-panel@2",), panel=f"synthetic-panel:{column}", panel_year=2012)
    encoded = encode(state)
    assert encoded["panel"] == f"synthetic-panel:{column}" and encoded["pyear"] == "2012"
    result = parse(encoded, VOCAB)
    assert result.notices == () and result.state == state
    assert parse({"pyear": "2012"}, VOCAB).state.panel_year == 2012  # a panel's years are its own, not 2015-2020


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("panel", "synthetic_rate"),  # no dataset named
        ("panel", "Synthetic-Panel:rate"),  # not a dataset id
        ("panel", "synthetic-panel:"),  # no column
        ("panel", "synthetic-panel:a\x00b"),  # control characters
        ("panel", "synthetic-panel:a\u2028b"),
        ("panel", "synthetic-panel:" + "x" * 121),
        ("panel", "-x:rate"),
        ("pyear", "99"),
        ("pyear", "2101"),
        ("pyear", "20x8"),
        ("pyear", "-2018"),
    ],
)
def test_a_bad_panel_or_panel_year_is_ignored_with_a_notice(key: str, value: str) -> None:
    result = parse({key: value, "layer": "exit"}, VOCAB)
    assert (result.state.panel, result.state.panel_year, result.state.layer) == (None, None, "exit")
    assert len(result.notices) == 1 and result.notices[0].startswith(f"'{key}")
