"""Where a user's file came from (name, SHA-256, time) and the import a session holds."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from atlas.i18n import Lang, t


@dataclass(frozen=True)
class Provenance:
    """Where a user-supplied value came from: the file (or pasted text), its hash, when it came."""

    filename: str
    sha256: str
    time: str  # ISO 8601, UTC, seconds

    # The overlay's columns naming, per county, the flags this kind of list set and from which source
    # (a published dataset, atlas.published, has its own: the two are never mixed up).
    columns: ClassVar[tuple[str, str]] = ("user_supplied", "user_source")

    @property
    def key(self) -> str:
        """What tells two lists' sources apart (in cache keys)."""
        return self.sha256

    def short(self) -> str:
        return f"{self.filename} (SHA-256 {self.sha256[:12]}…, {self.time})"

    def note(self, lang: Lang) -> str:
        """The facts panel's words for a value from this source."""
        return t("import_user_note", lang, source=self.short())

    def source_row(self, flag: str | None = None) -> dict[str, str]:
        """This file as a row of an export's sources table."""
        return {
            "source_id": f"user-{self.sha256[:12]}" + (f"-{flag}" if flag else ""),
            "title": self.filename,
            "publisher": "user-supplied",
            "date": self.time,
            "where_found": f"uploaded in a browser session; SHA-256 {self.sha256}",
            "license": "",
            "notes": "not verified by Poverty Atlas" + (f"; applied as the flag {flag} in one session" if flag else ""),
        }

    def as_dict(self) -> dict[str, str]:
        return {
            "file_name": self.filename,
            "sha256": self.sha256,
            "imported_at": self.time,
            "note": "user-supplied in one browser session; not verified by Poverty Atlas",
        }


def provenance_of(filename: str, data: bytes, sha256: str | None = None, now: datetime | None = None) -> Provenance:
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return Provenance(filename, sha256 or hashlib.sha256(data).hexdigest(), stamp)


@dataclass(frozen=True)
class ActiveImport:
    """The table this session imported and matched (kept in its session state only)."""

    result: Any  # loaders.match.MatchResult
    provenance: Provenance
    input_columns: tuple[str, ...]
    value_columns: tuple[str, ...]
    year_column: str | None


def file_stem(filename: str) -> str:
    """The download name of a joined export: the user's file name, safe characters only."""
    stem = re.sub(r"[^\w.-]+", "_", Path(filename).stem).strip("._") or "import"
    return f"{stem}_joined"
