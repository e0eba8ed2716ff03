"""The shared dataset store (issue 26) on SQLite and on a real PostgreSQL (one throwaway cluster per
session, tests/store_fixtures.py): versions, diff, withdraw, defaults, permissions, audit, exact round
trips, accounts, concurrency, a process killed mid-publish, damaged stores, backup and restore, the command.
Everything named synthetic is made up."""

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
    postgres_bin,
    publish_and_hang,
    publish_at_once,
    start_cluster,
    synthetic_key_rows,
    synthetic_report,
    synthetic_sha,
)

from atlas.datasets import (
    VIEWER,
    DatasetError,
    NotAllowed,
    SignInRefused,
    SourceCitation,
    Store,
    StoreUnavailable,
    UnknownDataset,
    operator,
    parse_ref,
    rows_from_match,
    store as store_module,
)
from atlas.datasets.backup import backup, restore
from atlas.datasets.command import main
from loaders.schema import ROOT

SOURCE = SourceCitation("synthetic list", "synthetic office", "2012-03", "synthetic archive")
PASSPHRASE = "synthetic correct horse"
HOSTILE = '<script>alert(1)</script> **bold** [link](javascript:x) =HYPERLINK("http://x") \' OR 1=1; -- 乌蒙 \u202e'


@pytest.fixture(scope="session")
def postgres_cluster():
    if postgres_bin() is None:
        pytest.skip("PostgreSQL binaries not installed (/usr/lib/postgresql/*/bin): run `make postgres`")
    cluster = start_cluster()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request, tmp_path) -> str:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'atlas.db'}"
        return
    cluster = request.getfixturevalue("postgres_cluster")
    made = cluster.new_database()
    yield made
    cluster.drop_database(made)


@pytest.fixture
def store(url) -> Store:
    opened = Store.open(url)
    yield opened
    opened.close()


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


# --- versions, diff, withdraw, defaults ------------------------------------------------------------------


def test_versions_are_numbered_immutable_and_diffed(store: Store) -> None:
    first = publish(store, title="Synthetic key counties")
    assert first.version == 1 and first.ref == f"{first.dataset_id}@1"
    assert first.dataset_id.startswith("synthetic-key-counties-")
    changed = synthetic_key_rows(("130631", "130624", "620101"))
    changed.loc[0, "name_zh"] = "synthetic改名"
    second = publish(store, changed, title="Synthetic key counties v2", dataset_id=first.dataset_id)
    assert second.version == 2
    pd.testing.assert_frame_equal(store.rows(first.dataset_id, 1), synthetic_key_rows())  # v1 unchanged
    assert [v.version for v in store.versions(first.dataset_id)] == [1, 2]
    assert (
        store.get(first.dataset_id).version == 2
        and store.get(f"{first.dataset_id}@1").title == "Synthetic key counties"
    )
    diff = store.diff(first.dataset_id, 1, 2)
    assert diff.added["code"].tolist() == ["620101"] and diff.removed["code"].tolist() == ["513401"]
    assert diff.changed_codes == ["130631"] and diff.changed.iloc[0][["old", "new"]].tolist() == [
        "synthetic县0",
        "synthetic改名",
    ]
    summary = store.datasets()
    assert [(s.dataset_id, s.latest_version, s.versions) for s in summary] == [(first.dataset_id, 2, 2)]
    with pytest.raises(UnknownDataset):
        store.get(f"{first.dataset_id}@3")
    with pytest.raises(DatasetError, match="is a key dataset, not deep"):
        publish(store, kind="deep", dataset_id=first.dataset_id)


def test_panel_diff_by_county_and_year(store: Store) -> None:
    old = pd.DataFrame(
        {
            "code": ["130631", "130631"],
            "name_zh": ["synthetic甲"] * 2,
            "year": pd.array([2015, 2016], dtype="Int64"),
            "v": pd.array([1, 2], dtype="Int64"),
        }
    )
    new = old.copy()
    new.loc[1, "v"] = 3
    v = publish(store, old, kind="panel")
    publish(store, new, kind="panel", dataset_id=v.dataset_id)
    diff = store.diff(v.dataset_id, 1, 2)
    assert diff.added.empty and diff.removed.empty
    assert diff.changed[["code", "year", "column", "old", "new"]].values.tolist() == [["130631", 2016, "v", "2", "3"]]


