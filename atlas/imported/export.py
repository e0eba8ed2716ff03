"""The export of a joined user table: one path with the matcher's command (loaders.match.export); here only
what the app adds, the lists applied as flags (a user's file, a published dataset) as sources of the County
export."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from atlas.imported.membership import AppliedList


def with_user_sources(sources: pd.DataFrame, applied: Sequence[AppliedList]) -> pd.DataFrame:
    """The cited sources plus one row per list (a user's file, a published dataset) setting flags here."""
    rows = [pd.DataFrame([a.provenance.source_row(a.flag)]) for a in applied]
    return pd.concat([sources, *rows], ignore_index=True) if rows else sources
