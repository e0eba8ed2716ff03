"""Published datasets (atlas.datasets) in a view: which versions a view applies (`ds=<id>@<version>`, else
the admin's defaults), a published county list as an AppliedList (the same path as a list a session
applies on the Import page, atlas.imported.membership, but shared, versioned and cited), where a published
list and the bundled record disagree, and the area outlines dissolved from a published membership.
No Streamlit here (atlas/ui/published.py holds the store and the caches)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

import geopandas as gpd
import pandas as pd

from atlas import imported
from atlas.colours import RGBA
from atlas.datasets.model import LIST_KINDS, PANEL_KEYS, DatasetError, DatasetVersion, parse_ref
from atlas.facts import layer_fact
from atlas.i18n import Lang, t
from atlas.imported import USER_FLAGS, AppliedList, Provenance, area_key
from atlas.imported.membership import PUBLISHED_COLUMNS
from loaders.geometry import union_of
from loaders.tabular.numbers import numeric_values

FLAG_OF_KIND = dict(zip(LIST_KINDS, USER_FLAGS))  # the kind of a published list -> the flag it sets
KIND_OF_FLAG = {flag: kind for kind, flag in FLAG_OF_KIND.items()}


@dataclass(frozen=True)
class PublishedSource(Provenance):
    """A published version as the source of the values it sets: title, version, publisher, source."""

    dataset: DatasetVersion | None = None

    columns: ClassVar[tuple[str, str]] = PUBLISHED_COLUMNS

    @classmethod
    def of(cls, version: DatasetVersion) -> PublishedSource:
        stamp = version.published_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        return cls(version.file_name, version.sha256, stamp, version)

    @property
    def version(self) -> DatasetVersion:
        assert self.dataset is not None
        return self.dataset

    @property
    def key(self) -> str:
        return f"{self.version.ref}:{self.time}"  # a restored store may reuse a number: the time tells

    def short(self) -> str:
        v = self.version
        return f"“{v.title}” v{v.version} ({v.ref}) · {v.source.publisher}, “{v.source.title}”, {v.source.date}"

    def note(self, lang: Lang) -> str:
        return t("published_note", lang, source=self.short())

    def as_dict(self) -> dict[str, str]:
        v = self.version
        return {
            "dataset": v.ref,
            "title": v.title,
            "version": str(v.version),
            "source_title": v.source.title,
            "source_publisher": v.source.publisher,
            "source_date": v.source.date,
            "source_where": v.source.where,
            "published_by": v.published_by,
            "published_at": self.time,
            "file_name": v.file_name,
            "sha256": v.sha256,
            "note": "published in the atlas's dataset store; cite the source above",
        }

    def source_row(self, flag: str | None = None) -> dict[str, str]:
        v = self.version
        return {
            "source_id": f"ds-{v.dataset_id}-{v.version}",
            "title": v.source.title,
            "publisher": v.source.publisher,
            "date": v.source.date,
            "where_found": v.source.where,
            "license": "",
            "notes": f"published dataset “{v.title}” {v.ref} by {v.published_by} on {self.time}; file {v.file_name}, "
            f"SHA-256 {v.sha256}" + (f"; sets the flag {flag}" if flag else ""),
        }


def as_applied(
    version: DatasetVersion, rows: pd.DataFrame, poverty: pd.DataFrame, area_ids: Mapping[str, str]
) -> AppliedList:
    """A published county list as an AppliedList over `poverty`. It is taken as complete where it speaks:
    an area list for the areas it names (their outlines become exactly its membership), a key-county or
    deep-poverty list for the provinces it touches. Counties outside the 832 are left out (as on the
    Import page); `area_ids`: normalised area name -> area id (atlas.imported.area_lookup)."""
    if version.kind not in FLAG_OF_KIND:
        raise DatasetError(f"{version.ref} is a {version.kind} dataset, not a county list")
    flag = FLAG_OF_KIND[version.kind]
    poverty_codes = set(poverty["code"])
    areas = rows["area"] if "area" in rows else [None] * len(rows)
    members: dict[str, str | None] = {}
    for code, area in zip(rows["code"], areas):
        if code in poverty_codes:
            members[str(code)] = area_ids.get(area_key(area)) if flag == "contiguous_area" else None
    if flag == "contiguous_area":
        members = {c: a for c, a in members.items() if a}
        scope = tuple(sorted(set(members.values())))  # type: ignore[arg-type]
    else:
        provinces = poverty.drop_duplicates("code").set_index("code")["province_code"]
        scope = tuple(sorted({str(provinces[c]) for c in members}))
    return AppliedList(flag, members, scope, PublishedSource.of(version))


# --- which versions a view applies --------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """Something a view's reader must know about the datasets it names: an i18n key and its values."""

    key: str
    values: Mapping[str, str] = field(default_factory=dict)

    def text(self, lang: Lang) -> str:
        return t(self.key, lang, **self.values)


