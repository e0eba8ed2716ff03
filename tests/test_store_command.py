"""The operators' command of the shared dataset store (`python -m atlas.datasets`, issue 26), end to end on
a SQLite store. Everything named synthetic is made up."""

from __future__ import annotations

from store_fixtures import PASSPHRASE

from atlas.datasets import Store, parse_ref
from atlas.datasets.command import main


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
