"""Versions in the shared dataset store (issue 26), on SQLite and on a real PostgreSQL (tests/conftest.py's
`store`): numbered and immutable, diffed by county (and year), withdrawn with who and why, chosen as
defaults by admins. Everything named synthetic is made up."""

from __future__ import annotations

import pandas as pd
import pytest
from store_fixtures import accounts, publish, synthetic_key_rows

from atlas.datasets import DatasetError, NotAllowed, Store, UnknownDataset, operator


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
