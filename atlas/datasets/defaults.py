"""The atlas's default lists: for each flag kind (area, key, deep) the version an admin chose, or none."""

from __future__ import annotations

from sqlalchemy import delete, insert, select

import atlas.datasets.tables as T
from atlas.datasets.database import _stamp
from atlas.datasets.model import (
    LIST_KINDS,
    Actor,
    DatasetError,
    DatasetVersion,
    NotAllowed,
    UnknownDataset,
    check_dataset_id,
)
from atlas.datasets.roles import Roles
from atlas.datasets.versions import Versions


class Defaults(Roles, Versions):
    """Choosing and reading the default lists (admins choose)."""

    def set_default(self, kind: str, dataset_id: str | None, version: int | None, actor: Actor) -> None:
        """Make `dataset_id@version` the atlas's default list for a flag kind (area, key, deep), or none
        (`dataset_id` None). Admins only."""
        if kind not in LIST_KINDS:
            raise DatasetError(f"defaults are for {', '.join(LIST_KINDS)}, not {kind!r}")
        with self._write() as conn:
            if "admin" not in self._roles(conn, actor):
                raise NotAllowed("only an admin may choose the defaults")
            target = "none"
            if dataset_id is not None:
                check_dataset_id(dataset_id)
                found = conn.execute(
                    select(T.versions.c.withdrawn_at, T.datasets.c.kind)
                    .join(T.datasets, T.datasets.c.id == T.versions.c.dataset_id)
                    .where(T.versions.c.dataset_id == dataset_id, T.versions.c.version == int(version or 0))
                ).first()
                if found is None:
                    raise UnknownDataset(f"no version {version} of dataset {dataset_id}")
                if found.kind != kind:
                    raise DatasetError(f"{dataset_id} is a {found.kind} dataset, not {kind}")
                if found.withdrawn_at is not None:
                    raise DatasetError(f"{dataset_id}@{version} is withdrawn")
                target = f"{dataset_id}@{version}"
            conn.execute(delete(T.defaults).where(T.defaults.c.kind == kind))
            if dataset_id is not None:
                conn.execute(
                    insert(T.defaults).values(
                        kind=kind,
                        dataset_id=dataset_id,
                        version=int(version or 0),
                        set_by=actor.identity,
                        set_at=_stamp(self._now()),
                    )
                )
            self._audit(conn, actor.identity, "set_default", kind, {"dataset": target})

    def defaults(self) -> dict[str, DatasetVersion]:
        """Flag kind -> the default version chosen by an admin (a withdrawn one is no default)."""
        with self._read() as conn:
            chosen = list(conn.execute(select(T.defaults)))
            everything = {(v.dataset_id, v.version): v for v in self._all_versions(conn)} if chosen else {}
        out = {}
        for row in chosen:
            v = everything.get((row.dataset_id, row.version))
            if v is not None and not v.is_withdrawn:
                out[row.kind] = v
        return out
