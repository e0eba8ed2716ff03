"""The shared store: one SQLAlchemy engine on SQLite (WAL, busy timeout, writes in BEGIN IMMEDIATE) or
PostgreSQL, the schema kept by Alembic, and every read and write of datasets, accounts, roles and the
audit log. Permissions are checked here, from the roles kept in the store."""

from __future__ import annotations

import getpass
import hashlib
import hmac
import io
import json
import os
import re
import secrets
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from pyarrow import ArrowException
from sqlalchemy import Connection, Engine, create_engine, delete, event, func, insert, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

import atlas.datasets.tables as T
from atlas.datasets.model import (
    ACCOUNT_ROLES,
    KINDS,
    LIST_KINDS,
    Actor,
    DatasetDiff,
    DatasetError,
    DatasetSummary,
    DatasetVersion,
    NotAllowed,
    SignInRefused,
    SourceCitation,
    StoreError,
    StoreUnavailable,
    UnknownDataset,
    _check_text,
    check_dataset_id,
    new_dataset_id,
    parse_ref,
    validate_report,
    validate_rows,
)
from loaders.schema import ROOT, data_root

MIGRATIONS = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_S = 30  # a writer waits for another publish (seconds on a busy machine) rather than failing
SCRYPT = {"n": 2**14, "r": 8, "p": 1}
MIN_PASSPHRASE = 12
FREE_FAILURES = 3  # wrong passphrases before each further attempt must wait
MAX_WAIT_S = 3600
ROW_CACHE = 24  # versions kept parsed per process (immutable, so never stale)
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_IDENTITY = re.compile(r"^(local:[a-z0-9][a-z0-9._-]{0,63}|oidc:[^\s|]{1,200}\|\S{1,200}|[^\s@:]{1,64}@[^\s@]{1,200})$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_MIGRATION_LOCK = 26_0001  # PostgreSQL advisory lock: one process migrates at a time
# A test hook: called inside the publish transaction just before it commits (tests kill the process there)
_before_commit: Callable[[], None] | None = None


def data_dir() -> Path:
    """The data directory: `ATLAS_DATA_DIR`, else `var/` of the repository."""
    return Path(os.environ.get("ATLAS_DATA_DIR") or ROOT / "var")


def database_url() -> str:
    """`ATLAS_DATABASE_URL`, else the SQLite file atlas.db in the data directory."""
    return os.environ.get("ATLAS_DATABASE_URL") or f"sqlite:///{data_dir() / 'atlas.db'}"


def operator() -> Actor:
    """The command's actor, `cli:<os user>`: whoever can run the command on the server is the operator
    (admin). Pages never make one; their actors come from sign_in and actor_for_oidc."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        user = str(os.getuid())
    return Actor(f"cli:{user}", user, ("admin",))


def _now() -> datetime:
    return datetime.now(UTC)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _moment(stamp: str | None) -> datetime | None:
    return None if stamp is None else datetime.fromisoformat(stamp)  # "…Z": aware, UTC


def _parquet(frame: pd.DataFrame, what: str) -> bytes:
    buffer = io.BytesIO()
    try:
        frame.to_parquet(buffer, index=False, engine="pyarrow", compression="zstd")
    except (ArrowException, ValueError, TypeError) as exc:
        raise DatasetError(f"the {what} cannot be stored: {exc}") from None
    return buffer.getvalue()


def _frame(blob: bytes) -> pd.DataFrame:
    return pd.read_parquet(io.BytesIO(blob), engine="pyarrow")


@cache
def area_names() -> dict[str, str]:
    """Normalised contiguous area name -> area id, as the Import page looks areas up."""
    from atlas.imported import area_lookup

    return area_lookup(pd.read_csv(data_root() / "contiguous_areas.csv", dtype=str))


def _hash(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=32)


def _wait_s(failures: int) -> float:
    """How long after the last failure the next attempt must wait: 2, 4, 8 … s from the third on."""
    return 0.0 if failures < FREE_FAILURES else float(min(2 ** (failures - FREE_FAILURES + 1), MAX_WAIT_S))


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig or exc).strip().splitlines()[0] if str(orig or exc).strip() else type(exc).__name__


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we say BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A write takes the lock at once: two writers wait in turn instead of failing on upgrade.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("atlas_write") else "BEGIN")

    return engine


def make_engine(url: str | None = None) -> Engine:
    """The engine for `url` (default `database_url()`); StoreUnavailable when it cannot be made."""
    url = url or database_url()
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreUnavailable(f"ATLAS_DATABASE_URL is not a database URL: {exc}") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        path = parsed.database
        if path and path != ":memory:" and not path.startswith("file:"):
            folder = Path(path).parent
            if folder == ROOT / "var" and not folder.exists():
                folder.mkdir(parents=True, exist_ok=True)  # the default needs no set-up
            if not folder.is_dir():
                raise StoreUnavailable(f"the dataset store's directory {folder} does not exist")
        return _sqlite_engine(url)
    if backend == "postgresql":
        try:
            return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)
        except (ArgumentError, ImportError) as exc:
            raise StoreUnavailable(f"cannot use the PostgreSQL store: {exc}") from None
    raise StoreUnavailable(f"the dataset store supports sqlite and postgresql URLs, not {backend}")


class Store:
    """The shared store of published datasets, accounts, roles and the audit log (see the package doc).

    Every method raises StoreUnavailable when the database cannot be used (missing, damaged, read-only,
    full, down), NotAllowed when the actor may not act, DatasetError on bad input."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.url = engine.url.render_as_string(hide_password=True)
        self._rows: OrderedDict[tuple[str, int, str, str], pd.DataFrame] = OrderedDict()
        self._now: Callable[[], datetime] = _now

    # --- opening, migrations, transactions ------------------------------------------------------------

    @classmethod
    def open(cls, url: str | None = None) -> Store:
        """Connect to `url` (default ATLAS_DATABASE_URL or the SQLite file) and bring the schema to the
        newest migration (once, under a lock: safe when several processes start together)."""
        store = cls(make_engine(url))
        store.migrate()
        return store

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def _unavailable(self, exc: BaseException) -> StoreUnavailable:
        return StoreUnavailable(f"the dataset store ({self.url}) cannot be used: {_reason(exc)}")

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                yield conn
        except StoreError:
            raise
        except (SQLAlchemyError, OSError) as exc:  # NotAllowed is an OSError (PermissionError): let it through
            raise self._unavailable(exc) from exc

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        try:
            with self.engine.connect().execution_options(atlas_write=True) as conn, conn.begin():
                if self.is_postgres:
                    conn.execute(text(f"SET LOCAL lock_timeout = '{BUSY_TIMEOUT_S}s'"))
                yield conn
        except StoreError:
            raise
        except (SQLAlchemyError, OSError) as exc:
            raise self._unavailable(exc) from exc

    def migrate(self) -> None:
        """Upgrade the schema to head (nothing to do, and no write lock taken, when it is there)."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        head = ScriptDirectory.from_config(config).get_current_head()
        with self._read() as conn:
            if MigrationContext.configure(conn).get_current_revision() == head:
                return
        try:
            with self._write() as conn:
                if self.is_postgres:
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
                if MigrationContext.configure(conn).get_current_revision() != head:
                    config.attributes["connection"] = conn
                    command.upgrade(config, "head")
        except CommandError as exc:  # e.g. a store made by a newer version of the atlas
            raise StoreUnavailable(
                f"the dataset store ({self.url}) has a schema this code does not know: {exc}"
            ) from exc

    def close(self) -> None:
        self.engine.dispose()

    def _audit(self, conn: Connection, actor: str, action: str, target: str, detail: dict[str, Any]) -> None:
        conn.execute(
            insert(T.audit).values(at=_stamp(self._now()), actor=actor, action=action, target=target, detail=detail)
        )

    def _roles_of(self, conn: Connection, *identities: str | None) -> set[str]:
        wanted = [i for i in identities if i]
        if not wanted:
            return set()
        return set(conn.execute(select(T.roles.c.role).where(T.roles.c.identity.in_(wanted))).scalars())

    def _roles(self, conn: Connection, actor: Actor) -> set[str]:
        """The actor's roles as the store has them now (the command's `cli:` actor is the operator)."""
        if not isinstance(actor, Actor):
            raise NotAllowed("no actor")
        if actor.identity.startswith("cli:"):
            return {"admin"}
        if actor.identity.startswith("local:"):
            username = actor.identity.removeprefix("local:")
            found = conn.execute(select(T.accounts.c.disabled).where(T.accounts.c.username == username)).first()
            if found is None or found.disabled:  # a disabled account's open sessions lose their roles at once
                return set()
        return self._roles_of(conn, actor.identity, actor.email)

    def refresh_actor(self, actor: Actor) -> Actor:
        """The same actor with the roles the store holds now (none for a disabled account): for showing
        the right buttons; the Store methods check the roles themselves anyway."""
        with self._read() as conn:
            roles = self._roles(conn, actor) if actor.identity != "viewer" else set()
        return Actor(actor.identity, actor.display_name, tuple(sorted(roles)), actor.email)

    # --- publishing ---------------------------------------------------------------------------------

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

    # --- reading ------------------------------------------------------------------------------------

    _VERSION_COLUMNS = [c for c in T.versions.c if c.name not in ("rows_parquet", "report_parquet", "resolutions")]

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

    # --- withdrawing and defaults -------------------------------------------------------------------

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

    # --- audit and health ---------------------------------------------------------------------------

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

    # --- accounts and roles -------------------------------------------------------------------------

    def create_account(
        self, username: str, passphrase: str, roles: Sequence[str] = ("publisher",), *, actor: Actor
    ) -> Actor:
        """A built-in account `local:<username>` (lower-case letters, digits, . _ -) with a passphrase of
        at least 12 characters (kept only as a salted scrypt hash) and its roles. Admins only."""
        if not isinstance(username, str) or not _USERNAME.match(username):
            raise DatasetError("a user name is 1 to 64 lower-case letters, digits, '.', '_' or '-'")
        if not isinstance(passphrase, str) or not MIN_PASSPHRASE <= len(passphrase) <= 1024:
            raise DatasetError(f"a passphrase has at least {MIN_PASSPHRASE} characters")
        unknown = [r for r in roles if r not in ACCOUNT_ROLES]
        if unknown or not roles:
            raise DatasetError(f"roles are {' and '.join(ACCOUNT_ROLES)}")
        salt = secrets.token_bytes(16)
        digest = _hash(passphrase, salt, **SCRYPT)
        identity = f"local:{username}"
        with self._write() as conn:
            if "admin" not in self._roles(conn, actor):
                raise NotAllowed("only an admin may create accounts")
            if conn.execute(select(T.accounts.c.username).where(T.accounts.c.username == username)).first():
                raise DatasetError(f"account {username} exists")
            now = _stamp(self._now())
            conn.execute(
                insert(T.accounts).values(
                    username=username,
                    scrypt_hash=digest,
                    salt=salt,
                    scrypt_n=SCRYPT["n"],
                    scrypt_r=SCRYPT["r"],
                    scrypt_p=SCRYPT["p"],
                    created_at=now,
                    disabled=False,
                )
            )
            for role in dict.fromkeys(roles):
                conn.execute(
                    insert(T.roles).values(identity=identity, role=role, granted_by=actor.identity, granted_at=now)
                )
            self._audit(conn, actor.identity, "account_create", identity, {"roles": list(dict.fromkeys(roles))})
        return Actor(identity, username, tuple(sorted(set(roles))))

    def set_account_disabled(self, username: str, disabled: bool, *, actor: Actor) -> None:
        """Disable (sign-in refused, the account and its history kept) or enable an account. Admins only."""
        with self._write() as conn:
            if "admin" not in self._roles(conn, actor):
                raise NotAllowed("only an admin may disable or enable accounts")
            done = conn.execute(
                update(T.accounts).where(T.accounts.c.username == username).values(disabled=bool(disabled))
            )
            if done.rowcount != 1:
                raise DatasetError(f"no account {str(username)[:64]!r}")
            action = "account_disable" if disabled else "account_enable"
            self._audit(conn, actor.identity, action, f"local:{username}", {})

    def sign_in(self, username: str, passphrase: str) -> Actor:
        """The actor of a built-in account, or SignInRefused (same message for an unknown user and a wrong
        passphrase). From the third failure on, each attempt must wait 2, 4, 8 … s after the previous
        failure (kept in the store, so every worker counts the same)."""
        if not isinstance(username, str) or not _USERNAME.match(username) or not isinstance(passphrase, str):
            raise SignInRefused("wrong user name or passphrase")
        identity = f"local:{username}"
        passed: Actor | None = None
        refusal: SignInRefused | None = None
        with self._write() as conn:
            if self.is_postgres:  # one attempt per identity at a time (SQLite's writes are one at a time)
                conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:identity))"), {"identity": identity})
            now = self._now()
            failed = conn.execute(select(T.login_failures).where(T.login_failures.c.identity == identity)).first()
            if failed is not None:
                ready = _moment(failed.last_at) + timedelta(seconds=_wait_s(failed.count))
                if now < ready:
                    wait = (ready - now).total_seconds()
                    raise SignInRefused(f"too many wrong passphrases: try again in {wait:.0f} s", wait)
            account = conn.execute(select(T.accounts).where(T.accounts.c.username == username)).first()
            if account is None:  # the same work as for a real account: the time says nothing
                _hash(passphrase, b"\0" * 16, **SCRYPT)
                good = False
            else:
                given = _hash(passphrase, account.salt, account.scrypt_n, account.scrypt_r, account.scrypt_p)
                good = hmac.compare_digest(given, account.scrypt_hash) and not account.disabled
            if good:
                conn.execute(delete(T.login_failures).where(T.login_failures.c.identity == identity))
                passed = Actor(identity, username, tuple(sorted(self._roles_of(conn, identity))))
            else:
                count = (failed.count if failed is not None else 0) + 1
                conn.execute(delete(T.login_failures).where(T.login_failures.c.identity == identity))
                conn.execute(insert(T.login_failures).values(identity=identity, count=count, last_at=_stamp(now)))
                self._audit(conn, identity, "sign_in_refused", identity, {"failures": count})
                refusal = SignInRefused("wrong user name or passphrase", _wait_s(count))
        if refusal is not None:
            raise refusal
        assert passed is not None
        return passed

    def actor_for_oidc(
        self, issuer: str, subject: str, email: str | None, name: str | None, *, email_verified: bool = True
    ) -> Actor:
        """The actor of an OpenID Connect sign-in (`oidc:<issuer>|<subject>`): roles granted to that
        identity or to the (verified) e-mail address; a stranger is a viewer with no roles."""
        _check_text(issuer, "issuer")
        _check_text(subject, "subject")
        identity = f"oidc:{issuer}|{subject}"
        if not _IDENTITY.match(identity):
            raise DatasetError("the OpenID Connect issuer or subject holds spaces or '|'")
        mail = email.strip().lower() if isinstance(email, str) and email_verified and email.strip() else None
        with self._read() as conn:
            roles = self._roles_of(conn, identity, mail)
        shown = name if isinstance(name, str) and name.strip() else (mail or subject)
        return Actor(identity, shown[:200], tuple(sorted(roles)), mail)

    def _role_change(self, identity: str, role: str, actor: Actor, action: str) -> None:
        if not isinstance(identity, str) or not _IDENTITY.match(identity):
            raise DatasetError("an identity is local:<user>, oidc:<issuer>|<subject> or an e-mail address")
        if role not in ACCOUNT_ROLES:
            raise DatasetError(f"roles are {' and '.join(ACCOUNT_ROLES)}")
        identity = identity.lower() if "@" in identity and ":" not in identity else identity
        with self._write() as conn:
            if "admin" not in self._roles(conn, actor):
                raise NotAllowed("only an admin may grant or revoke roles")
            conn.execute(delete(T.roles).where(T.roles.c.identity == identity, T.roles.c.role == role))
            if action == "grant":
                conn.execute(
                    insert(T.roles).values(
                        identity=identity, role=role, granted_by=actor.identity, granted_at=_stamp(self._now())
                    )
                )
            self._audit(conn, actor.identity, action, identity, {"role": role})

    def grant(self, identity: str, role: str, actor: Actor) -> None:
        """Give `identity` (local:<user>, oidc:<issuer>|<subject> or an e-mail address) a role. Admins only."""
        self._role_change(identity, role, actor, "grant")

    def revoke(self, identity: str, role: str, actor: Actor) -> None:
        """Take a role away (at once: every check reads the roles from the store). Admins only."""
        self._role_change(identity, role, actor, "revoke")

    def roles(self) -> pd.DataFrame:
        """Every granted role: identity, role, granted_by, granted_at."""
        with self._read() as conn:
            found = conn.execute(select(T.roles).order_by(T.roles.c.identity, T.roles.c.role)).all()
        return pd.DataFrame(found, columns=["identity", "role", "granted_by", "granted_at"])


def _as_text(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Values as text (missing -> ""), several rows of one key joined with '; ' (merged units)."""
    text = frame.astype({c: "string" for c in frame.columns if c not in keys})
    text[text.columns.difference(keys)] = text[text.columns.difference(keys)].fillna("")
    return text.groupby(keys, sort=True).agg("; ".join) if frame.duplicated(keys).any() else text.set_index(keys)


