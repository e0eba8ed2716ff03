"""How a row matched, as codes with parameters: a `MatchMethod` is a sequence of steps (code, values), each
worded by a catalogue: English here (the command's output and the exported `match_method`), Chinese in
atlas.i18n.MATCH_METHOD_ZH. Each template carries its own joining text (" + province", "; ", " → …"), so a
method reads the same in any language whatever steps make it up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

METHOD_EN: dict[str, str] = {
    # by code
    "code": "code {code}",
    "code_named": "code {code} {name}",
    "code_renamed": "code {code} (named {old}; today {today})",
    "code_renamed_until": "code {code} (named {old} until {last}; today {today})",
    "code_unknown": "code {code} is not a county code of 1981-2024",
    "not_a_code": "'{text}' is not a 6-digit code; ",
    "code_and_name_differ": "code {code} leads to {by_code} but the name '{name}' to {by_name}",
    "name_does_not_fit": "; the name '{name}' does not fit this code",
    "then": "; ",
    "code_is_unknown": " (the code {code} is unknown)",
    "no_code_no_name": "no code and no name",
    "province_unknown": " (province '{text}' not recognised)",
    # an old unit followed to today's polygon
    "layer_alias": ": the boundary layer has this county as {code}",
    "same_code_renamed": " → {code} {today} (same code, renamed since)",
    "era": " ({start}–{last})",
    "era_since": " (since {start})",
    "no_successor": " has no successor in the boundary layer",
    "split": " was split into {units}",
    "split_in": " was split in {year} into {units}",
    "to_merged": " → merged into {code} {name}",
    "to_merged_in": " → merged in {year} into {code} {name}",
    "to_renamed": " → {code} {name}, renamed",
    "to_renamed_in": " → {code} {name}, renamed in {year}",
    "parts_went": "; parts went to {units}",
    "newer_than_layer": " is newer than the boundary layer, which still draws it as {code} {name}",
    "joined_polygons": " joined {units} (each a polygon)",
    "no_polygon": " has no polygon in the boundary layer",
    "no_code_unit_merged": "{unit} ({province}): no county code of its own; merged into {code} {name}",
    "no_code_unit_joined": "{unit} ({province}): no county code of its own; joined to {code} {name}",
    # by name
    "full_name": "full name",
    "earlier_name": "earlier name",
    "earlier_name_after": ", earlier name",
    "name_in_use": "name in use in {year}",
    "short_forms": "short forms",
    "short_form_of": "short form of {full}",
    "without_suffix_of": "name without suffix of {full}",
    "other_suffix": "same name with another suffix: {full}",
    "abbreviation_of": "abbreviation of {full}",
    "abbreviation_in_province": "abbreviation of {full}, the only one in the province",
    "plus_province": " + province",
    "plus_prefecture": " + prefecture",
    "unit_is": ": {name} {code}",
    "head_plus": "{head} + ",
    "fits_open": "'{name}' fits {n} units (",
    "fits_provinces_open": "'{name}' fits {n} units in several provinces (",
    "close": ")",
    "named_elsewhere_open": "'{name}' is today's {today}, but other counties had that name ({others})",
    "year_tells": "; a year column tells them apart",
    "no_county": "no county named '{name}' in 2011-2024",
    "no_county_province": "no county named '{name}' in that province in 2011-2024",
    "elsewhere": "; {units} lies in another province",
    # the person's choice
    "left_unmatched": "left unmatched by user",
    "chosen_by_user": "chosen by user: {label}",
}


@dataclass(frozen=True)
class MatchMethod:
    """Steps, each a code of METHOD_EN and its values (names, codes, years), in reading order."""

    steps: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()

    @classmethod
    def of(cls, kind: str, /, **values: Any) -> MatchMethod:
        if kind not in METHOD_EN:
            raise KeyError(f"unknown match method step '{kind}'")
        return cls(((kind, tuple(values.items())),))

    def __add__(self, other: MatchMethod) -> MatchMethod:
        return MatchMethod(self.steps + other.steps)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.steps)

    def text(self, templates: Mapping[str, str] = METHOD_EN) -> str:
        """The method in the language of `templates` (code -> template with {value} places)."""
        return "".join(templates[code].format(**dict(values)) for code, values in self.steps)

    def __str__(self) -> str:
        return self.text()


def step(kind: str, /, **values: Any) -> MatchMethod:
    return MatchMethod.of(kind, **values)


def context_steps(province: bool, prefecture: bool) -> MatchMethod:
    """' + province', ' + prefecture': what narrowed a name."""
    out = MatchMethod()
    if province:
        out += step("plus_province")
    if prefecture:
        out += step("plus_prefecture")
    return out


def era(start: int, end: int | None) -> MatchMethod:
    """' (1981–2014)' (the last year in use) or ' (since 2015)'."""
    return step("era", start=start, last=end - 1) if end else step("era_since", start=start)


@dataclass(frozen=True)
class Outcome:
    """Where a row lands: a status, the polygon's code (none when ambiguous or not found), how, the polygons to
    choose from and the names nearest a name not found."""

    status: str
    code: str = ""
    method: MatchMethod = MatchMethod()
    candidates: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()
    source: str = ""  # the unit the row names (old code, or name): rows of different sources on one polygon = merged
