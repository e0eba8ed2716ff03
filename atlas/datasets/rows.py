"""A match result (loaders.match) as the rows and match report of a dataset to publish. The Import page and
the command both go through here, so a list or panel is published the same way from either."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from atlas.datasets.model import KINDS, PANEL_KEYS, DatasetError
from atlas.i18n import Lang, t


@dataclass(frozen=True)
class LeftOut:
    """An input row left out of a publish and why: an i18n key (atlas.i18n) and the values its text names,
    so that the Import page says it in the reader's language."""

    row: int
    key: str
    values: Mapping[str, str] = field(default_factory=dict)

    def why(self, lang: Lang) -> str:
        return t(self.key, lang, **self.values)


@dataclass(frozen=True, eq=False)
class PublishRows:
    """What would be published: `rows` (as Store.publish takes them), `report` (every input row: input_row,
    status, code, name_zh, method) and the input rows left out with why (not on a polygon, a county
    listed twice, an unknown area, a row without a year)."""

    rows: pd.DataFrame
    report: pd.DataFrame
    left_out: list[LeftOut] = field(default_factory=list)


def rows_from_match(
    matched: pd.DataFrame,
    kind: str,
    *,
    area_column: str | None = None,
    areas: Mapping[str, str] | None = None,
    year_column: str | None = None,
    value_columns: Sequence[str] = (),
) -> PublishRows:
    """Rows of a MatchResult (after the user's resolutions) -> PublishRows. Ambiguous and not-found rows
    are in the report, never in the rows. area: `area_column` names each row's contiguous area, checked
    against `areas` (atlas.imported.area_lookup). panel: `year_column` and the `value_columns` (typed:
    Int64 for whole numbers, float for decimals, else text, as loaders.tabular.numbers.typed_column does)."""
    from atlas.imported import area_key, located  # deferred: the maps' modules are not needed to open the store
    from loaders.tabular.numbers import typed_column

    if kind not in KINDS:
        raise DatasetError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    report = pd.DataFrame(
        {
            "input_row": pd.array(matched["row"].tolist(), dtype="Int64"),
            "status": matched["match_status"].astype("string").to_numpy(),
            "code": matched["boundary_code"].astype("string").to_numpy(),
            "name_zh": matched["boundary_name_zh"].astype("string").to_numpy(),
            "method": matched["match_method"].astype("string").to_numpy(),
        }
    )
    on_map = located(matched)
    left_out = [LeftOut(int(r), "left_not_placed") for r in matched.loc[~matched.index.isin(on_map.index), "row"]]
    base = pd.DataFrame(
        {
            "code": on_map["boundary_code"].astype(str).to_numpy(),
            "name_zh": on_map["boundary_name_zh"].astype(str).to_numpy(),
        },
        index=on_map.index,
    )
    input_rows = on_map["row"].astype(int)
    if kind == "panel":
        if not year_column or year_column not in on_map:
            raise DatasetError("a panel needs its year column")
        years = pd.to_numeric(on_map[year_column].astype("string").str.strip(), errors="coerce")
        whole = years.notna() & (years == years.round())
        left_out += [LeftOut(int(r), "left_no_year", {"column": year_column}) for r in input_rows[~whole]]
        out = base[whole].assign(year=pd.array(years[whole].astype("int64").tolist(), dtype="Int64"))
        for column in value_columns:
            if column not in on_map:
                raise DatasetError(f"no column '{column}' in the table")
            name = f"input_{column}" if column in PANEL_KEYS else str(column)
            out[name] = typed_column(on_map.loc[whole, column].astype("string")).array
        return PublishRows(out.reset_index(drop=True), report, _by_row(left_out))
    keep = pd.Series(True, index=base.index)
    if kind == "area":
        if not area_column or area_column not in on_map:
            raise DatasetError("a contiguous-area list needs the column naming each county's area")
        text = on_map[area_column].astype("string").str.strip()
        known = text.map(lambda v: not pd.isna(v) and area_key(v) in (areas or {}), na_action=None).astype(bool)
        left_out += [
            LeftOut(int(r), "left_unknown_area", {"area": "" if pd.isna(v) else str(v)})
            for r, v in zip(input_rows[~known], text[~known])
        ]
        keep &= known
        base["area"] = text.astype(object)
    first = base[keep].drop_duplicates("code")
    again = keep & ~base.index.isin(first.index)
    left_out += [
        LeftOut(int(r), "left_listed_earlier", {"code": str(code)})
        for r, code in zip(input_rows[again], base.loc[again, "code"])
    ]
    return PublishRows(first.reset_index(drop=True), report, _by_row(left_out))


def _by_row(left_out: list[LeftOut]) -> list[LeftOut]:
    return sorted(left_out, key=lambda left: left.row)
