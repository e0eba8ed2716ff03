"""What each map layer shows for a county, as a class key, and the legend of those classes.

Keys are stable strings; colours come from `atlas.colours`, labels from `atlas.i18n`.
Unknown is always its own class ("nodata"), never folded into another.
"""

from __future__ import annotations

from collections.abc import Mapping
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


# The county map's layers (the link's `layer`, atlas.url_state.LAYERS): the county column each is classed
# by (also its label's i18n key) and its title's i18n key.
LAYER_DEFINITIONS = {
    "status": ("exit_year", "layer_status"),
    "exit": ("exit_year", "layer_exit"),
    "area": ("contiguous_area", "layer_area"),
    "sqsz": ("sanqu_sanzhou", "layer_sqsz"),
    "key": ("key_county", "layer_key"),
    "deep": ("deep_poverty", "layer_deep"),
}
LAYER_COLUMNS = {layer: column for layer, (column, _title) in LAYER_DEFINITIONS.items()}
LAYER_TITLES = {layer: title for layer, (_column, title) in LAYER_DEFINITIONS.items()}


def layer_classes(counties: pd.DataFrame, layer: str, year: int) -> pd.Series:
    """Class key of every county for `layer` (see atlas.url_state.LAYERS)."""
    if layer not in LAYER_COLUMNS:
        raise ValueError(f"unknown layer {layer!r}")
    values = counties[LAYER_COLUMNS[layer]]
    if layer == "status":
        return status_at(values, year)
    if layer == "exit":
        return values.map(lambda y: NODATA if pd.isna(y) else str(int(y))).astype(object)
    if layer == "area":
        return values.fillna("none").astype(object)
    return _flag(values)


def layer_keys(layer: str) -> tuple[str, ...]:
    """Every class key a layer can show, in legend order."""
    if layer == "status":
        return ("poor", "exited_now", "exited_before", NODATA)
    if layer == "exit":
        return tuple(str(y) for y in EXIT_BATCH_YEARS) + (NODATA,)
    if layer == "area":
        return CONTIGUOUS_AREA_IDS + ("none",)
    return ("yes", "no", NODATA)


def class_label(layer: str, key: str, lang: Lang, area_names: Mapping[str, str]) -> str:
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


JENKS_GROUPS = 512  # Fisher–Jenks runs on at most this many groups of neighbouring values


def _grouped(sorted_values: np.ndarray, groups: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Neighbouring values in at most `groups` groups of about equal count, equal values never split:
    (count, sum, sum of squares) per group."""
    distinct, starts, counts = np.unique(sorted_values, return_index=True, return_counts=True)
    if len(distinct) > groups:
        group_of = (starts * groups) // len(sorted_values)  # rank of the value's first copy -> group
        first = np.flatnonzero(np.r_[True, group_of[1:] != group_of[:-1]])
        starts = starts[first]
        counts = np.diff(np.r_[starts, len(sorted_values)])
    sums = np.add.reduceat(sorted_values, starts)
    squares = np.add.reduceat(sorted_values**2, starts)
    return counts.astype(float), sums, squares


def fisher_jenks(values: np.ndarray, k: int, groups: int = JENKS_GROUPS) -> tuple[float, ...]:
    """Upper bounds of the `k` classes of least within-class squared deviation (Fisher's exact
    dynamic programme, in numpy). Over more than `groups` distinct values, breaks fall between groups
    of neighbouring values (each class's deviation still counts every value exactly): a fixed cost
    for any number of rows, the same classes for the same values."""
    ordered = np.sort(np.asarray(values, dtype=float))
    scale = ordered.std() or 1.0
    counts, sums, squares = _grouped((ordered - ordered.mean()) / scale, groups)
    n = len(counts)
    k = min(k, n)
    w, s1, s2 = (np.r_[0.0, np.cumsum(a)] for a in (counts, sums, squares))
    first, last = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    with np.errstate(divide="ignore", invalid="ignore"):
        cost = (s2[last + 1] - s2[first]) - (s1[last + 1] - s1[first]) ** 2 / (w[last + 1] - w[first])
    cost[first > last] = np.inf  # cost[m, i]: one class of groups m..i
    best = cost[0]
    starts = []
    for _ in range(1, k):
        total = best[:-1, None] + cost[1:]  # a class starting at m + 1 after the best split of 0..m
        starts.append(np.argmin(total, axis=0) + 1)
        best = total.min(axis=0)
    ends = [n - 1]
    for start in reversed(starts):
        ends.append(int(start[ends[-1]]) - 1)
    last_value = np.cumsum(counts).astype(int) - 1
    return tuple(float(ordered[last_value[end]]) for end in reversed(ends))


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
        bins = fisher_jenks(present.to_numpy(), k)
        method = "natural breaks (Fisher–Jenks)"
    index = np.searchsorted(np.asarray(bins), present.to_numpy(), side="left")
    keys.loc[present.index] = [str(int(i)) for i in index]
    return Classed(keys, bins, float(distinct[0]), method)


MAX_DECIMALS = 4


def readable_numbers(values: list[float] | tuple[float, ...], grouped: bool = True) -> list[str]:
    """Numbers as a person reads them, never in exponent form: thousands separated (unless not
    `grouped`: years read 2016, not 2,016), as many decimals as the values have, up to MAX_DECIMALS
    (more for small values, to two significant digits)."""
    finite = [v for v in values if np.isfinite(v)]
    exact = (d for d in range(MAX_DECIMALS + 1) if all(abs(v - round(v, d)) <= 1e-9 * max(1.0, abs(v)) for v in finite))
    decimals = next(exact, None)
    if decimals is None:
        small = [abs(v) for v in finite if 0 < abs(v) < 1]
        decimals = max(MAX_DECIMALS, min(8, 1 - int(np.floor(np.log10(min(small)))))) if small else MAX_DECIMALS
    sep = "," if grouped else ""
    return [f"{v + 0.0:{sep}.{decimals}f}" if np.isfinite(v) else str(v) for v in values]


def classed_labels(classed: Classed, fmt: str | None = "{:,.1f}", grouped: bool = True) -> list[str]:
    """'low – high' for each class, in order; the value itself for unique values (what the legend's
    method says); `fmt` None: `readable_numbers` (`grouped`: with thousands separators)."""
    bounds = [classed.lower, *classed.bins]
    texts = readable_numbers(bounds, grouped) if fmt is None else [fmt.format(v) for v in bounds]
    if classed.method == "unique values":
        return texts[1:]
    labels: list[str] = []
    for (low, high), (low_text, high_text) in zip(zip(bounds, bounds[1:]), zip(texts, texts[1:])):
        labels.append(high_text if low == high else f"{low_text} – {high_text}")
    return labels
