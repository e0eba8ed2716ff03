"""Accounts, roles and the audit log of the shared dataset store (issue 26), on SQLite and on a real
PostgreSQL: permissions checked in the store from its roles, every write audited, passphrases hashed with
scrypt, wrong ones slowed down for every worker. Everything named synthetic is made up."""

from __future__ import annotations

import pandas as pd
import pytest
from store_fixtures import PASSPHRASE, accounts, publish

from atlas.datasets import VIEWER, DatasetError, NotAllowed, SignInRefused, Store, operator

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
