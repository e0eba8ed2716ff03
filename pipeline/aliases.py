"""geodata/county_aliases.csv: the other names a person may search a county by (Hotan, Kashgar, Gyantse).

The names come from geodata/raw/county_aliases.csv, transcribed by hand from the sources cited in
raw/sources_aliases.csv, each row with the Chinese name and province the source gives it for. The build
checks every row rather than trusting its code: the Chinese name and province must match (loaders.match,
through the code history) exactly the polygon the row's code names, and the source must be in
sources.csv. A name search reads the same for two counties (Xigazê = Xigaze) is kept for both and says
so in `shared_with`: search then offers both instead of guessing.

    python -m pipeline.aliases
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from atlas.filters import fold_name
from loaders.errors import DataFileError
from loaders.geo_io import load_layer
from loaders.match import MATCHED_STATUSES, ColumnRoles, Gazetteer, load_gazetteer, match_table
from loaders.names_schema import COUNTY_ALIASES, COUNTY_ALIASES_RAW, PLACE_ALIASES, PLACE_ALIASES_RAW
from loaders.schema import GEODATA, SOURCES
from loaders.tables import read_table


def problems(raw: pd.DataFrame, gazetteer: Gazetteer, known_sources: set[str]) -> list[str]:
    """Every row that cannot be trusted, in words (row numbers as in the CSV, header = 1)."""
    found = match_table(raw, ColumnRoles(name="name_zh", province="province_zh"), gazetteer).rows
    out = []
    for i, (row, hit) in enumerate(zip(raw.itertuples(index=False), found.itertuples(index=False)), start=2):
        where = f"row {i} ({row.name_zh} '{row.alias}')"
        if not gazetteer.name_zh(row.code):
            out.append(f"{where}: code {row.code} is not a polygon of the county layer")
        if hit.match_status not in MATCHED_STATUSES:
            out.append(f"{where}: the name is {hit.match_status} ({hit.match_method}; candidates {hit.candidates})")
        elif hit.boundary_code != row.code:
            out.append(f"{where}: the name matches {hit.boundary_code} {hit.boundary_name_zh}, not {row.code}")
        if row.source_id not in known_sources:
            out.append(f"{where}: source '{row.source_id}' is not in sources.csv")
    return out


def build(raw: pd.DataFrame) -> pd.DataFrame:
    """The searchable table: one row per county and name, with the other counties of the same folded name."""
    out = raw[["code", "alias", "kind", "source_id"]].copy()
    folded = out["alias"].map(fold_name)
    codes_of = out.groupby(folded)["code"].agg(lambda c: sorted(set(c)))
    # object like the other columns (and like the table read back): pandas would make a str column of it
    # once one name is shared
    out["shared_with"] = pd.Series(
        [";".join(c for c in codes_of[key] if c != code) or None for key, code in zip(folded, out["code"])],
        index=out.index,
        dtype=object,
    )
    return out.sort_values(["code", "alias"]).reset_index(drop=True)[COUNTY_ALIASES.names]


def place_problems(raw: pd.DataFrame, names_zh: dict[str, str], known_sources: set[str]) -> list[str]:
    """Every row of raw/place_aliases.csv whose code is not the province or prefecture of its Chinese name,
    or whose source is not in sources.csv (row numbers as in the CSV, header = 1)."""
    out = []
    for i, row in enumerate(raw.itertuples(index=False), start=2):
        where = f"row {i} ({row.name_zh} '{row.alias}')"
        if names_zh.get(row.code) != row.name_zh:
            out.append(f"{where}: code {row.code} is {names_zh.get(row.code) or 'no province or prefecture'}")
        if row.source_id not in known_sources:
            out.append(f"{where}: source '{row.source_id}' is not in sources.csv")
    return out


def place_names_zh(root: Path = GEODATA) -> dict[str, str]:
    """Province and prefecture code -> Chinese name, from the boundary layers."""
    layers = [load_layer(name, root) for name in ("provinces", "prefectures")]
    return {str(code): name for layer in layers for code, name in zip(layer["code"], layer["name_zh"])}


def main(root: Path = GEODATA) -> None:
    path = root / COUNTY_ALIASES_RAW.file
    raw = read_table(COUNTY_ALIASES_RAW, root)
    found = problems(raw, load_gazetteer(root), set(read_table(SOURCES, root)["source_id"]))
    if found:
        raise DataFileError(path, f"{len(found)} row(s) to fix:\n" + "\n".join(found))
    table = build(raw)
    table.to_csv(root / COUNTY_ALIASES.file, index=False, encoding="utf-8", lineterminator="\n")
    shared = table[table["shared_with"].notna()]
    print(f"{len(table)} names of {table['code'].nunique()} counties -> {root / COUNTY_ALIASES.file}")
    for row in shared.itertuples(index=False):
        print(f"  shared: '{row.alias}' {row.code} also {row.shared_with}")
    places = read_table(PLACE_ALIASES_RAW, root)
    found = place_problems(places, place_names_zh(root), set(read_table(SOURCES, root)["source_id"]))
    if found:
        raise DataFileError(root / PLACE_ALIASES_RAW.file, f"{len(found)} row(s) to fix:\n" + "\n".join(found))
    built = places.sort_values(["code", "alias"]).reset_index(drop=True)[PLACE_ALIASES.names]
    built.to_csv(root / PLACE_ALIASES.file, index=False, encoding="utf-8", lineterminator="\n")
    print(f"{len(built)} names of {built['code'].nunique()} provinces and prefectures -> {root / PLACE_ALIASES.file}")


if __name__ == "__main__":
    main()
