"""Synthetic rows for the tests of atlas.imported: a file's provenance and matched rows shaped like the matcher's."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from atlas import imported
from loaders.match.methods import step

PROVENANCE = imported.provenance_of("synthetic_list.csv", b"synthetic", now=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))


def match_rows(entries: list[tuple[str | None, str, str]], **extra: list[str]) -> pd.DataFrame:
    """Rows shaped like loaders.match.MatchResult.rows: (boundary code or None, status, input name)."""
    rows = pd.DataFrame(
        {
            "name": [name for _, _, name in entries],
            **extra,
            "row": range(1, len(entries) + 1),
            "match_status": [status for _, status, _ in entries],
            "boundary_code": [code for code, _, _ in entries],
            "boundary_name_zh": [name for _, _, name in entries],
            "boundary_name_en": ["" for _ in entries],
            "match_method": ["synthetic" for _ in entries],
            "method_steps": [step("full_name") for _ in entries],
        }
    )
    rows["candidates"] = [[] for _ in entries]
    rows["suggestions"] = [[] for _ in entries]
    return rows