@dataclass(frozen=True)
class Resolved:
    """The versions a view applies (in the order named), the refs its URL should carry (None: it follows
    the defaults; 'latest' replaced by the number), and what to tell the reader."""

    versions: tuple[DatasetVersion, ...]
    refs: tuple[str, ...] | None
    notices: tuple[Notice, ...] = ()


def _when(version: DatasetVersion) -> str:
    return version.withdrawn_at.strftime("%Y-%m-%d %H:%M UTC") if version.withdrawn_at else ""


def resolve(
    wanted: Sequence[str] | None,
    catalogue: Mapping[str, Sequence[DatasetVersion]],
    defaults: Mapping[str, DatasetVersion],
) -> Resolved:
    """What a view's `ds` refs (None: the admin's defaults) apply, given every version by dataset id
    (oldest first). An unknown ref, a withdrawn version and a version with a newer one each bring a
    notice; unknown and withdrawn ones are not applied. Never raises (a ref may come from a hostile URL)."""
    if wanted is None:
        return Resolved(tuple(defaults[k] for k in FLAG_OF_KIND if k in defaults), None)
    chosen: list[DatasetVersion] = []
    refs: list[str] = []
    notices: list[Notice] = []
    for ref in wanted:
        try:
            dataset_id, number = parse_ref(ref)
        except DatasetError:
            notices.append(Notice("published_unknown", {"ref": str(ref)[:80]}))
            continue  # not even a ref: dropped from the URL
        versions = list(catalogue.get(dataset_id, ()))
        live = [v for v in versions if not v.is_withdrawn]
        if number is None:
            found = live[-1] if live else (versions[-1] if versions else None)
        else:
            found = next((v for v in versions if v.version == number), None)
        if found is None:
            refs.append(ref)  # kept: the link still says what it named
            notices.append(Notice("published_unknown", {"ref": ref}))
            continue
        refs.append(found.ref)
        if found.is_withdrawn:
            values = {"ref": found.ref, "title": found.title, "at": _when(found)}
            values |= {"by": found.withdrawn_by or "", "reason": found.withdraw_reason or ""}
            notices.append(Notice("published_withdrawn", values))
            continue
        chosen.append(found)
        if live and live[-1].version > found.version:
            values = {"ref": found.ref, "title": found.title, "version": str(found.version)}
            notices.append(Notice("published_newer", values | {"latest": str(live[-1].version)}))
    return Resolved(tuple(chosen), tuple(dict.fromkeys(refs)), tuple(notices))


def choices(catalogue: Mapping[str, Sequence[DatasetVersion]], shown: Iterable[str]) -> list[str]:
    """The refs a viewer may turn on: the newest live version of each dataset, and whatever the view shows."""
    live = ([v for v in versions if not v.is_withdrawn] for versions in catalogue.values())
    return list(dict.fromkeys([*shown, *sorted(vs[-1].ref for vs in live if vs)]))


