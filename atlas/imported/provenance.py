"""Where a user's file came from (name, SHA-256, time: loaders.match.export's, with the words the app
shows for it) and the import a session holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from atlas.i18n import Lang, t
from loaders.match import export as match_export
from loaders.match.export import file_stem

__all__ = ["ActiveImport", "Provenance", "file_stem", "provenance_of"]  # file_stem: loaders.match.export


@dataclass(frozen=True)
class Provenance(match_export.Provenance):
    """A user's file as the app shows it (in the facts panel, in the reader's language)."""

    def note(self, lang: Lang) -> str:
        """The facts panel's words for a value from this source."""
        return t("import_user_note", lang, source=self.short())


def provenance_of(filename: str, data: bytes, sha256: str | None = None, now: datetime | None = None) -> Provenance:
    found = match_export.provenance_of(filename, data, sha256, now)
    return Provenance(found.filename, found.sha256, found.time)


@dataclass(frozen=True)
class ActiveImport:
    """The table this session imported and matched (kept in its session state only)."""

    result: Any  # loaders.match.MatchResult
    provenance: Provenance
    input_columns: tuple[str, ...]
    value_columns: tuple[str, ...]
    year_column: str | None
