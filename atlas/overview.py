"""Headline figures and exit batches: counted from our rows, set beside the official totals."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from atlas.i18n import Lang, t
from atlas.legend import sources_markdown
from loaders.schema import EXIT_BATCH_YEARS, split_ids


@dataclass(frozen=True)
class Figure:
    label: str  # i18n key
    value: int | None  # counted in our data; None = no data
    official: int | None
    sources: tuple[str, ...]

    def text(self, no_data: str) -> str:
        return no_data if self.value is None else f"{self.value:,}"

    def note(self, lang: Lang, citations: Mapping[str, str], query: str = "", numbered: bool = False) -> str:
        """'Official total 832 ([publisher, “title”, date](./sources?source=id))' as Markdown: the
        short citations linked to the sources page (`query` keeps the language). `numbered`: the links
        read 1, 2 … (a projected screen has no room for titles; `citation_text` gives them in full)."""
        if self.official is None:
            return t("official_total_none", lang)
        labels = {sid: str(n) for n, sid in enumerate(self.sources, 1)} if numbered else citations
        cite = sources_markdown(self.sources, labels, "", query=query)
        return t("official_total", lang, value=f"{self.official:,}", cite=cite)

    def citation_text(self, citations: Mapping[str, str]) -> str | None:
        """The official total's sources in full, numbered as a `numbered` note links them (plain text)."""
        if self.official is None or not self.sources:
            return None
        return "\n\n".join(f"{n}. {citations.get(sid) or sid}" for n, sid in enumerate(self.sources, 1))


def official_total(
    official: pd.DataFrame | None, measure: str, year: int | None = None
) -> tuple[int | None, tuple[str, ...]]:
    if official is None:
        return None, ()
    rows = official[official["measure"] == measure]
    rows = rows[rows["year"].isna()] if year is None else rows[rows["year"] == year]
    if rows.empty:
        return None, ()
    row = rows.iloc[0]
    return int(row["value"]), tuple(split_ids(row["source_id"]))


def _count(mask: pd.Series) -> int | None:
    """How many rows are true; None when no row says either way (unknown stays unknown)."""
    known = mask.dropna()
    return None if known.empty else int(known.astype(bool).sum())


def headline_figures(poverty: pd.DataFrame, areas: pd.DataFrame | None, official: pd.DataFrame | None) -> list[Figure]:
    specs = [
        ("headline_counties", "poverty_counties", len(poverty)),
        ("headline_area_counties", "contiguous_area_counties", _count(poverty["contiguous_area"].notna())),
        ("headline_areas", "contiguous_areas", None if areas is None else len(areas)),
        ("headline_key", "key_counties", _count(poverty["key_county"])),
        ("headline_sqsz", "sanqu_sanzhou_counties", _count(poverty["sanqu_sanzhou"])),
    ]
    figures = []
    for label, measure, value in specs:
        total, sources = official_total(official, measure)
        figures.append(Figure(label, value, total, sources))
    return figures


def exits_per_batch(poverty: pd.DataFrame, official: pd.DataFrame | None) -> pd.DataFrame:
    """exit_year, official (or <NA>), in_data; plus a row for counties whose batch is unknown."""
    counts = poverty["exit_year"].value_counts()
    rows = []
    for year in EXIT_BATCH_YEARS:
        total, _ = official_total(official, "exits", year)
        rows.append({"exit_year": str(year), "official": total, "in_data": int(counts.get(year, 0))})
    rows.append({"exit_year": "?", "official": None, "in_data": int(poverty["exit_year"].isna().sum())})
    return pd.DataFrame(rows).astype({"official": "Int64"})