def test_withdraw_keeps_the_version_with_who_and_why(store: Store) -> None:
    v1 = publish(store)
    v2 = publish(store, dataset_id=v1.dataset_id)
    with pytest.raises(DatasetError, match="reason"):
        store.withdraw(v2.dataset_id, 2, "  ", operator())
    gone = store.withdraw(v2.dataset_id, 2, "synthetic: wrong year", operator())
    assert (
        gone.is_withdrawn
        and gone.withdrawn_by == operator().identity
        and gone.withdraw_reason == "synthetic: wrong year"
    )
    assert store.get(v1.dataset_id).version == 1  # latest skips it
    assert store.get(v2.ref).is_withdrawn  # an old link still finds it, and can say why
    pd.testing.assert_frame_equal(store.rows(v2.dataset_id, 2), synthetic_key_rows())  # kept
    with pytest.raises(DatasetError, match="already"):
        store.withdraw(v2.dataset_id, 2, "again", operator())
    store.withdraw(v1.dataset_id, 1, "synthetic", operator())
    with pytest.raises(UnknownDataset):
        store.latest(v1.dataset_id)
    assert (
        store.datasets()[0].latest_version is None and store.latest(v1.dataset_id, include_withdrawn=True).version == 2
    )


def test_defaults_are_for_admins_and_skip_withdrawn(store: Store) -> None:
    people = accounts(store)
    v = publish(store, actor=people["alice"])
    with pytest.raises(NotAllowed):
        store.set_default("key", v.dataset_id, 1, people["alice"])
    with pytest.raises(DatasetError, match="not area"):
        store.set_default("area", v.dataset_id, 1, people["carol"])
    store.set_default("key", v.dataset_id, 1, people["carol"])
    assert store.defaults()["key"].ref == v.ref
    store.withdraw(v.dataset_id, 1, "synthetic", people["alice"])
    assert store.defaults() == {}
    with pytest.raises(DatasetError, match="withdrawn"):
        store.set_default("key", v.dataset_id, 1, people["carol"])
    store.set_default("key", None, None, people["carol"])


# --- permissions and audit ---------------------------------------------------------------------------


def test_permissions_are_checked_in_the_store(store: Store) -> None:
    people = accounts(store)
    with pytest.raises(NotAllowed):
        publish(store, actor=VIEWER)
    stranger = store.actor_for_oidc("https://synthetic.example", "sub-1", "x@synthetic.example", "X")
    assert stranger.roles == ()
    with pytest.raises(NotAllowed):
        publish(store, actor=stranger)
    forged = type(people["alice"])("local:mallory", "mallory", ("admin",))  # roles come from the store, not the caller
    with pytest.raises(NotAllowed):
        publish(store, actor=forged)
    mine = publish(store, actor=people["alice"])
    with pytest.raises(NotAllowed):
        store.withdraw(mine.dataset_id, 1, "not yours", people["bob"])
    with pytest.raises(NotAllowed):
        publish(store, actor=people["bob"], dataset_id=mine.dataset_id)  # a new version: creator or admin
    publish(store, actor=people["carol"], dataset_id=mine.dataset_id)
    with pytest.raises(NotAllowed):
        store.grant("local:bob", "admin", people["alice"])
    store.revoke("local:alice", "publisher", people["carol"])
    with pytest.raises(NotAllowed):  # at once, with the Actor she still holds
        publish(store, actor=people["alice"])
    store.grant("X@Synthetic.example", "publisher", people["carol"])
    assert store.actor_for_oidc("https://synthetic.example", "sub-1", "x@synthetic.example", "X").roles == (
        "publisher",
    )
    assert (
        store.actor_for_oidc(
            "https://synthetic.example", "sub-1", "x@synthetic.example", "X", email_verified=False
        ).roles
        == ()
    )
    with pytest.raises(NotAllowed):
        store.create_account("eve", PASSPHRASE, ["admin"], actor=people["bob"])
    store.withdraw(mine.dataset_id, 2, "synthetic", people["carol"])


def test_every_write_is_audited_with_who_and_when(store: Store) -> None:
    people = accounts(store)
    start = store.revision()
    v = publish(store, actor=people["alice"])
    assert store.revision() > start
    store.withdraw(v.dataset_id, 1, "synthetic", people["alice"])
    publish(store, actor=people["alice"], dataset_id=v.dataset_id)
    store.set_default("key", v.dataset_id, 2, people["carol"])
    store.grant("local:bob", "admin", people["carol"])
    store.revoke("local:bob", "admin", people["carol"])
    with pytest.raises(SignInRefused):
        store.sign_in("bob", "synthetic wrong passphrase")
    log = store.audit()
    assert log["action"].tolist()[:8] == [
        "sign_in_refused",
        "revoke",
        "grant",
        "set_default",
        "publish",
        "withdraw",
        "publish",
        "account_create",
    ]
    assert set(log["actor"][:7]) == {"local:bob", "local:carol", "local:alice"}
    assert log["at"].str.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$").all()
    assert int(log["id"].iloc[0]) == store.revision()


