"""Publishing a version: checked rows, match report, source and provenance stored at once (the whole
version or nothing), as a new dataset or the next version of one."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from functools import cache
from typing import Any

import pandas as pd
from pyarrow import ArrowException
from sqlalchemy import func, insert, select

import atlas.datasets.tables as T
from atlas.datasets.database import _stamp
from atlas.datasets.model import (
    ACCOUNT_ROLES,
    KINDS,
    Actor,
    DatasetError,
    DatasetVersion,
    NotAllowed,
    SourceCitation,
    _check_text,
    check_dataset_id,
    new_dataset_id,
    validate_report,
    validate_rows,
)
from atlas.datasets.roles import Roles
from atlas.datasets.versions import Versions
from loaders.schema import data_root

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# A test hook: called inside the publish transaction just before it commits (tests kill the process there)
_before_commit: Callable[[], None] | None = None


def _parquet(frame: pd.DataFrame, what: str) -> bytes:
    buffer = io.BytesIO()
    try:
        frame.to_parquet(buffer, index=False, engine="pyarrow", compression="zstd")
    except (ArrowException, ValueError, TypeError) as exc:
        raise DatasetError(f"the {what} cannot be stored: {exc}") from None
    return buffer.getvalue()


@cache
def area_names() -> dict[str, str]:
    """Normalised contiguous area name -> area id, as the Import page looks areas up."""
    from atlas.imported import area_lookup

    return area_lookup(pd.read_csv(data_root() / "contiguous_areas.csv", dtype=str))


class Publishing(Roles, Versions):
    """Publishing new datasets and new versions."""

    def publish(
        self,
        kind: str,
        title: str,
        source: SourceCitation,
        rows: pd.DataFrame,
        report: pd.DataFrame,
        *,
        actor: Actor,
        file_name: str,
        sha256: str,
        resolutions: dict | None = None,
        dataset_id: str | None = None,
    ) -> DatasetVersion:
        """Publish `rows` as a new dataset (id: the title's ASCII words and a random suffix), or as version
        n+1 of `dataset_id` (the same kind; its creator or an admin); a `dataset_id` not yet in the store
        is created with that id. Atomic: the version is wholly stored or not at all."""
        if kind not in KINDS:
            raise DatasetError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
        _check_text(title, "title")
        if not isinstance(source, SourceCitation):
            raise DatasetError("a source citation (title, publisher, date, where found) is required")
        source.validate()
        _check_text(file_name, "file name")
        if not isinstance(sha256, str) or not _SHA256.match(sha256):
            raise DatasetError("sha256 must be 64 lower-case hex digits")
        if dataset_id is not None:
            check_dataset_id(dataset_id)
        validate_rows(kind, rows, area_names() if kind == "area" else None)
        validate_report(report)
        try:
            chosen = json.loads(json.dumps({str(k): v for k, v in (resolutions or {}).items()}))
        except (TypeError, ValueError) as exc:
            raise DatasetError(f"resolutions must be plain JSON: {exc}") from None
        rows = rows.reset_index(drop=True)
        blobs = {
            "rows_parquet": _parquet(rows, "rows"),
            "report_parquet": _parquet(report.reset_index(drop=True), "match report"),
        }
        with self._write() as conn:
            roles = self._roles(conn, actor)
            if not roles & set(ACCOUNT_ROLES):
                raise NotAllowed("publishing needs the publisher role")
            now = _stamp(self._now())
            while dataset_id is None:  # a fresh id (a clash of the random part is unlikely, but not impossible)
                fresh = new_dataset_id(title, kind)
                if conn.execute(select(T.datasets.c.id).where(T.datasets.c.id == fresh)).first() is None:
                    dataset_id = fresh
            conn.execute(
                self._insert_ignore(T.datasets).values(
                    id=dataset_id, kind=kind, created_by=actor.identity, created_at=now
                )
            )
            query = select(T.datasets).where(T.datasets.c.id == dataset_id)
            dataset = conn.execute(query.with_for_update() if self.is_postgres else query).one()
            if dataset.kind != kind:
                raise DatasetError(f"dataset {dataset_id} is a {dataset.kind} dataset, not {kind}")
            if dataset.created_by != actor.identity and "admin" not in roles:
                raise NotAllowed(f"only {dataset.created_by} or an admin may publish a new version of {dataset_id}")
            last = conn.execute(
                select(func.max(T.versions.c.version)).where(T.versions.c.dataset_id == dataset_id)
            ).scalar()
            version = (last or 0) + 1
            published_at = _stamp(self._now())  # taken under the lock, so later versions have later times
            values = {
                "dataset_id": dataset_id,
                "version": version,
                "title": title,
                "source_title": source.title,
                "source_publisher": source.publisher,
                "source_date": source.date,
                "source_where": source.where,
                "published_by": actor.identity,
                "published_at": published_at,
                "file_name": file_name,
                "sha256": sha256,
                "row_count": len(rows),
                "resolutions": chosen,
                **blobs,
            }
            conn.execute(insert(T.versions).values(**values))
            detail = {"kind": kind, "title": title, "rows": len(rows), "file_name": file_name, "sha256": sha256}
            self._audit(conn, actor.identity, "publish", f"{dataset_id}@{version}", detail)
            if _before_commit is not None:
                _before_commit()
        return self._version(values, kind)

    def _insert_ignore(self, table: Any) -> Any:
        if self.is_postgres:
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        else:
            from sqlalchemy.dialects.sqlite import insert as dialect_insert
        return dialect_insert(table).on_conflict_do_nothing()
