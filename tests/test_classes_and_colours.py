from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from atlas.classes import (
    NODATA,
    classed_labels,
    classify,
    fisher_jenks,
    layer_classes,
    layer_keys,
    readable_numbers,
    status_at,
)
from atlas.colours import NODATA_RGBA, layer_palette, sequential
from atlas.url_state import LAYERS


def test_status_at_year_end_by_exit_batch() -> None:
    years = pd.Series([2016, 2018, 2020, None], dtype="Int64")
    assert list(status_at(years, 2015)) == ["poor", "poor", "poor", NODATA]
    assert list(status_at(years, 2018)) == ["exited_before", "exited_now", "poor", NODATA]
    assert list(status_at(years, 2020)) == ["exited_before", "exited_before", "exited_now", NODATA]


@pytest.mark.parametrize("layer", LAYERS)
def test_every_layer_class_has_a_colour_and_unknown_is_grey(layer: str, synthetic_poverty: pd.DataFrame) -> None:
    classes = layer_classes(synthetic_poverty, layer, 2019)
    for contrast in (False, True):
        palette = layer_palette(layer, contrast)
        assert set(classes) <= set(palette)
        assert set(layer_keys(layer)) | {NODATA} == set(palette)
        assert palette[NODATA] == NODATA_RGBA
        # Every known class is distinguishable from "no data".
        assert all(colour != NODATA_RGBA for key, colour in palette.items() if key != NODATA)


def test_unknown_flags_are_no_data_not_no(synthetic_poverty: pd.DataFrame) -> None:
    deep = layer_classes(synthetic_poverty, "deep", 2020)
    assert list(deep) == ["yes", NODATA, "no", NODATA, NODATA]
    assert list(layer_classes(synthetic_poverty, "exit", 2020)) == ["2020", "2019", "2018", "2016", NODATA]


def test_classify_natural_breaks_keeps_missing_as_no_data() -> None:
    values = pd.Series([0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, None], dtype="Float64")
    classed = classify(values, k=5)
    assert classed.keys.iloc[-1] == NODATA
    assert classed.method.startswith("natural breaks")
    assert len(classed.bins) == 5 and classed.bins[-1] == 32.0
    assert int(classed.keys.iloc[0]) == 0 and int(classed.keys.iloc[6]) == 4
    labels = classed_labels(classed)
    assert labels[0].startswith("0.5") and labels[-1].endswith("32.0")


def test_classify_few_values_gives_one_class_each_and_all_missing_gives_none() -> None:
    classed = classify(pd.Series([3.0, 3.0, 7.0]))
    assert classed.bins == (3.0, 7.0) and list(classed.keys) == ["0", "0", "1"]
    empty = classify(pd.Series([None, None], dtype="Float64"))
    assert empty.bins == () and set(empty.keys) == {NODATA}


def test_sequential_ramp_sizes() -> None:
    assert len(sequential(5)) == 5 and len(set(sequential(5))) == 5
    with pytest.raises(ValueError):
        sequential(8)


def _deviation(values: list[float], bins: tuple[float, ...]) -> float:
    """Within-class squared deviation of values classed by their upper bounds."""
    index = np.searchsorted(np.asarray(bins), values, side="left")
    parts = [np.asarray(values)[index == i] for i in range(len(bins))]
    return float(sum(((p - p.mean()) ** 2).sum() for p in parts if len(p)))


def _least_deviation(values: list[float], k: int) -> float:
    """Every way to cut the sorted values into k classes: the least squared deviation."""
    ordered = sorted(values)
    splits = itertools.combinations(range(1, len(ordered)), k - 1)
    return min(_deviation(ordered, tuple(ordered[c - 1] for c in (*cuts, len(ordered)))) for cuts in splits)


@pytest.mark.parametrize("seed", range(12))
def test_fisher_jenks_finds_the_least_deviation(seed: int) -> None:
    rng = np.random.default_rng(seed)
    values = (rng.normal(size=int(rng.integers(6, 12))) * (1e7 if seed % 2 else 1)).round(seed % 3 + 1).tolist()
    k = min(int(rng.integers(2, 6)), len(set(values)))
    bins = fisher_jenks(np.array(values), k)
    assert len(bins) == k and bins[-1] == max(values)
    assert _deviation(values, bins) == pytest.approx(_least_deviation(values, k), rel=1e-9, abs=1e-6)