# --- what the facts panel and the Overview say -----------------------------------------------------------


def disagreements(
    bundled: Mapping[str, object] | None, shown: Mapping[str, object], lang: Lang, area_names: Mapping[str, str]
) -> list[tuple[str, str]]:
    """(label, 'published: …; bundled record: …') for each flag a published list set on this county to
    something else than the bundled record says (an unknown bundled value is no disagreement)."""
    if bundled is None:
        return []
    out = []
    for flag in str(shown.get(PUBLISHED_COLUMNS[0]) or "").split(";"):
        if flag not in KIND_OF_FLAG:
            continue
        was, now = bundled.get(flag), shown.get(flag)
        if was is None or was is pd.NA or (isinstance(was, float) and was != was):
            continue
        if (was == now) if flag == "contiguous_area" else (bool(was) == bool(now) and now is not pd.NA):
            continue
        layer = KIND_OF_FLAG[flag]
        values = {
            "shown": layer_fact(shown, layer, lang, area_names),
            "bundled": layer_fact(bundled, layer, lang, area_names),
        }
        label = t("published_disagree_label", lang, flag=t(flag, lang))
        out.append((label, t("published_disagrees", lang, **values)))
    return out


def known_note(applied: Sequence[AppliedList], flag: str, known: int | None, total: int | None, lang: Lang) -> str:
    """'680 of 680 known — “title” v1 …' when a published list sets `flag` in this view ('' otherwise)."""
    lists = [a for a in applied if a.flag == flag and isinstance(a.provenance, PublishedSource)]
    if not lists or known is None:
        return ""
    sources = "; ".join(a.provenance.short() for a in lists)
    return t("published_known", lang, n=f"{known:,}", total="?" if total is None else f"{total:,}", source=sources)


# --- outlines --------------------------------------------------------------------------------------------


def dissolve(counties: gpd.GeoDataFrame, poverty: pd.DataFrame, area_ids: Sequence[str]) -> gpd.GeoDataFrame:
    """The contiguous areas' outlines dissolved from the counties `poverty` places in them (a published
    membership): unit_id, poverty_county_count, geometry; an area with no member has no outline."""
    rows = []
    for area_id in area_ids:
        codes = sorted(set(poverty.loc[poverty["contiguous_area"] == area_id, "code"]))
        if codes:
            rows.append((area_id, len(codes), union_of(counties, codes)))
    frame = pd.DataFrame(rows, columns=["unit_id", "poverty_county_count", "geometry"])
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=counties.crs)


def coloured(feats: Sequence[Mapping[str, Any]], palette: Mapping[str, RGBA]) -> list[dict[str, Any]]:
    """Dissolved outlines' features with their area's colour as fill `f` (an area without one is not drawn)."""
    return [
        {**f, "properties": {**f["properties"], "f": list(palette[f["properties"]["c"]])}}
        for f in feats
        if f["properties"]["c"] in palette
    ]


# --- panels ----------------------------------------------------------------------------------------------


def panel_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """A published panel's rows as the Import page's map reads matched rows (atlas.imported.map_model):
    every row is on its county's polygon (`boundary_code`)."""
    renamed = rows.rename(columns={"code": "boundary_code", "name_zh": "boundary_name_zh"})
    return renamed.assign(row=range(1, len(rows) + 1))


def panel_columns(rows: pd.DataFrame) -> list[str]:
    """A published panel's value columns, as published."""
    return [str(c) for c in rows.columns if c not in PANEL_KEYS]


def panel_label(version: DatasetVersion, column: str) -> str:
    """A panel column as the County map's layer list names it: the dataset's title, version and the column."""
    return f"{version.title} · v{version.version} — {column}"


@dataclass(frozen=True, eq=False)
class Panel:
    """A published panel ready for the map: rows on their polygons, split by year, and the view fitting them."""

    rows: pd.DataFrame
    by_year: Mapping[int, pd.DataFrame]
    view: tuple[float, float, float]
    columns: tuple[str, ...]  # the value columns