# --- exact round trips and hostile input -------------------------------------------------------------


def test_rows_title_and_citation_come_back_exactly(store: Store) -> None:
    panel = pd.DataFrame(
        {
            "code": pd.array(["130631", "130624", "513401"], dtype="str"),
            "name_zh": pd.array(["synthetic甲", "synthetic乙", "synthetic丙"], dtype="str"),
            "year": pd.array([2015, 2016, 2017], dtype="Int64"),
            "people": pd.array([12, None, -7], dtype="Int64"),
            "rate": [0.5, float("nan"), -1.25],
            "lon": pd.array(["117.780670", "0012", None], dtype="str"),
            "=cmd": pd.array([HOSTILE, "", "x"], dtype="str"),
        }
    )
    hostile_source = SourceCitation(HOSTILE, HOSTILE, "2020-02-29", HOSTILE)
    v = publish(
        store,
        panel,
        kind="panel",
        title=HOSTILE,
        source=hostile_source,
        file_name=HOSTILE,
        resolutions={3: "513401", 4: None},
    )
    got = store.get(v.ref)
    assert got.title == HOSTILE and got.source == hostile_source and got.file_name == HOSTILE
    back = store.rows(v.dataset_id, 1)
    pd.testing.assert_frame_equal(back, panel)
    assert back["lon"].tolist()[:2] == ["117.780670", "0012"]
    back.loc[0, "people"] = 99  # a copy: the cache is not touched
    pd.testing.assert_frame_equal(store.rows(v.dataset_id, 1), panel)
    pd.testing.assert_frame_equal(store.report(v.dataset_id, 1), synthetic_report(panel))
    assert store.resolutions(v.dataset_id, 1) == {"3": "513401", "4": None}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r.assign(code=["13063", "130624", "513401"]), "row 1, column 'code'"),
        (lambda r: r.assign(name_zh=["a", " ", "c"]), "row 2, column 'name_zh'"),
        (lambda r: pd.concat([r, r.iloc[[0]]]), "row 4, column 'code'.*twice"),
        (lambda r: r.assign(extra=1), "unexpected column"),
        (lambda r: r.drop(columns="name_zh"), "missing column"),
        (lambda r: r.assign(code=["130631", 130624, "513401"]), "row 2, column 'code'"),
    ],
)
def test_bad_rows_are_refused_naming_row_and_column(tmp_path, change, message) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'a.db'}")
    with pytest.raises(DatasetError, match=message):
        publish(store, change(synthetic_key_rows()))
    assert store.datasets() == [] and store.revision() == 0


def test_a_report_that_cannot_be_stored_is_refused_and_a_damaged_version_is_unavailable(tmp_path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'a.db'}")
    rows = synthetic_key_rows()
    odd = synthetic_report(rows).assign(extra=[object(), 1, "x"])
    with pytest.raises(DatasetError, match="match report cannot be stored"):
        store.publish("key", "t", SOURCE, rows, odd, actor=operator(), file_name="f", sha256=synthetic_sha())
    v = publish(store)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE versions SET rows_parquet = x'00ff00'")
    with pytest.raises(StoreUnavailable, match="damaged"):
        store.rows(v.dataset_id, 1)


def test_area_lists_name_known_areas_and_citations_are_complete(tmp_path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'a.db'}")
    rows = synthetic_key_rows(("130631", "130624")).assign(area=["燕山-太行山区", "乌蒙山"])
    publish(store, rows, kind="area")
    with pytest.raises(DatasetError, match="row 2, column 'area'"):
        publish(store, rows.assign(area=["燕山-太行山区", "synthetic山区"]), kind="area")
    for field, value, message in (
        ("publisher", "", "source publisher"),
        ("date", "2012-13", "source date"),
        ("where", " ", "source where"),
        ("title", "a\x00b", "control"),
    ):
        with pytest.raises(DatasetError, match=message):
            publish(store, source=SourceCitation(**{**SOURCE.__dict__, field: value}))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "@1",
        "x@0",
        "x@-1",
        "x@1.5",
        "x@01",
        "X@1",
        "x y",
        "x@1@2",
        "../x",
        "x;drop",
        "<b>",
        "x@latest ",
        "-x",
        "x-",
        "x--y",
        "ä",
        "x@99999999999",
        "x" * 90,
        None,
        3,
        "x%40",
    ],
)
def test_hostile_refs_fail_cleanly(text) -> None:
    with pytest.raises(DatasetError):
        parse_ref(text)


