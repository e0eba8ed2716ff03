"""Build the bundled stories (stories/*.json) from geodata/: `python -m pipeline.stories`.

Every number in a caption is counted here from geodata/poverty_counties.csv and checked against
the published total in geodata/official_totals.csv, whose source ids the slide cites; the build
fails when the two disagree. tests/test_story.py rebuilds the stories and compares them with the
committed files, so a caption never drifts from the data.
"""

from __future__ import annotations

import sys
from dataclasses import replace

import pandas as pd

from atlas.story import STORIES_DIR, Slide, Story, Text, new_slide, to_json
from atlas.url_state import MAP_YEARS, ViewState
from loaders.schema import GEODATA, split_ids

EXITS_FILE = "exits-2016-2020.json"


def exits_story(poverty: pd.DataFrame, totals: pd.DataFrame) -> Story:
    """脱贫摘帽 2016–2020: the status map at the end of each year 2015–2020, six slides."""
    all_ids = _ids(totals, "poverty_counties", None)
    total = len(poverty)
    if total != int(totals.loc[totals["measure"] == "poverty_counties", "value"].iloc[0]):
        raise ValueError(f"poverty_counties.csv has {total} counties; official_totals.csv says otherwise")
    exits = poverty["exit_year"].dropna().astype(int).value_counts().to_dict()
    first = ViewState(year=MAP_YEARS[0], layer="status")
    slides: list[Slide] = [
        new_slide(
            "county_map",
            first,
            Text(f"{MAP_YEARS[0]} 年底：{total} 个贫困县", f"End of {MAP_YEARS[0]}: {total} poverty counties"),
            Text(
                f"{MAP_YEARS[0]} 年底，全国 {total} 个贫困县全部在列，尚无一县脱贫摘帽。",
                f"At the end of {MAP_YEARS[0]} all {total} poverty counties were on the list; none had exited yet.",
            ),
        )
    ]
    slides[0] = replace(slides[0], sources=tuple(all_ids))
    done = 0
    for year in range(MAP_YEARS[0] + 1, MAP_YEARS[1] + 1):
        count = exits.get(year, 0)
        published = totals[(totals["measure"] == "exits") & (totals["year"] == str(year))]
        if published.empty or int(published["value"].iloc[0]) != count:
            raise ValueError(f"{year}: {count} exits in poverty_counties.csv differ from official_totals.csv")
        done += count
        left = total - done
        zh = f"{year} 年，{count} 个贫困县脱贫摘帽；累计 {done} 个，尚余 {left} 个。"
        en = f"In {year}, {count} poverty counties exited; {done} in all so far, {left} remaining."
        if left == 0:
            zh += f"至此 {total} 个贫困县全部摘帽。"
            en += f" All {total} poverty counties had now exited."
        slide = new_slide(
            "county_map",
            ViewState(year=year, layer="status"),
            Text(f"{year} 年：{count} 县摘帽", f"{year}: {count} counties exit"),
            Text(zh, en),
        )
        slides.append(replace(slide, sources=tuple(_ids(totals, "exits", year))))
    return Story(Text("脱贫摘帽 2016–2020", "Exits from poverty, 2016–2020"), tuple(slides))


def _ids(totals: pd.DataFrame, measure: str, year: int | None) -> list[str]:
    rows = totals[totals["measure"] == measure]
    if year is not None:
        rows = rows[rows["year"] == str(year)]
    return [sid for value in rows["source_id"] for sid in split_ids(value)]


def build() -> dict[str, str]:
    """File name -> the story file's text."""
    poverty = pd.read_csv(GEODATA / "poverty_counties.csv", dtype=str)
    poverty["exit_year"] = pd.to_numeric(poverty["exit_year"])
    totals = pd.read_csv(GEODATA / "official_totals.csv", dtype=str, keep_default_na=False)
    return {EXITS_FILE: to_json(exits_story(poverty, totals))}


def main() -> int:
    STORIES_DIR.mkdir(exist_ok=True)
    for name, text in build().items():
        (STORIES_DIR / name).write_text(text, encoding="utf-8")
        print(f"wrote stories/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
