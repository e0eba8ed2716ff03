"""The rows of a match result: located, unresolved, candidates, and the boundaries a person may pick."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from atlas.i18n import Lang, pick_name
from atlas.imported.report import status_label


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