def test_refs_parse() -> None:
    assert parse_ref("abc-12x") == ("abc-12x", None)
    assert parse_ref("abc-12x@latest") == ("abc-12x", None)
    assert parse_ref("abc-12x@12") == ("abc-12x", 12)


# --- accounts ----------------------------------------------------------------------------------------


def test_passphrases_are_hashed_with_scrypt_and_checked(store: Store) -> None:
    with pytest.raises(DatasetError, match="12"):
        store.create_account("dave", "short", ["publisher"], actor=operator())
    made = store.create_account("dave", PASSPHRASE, ["publisher"], actor=operator())
    assert made.identity == "local:dave" and made.roles == ("publisher",)
    with store.engine.connect() as conn:
        row = conn.exec_driver_sql("SELECT scrypt_hash, salt, scrypt_n FROM accounts").one()
    assert PASSPHRASE.encode() not in bytes(row.scrypt_hash) and len(bytes(row.salt)) == 16 and row.scrypt_n >= 2**14
    store.create_account("erin", PASSPHRASE, ["publisher"], actor=operator())
    with store.engine.connect() as conn:
        hashes = [bytes(h) for (h,) in conn.exec_driver_sql("SELECT scrypt_hash FROM accounts")]
    assert hashes[0] != hashes[1]  # per-account salt
    signed = store.sign_in("dave", PASSPHRASE)
    assert signed.roles == ("publisher",) and signed.can_publish
    with pytest.raises(SignInRefused, match="wrong user name or passphrase"):
        store.sign_in("nobody", PASSPHRASE)
    with pytest.raises(NotAllowed):
        store.set_account_disabled("dave", True, actor=signed)
    store.set_account_disabled("dave", True, actor=operator())
    with pytest.raises(SignInRefused):
        store.sign_in("dave", PASSPHRASE)
    with pytest.raises(NotAllowed):  # a session signed in before keeps no rights
        publish(store, actor=signed)
    assert store.refresh_actor(signed).roles == ()
    store.set_account_disabled("dave", False, actor=operator())
    assert store.sign_in("dave", PASSPHRASE).identity == "local:dave"


def test_wrong_passphrases_are_slowed_down_for_every_worker(url) -> None:
    one, two = Store.open(url), Store.open(url)  # two workers
    one.create_account("frank", PASSPHRASE, ["publisher"], actor=operator())
    clock = [one._now()]
    one._now = two._now = lambda: clock[0]
    for attempt in range(3):
        with pytest.raises(SignInRefused) as refused:
            (one if attempt % 2 else two).sign_in("frank", f"synthetic wrong {attempt}")
    assert refused.value.retry_after == 2
    with pytest.raises(SignInRefused, match="too many") as waiting:  # even the right passphrase, on the other worker
        two.sign_in("frank", PASSPHRASE)
    assert 0 < waiting.value.retry_after <= 2
    clock[0] += pd.Timedelta(seconds=2.5)
    with pytest.raises(SignInRefused) as again:
        one.sign_in("frank", "synthetic wrong 4")
    assert again.value.retry_after == 4  # it grows
    clock[0] += pd.Timedelta(seconds=3)
    with pytest.raises(SignInRefused, match="too many"):
        one.sign_in("frank", PASSPHRASE)
    clock[0] += pd.Timedelta(seconds=2)
    assert two.sign_in("frank", PASSPHRASE).identity == "local:frank"
    assert one.sign_in("frank", PASSPHRASE).identity == "local:frank"  # the count starts again
    assert (one.audit()["action"] == "sign_in_refused").sum() == 4


