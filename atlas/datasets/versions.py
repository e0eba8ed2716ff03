"""Reading published versions: the datasets and their versions, a version by reference, its rows and match
report exactly as published (parsed once per process and kept: versions never change), and their diff."""

from __future__ import annotations

import io
from collections import OrderedDict
from typing import Any

import pandas as pd
from pyarrow import ArrowException
from sqlalchemy import Connection, Engine, select

import atlas.datasets.tables as T
from atlas.datasets.database import Database, _moment
from atlas.datasets.diff import diff_rows
from atlas.datasets.model import (
    DatasetDiff,
    DatasetSummary,
    DatasetVersion,
    SourceCitation,
    StoreUnavailable,
    UnknownDataset,
    check_dataset_id,
    parse_ref,
)

ROW_CACHE = 24  # versions kept parsed per process (immutable, so never stale)


def _frame(blob: bytes) -> pd.DataFrame:
    return pd.read_parquet(io.BytesIO(blob), engine="pyarrow")


class Versions(Database):
    """Reading datasets, versions, their rows and reports (a per-process cache of parsed rows)."""

    _VERSION_COLUMNS = [c for c in T.versions.c if c.name not in ("rows_parquet", "report_parquet", "resolutions")]

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self._rows: OrderedDict[tuple[str, int, str, str], pd.DataFrame] = OrderedDict()

    @staticmethod
    def _version(row: Any, kind: str) -> DatasetVersion:
        get = row.get if isinstance(row, dict) else row._mapping.get
        return DatasetVersion(
            dataset_id=get("dataset_id"),
            version=int(get("version")),
            kind=kind,
            title=get("title"),
            source=SourceCitation(
                get("source_title"), get("source_publisher"), get("source_date"), get("source_where")
            ),
            published_by=get("published_by"),
            published_at=_moment(get("published_at")),
            file_name=get("file_name"),
            sha256=get("sha256"),
            row_count=int(get("row_count")),
            withdrawn_at=_moment(get("withdrawn_at")),
            withdrawn_by=get("withdrawn_by"),
            withdraw_reason=get("withdraw_reason"),
        )

    def _all_versions(self, conn: Connection, dataset_id: str | None = None) -> list[DatasetVersion]:
        query = (
            select(*self._VERSION_COLUMNS, T.datasets.c.kind)
            .join(T.datasets, T.datasets.c.id == T.versions.c.dataset_id)
            .order_by(T.versions.c.dataset_id, T.versions.c.version)
        )
        if dataset_id is not None:
            query = query.where(T.versions.c.dataset_id == dataset_id)
        return [self._version(row, row.kind) for row in conn.execute(query)]

    def datasets(self) -> list[DatasetSummary]:
        """Every dataset (withdrawn ones too), newest first."""
        with self._read() as conn:
            made = {r.id: r for r in conn.execute(select(T.datasets))}
            everything = self._all_versions(conn)
        by_id: dict[str, list[DatasetVersion]] = {}
        for v in everything:
            by_id.setdefault(v.dataset_id, []).append(v)
        out = []
        for dataset_id, versions in by_id.items():
            live = [v for v in versions if not v.is_withdrawn]
            shown = (live or versions)[-1]
            d = made[dataset_id]
            out.append(
                DatasetSummary(
                    dataset_id,
                    d.kind,
                    shown.title,
                    live[-1].version if live else None,
                    len(versions),
                    d.created_by,
                    _moment(d.created_at),
                )
            )
        return sorted(out, key=lambda s: s.created_at, reverse=True)

    def versions(self, dataset_id: str) -> list[DatasetVersion]:
        """Every version of a dataset, oldest first (withdrawn ones too); UnknownDataset when none."""
        check_dataset_id(dataset_id)
        with self._read() as conn:
            found = self._all_versions(conn, dataset_id)
        if not found:
            raise UnknownDataset(f"no dataset {dataset_id}")
        return found

    def get(self, ref_or_id: str, version: int | None = None) -> DatasetVersion:
        """`id@3`, `id@latest`, `id` (+ `version`): that version, withdrawn or not (the caller says
        so). Without a version: the newest not withdrawn, else the newest. UnknownDataset when none."""
        dataset_id, parsed = parse_ref(ref_or_id)
        wanted = version if version is not None else parsed
        found = self.versions(dataset_id)
        if wanted is None:
            live = [v for v in found if not v.is_withdrawn]
            return (live or found)[-1]
        for v in found:
            if v.version == wanted:
                return v
        raise UnknownDataset(f"no version {wanted} of dataset {dataset_id} (versions 1 to {found[-1].version})")

    def latest(self, dataset_id: str, include_withdrawn: bool = False) -> DatasetVersion:
        """The newest version (not withdrawn unless asked); UnknownDataset when there is none."""
        found = [v for v in self.versions(dataset_id) if include_withdrawn or not v.is_withdrawn]
        if not found:
            raise UnknownDataset(f"every version of dataset {dataset_id} is withdrawn")
        return found[-1]

    def _blob(self, dataset_id: str, version: int, column: str) -> pd.DataFrame:
        check_dataset_id(dataset_id)
        with self._read() as conn:
            stamp = conn.execute(
                select(T.versions.c.published_at).where(
                    T.versions.c.dataset_id == dataset_id, T.versions.c.version == int(version)
                )
            ).scalar()
            if stamp is None:
                raise UnknownDataset(f"no version {version} of dataset {dataset_id}")
            key = (dataset_id, int(version), stamp, column)  # published_at: a restored store may reuse a number
            if key not in self._rows:
                blob = conn.execute(
                    select(T.versions.c[column]).where(
                        T.versions.c.dataset_id == dataset_id, T.versions.c.version == int(version)
                    )
                ).scalar_one()
                try:
                    self._rows[key] = _frame(blob)
                except (ArrowException, OSError, ValueError) as exc:
                    raise StoreUnavailable(f"{dataset_id}@{version} is damaged in the store: {exc}") from exc
                while len(self._rows) > ROW_CACHE:
                    self._rows.popitem(last=False)
            self._rows.move_to_end(key)
            return self._rows[key].copy()

    def rows(self, dataset_id: str, version: int) -> pd.DataFrame:
        """The rows exactly as published (same columns, dtypes and values), a fresh copy each call."""
        return self._blob(dataset_id, version, "rows_parquet")

    def report(self, dataset_id: str, version: int) -> pd.DataFrame:
        """The match report published with the version: every input row with its status, code, method."""
        return self._blob(dataset_id, version, "report_parquet")

    def resolutions(self, dataset_id: str, version: int) -> dict:
        """The publisher's choices for rows the matcher could not place (input row -> code or None)."""
        with self._read() as conn:
            found = conn.execute(
                select(T.versions.c.resolutions).where(
                    T.versions.c.dataset_id == check_dataset_id(dataset_id), T.versions.c.version == int(version)
                )
            ).first()
        if found is None:
            raise UnknownDataset(f"no version {version} of dataset {dataset_id}")
        return dict(found[0])

    def diff(self, dataset_id: str, v_old: int, v_new: int) -> DatasetDiff:
        """What changed between two versions, by county code (see DatasetDiff)."""
        old, new = self.rows(dataset_id, v_old), self.rows(dataset_id, v_new)
        return diff_rows(old, new)
