"""Headline figures and exit batches: counted from our rows, set beside the official totals."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import altair as alt
import pandas as pd

from atlas.charts import described
from atlas.i18n import Lang, joined, t
from atlas.legend import sources_markdown
from loaders.schema import EXIT_BATCH_YEARS, split_ids


@dataclass(frozen=True)
class Figure:
    label: str  # i18n key
    value: int | None  # counted in our data; None = no data
    official: int | None
    sources: tuple[str, ...]

    @property
    def incomplete(self) -> bool:
        """Our rows hold fewer than the official total: the list here is only part of the published one."""
        return self.value is not None and self.official is not None and self.value < self.official

    def text(self, lang: Lang) -> str:
        """The headline as read: "220 of 680 known" when our list is short of the official total,
        "199 known" when no total is sourced (never a bare count that reads as complete)."""
        if self.value is None:
            return t("no_data", lang)
        if self.incomplete:
            return t("headline_known_of", lang, n=f"{self.value:,}", total=f"{self.official:,}")
        if self.official is None:
            return t("headline_known", lang, n=f"{self.value:,}")
        return f"{self.value:,}"

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


def completeness_note(figures: Sequence[Figure], lang: Lang, published: str | None = None) -> str | None:
    """One sentence under the headline figures: which lists are incomplete, why, and how the rest can be
    filled — the Import page, or a published list (`published`: its citation as Markdown, once one is
    published); None when every list is complete."""
    short = [t(f.label, lang) for f in figures if f.incomplete]
    if not short:
        return None
    names = joined(short, lang)
    if published:
        return t("headline_incomplete_published", lang, lists=names, published=published)
    return t("headline_incomplete", lang, lists=names)


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


def exits_chart(batches: pd.DataFrame, lang: Lang) -> alt.Chart:
    """The counties of our data exiting per batch (`exits_per_batch`, the batches of known year) as bars,
    described in the reader's language with every batch's count."""
    years = batches[batches["exit_year"] != "?"]
    x_title, y_title = t("exit_year", lang), t("exits_in_data", lang)
    counts = [t("chart_exits_value", lang, year=y, n=n) for y, n in zip(years["exit_year"], years["in_data"])]
    chart = (
        alt.Chart(years[["exit_year", "in_data"]])
        .mark_bar()
        .encode(
            x=alt.X("exit_year:O", title=x_title, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("in_data:Q", title=y_title),
            tooltip=[alt.Tooltip("exit_year:O", title=x_title), alt.Tooltip("in_data:Q", title=y_title)],
        )
    )
    return described(chart, t("chart_exits_description", lang, values=joined(counts, lang)))
