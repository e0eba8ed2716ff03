"""The import a session holds; where a user's file came from (name, SHA-256, time) is loaders.match.export's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from loaders.match.export import Provenance, file_stem, provenance_of

__all__ = ["ActiveImport", "Provenance", "file_stem", "provenance_of"]  # the last three: loaders.match.export


@dataclass(frozen=True)
class ActiveImport:
    """The table this session imported and matched (kept in its session state only)."""

    result: Any  # loaders.match.MatchResult
    provenance: Provenance
    input_columns: tuple[str, ...]
    value_columns: tuple[str, ...]
    year_column: str | None
