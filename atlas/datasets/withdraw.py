"""Withdrawing a version: hidden with who and why, its rows kept for the record."""

from __future__ import annotations

from sqlalchemy import select, update

import atlas.datasets.tables as T
from atlas.datasets.database import _stamp
from atlas.datasets.model import (
    Actor,
    DatasetError,
    DatasetVersion,
    NotAllowed,
    UnknownDataset,
    _check_text,
    check_dataset_id,
)
from atlas.datasets.roles import Roles
from atlas.datasets.versions import Versions


class Withdrawing(Roles, Versions):
    """Withdrawing a version (its publisher or an admin)."""

    def withdraw(self, dataset_id: str, version: int, reason: str, actor: Actor) -> DatasetVersion:
        """Hide a version with a reason, keeping it (and its rows) for the record. Its publisher or an
        admin; a version withdrawn stays withdrawn."""
        _check_text(reason, "the reason for withdrawing")
        check_dataset_id(dataset_id)
        with self._write() as conn:
            roles = self._roles(conn, actor)
            found = conn.execute(
                select(T.versions.c.published_by, T.versions.c.withdrawn_at).where(
                    T.versions.c.dataset_id == dataset_id, T.versions.c.version == int(version)
                )
            ).first()
            if found is None:
                raise UnknownDataset(f"no version {version} of dataset {dataset_id}")
            mine = found.published_by == actor.identity and "publisher" in roles
            if not (mine or "admin" in roles):
                raise NotAllowed("only the version's publisher or an admin may withdraw it")
            if found.withdrawn_at is not None:
                raise DatasetError(f"{dataset_id}@{version} is already withdrawn")
            conn.execute(
                update(T.versions)
                .where(T.versions.c.dataset_id == dataset_id, T.versions.c.version == int(version))
                .values(withdrawn_at=_stamp(self._now()), withdrawn_by=actor.identity, withdraw_reason=reason)
            )
            self._audit(conn, actor.identity, "withdraw", f"{dataset_id}@{version}", {"reason": reason})
        return self.get(dataset_id, int(version))
