"""A helper of the matcher's tests (tests/test_match_*.py): one row matched, given as its cells."""

from __future__ import annotations

import pandas as pd

from loaders import match


def one_row(gazetteer: match.Gazetteer, **cells) -> pd.Series:
    frame = pd.DataFrame({k: [v] for k, v in cells.items()})
    roles = match.ColumnRoles(**{k: k for k in cells})
    return match.match_table(frame, roles, gazetteer).rows.iloc[0]
