"""The export of a joined user table: one path with the matcher's command (loaders.match.export); here only
what the app adds, the user lists applied as flags as sources of the County export."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from atlas.imported.membership import AppliedList
from loaders.match.export import user_source_table


def with_user_sources(sources: pd.DataFrame, applied: Sequence[AppliedList]) -> pd.DataFrame:
    """The cited sources plus one row per user file whose list set flags in this export."""
    rows = [user_source_table(a.provenance, a.flag) for a in applied]
    return pd.concat([sources, *rows], ignore_index=True) if rows else sources
