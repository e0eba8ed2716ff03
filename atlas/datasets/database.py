"""The database under the store: where it is (`ATLAS_DATABASE_URL`), one SQLAlchemy engine on SQLite (WAL,
busy timeout, writes in BEGIN IMMEDIATE) or PostgreSQL, read and write transactions, and the schema kept
by Alembic. The base of the Store (atlas/datasets/store.py)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from atlas.datasets.model import StoreError, StoreUnavailable
from loaders.schema import ROOT

MIGRATIONS = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_S = 30  # a writer waits for another publish (seconds on a busy machine) rather than failing
_MIGRATION_LOCK = 26_0001  # PostgreSQL advisory lock: one process migrates at a time


def data_dir() -> Path:
    """The data directory: `ATLAS_DATA_DIR`, else `var/` of the repository."""
    return Path(os.environ.get("ATLAS_DATA_DIR") or ROOT / "var")


def database_url() -> str:
    """`ATLAS_DATABASE_URL`, else the SQLite file atlas.db in the data directory."""
    return os.environ.get("ATLAS_DATABASE_URL") or f"sqlite:///{data_dir() / 'atlas.db'}"


def _now() -> datetime:
    return datetime.now(UTC)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _moment(stamp: str | None) -> datetime | None:
    return None if stamp is None else datetime.fromisoformat(stamp)  # "…Z": aware, UTC


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


class Database:
    """The engine and its transactions; the topic classes of the Store build on it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.url = engine.url.render_as_string(hide_password=True)
        self._now: Callable[[], datetime] = _now

    @classmethod
    def open(cls, url: str | None = None) -> Self:
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