def diff_rows(old: pd.DataFrame, new: pd.DataFrame) -> DatasetDiff:
    """Counties added, removed and changed (see DatasetDiff) between two versions' rows."""
    old_codes, new_codes = set(old["code"]), set(new["code"])
    added = new[~new["code"].isin(old_codes)].reset_index(drop=True)
    removed = old[~old["code"].isin(new_codes)].reset_index(drop=True)
    keys = ["code", "year"] if "year" in new.columns and "year" in old.columns else ["code"]
    both = sorted(old_codes & new_codes)
    values = [c for c in dict.fromkeys([*old.columns, *new.columns]) if c not in keys]
    before = _as_text(old[old["code"].isin(both)].reindex(columns=[*keys, *values]), keys)
    after = _as_text(new[new["code"].isin(both)].reindex(columns=[*keys, *values]), keys)
    index = before.index.union(after.index)
    before, after = before.reindex(index).fillna(""), after.reindex(index).fillna("")
    changes = []
    names = dict(zip(new["code"], new["name_zh"]))
    for column in values:
        differ = before[column] != after[column]
        for key, was, now in zip(before.index[differ], before[column][differ], after[column][differ]):
            code, *rest = key if isinstance(key, tuple) else (key,)
            changes.append(
                {
                    "code": code,
                    "name_zh": names.get(code, ""),
                    **dict(zip(keys[1:], rest)),
                    "column": column,
                    "old": was,
                    "new": now,
                }
            )
    columns = ["code", "name_zh", *keys[1:], "column", "old", "new"]
    return DatasetDiff(added, removed, pd.DataFrame(changes, columns=columns))
