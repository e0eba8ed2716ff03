"""The audit log: every write records who did what and when, in the same transaction; reading it back,
the revision that workers poll to notice a change, and the store's health."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from sqlalchemy import Connection, func, insert, select

import atlas.datasets.tables as T
from atlas.datasets.database import Database, _stamp
from atlas.datasets.model import StoreUnavailable


class AuditLog(Database):
    """Recording writes in the audit log, and reading it."""

    def _audit(self, conn: Connection, actor: str, action: str, target: str, detail: dict[str, Any]) -> None:
        conn.execute(
            insert(T.audit).values(at=_stamp(self._now()), actor=actor, action=action, target=target, detail=detail)
        )

    def audit(self, limit: int = 200) -> pd.DataFrame:
        """The newest `limit` audit rows: id, at (UTC), actor, action, target, detail (JSON text)."""
        with self._read() as conn:
            found = conn.execute(select(T.audit).order_by(T.audit.c.id.desc()).limit(int(limit))).all()
        return pd.DataFrame(
            {
                "id": pd.array([r.id for r in found], dtype="Int64"),
                "at": [r.at for r in found],
                "actor": [r.actor for r in found],
                "action": [r.action for r in found],
                "target": [r.target for r in found],
                "detail": [json.dumps(r.detail, ensure_ascii=False, sort_keys=True) for r in found],
            }
        )

    def revision(self) -> int:
        """A number that changes with every write (the newest audit id): poll it to notice a change."""
        with self._read() as conn:
            return int(conn.execute(select(func.max(T.audit.c.id))).scalar() or 0)

    def health(self) -> dict[str, Any]:
        """{'ok', 'engine', 'url' (no password), 'revision', 'datasets', 'error'}; never raises."""
        out: dict[str, Any] = {"ok": False, "engine": self.engine.dialect.name, "url": self.url}
        try:
            with self._read() as conn:
                out["revision"] = int(conn.execute(select(func.max(T.audit.c.id))).scalar() or 0)
                out["datasets"] = int(conn.execute(select(func.count()).select_from(T.datasets)).scalar() or 0)
            out["ok"] = True
        except StoreUnavailable as exc:
            out["error"] = str(exc)
        return out
