"""Backup and restore of the whole store, while the app runs: SQLite by its online backup API (a consistent
copy, other processes may keep writing), PostgreSQL by pg_dump -Fc and pg_restore."""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import func, insert, select, text

import atlas.datasets.tables as T
from atlas.datasets.database import _stamp
from atlas.datasets.model import Actor, NotAllowed, StoreUnavailable
from atlas.datasets.store import Store


def pg_tool(name: str) -> str:
    """pg_dump / pg_restore: on PATH, else the newest of Debian's /usr/lib/postgresql/*/bin."""
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if not found:
        raise StoreUnavailable(f"{name} is not installed (Debian package postgresql-client)")
    return found


def _pg_run(store: Store, tool: str, *options: str) -> None:
    """Run pg_dump / pg_restore on the store's database: the URL for libpq (no driver name) last, the
    password in the environment, not on the command line."""
    url = store.engine.url
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    libpq = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    done = subprocess.run([pg_tool(tool), *options, libpq], env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise StoreUnavailable(f"{tool} failed: {done.stderr.strip()}")


def backup(store: Store, out: Path) -> Path:
    """Write a consistent copy of the store to `out` (SQLite: a database file; PostgreSQL: pg_dump's
    custom format). Written beside and renamed, so `out` is never half written."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    try:
        if store.is_postgres:
            _pg_run(store, "pg_dump", "-Fc", "--no-owner", "-f", str(partial))
        else:
            raw = store.engine.raw_connection()
            try:
                target = sqlite3.connect(partial)
                raw.driver_connection.backup(target)
                target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal beside it
                target.close()
            finally:
                raw.close()
        partial.replace(out)
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        raise StoreUnavailable(f"backup to {out} failed: {exc}") from exc
    return out


def _check_sqlite_backup(source: Path) -> None:
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as db:
            if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise StoreUnavailable(f"{source} is damaged")
            db.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error as exc:
        raise StoreUnavailable(f"{source} is not a backup of the dataset store: {exc}") from exc


def restore(store: Store, source: Path, actor: Actor) -> None:
    """Replace everything in the store by the backup `source` (made by `backup`), then migrate it and
    record the restore in the audit log with a revision above every earlier one (so workers reload)."""
    if not actor.identity.startswith("cli:"):
        raise NotAllowed("only the operator (python -m atlas.datasets restore) may restore the store")
    source = Path(source)
    if not source.is_file():
        raise StoreUnavailable(f"no backup file {source}")
    before = store.revision()
    if store.is_postgres:
        # "-d" last: _pg_run puts the database URL after it
        _pg_run(store, "pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", str(source), "-d")
    else:
        _check_sqlite_backup(source)
        raw = store.engine.raw_connection()
        try:
            with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as backup_db:
                backup_db.backup(raw.driver_connection)
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"restore from {source} failed: {exc}") from exc
        finally:
            raw.close()
        store.engine.dispose()  # connections opened before may hold the old schema's cache
    store.migrate()
    with store._write() as conn:
        newest = int(conn.execute(select(func.max(T.audit.c.id))).scalar() or 0)
        conn.execute(
            insert(T.audit).values(
                id=max(before, newest) + 1,
                at=_stamp(store._now()),
                actor=actor.identity,
                action="restore",
                target=source.name,
                detail={"revision_before": before, "revision_of_backup": newest},
            )
        )
        if store.is_postgres:
            conn.execute(text("SELECT setval(pg_get_serial_sequence('audit', 'id'), (SELECT max(id) FROM audit))"))
