"""Matching a user's county table to the boundary layer through the code history (no Streamlit)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

STATUSES = ("matched", "renamed", "merged", "ambiguous", "not_found")


@dataclass(frozen=True)
class ColumnRoles:
    code: str | None = None
    name: str | None = None
    province: str | None = None
    prefecture: str | None = None
    year: str | None = None
    values: tuple[str, ...] = ()


def guess_roles(frame: pd.DataFrame) -> ColumnRoles:
    raise NotImplementedError


class Gazetteer:
    """Boundary units and the code history, built once (the page caches it with st.cache_resource)."""


def load_gazetteer(root: Path | None = None) -> Gazetteer:
    raise NotImplementedError


@dataclass(frozen=True)
class MatchResult:
    rows: pd.DataFrame
    roles: ColumnRoles

    def summary(self) -> dict[str, int]:
        raise NotImplementedError

    def merged_groups(self) -> dict[str, list[int]]:
        raise NotImplementedError


def match_table(frame: pd.DataFrame, roles: ColumnRoles, gazetteer: Gazetteer) -> MatchResult:
    raise NotImplementedError


def resolve(result: MatchResult, row: int, boundary_code: str | None, gazetteer: Gazetteer) -> MatchResult:
    raise NotImplementedError


def match_file(path, **column_options) -> MatchResult:
    raise NotImplementedError