# --- nothing lost ------------------------------------------------------------------------------------


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
    unreachable = Store(store_module.make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none"))
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


# --- the command ---------------------------------------------------------------------------------------


def test_the_command_end_to_end(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("ATLAS_DATABASE_URL", f"sqlite:///{tmp_path / 'atlas.db'}")
    csv = tmp_path / "synthetic_area_list.csv"
    csv.write_text(
        "县名,省份,片区\n望都县,河北省,燕山-太行山区\n阜平县,河北省,燕山—太行山片区\n不存在县,河北省,燕山-太行山区\n",
        encoding="utf-8",
    )
    base = [
        "publish",
        str(csv),
        "--kind",
        "area",
        "--title",
        "Synthetic areas",
        "--source-title",
        "synthetic",
        "--source-publisher",
        "synthetic office",
        "--source-date",
        "2012",
    ]
    assert main(base) == 0
    out = capsys.readouterr().out
    ref = out.strip().splitlines()[-1]
    dataset_id, version = parse_ref(ref)
    assert version == 1 and "row 3 not published: not placed on a county" in out
    assert main([*base, "--dataset", dataset_id]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == f"{dataset_id}@2"
    assert main(["list"]) == 0 and f"{dataset_id}\tarea\tlatest 2\t2 version(s)" in capsys.readouterr().out
    assert main(["show", f"{dataset_id}@2"]) == 0
    shown = capsys.readouterr().out
    assert "synthetic office" in shown and "since version 1: 0 counties added, 0 removed, 0 changed" in shown
    assert "not_found 1" in shown
    assert main(["withdraw", f"{dataset_id}@2", "--reason", "synthetic test"]) == 0
    assert main(["show", f"{dataset_id}@2"]) == 0 and "WITHDRAWN" in capsys.readouterr().out
    assert main(["default", "area", f"{dataset_id}@1"]) == 0
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO(PASSPHRASE + "\n"))
    assert main(["account", "create", "gina", "--role", "publisher", "--passphrase-stdin"]) == 0
    assert main(["account", "disable", "gina"]) == 0
    assert main(["grant", "someone@synthetic.example", "admin"]) == 0
    assert main(["withdraw", f"{dataset_id}", "--reason", "x"]) == 2  # a version must be named
    assert "name the version" in capsys.readouterr().err
    assert main(["backup", str(tmp_path / "b.db")]) == 0 and main(["restore", str(tmp_path / "b.db")]) == 0
    assert main(["audit"]) == 0
    log = capsys.readouterr().out
    for action in ("publish", "withdraw", "set_default", "account_create", "account_disable", "grant", "restore"):
        assert action in log
    store = Store.open()
    assert store.rows(dataset_id, 1)["area"].tolist() == ["燕山-太行山区", "燕山—太行山片区"]
    assert store.report(dataset_id, 1)["status"].tolist() == ["matched", "matched", "not_found"]


def test_the_default_store_needs_no_set_up(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("ATLAS_DATABASE_URL", raising=False)
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path))
    assert store_module.database_url() == f"sqlite:///{tmp_path / 'atlas.db'}"
    assert Store.open().health()["ok"]
    with sqlite3.connect(tmp_path / "atlas.db") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_matched_panel_becomes_typed_rows_and_a_report(tmp_path) -> None:
    from loaders.match import guess_roles, load_gazetteer, match_table

    frame = pd.DataFrame(
        {
            "县名": ["望都县", "阜平县", "不存在县", "望都县"],
            "省份": ["河北省"] * 4,
            "年份": ["2015", "2015", "2015", "x"],
            "synthetic_人口": ["1", "", "3", "4"],
            "synthetic_经度": ["0012", "117.780670", "a", "b"],
        }
    ).astype("string")
    roles = guess_roles(frame)
    matched = match_table(frame, roles, load_gazetteer())
    prepared = rows_from_match(matched.rows, "panel", year_column=roles.year, value_columns=roles.values)
    rows = prepared.rows
    assert rows[["code", "year"]].values.tolist() == [["130631", 2015], ["130624", 2015]]
    assert str(rows["year"].dtype) == "Int64" and str(rows["synthetic_人口"].dtype) == "Int64"
    assert rows["synthetic_人口"].isna().tolist() == [False, True]
    assert rows["synthetic_经度"].tolist() == ["0012", "117.780670"]
    assert [left.row for left in prepared.left_out] == [3, 4]
    assert [left.why("zh") for left in prepared.left_out] == ["未对应到任何县", "“年份”列中没有完整的年份"]
    assert prepared.report["status"].tolist() == ["matched", "matched", "not_found", "matched"]
    store = Store.open(f"sqlite:///{tmp_path / 'a.db'}")
    v = store.publish(
        "panel", "synthetic", SOURCE, rows, prepared.report, actor=operator(), file_name="p.csv", sha256=synthetic_sha()
    )
    pd.testing.assert_frame_equal(store.rows(v.dataset_id, 1), rows)