def test_fisher_jenks_on_many_values_is_bounded_and_keeps_the_extremes() -> None:
    values = np.random.default_rng(1).lognormal(8, 1, 20_000)
    bins = fisher_jenks(values, 5)
    assert len(bins) == 5 and bins == tuple(sorted(bins)) and bins[-1] == values.max()
    assert set(bins) <= set(values.tolist())  # bounds are values of the data
    assert fisher_jenks(values[::-1], 5) == bins  # the same classes whatever the order
    classed = classify(pd.Series(values))
    assert classed.bins == bins and set(classed.keys) == {"0", "1", "2", "3", "4"}


def test_readable_numbers_never_in_exponent_form() -> None:
    assert readable_numbers([20_410_005.0, 20_440_000.0]) == ["20,410,005", "20,440,000"]
    assert readable_numbers([0.5, 1.0, 32.0]) == ["0.5", "1.0", "32.0"]
    assert readable_numbers([-5.25, 12345.6]) == ["-5.25", "12,345.60"]
    assert readable_numbers([-0.0, 1 / 3]) == ["0.0000", "0.3333"]
    assert readable_numbers([0.0000123456, 0.5]) == ["0.000012", "0.500000"]
    classed = classify(pd.Series([2.041e7, 2.0410013e7, 2.05e7, 2.06e7, 2.07e7, 2.08e7]))
    assert classed_labels(classed, None)[0] == "20,410,000 – 20,410,013"


# Colour-vision deficiencies, simulated with the matrices of Machado, Oliveira & Fernandes (2009),
# severity 1, in linear RGB; colours compared by CIE76 ΔE in CIELAB (D65).
CVD = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
}
MIN_DELTA_E = 12.0  # about what tells two flat map colours apart at a glance


def _lab_seen(rgb, matrix) -> tuple[float, float, float]:
    import numpy as np

    c = np.asarray(rgb[:3]) / 255
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    seen = np.clip(np.asarray(matrix) @ linear, 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ seen
    f = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(f > 0.008856, np.cbrt(f), 7.787 * f + 16 / 116)
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def _delta_e(a, b, matrix) -> float:
    return math.dist(_lab_seen(a, matrix), _lab_seen(b, matrix))


@pytest.mark.parametrize("contrast", [False, True])
@pytest.mark.parametrize("deficiency", sorted(CVD))
@pytest.mark.parametrize("layer", [k for k in LAYERS if k != "area"])
def test_class_colours_stay_distinguishable_with_colour_vision_deficiencies(layer, deficiency, contrast) -> None:
    palette = layer_palette(layer, contrast)
    closest = min(
        (_delta_e(palette[a], palette[b], CVD[deficiency]), a, b) for a, b in itertools.combinations(palette, 2)
    )
    assert closest[0] >= MIN_DELTA_E, closest


@pytest.mark.parametrize("deficiency", sorted(CVD))
def test_neighbouring_areas_stay_distinguishable_with_colour_vision_deficiencies(deficiency) -> None:
    """Fourteen categories cannot all differ for every eye; areas that touch (within 0.5°) must."""
    from loaders.geo_io import load_layer

    outlines = load_layer("area_outlines")
    outlines = outlines[outlines["kind"] == "area"].set_index("unit_id")
    palette = layer_palette("area", False)
    near = [
        (a, b)
        for a, b in itertools.combinations(outlines.index, 2)
        if outlines.geometry[a].distance(outlines.geometry[b]) < 0.5
    ]
    assert near
    closest = min((_delta_e(palette[a], palette[b], CVD[deficiency]), a, b) for a, b in near)
    assert closest[0] >= MIN_DELTA_E, closest


def test_unique_values_are_labelled_as_values_not_ranges() -> None:
    classed = classify(pd.Series([1.1, 4.3, 4.3, None]))
    assert classed.method == "unique values"
    assert classed_labels(classed) == ["1.1", "4.3"]


@pytest.mark.parametrize("contrast", [False, True])
def test_the_selected_outline_uses_no_legend_colour(contrast: bool) -> None:
    """The selected county's line differs from every class colour (the old blue was one); its white halo
    keeps it apart from the darkest classes."""
    from atlas.colours import HIGHLIGHT_LINE

    layers = ("status", "exit", "area", "key", "deep")
    used = {c[:3] for layer in layers for c in layer_palette(layer, contrast).values()}
    used |= {c[:3] for c in sequential(7, contrast)}
    assert HIGHLIGHT_LINE[:3] not in used
