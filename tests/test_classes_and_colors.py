from __future__ import annotations

import pandas as pd
import pytest

from atlas.classes import NODATA, classed_labels, classify, layer_classes, layer_keys, status_at
from atlas.colors import NODATA_RGBA, layer_palette, sequential
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
