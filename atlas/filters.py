"""Filtering the poverty counties, and saying in words (and a file name) what was filtered.

The map, the table and every export call `apply` with the same `CountyFilter`,
so what an analyst sees is exactly what they download.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields

import pandas as pd

from atlas.url_state import EXIT_YEAR_RANGE, FilterFields, ViewState


@dataclass(frozen=True)
class CountyFilter(FilterFields):
    """What the map, the table and every export select (the view's filter fields)."""

    @classmethod
    def from_state(cls, state: ViewState) -> CountyFilter:
        return cls(**{f.name: getattr(state, f.name) for f in fields(FilterFields)})

    @property
    def exit_narrowed(self) -> bool:
        return (self.exit_from, self.exit_to) != EXIT_YEAR_RANGE

    @property
    def is_empty(self) -> bool:
        return self == CountyFilter()


def apply(counties: pd.DataFrame, flt: CountyFilter) -> pd.DataFrame:
    """The rows of the poverty-county table that `flt` selects.

    A narrowed exit-year range leaves out counties whose exit year is unknown:
    they cannot be said to fall in it. Flags that are unknown count as false.
    """
    keep = pd.Series(True, index=counties.index)
    if flt.provinces:
        keep &= counties["province_code"].isin(flt.provinces)
    if flt.prefectures:
        keep &= counties["prefecture_code"].isin(flt.prefectures)
    if flt.areas:
        keep &= counties["contiguous_area"].isin(flt.areas)
    for flag, column in (
        (flt.sanqu_only, "sanqu_sanzhou"),
        (flt.key_only, "key_county"),
        (flt.deep_only, "deep_poverty"),
    ):
        if flag:
            keep &= counties[column].fillna(False).astype(bool)
    if flt.exit_narrowed:
        years = counties["exit_year"]
        keep &= years.notna() & years.between(flt.exit_from, flt.exit_to).fillna(False)
    return counties[keep.to_numpy(dtype=bool)]


def describe(flt: CountyFilter, names: dict[str, str]) -> list[str]:
    """The filter as short phrases; `names` maps codes and ids to display names."""
    parts: list[str] = []
    for label, values in (("province", flt.provinces), ("prefecture", flt.prefectures), ("area", flt.areas)):
        if values:
            parts.append(f"{label}: " + ", ".join(names.get(v, v) for v in values))
    if flt.sanqu_only:
        parts.append("sanqu_sanzhou")
    if flt.key_only:
        parts.append("key_county")
    if flt.deep_only:
        parts.append("deep_poverty")
    if flt.exit_narrowed:
        parts.append(f"exit {flt.exit_from}-{flt.exit_to}")
    return parts


def slug(flt: CountyFilter, max_length: int = 80) -> str:
    """A file-name-safe summary of the filter, e.g. 'prov-513400_exit-2019-2020'."""
    parts: list[str] = []
    if flt.provinces:
        parts.append("prov-" + "-".join(flt.provinces))
    if flt.prefectures:
        parts.append("pref-" + "-".join(flt.prefectures))
    if flt.areas:
        parts.append("area-" + "-".join(flt.areas))
    for flag, name in ((flt.sanqu_only, "sqsz"), (flt.key_only, "key"), (flt.deep_only, "deep")):
        if flag:
            parts.append(name)
    if flt.exit_narrowed:
        parts.append(f"exit-{flt.exit_from}-{flt.exit_to}")
    text = "_".join(parts) or "all"
    text = re.sub(r"[^A-Za-z0-9_-]", "", text)
    return text if len(text) <= max_length else text[: max_length - 3] + "etc"


# English words a person may add to a name ("Hetian County", "Kangding Shi"): not part of the name.
_NAME_WORDS = re.compile(r"(autonomous|county|city|district|banner|prefecture|xian|shi|qu|qi)+$")


def fold_name(text: str) -> str:
    """A name as search compares it: lower case, tone marks and ü folded (Lüchun -> luchun), spaces,
    hyphens and apostrophes gone (Xi'an -> xian), v read as ü (lvchun)."""
    plain = unicodedata.normalize("NFKD", text.lower())
    folded = re.sub(r"[\s\-'’`.·]+", "", "".join(c for c in plain if not unicodedata.combining(c)))
    return folded.replace("v", "u") if folded.isascii() else folded  # pinyin has no v: typed for ü


def search(
    counties: pd.DataFrame, query: str, limit: int = 20, aliases: Mapping[str, Sequence[str]] | None = None
) -> pd.DataFrame:
    """Counties whose Chinese or pinyin name, as listed or as today (boundary_name_*), or one of their other
    names (`aliases`: code -> names such as Hotan, Kashgar, Gyantse) contains `query` (see `fold_name`; a
    trailing "county", "xian", "shi" … ignored); an exact name first. Column `found_as` holds the other
    name a row was found by (None when its own name matched), for showing 和田县 (Hotan County)."""
    needle = fold_name(query)
    if not needle:
        return counties.iloc[0:0].assign(found_as=None)
    names = [
        counties[column].fillna("").astype(str).map(fold_name)
        for column in ("name_zh", "name_en", "boundary_name_zh", "boundary_name_en")
        if column in counties
    ]
    other = [[_folded_alias(a) for a in (aliases or {}).get(code, ())] for code in counties["code"]]
    for wanted in dict.fromkeys([needle, _NAME_WORDS.sub("", needle) if needle.isascii() else needle]):
        found = pd.Series(False, index=counties.index)
        exact = pd.Series(False, index=counties.index)
        for column in names:
            found |= column.str.contains(wanted, regex=False) if wanted else False
            exact |= (column == wanted) | (column.str.replace(_NAME_WORDS, "", regex=True) == wanted)
        by_alias = [_alias_hit(names_of, wanted) for names_of in other]
        found_as = pd.Series([None if own else hit for own, (hit, _) in zip(found, by_alias)], index=counties.index)
        exact |= pd.Series([whole for _, whole in by_alias], index=counties.index)
        found |= found_as.notna()
        if found.any():
            hits = counties.assign(found_as=found_as)
            return pd.concat([hits[found & exact], hits[found & ~exact]]).head(limit)
    return counties.iloc[0:0].assign(found_as=None)


def _folded_alias(alias: str) -> tuple[str, str, str]:
    """An other name as search compares it: folded, folded without trailing name words, as written."""
    folded = fold_name(alias)
    return folded, _NAME_WORDS.sub("", folded), alias


def _alias_hit(names_of: list[tuple[str, str, str]], wanted: str) -> tuple[str | None, bool]:
    """The other name (as written) that `wanted` finds, an exact one first, and whether it is exact."""
    if not wanted:
        return None, False
    exact = next((alias for folded, bare, alias in names_of if wanted in (folded, bare)), None)
    if exact is not None:
        return exact, True
    return next((alias for folded, _, alias in names_of if wanted in folded), None), False


def aliases_by_code(aliases: pd.DataFrame | None) -> dict[str, tuple[str, ...]]:
    """The county_aliases table as `search` takes it: code -> the county's other names."""
    if aliases is None:
        return {}
    return {str(code): tuple(group) for code, group in aliases.groupby("code", sort=False)["alias"]}
