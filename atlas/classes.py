"""What each map layer shows for a county, as a class key, and the legend of those classes.

Keys are stable strings; colours come from `atlas.colors`, labels from `atlas.i18n`.
Unknown is always its own class ("nodata"), never folded into another.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from atlas.i18n import Lang, t
from loaders.schema import CONTIGUOUS_AREA_IDS, EXIT_BATCH_YEARS

NODATA = "nodata"


def status_at(exit_year: pd.Series, year: int) -> pd.Series:
    """Status at the end of `year` by exit batch: poor / exited_now / exited_before / nodata."""
    out = pd.Series(NODATA, index=exit_year.index, dtype=object)
    known = exit_year.notna()
    years = exit_year.astype("Float64")
    out[known & (years > year).fillna(False)] = "poor"
    out[known & (years == year).fillna(False)] = "exited_now"
    out[known & (years < year).fillna(False)] = "exited_before"
    return out


def _flag(values: pd.Series) -> pd.Series:
    return values.map({True: "yes", False: "no"}).fillna(NODATA).astype(object)


def layer_classes(counties: pd.DataFrame, layer: str, year: int) -> pd.Series:
    """Class key of every county for `layer` (see atlas.url_state.LAYERS)."""
    if layer == "status":
        return status_at(counties["exit_year"], year)
    if layer == "exit":
        return counties["exit_year"].map(lambda y: NODATA if pd.isna(y) else str(int(y))).astype(object)
    if layer == "area":
        return counties["contiguous_area"].fillna("none").astype(object)
    if layer == "sqsz":
        return _flag(counties["sanqu_sanzhou"])
    if layer == "key":
        return _flag(counties["key_county"])
    if layer == "deep":
        return _flag(counties["deep_poverty"])
    raise ValueError(f"unknown layer {layer!r}")


def layer_keys(layer: str) -> tuple[str, ...]:
    """Every class key a layer can show, in legend order."""
    if layer == "status":
        return ("poor", "exited_now", "exited_before", NODATA)
    if layer == "exit":
        return tuple(str(y) for y in EXIT_BATCH_YEARS) + (NODATA,)
    if layer == "area":
        return CONTIGUOUS_AREA_IDS + ("none",)
    return ("yes", "no", NODATA)


def class_label(layer: str, key: str, lang: Lang, area_names: dict[str, str]) -> str:
    if key == NODATA:
        return t("no_data", lang)
    if layer == "status":
        return t(
            {"poor": "status_poor", "exited_now": "status_exited_now", "exited_before": "status_exited_before"}[key],
            lang,
        )
    if layer == "exit":
        return key
    if layer == "area":
        return t("none_area", lang) if key == "none" else area_names.get(key, key)
    return t(key, lang)


@dataclass(frozen=True)
class Classed:
    """A numeric series cut into classes for a choropleth."""

    keys: pd.Series  # class index as a string "0".."k-1", or NODATA
    bins: tuple[float, ...]  # upper bounds
    lower: float
    method: str


def classify(values: pd.Series, k: int = 5) -> Classed:
    """Cut values into at most `k` classes: natural breaks (Fisher–Jenks) when there are
    enough distinct values, otherwise one class per distinct value. Missing stays NODATA."""
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    present = numbers.dropna()
    keys = pd.Series(NODATA, index=values.index, dtype=object)
    if present.empty:
        return Classed(keys, (), float("nan"), "none")
    distinct = np.unique(present.to_numpy())
    if len(distinct) <= k:
        bins = tuple(float(v) for v in distinct)
        method = "unique values"
    else:
        # Imported here: mapclassify loads scipy.stats and matplotlib (1.5 s at every server start),
        # and only the trends and import maps classify numbers.
        import mapclassify

        scheme = mapclassify.FisherJenks(present.to_numpy(), k=k)
        bins = tuple(float(b) for b in scheme.bins)
        method = "natural breaks (Fisher–Jenks)"
    index = np.searchsorted(np.asarray(bins), present.to_numpy(), side="left")
    keys.loc[present.index] = [str(int(i)) for i in index]
    return Classed(keys, bins, float(distinct[0]), method)


def classed_labels(classed: Classed, fmt: str = "{:,.1f}") -> list[str]:
    """'low – high' for each class, in order; the value itself for unique values (what the legend's
    method says)."""
    if classed.method == "unique values":
        return [fmt.format(value) for value in classed.bins]
    labels: list[str] = []
    low = classed.lower
    for high in classed.bins:
        labels.append(fmt.format(high) if low == high else f"{fmt.format(low)} – {fmt.format(high)}")
        low = high
    return labels