def panel_of(stored: pd.DataFrame, counties: pd.DataFrame, fallback: tuple[float, float, float]) -> Panel:
    """A published panel's stored rows ready for the map (`counties`: the polygons, for the view that fits it)."""
    rows = panel_rows(stored)
    fitted = imported.fit_view(counties, rows["boundary_code"], fallback)
    return Panel(rows, imported.rows_by_year(rows, "year"), fitted, tuple(panel_columns(stored)))


def panel_classes(rows: pd.DataFrame, column: str, lang: Lang, contrast: bool = False) -> imported.ValueClasses:
    """One column's classes over every year at once (colours compare through time): the web layer's and the files'."""
    numbers, bad = numeric_values(rows, column)
    numeric = imported.is_mostly_numbers(numbers, bad)
    return imported.value_classes(rows, column, numbers if numeric else None, lang, contrast)


@dataclass(frozen=True)
class PanelChoice:
    """The published panel column a County map view shows as its layer, and the year."""

    dataset_id: str
    column: str
    year: int

    @property
    def field(self) -> str:
        """The view's `panel` field (the URL's `panel=`)."""
        return panel_field(self.dataset_id, self.column)


def panel_field(dataset_id: str, column: str) -> str:
    return f"{dataset_id}:{column}"


def shown_panel(
    wanted: str | None, year: int | None, applied: Mapping[str, tuple[Sequence[str], Sequence[int]]]
) -> tuple[PanelChoice | None, tuple[Notice, ...]]:
    """What a view's `panel` and `pyear` show, given each panel it applies (dataset id -> its value columns and
    years): the column, and the year named (the panel's latest when none is). A panel the view does not apply
    or a column it does not have shows none, with a notice; a year it lacks, the latest, with a notice. Never
    raises (the fields come from a URL)."""
    if wanted is None:
        return None, ()
    dataset_id, _, column = wanted.partition(":")
    if dataset_id not in applied:
        return None, (Notice("published_panel_absent", {"dataset": dataset_id}),)
    columns, years = applied[dataset_id]
    if column not in columns or not years:
        return None, (Notice("published_panel_no_column", {"dataset": dataset_id, "column": column}),)
    if year is None or year in years:
        return PanelChoice(dataset_id, column, max(years) if year is None else year), ()
    values = {"dataset": dataset_id, "year": str(year), "latest": str(max(years))}
    return PanelChoice(dataset_id, column, max(years)), (Notice("published_panel_no_year", values),)


@dataclass(frozen=True, eq=False)
class ShownPanel:
    """The published panel column a view shows as its layer (the view's `panel` and `pyear`)."""

    version: DatasetVersion
    panel: Panel
    choice: PanelChoice

    @property
    def key(self) -> str:
        """The version's ref and publication time (caches' key: a restored store may reuse a number)."""
        return version_key(self.version)

    @property
    def years(self) -> list[int]:
        return sorted(self.panel.by_year)

    def at(self, year: int) -> ShownPanel:
        return replace(self, choice=replace(self.choice, year=year))


def version_key(version: DatasetVersion) -> str:
    return f"{version.ref}:{version.published_at.isoformat()}"


def pick_panel(
    wanted: str | None, year: int | None, loaded: Iterable[tuple[DatasetVersion, Panel]]
) -> tuple[ShownPanel | None, tuple[Notice, ...]]:
    """What a view's `panel` and `pyear` show among the panels it applies that have values (shown_panel)."""
    usable = {v.dataset_id: (v, p) for v, p in loaded if p.columns and p.by_year}
    applied = {dataset_id: (p.columns, tuple(p.by_year)) for dataset_id, (_, p) in usable.items()}
    choice, notices = shown_panel(wanted, year, applied)
    if choice is None:
        return None, notices
    return ShownPanel(*usable[choice.dataset_id], choice), notices
