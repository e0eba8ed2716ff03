"""A throwaway PostgreSQL cluster for the store tests (Debian's postgresql binaries, `make postgres`), the
synthetic data and helpers the store tests (tests/test_store_*.py) share, and the code child processes of
the store tests run (importable, for multiprocessing's spawn).

The cluster lives in a temporary directory, listens on a free loopback port and its own socket folder,
trusts local connections, and is stopped and deleted at the end of the session. As root, its commands
run as the `postgres` user (PostgreSQL refuses to run as root)."""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from atlas.datasets import SourceCitation, Store, operator, publishing
from benchmarks.common import free_port


def postgres_bin() -> Path | None:
    """The newest Debian PostgreSQL bin folder with initdb, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


@dataclass
class PostgresCluster:
    bin: Path
    base: Path
    port: int

    def _as_owner(self, *command: str) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else list(command)

    def start(self) -> None:
        data = self.base / "data"
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres", "postgres")
        subprocess.run(
            self._as_owner(
                str(self.bin / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
            ),
            check=True,
            capture_output=True,
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.base} "
            "-c fsync=off -c full_page_writes=off -c max_connections=60"
        )
        subprocess.run(
            self._as_owner(
                str(self.bin / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(self.base / "log"),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
            ),
            check=True,
            capture_output=True,
        )

    def stop(self) -> None:
        subprocess.run(
            self._as_owner(str(self.bin / "pg_ctl"), "-D", str(self.base / "data"), "-m", "immediate", "stop"),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(self.base, ignore_errors=True)

    def _admin(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as c:
            c.execute(statement)

    def new_database(self) -> str:
        """A fresh empty database; its SQLAlchemy URL."""
        name = f"atlas_{uuid.uuid4().hex[:12]}"
        self._admin(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def drop_database(self, url: str) -> None:
        """Drop a database of new_database (its connections closed first)."""
        self._admin(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def start_cluster() -> PostgresCluster:
    """Start a cluster (the caller stops it); the binaries must exist (see postgres_bin)."""
    bin_dir = postgres_bin()
    assert bin_dir is not None
    cluster = PostgresCluster(bin_dir, Path(tempfile.mkdtemp(prefix="atlas-pg-")), free_port())
    cluster.start()
    return cluster


# --- synthetic data ----------------------------------------------------------------------------------


def synthetic_key_rows(codes: tuple[str, ...] = ("130631", "130624", "513401")) -> pd.DataFrame:
    """A made-up key-county list (real codes, nothing else real)."""
    return pd.DataFrame({"code": list(codes), "name_zh": [f"synthetic县{i}" for i in range(len(codes))]}).astype("str")


def synthetic_report(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "input_row": pd.array(range(1, len(rows) + 1), dtype="Int64"),
            "status": pd.array(["matched"] * len(rows), dtype="str"),
            "code": rows["code"].to_numpy(),
            "method": pd.array(["synthetic"] * len(rows), dtype="str"),
        }
    )


def synthetic_sha(text: str = "synthetic") -> str:
    return hashlib.sha256(text.encode()).hexdigest()


SOURCE = SourceCitation("synthetic list", "synthetic office", "2012-03", "synthetic archive")
PASSPHRASE = "synthetic correct horse"
HOSTILE = '<script>alert(1)</script> **bold** [link](javascript:x) =HYPERLINK("http://x") \' OR 1=1; -- 乌蒙 \u202e'


def publish(store: Store, rows: pd.DataFrame | None = None, *, actor=None, kind="key", title="synthetic", **kw):
    rows = synthetic_key_rows() if rows is None else rows
    return store.publish(
        kind,
        title,
        kw.pop("source", SOURCE),
        rows,
        synthetic_report(rows),
        actor=actor or operator(),
        file_name=kw.pop("file_name", "synthetic.csv"),
        sha256=synthetic_sha(title),
        **kw,
    )


def accounts(store: Store) -> dict[str, object]:
    admin = operator()
    store.create_account("alice", PASSPHRASE, ["publisher"], actor=admin)
    store.create_account("bob", PASSPHRASE, ["publisher"], actor=admin)
    store.create_account("carol", PASSPHRASE, ["admin"], actor=admin)
    return {name: store.sign_in(name, PASSPHRASE) for name in ("alice", "bob", "carol")}


# --- code the child processes run --------------------------------------------------------------------


def publish_at_once(url: str, title: str, barrier, out) -> None:
    """Open the store, wait for the other process, publish to the same dataset; report the version."""
    store = Store.open(url)
    rows = synthetic_key_rows()
    barrier.wait(timeout=600)  # a deadline only: starting two processes on a busy machine is slow
    v = store.publish(
        "key",
        title,
        SourceCitation("synthetic", "synthetic", "2020", "test"),
        rows,
        synthetic_report(rows),
        actor=operator(),
        file_name="synthetic.csv",
        sha256=synthetic_sha(title),
        dataset_id="synthetic-race",
    )
    out.put((title, v.version))


def publish_and_hang(url: str, marker: str) -> None:
    """Publish, but stop inside the transaction just before it commits (the test kills this process)."""

    def hang() -> None:
        Path(marker).write_text("in the transaction")
        time.sleep(600)

    publishing._before_commit = hang
    store = Store.open(url)
    rows = synthetic_key_rows()
    store.publish(
        "key",
        "synthetic killed",
        SourceCitation("synthetic", "synthetic", "2020", "test"),
        rows,
        synthetic_report(rows),
        actor=operator(),
        file_name="synthetic.csv",
        sha256=synthetic_sha(),
        dataset_id="synthetic-killed",
    )
