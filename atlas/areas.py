"""The 14 contiguous areas and the 三区三州 as units: a table of facts, counted from our rows."""

from __future__ import annotations

import pandas as pd

from atlas.colours import RGBA
from atlas.i18n import t
from loaders.schema import EXIT_BATCH_YEARS, split_ids


def exits_by_year(poverty: pd.DataFrame) -> dict[str, int]:
    counts = poverty["exit_year"].value_counts()
    out = {str(y): int(counts.get(y, 0)) for y in EXIT_BATCH_YEARS}
    out["?"] = int(poverty["exit_year"].isna().sum())
    return out


def latest_incidence(incidence: pd.DataFrame | None, unit_code: str) -> str | None:
    """'4.2 % (2018)' from the area-or-group series, or None: unknown stays unknown."""
    if incidence is None:
        return None
    rows = incidence[(incidence["unit_code"] == unit_code) & incidence["incidence_pct"].notna()]
    if rows.empty:
        return None
    row = rows.sort_values("year").iloc[-1]
    return f"{row['incidence_pct']:.1f} % ({int(row['year'])})"


def area_table(
    poverty: pd.DataFrame, areas: pd.DataFrame, sanqu_units: pd.DataFrame | None, incidence: pd.DataFrame | None
) -> pd.DataFrame:
    """One row per contiguous area, plus the 三区三州 as a whole (its poverty counties by the
    `sanqu_sanzhou` flag; its sources those of the unit table)."""
    rows = []
    for area in areas.itertuples(index=False):
        members = poverty[poverty["contiguous_area"] == area.area_id]
        rows.append(
            {
                "unit_id": area.area_id,
                "name_zh": area.name_zh,
                "name_en": area.name_en,
                "provinces": area.provinces_zh or "",
                "counties_official": area.county_count_official,
                "counties_data": len(members),
                **exits_by_year(members),
                "incidence_latest": latest_incidence(incidence, area.area_id),
                "source_id": area.source_id,
            }
        )
    sanqu = poverty[poverty["sanqu_sanzhou"].fillna(False).astype(bool)]
    unit_sources = set() if sanqu_units is None else {s for v in sanqu_units["source_id"] for s in split_ids(v)}
    provinces = "" if sanqu_units is None else ";".join(dict.fromkeys(sanqu_units["province_zh"]))
    rows.append(
        {
            "unit_id": "sanqu_sanzhou",
            "name_zh": "三区三州",
            "name_en": "Three areas and three prefectures",
            "provinces": provinces,
            "counties_official": pd.NA,
            "counties_data": len(sanqu),
            **exits_by_year(sanqu),
            "incidence_latest": latest_incidence(incidence, "sanqu_sanzhou"),
            "source_id": ";".join(sorted(unit_sources)),
        }
    )
    return pd.DataFrame(rows).astype({"counties_official": "Int64"})


def members(poverty: pd.DataFrame, unit_id: str) -> pd.DataFrame:
    """Poverty counties of one area (or of the 三区三州)."""
    if unit_id == "sanqu_sanzhou":
        return poverty[poverty["sanqu_sanzhou"].fillna(False).astype(bool)]
    return poverty[poverty["contiguous_area"] == unit_id]


def province_list(text: object, names_by_zh: dict[str, str], lang: str) -> str:
    """The table's ";"-joined Chinese province names in the reader's language ("、" or ", " between)."""
    if not isinstance(text, str) or not text:
        return ""
    return ("、" if lang == "zh" else ", ").join(names_by_zh.get(p, p) for p in text.split(";") if p)


def is_complete(known: int, official: object) -> bool:
    """An area whose official county count our rows reach (its outline is whole)."""
    return not pd.isna(official) and known >= int(official)


def coverage_label(known: int, official: object, lang: str, compact: bool = False) -> str:
    """How much of an area the data know: "3 of 75 counties known", or "3 known, total unknown";
    `compact` (presenter mode's narrow legend): "3/75", "3/?"."""
    if compact:
        return f"{known}/{'?' if pd.isna(official) else int(official)}"
    if pd.isna(official):
        return t("area_known_total_unknown", lang, n=known)
    return t("area_known_of", lang, n=known, total=int(official))


MUTED_ALPHA = 90  # an incomplete area's fill: its outline is only part of the area


def muted(colour: RGBA) -> RGBA:
    return (colour[0], colour[1], colour[2], MUTED_ALPHA)


def complete_list_note(lang: str, official_cite: str, published: str | None = None) -> str:
    """Where a complete list of the areas' counties can come from: the list the official total comes
    from (`official_cite`, Markdown), the Import page, or a published dataset (`published`: its citation
    as Markdown, once there is one)."""
    if published:
        return t("areas_complete_from_published", lang, cite=official_cite, published=published)
    return t("areas_complete_from", lang, cite=official_cite)


def unlisted_note(names: list[str], lang: str) -> str | None:
    """The areas of which no member county is listed, in words (they have no outline to draw)."""
    if not names:
        return None
    return t("areas_none_known", lang, names=("、" if lang == "zh" else "; ").join(names))
