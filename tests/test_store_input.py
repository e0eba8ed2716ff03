"""What goes into the shared dataset store (issue 26) comes back exactly, and bad or hostile input is
refused cleanly: rows, title and citation round trips, rows refused naming row and column, references,
and a matched upload made into typed rows. Everything named synthetic is made up."""

from __future__ import annotations

import pandas as pd
import pytest
from store_fixtures import HOSTILE, SOURCE, publish, synthetic_key_rows, synthetic_report, synthetic_sha

from atlas.datasets import DatasetError, SourceCitation, Store, StoreUnavailable, operator, parse_ref, rows_from_match


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
