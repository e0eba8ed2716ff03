"""The view as URL query parameters, so a copied link reopens the same view.

`parse` accepts anything a browser can send: unknown keys, wrong types, huge or
hostile values. It never raises; every value it cannot use becomes a notice and
the default. `encode` writes only what differs from the default, in a fixed order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from atlas.classes import LAYER_DEFINITIONS
from atlas.i18n import LANGS, Lang, t
from loaders.schema import (
    CODE6_PATTERN,
    EXIT_BATCH_YEARS,
    SERIES_LEVELS,
    SERIES_TABLES,
    SLUG_PATTERN,
    SOURCE_ID_PATTERN,
)

MAX_VALUE_LENGTH = 400
STORY_TOKEN_MAX = 2000  # a story in a link (atlas.story); longer ones travel as a file
MAX_LIST_ITEMS = 60
MAP_YEARS = (2015, 2020)
EXIT_YEAR_RANGE = (EXIT_BATCH_YEARS[0], EXIT_BATCH_YEARS[-1])  # first and last batch: the filter's bounds
SERIES_YEARS = (2010, 2020)
LAYERS = tuple(LAYER_DEFINITIONS)
THEMES = tuple(SERIES_TABLES)
YEAR_KEYS = ("year", "year2", "syear", "pyear")  # URL keys that name a year a link holds

_PRINTABLE = re.compile(r"[^\x20-\x7e]")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]+$")
# A published dataset's ref (atlas.datasets.parse_ref): the version always named, `latest` only to browse
_DATASET_ID = r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?"  # as atlas.datasets.model.DATASET_ID_PATTERN
_PUBLISHED_REF = re.compile(rf"^{_DATASET_ID}@(?:[1-9][0-9]{{0,8}}|latest)$")
MAX_DATASETS = 12
NO_DATASETS = "none"  # `ds=none`: no published dataset, not even the defaults
_DATASET_REF = re.compile(r"^[A-Za-z0-9@._-]{1,80}$")  # loose: the page parses it strictly and says what is wrong
# `panel=<dataset id>:<column>`: a published panel's value column shown as the County map's layer. A column is
# any text its publisher chose (Chinese, spaces): only control characters are refused here; the page checks it
# against the panel's columns (atlas.published.shown_panel) and says when it is not there.
_PANEL = re.compile(rf"^{_DATASET_ID}:[^\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]{{1,120}}$")
PANEL_YEAR_RANGE = (1900, 2100)  # a panel's own years (not the map's 2015-2020); the page checks them against the panel


@dataclass(frozen=True)
class Vocabulary:
    """The values the data know; anything else in a URL is ignored."""

    provinces: frozenset[str] = frozenset()
    prefectures: frozenset[str] = frozenset()
    counties: frozenset[str] = frozenset()
    areas: frozenset[str] = frozenset()
    series_units: frozenset[str] = frozenset()
    variants: frozenset[str] = frozenset()  # Trends: poverty lines, fund types, relocation measures
    sources: frozenset[str] = frozenset()
    measures: frozenset[str] = frozenset()


@dataclass(frozen=True)
class FilterFields:
    """The county filter's fields, defined once: a view holds them (atlas.filters.CountyFilter is
    just these)."""

    provinces: tuple[str, ...] = ()
    prefectures: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    sanqu_only: bool = False
    key_only: bool = False
    deep_only: bool = False
    exit_from: int = EXIT_YEAR_RANGE[0]
    exit_to: int = EXIT_YEAR_RANGE[1]


@dataclass(frozen=True)
class ViewState(FilterFields):
    lang: Lang = "zh"
    present: bool = False
    basemap: bool = False
    year: int = 2020
    layer: str = "status"
    county: str | None = None
    view: tuple[float, float, float] | None = None
    area_unit: str | None = None
    theme: str = "incidence"
    level: str | None = None  # the Trends level and year (None: chosen from the data, atlas.trends.opening)
    series_year: int | None = None
    measure: str | None = None  # the Trends measure (None: the theme's first)
    variant: str | None = None  # the Trends poverty line, fund type or relocation measure (atlas.trends.variants)
    compare: tuple[str, ...] = field(default=())
    source: str | None = None  # the source the sources page shows first, highlighted
    year2: int | None = None  # the right-hand map of a side-by-side comparison (None: same as the left)
    layer2: str | None = None
    play: bool | None = None  # auto-play of the years; None: on in presenter mode, off otherwise
    story: str | None = None  # a story carried by a link to the Story page (read by atlas.story)
    # Published datasets applied, as `id@version` refs (atlas.published); None: the atlas's defaults, (): none
    datasets: tuple[str, ...] | None = None
    dataset: str | None = None  # `id@version` the Datasets page opens (checked there by atlas.datasets.parse_ref)
    panel: str | None = None  # `<dataset id>:<column>`: a published panel column as the County map's layer
    panel_year: int | None = None  # its year (None: the panel's latest); not `year`: a panel has its own years

    @property
    def comparing(self) -> bool:
        """Two maps side by side: a second year, a second layer or both."""
        return self.year2 is not None or self.layer2 is not None

    @property
    def playing(self) -> bool:
        return self.present if self.play is None else self.play


DEFAULT = ViewState()

# URL key -> field name; the order here is the order in the URL.
_KEYS: dict[str, str] = {
    "lang": "lang",
    "present": "present",
    "basemap": "basemap",
    "year": "year",
    "layer": "layer",
    "prov": "provinces",
    "pref": "prefectures",
    "area": "areas",
    "sqsz": "sanqu_only",
    "key": "key_only",
    "deep": "deep_only",
    "exit": "exit_range",
    "county": "county",
    "view": "view",
    "unit": "area_unit",
    "theme": "theme",
    "level": "level",
    "syear": "series_year",
    "measure": "measure",
    "variant": "variant",
    "cmp": "compare",
    "source": "source",
    "year2": "year2",
    "layer2": "layer2",
    "play": "play",
    "story": "story",
    "ds": "datasets",
    "dataset": "dataset",
    "panel": "panel",
    "pyear": "panel_year",
}


@dataclass(frozen=True)
class ParseResult:
    state: ViewState
    notices: tuple[str, ...]


def _show(value: str) -> str:
    """A short, inert rendering of a rejected value for a notice."""
    clean = _PRINTABLE.sub("?", value)
    return clean if len(clean) <= 40 else clean[:37] + "..."


def _last(value: str | Sequence[str]) -> str:
    if isinstance(value, str):
        return value
    return value[-1] if value else ""


def _int_in(raw: str, low: int, high: int) -> int:
    if not re.fullmatch(r"\d{1,4}", raw):
        raise ValueError
    number = int(raw)
    if not low <= number <= high:
        raise ValueError
    return number


def _flag(raw: str) -> bool:
    if raw in ("1", "true"):
        return True
    if raw in ("0", "false"):
        return False
    raise ValueError


def _codes(raw: str, known: frozenset[str], pattern: re.Pattern[str]) -> tuple[str, ...]:
    items = [v for v in raw.split(",") if v]
    if len(items) > MAX_LIST_ITEMS or not all(pattern.match(v) for v in items):
        raise ValueError
    if known and not set(items) <= known:
        raise ValueError
    return tuple(dict.fromkeys(items))


def _view(raw: str) -> tuple[float, float, float]:
    parts = raw.split(",")
    if len(parts) != 3 or not all(re.fullmatch(r"-?\d{1,3}(\.\d{1,6})?", p) for p in parts):
        raise ValueError
    lat, lon, zoom = (float(p) for p in parts)
    if not (-85 <= lat <= 85 and -180 <= lon <= 180 and 0 <= zoom <= 20):
        raise ValueError
    return lat, lon, zoom


def _choice(raw: str, allowed: Sequence[str]) -> str:
    if raw not in allowed:
        raise ValueError
    return raw


def parse(params: Mapping[str, str | Sequence[str]], vocab: Vocabulary = Vocabulary()) -> ParseResult:
    """Query parameters -> (state, notices about what was ignored)."""
    values: dict[str, object] = {}
    notices: list[str] = []
    for key, raw_value in params.items():
        name = _KEYS.get(key)
        if name is None:
            notices.append(f"unknown parameter '{_show(str(key))}'")
            continue
        raw = _last(raw_value).strip()
        if len(raw) > (STORY_TOKEN_MAX if name == "story" else MAX_VALUE_LENGTH):
            notices.append(f"'{key}' is too long")
            continue
        try:
            values.update(_parse_one(name, raw, vocab))
        except ValueError:
            notices.append(f"'{key}={_show(raw)}' is not valid")
    state = replace(DEFAULT, **values)  # type: ignore[arg-type]
    if state.exit_from > state.exit_to:
        notices.append("'exit' range is reversed")
        state = replace(state, exit_from=DEFAULT.exit_from, exit_to=DEFAULT.exit_to)
    return ParseResult(state, tuple(notices))


def _parse_one(name: str, raw: str, vocab: Vocabulary) -> dict[str, object]:
    if name == "lang":
        return {"lang": _choice(raw, LANGS)}
    if name in ("present", "basemap", "sanqu_only", "key_only", "deep_only", "play"):
        return {name: _flag(raw)}
    if name in ("year", "year2"):
        return {name: _int_in(raw, *MAP_YEARS)}
    if name == "series_year":
        return {"series_year": _int_in(raw, *SERIES_YEARS)}
    if name in ("layer", "layer2"):
        return {name: _choice(raw, LAYERS)}
    if name == "theme":
        return {"theme": _choice(raw, THEMES)}
    if name == "level":
        return {"level": _choice(raw, SERIES_LEVELS)}
    if name == "provinces":
        return {"provinces": _codes(raw, vocab.provinces, CODE6_PATTERN)}
    if name == "prefectures":
        return {"prefectures": _codes(raw, vocab.prefectures, CODE6_PATTERN)}
    if name == "areas":
        return {"areas": _codes(raw, vocab.areas, SLUG_PATTERN)}
    if name == "county":
        return {"county": _codes(raw, vocab.counties, CODE6_PATTERN)[0]} if raw else {}
    if name == "exit_range":
        low, _, high = raw.partition("-")
        return {"exit_from": _int_in(low, *EXIT_YEAR_RANGE), "exit_to": _int_in(high or low, *EXIT_YEAR_RANGE)}
    if name == "view":
        return {"view": _view(raw)}
    if name == "area_unit":
        allowed = set(vocab.areas) | {"sanqu_sanzhou", "all"}
        return {"area_unit": _choice(raw, sorted(allowed))}
    if name == "measure":
        if not SLUG_PATTERN.match(raw) or vocab.measures and raw not in vocab.measures:
            raise ValueError
        return {"measure": raw}
    if name == "variant":
        # A poverty line is prose (spaces, brackets, Chinese): only the data's own values pass.
        known = raw in vocab.variants if vocab.variants else bool(SLUG_PATTERN.match(raw))
        if not known:
            raise ValueError
        return {"variant": raw}
    if name == "compare":
        pattern = re.compile(r"^[A-Za-z0-9_]{1,40}$")
        return {"compare": _codes(raw, vocab.series_units, pattern)}
    if name == "source":
        if not SOURCE_ID_PATTERN.match(raw) or vocab.sources and raw not in vocab.sources:
            raise ValueError
        return {"source": raw}
    if name == "story":
        if not _TOKEN.match(raw):
            raise ValueError
        return {"story": raw}
    if name == "datasets":
        if raw == NO_DATASETS:
            return {"datasets": ()}
        items = raw.split(",")
        if not 0 < len(items) <= MAX_DATASETS or not all(_PUBLISHED_REF.match(v) and "--" not in v for v in items):
            raise ValueError
        return {"datasets": tuple(dict.fromkeys(items))}
    if name == "dataset":
        if not _DATASET_REF.match(raw):
            raise ValueError
        return {"dataset": raw}
    if name == "panel":
        if not _PANEL.match(raw):
            raise ValueError
        return {"panel": raw}
    if name == "panel_year":
        return {"panel_year": _int_in(raw, *PANEL_YEAR_RANGE)}
    raise ValueError  # pragma: no cover - every key of _KEYS is handled above


def _format(name: str, value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if value == () and name == "datasets":
        return NO_DATASETS
    if isinstance(value, tuple) and name == "view":
        lat, lon, zoom = value
        return f"{lat:.4f},{lon:.4f},{zoom:.2f}"
    if isinstance(value, tuple):
        return ",".join(value)
    return str(value)


def encode(state: ViewState) -> dict[str, str]:
    """State -> query parameters, defaults left out, in a fixed order."""
    out: dict[str, str] = {}
    for key, name in _KEYS.items():
        if name == "exit_range":
            if (state.exit_from, state.exit_to) != (DEFAULT.exit_from, DEFAULT.exit_to):
                out[key] = f"{state.exit_from}-{state.exit_to}"
            continue
        value = getattr(state, name)
        if value != getattr(DEFAULT, name) and value is not None:
            out[key] = _format(name, value)
    return out


# The notices above in the reader's language: (pattern, string key); the rejected text stays as it was.
_NOTICES = (
    (re.compile(r"^unknown parameter '(.*)'$"), "notice_unknown"),
    (re.compile(r"^'(.*)' is too long$"), "notice_too_long"),
    (re.compile(r"^'(.*)' is not valid$"), "notice_invalid"),
    (re.compile(r"^'(exit)' range is reversed$"), "notice_reversed"),
)


def notice_text(notice: str, lang: Lang) -> str:
    """A notice of `parse` in the reader's language."""
    for pattern, key in _NOTICES:
        found = pattern.match(notice)
        if found:
            return t(key, lang, what=found.group(1))
    return notice
