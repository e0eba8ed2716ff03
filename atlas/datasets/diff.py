"""What changed between two versions of a dataset, county by county (and year by year for a panel)."""

from __future__ import annotations

import pandas as pd

from atlas.datasets.model import DatasetDiff


def _as_text(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Values as text (missing -> ""), several rows of one key joined with '; ' (merged units)."""
    text = frame.astype({c: "string" for c in frame.columns if c not in keys})
    text[text.columns.difference(keys)] = text[text.columns.difference(keys)].fillna("")
    return text.groupby(keys, sort=True).agg("; ".join) if frame.duplicated(keys).any() else text.set_index(keys)


def diff_rows(old: pd.DataFrame, new: pd.DataFrame) -> DatasetDiff:
    """Counties added, removed and changed (see DatasetDiff) between two versions' rows."""
    old_codes, new_codes = set(old["code"]), set(new["code"])
    added = new[~new["code"].isin(old_codes)].reset_index(drop=True)
    removed = old[~old["code"].isin(new_codes)].reset_index(drop=True)
    keys = ["code", "year"] if "year" in new.columns and "year" in old.columns else ["code"]
    both = sorted(old_codes & new_codes)
    values = [c for c in dict.fromkeys([*old.columns, *new.columns]) if c not in keys]
    before = _as_text(old[old["code"].isin(both)].reindex(columns=[*keys, *values]), keys)
    after = _as_text(new[new["code"].isin(both)].reindex(columns=[*keys, *values]), keys)
    index = before.index.union(after.index)
    before, after = before.reindex(index).fillna(""), after.reindex(index).fillna("")
    changes = []
    names = dict(zip(new["code"], new["name_zh"]))
    for column in values:
        differ = before[column] != after[column]
        for key, was, now in zip(before.index[differ], before[column][differ], after[column][differ]):
            code, *rest = key if isinstance(key, tuple) else (key,)
            changes.append(
                {
                    "code": code,
                    "name_zh": names.get(code, ""),
                    **dict(zip(keys[1:], rest)),
                    "column": column,
                    "old": was,
                    "new": now,
                }
            )
    columns = ["code", "name_zh", *keys[1:], "column", "old", "new"]
    return DatasetDiff(added, removed, pd.DataFrame(changes, columns=columns))
