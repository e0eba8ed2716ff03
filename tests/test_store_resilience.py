"""Nothing lost in the shared dataset store (issue 26), on SQLite and on a real PostgreSQL: processes
publishing or opening at once, a process killed mid-publish, missing, damaged, full and read-only stores,
backup and restore, and the default store that needs no set-up. Everything named synthetic is made up."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pandas as pd
import pytest
from sqlalchemy import event
from store_fixtures import (
    PASSPHRASE,
    accounts,
    postgres_bin,
    publish,
    publish_and_hang,
    publish_at_once,
    synthetic_key_rows,
)

from atlas.datasets import NotAllowed, Store, StoreUnavailable, UnknownDataset, database_url, operator
from atlas.datasets.backup import backup, restore
from atlas.datasets.database import make_engine
from loaders.schema import ROOT


def test_two_processes_publishing_at_once_both_get_stored(url) -> None:
    Store.open(url).close()  # schema first; opening together is tested by the processes themselves below
    context = multiprocessing.get_context("spawn")
    barrier, out = context.Barrier(2), context.Queue()
    workers = [context.Process(target=publish_at_once, args=(url, f"synthetic {i}", barrier, out)) for i in (1, 2)]
    for w in workers:
        w.start()
    results = dict(out.get(timeout=900) for _ in workers)
    for w in workers:
        w.join(timeout=60)
        assert w.exitcode == 0
    assert sorted(results.values()) == [1, 2]
    versions = Store.open(url).versions("synthetic-race")
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].published_at <= versions[1].published_at
    assert {v.title for v in versions} == set(results)


def test_opening_a_new_store_from_two_processes_at_once(url) -> None:
    code = f"from atlas.datasets import Store; Store.open({url!r}).revision()"
    procs = [subprocess.Popen([sys.executable, "-c", code], cwd=ROOT) for _ in range(2)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    assert Store.open(url).revision() == 0


def test_a_process_killed_inside_a_publish_leaves_the_store_whole(url, tmp_path) -> None:
    store = Store.open(url)
    marker = tmp_path / "in_transaction"
    child = multiprocessing.get_context("spawn").Process(target=publish_and_hang, args=(url, str(marker)))
    child.start()
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert child.is_alive() and time.monotonic() < deadline, "the child never reached the transaction"
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.join(timeout=30)
    assert child.exitcode == -signal.SIGKILL
    with pytest.raises(UnknownDataset):
        store.versions("synthetic-killed")
    assert store.audit().empty
    v = publish(store, dataset_id="synthetic-killed")  # still usable, the same id free
    assert v.version == 1 and store.rows("synthetic-killed", 1).equals(synthetic_key_rows())


def test_missing_damaged_and_full_stores_are_unavailable(tmp_path) -> None:
    with pytest.raises(StoreUnavailable, match="does not exist"):
        Store.open(f"sqlite:///{tmp_path / 'missing' / 'atlas.db'}")
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(os.urandom(8192))
    with pytest.raises(StoreUnavailable, match="not a database"):
        Store.open(f"sqlite:///{damaged}")
    newer = tmp_path / "newer.db"
    Store.open(f"sqlite:///{newer}").close()
    with sqlite3.connect(newer) as db:
        db.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreUnavailable, match="schema this code does not know"):
        Store.open(f"sqlite:///{newer}")
    with pytest.raises(StoreUnavailable, match="supports sqlite and postgresql"):
        Store.open("nonsense://")
    full = Store.open(f"sqlite:///{tmp_path / 'full.db'}")
    publish(full)
    full.engine.dispose()
    event.listen(full.engine, "connect", lambda c, _r: c.execute("PRAGMA max_page_count = 40"))
    big = synthetic_key_rows(tuple(f"{130000 + i:06d}" for i in range(20000)))
    big["name_zh"] = [os.urandom(16).hex() for _ in range(len(big))]
    with pytest.raises(StoreUnavailable, match="full"):
        publish(full, big)
    assert len(full.datasets()) == 1  # still readable, nothing half written
    unreachable = Store(make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none"))
    assert unreachable.health()["ok"] is False
    with pytest.raises(StoreUnavailable, match="cannot be used"):
        unreachable.datasets()


def test_read_only_file_and_directory_are_unavailable(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'atlas.db'}"
    made = Store.open(url)
    publish(made)
    made.close()
    check = (
        "from atlas.datasets import *\n"
        "from store_fixtures import *\n"
        f"try:\n    s = Store.open({url!r})\n    print(len(s.datasets()))\n"
        "    r = synthetic_key_rows()\n"
        "    s.publish('key', 't', SourceCitation('a','b','2020','c'), r, synthetic_report(r), actor=operator(),"
        " file_name='f', sha256=synthetic_sha())\n"
        "except StoreUnavailable as e:\n    print('unavailable:', e)\n"
    )
    as_other = []
    if os.geteuid() == 0:  # root ignores file modes unless it gives up the capabilities that let it
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv (util-linux): file modes cannot be tested")
        as_other = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]
    env = {**os.environ, "PYTHONPATH": f"{ROOT}:{ROOT / 'tests'}"}
    for path, mode, reason in ((tmp_path / "atlas.db", 0o444, "readonly"), (tmp_path, 0o555, "readonly")):
        os.chmod(tmp_path, 0o755)
        os.chmod(tmp_path / "atlas.db", 0o644)
        os.chmod(path, mode)
        done = subprocess.run(
            [*as_other, sys.executable, "-c", check], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
        )
        assert "unavailable: the dataset store" in done.stdout and reason in done.stdout, done.stdout + done.stderr
        assert "Traceback" not in done.stderr
    os.chmod(tmp_path, 0o755)


def test_backup_and_restore_give_back_the_same_datasets(store: Store, tmp_path) -> None:
    if store.is_postgres and not os.path.exists(str(postgres_bin() / "pg_dump")):
        pytest.skip("pg_dump not installed")
    people = accounts(store)
    first = publish(store, actor=people["alice"])
    publish(store, actor=people["alice"], dataset_id=first.dataset_id)
    saved_list, saved_rows = store.datasets(), store.rows(first.dataset_id, 2)
    saved_revision = store.revision()
    out = backup(store, tmp_path / "backup.db")
    assert out.stat().st_size > 0
    store.withdraw(first.dataset_id, 2, "synthetic", people["alice"])
    publish(store, actor=people["bob"], title="synthetic after the backup")
    before_restore = store.revision()
    with pytest.raises(NotAllowed):
        restore(store, out, people["carol"])  # the operator's command only
    restore(store, out, operator())
    assert store.datasets() == saved_list
    pd.testing.assert_frame_equal(store.rows(first.dataset_id, 2), saved_rows)
    assert store.revision() > before_restore > saved_revision  # workers polling notice the change
    assert store.sign_in("alice", PASSPHRASE).can_publish
    assert publish(store, actor=people["alice"], dataset_id=first.dataset_id).version == 3


def test_the_default_store_needs_no_set_up(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("ATLAS_DATABASE_URL", raising=False)
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path))
    assert database_url() == f"sqlite:///{tmp_path / 'atlas.db'}"
    assert Store.open().health()["ok"]
    with sqlite3.connect(tmp_path / "atlas.db") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
