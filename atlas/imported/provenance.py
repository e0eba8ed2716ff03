"""Where a user's file came from (name, SHA-256, time) and the import a session holds."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Provenance:
    """Where a user-supplied value came from: the file (or pasted text), its hash, when it came."""

    filename: str
    sha256: str
    time: str  # ISO 8601, UTC, seconds

    def short(self) -> str:
        return f"{self.filename} (SHA-256 {self.sha256[:12]}…, {self.time})"

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
