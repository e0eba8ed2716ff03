"""Published datasets in a view (atlas.published): `ds=` in the URL with hostile values, which versions a
view applies and what a link to an unknown, withdrawn or old version says, a published list overlaid like
an applied list, disagreements with the bundled record, dissolved outlines. All data here are synthetic."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import geopandas as gpd
import pandas as pd
import pytest

from atlas.datasets import DatasetVersion
from atlas.imported import applied_note, area_lookup, overlay, user_facts, with_user_sources
from atlas.published import PublishedSource, as_applied, disagreements, dissolve, resolve
from atlas.url_state import DEFAULT, encode, parse
from tests.published_fixtures import (
    THREE_AREAS,
    synthetic_area_list,
    synthetic_version,
)

# --- the URL -------------------------------------------------------------------------------------------


def test_ds_names_versions_and_round_trips() -> None:
    result = parse({"ds": "key-list-abc123@2,areas@latest,key-list-abc123@2"})
    assert result.notices == ()
    assert result.state.datasets == ("key-list-abc123@2", "areas@latest")
    assert encode(result.state)["ds"] == "key-list-abc123@2,areas@latest"
    assert parse({"ds": "none"}).state.datasets == ()  # no dataset, not even the defaults
    assert encode(replace(DEFAULT, datasets=()))["ds"] == "none"
    assert "ds" not in encode(DEFAULT)  # absent: the atlas's defaults


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>@1",
        "Areas@1",
        "areas",  # the version is always named
        "areas@0",
        "areas@-1",
        "areas@１",  # a full-width digit
        "areas@1.5",
        "areas@1e3",
        "a--b@1",
        "-areas@1",
        "areas@1,",
        "areas@1;drop table versions",
        "areas@1 ,b@2",
        "areas@LATEST",
        "areas@1234567890",
        ",".join(f"d{i}@1" for i in range(13)),
        "x" * 5000,
        "../../etc/passwd@1",
        "areas@1\x00",
    ],
)
def test_hostile_ds_values_are_ignored_with_a_notice(hostile: str) -> None:
    result = parse({"ds": hostile, "year": "2018"})
    assert result.state.datasets is None and result.state.year == 2018
    assert len(result.notices) == 1 and "ds" in result.notices[0]


# --- which versions a view applies ---------------------------------------------------------------------


def catalogue() -> dict[str, list[DatasetVersion]]:
    withdrawn = synthetic_version(
        number=3,
        withdrawn_at=datetime(2026, 3, 9, 10, 30, tzinfo=UTC),
        withdrawn_by="local:bob",
        withdraw_reason="wrong <i>year</i>",
    )
    return {
        "syn-list": [synthetic_version(number=1), synthetic_version(number=2), withdrawn],
        "syn-key": [synthetic_version("key", 1, "syn-key")],
    }


def test_defaults_apply_when_the_view_names_none() -> None:
    defaults = {"key": synthetic_version("key", 1, "syn-key"), "area": synthetic_version(number=2)}
    found = resolve(None, catalogue(), defaults)
    assert [v.ref for v in found.versions] == ["syn-list@2", "syn-key@1"] and found.refs is None
    assert resolve((), catalogue(), defaults).versions == ()


def test_latest_becomes_its_number_and_an_old_version_says_a_newer_one_exists() -> None:
    found = resolve(("syn-list@latest",), catalogue(), {})
    assert found.refs == ("syn-list@2",) and found.notices == ()  # version 3 is withdrawn: 2 is the latest
    old = resolve(("syn-list@1",), catalogue(), {})
    assert [v.ref for v in old.versions] == ["syn-list@1"]
    assert old.notices[0].text("en") == (
        "This view shows version 1 of Synthetic area list (syn-list@1); a newer version exists: version 2."
    )


def test_a_withdrawn_version_says_when_by_whom_and_why_and_is_not_applied() -> None:
    found = resolve(("syn-list@3",), catalogue(), {})
    assert found.versions == () and found.refs == ("syn-list@3",)
    text = found.notices[0].text("en")
    assert "withdrawn on 2026-03-09 10:30 UTC by local:bob because wrong <i>year</i>" in text
    assert "撤回" in found.notices[0].text("zh")


def test_an_unknown_dataset_or_version_says_so_and_stays_in_the_link() -> None:
    found = resolve(("syn-list@9", "nothing@1"), catalogue(), {})
    assert found.versions == () and found.refs == ("syn-list@9", "nothing@1")
    assert [n.key for n in found.notices] == ["published_unknown", "published_unknown"]
    assert "nothing@1" in found.notices[1].text("en")


# --- a published list over the bundled flags -------------------------------------------------------------


def test_a_published_area_list_is_overlaid_like_an_applied_list(synthetic_poverty: pd.DataFrame) -> None:
    rows = pd.DataFrame(
        {
            "code": ["513401", "620101", "999999"],
            "name_zh": ["甲县", "丙县", "外县"],
            "area": ["六盘山", "六盘山区", "乌蒙"],
        }
    )
    applied = as_applied(synthetic_version(), rows, synthetic_poverty, area_lookup(THREE_AREAS))
    assert dict(applied.members) == {"513401": "liupan", "620101": "liupan"}  # 999999 is not a poverty county
    assert applied.complete_in == ("liupan",)
    shown = overlay(synthetic_poverty, [applied]).set_index("code")
    assert shown.loc["513401", "contiguous_area"] == "liupan" and shown.loc["620101", "contiguous_area"] == "liupan"
    assert pd.isna(shown.loc["620102", "contiguous_area"])  # complete in liupan: its other member is cleared
    assert shown.loc["513402", "contiguous_area"] == "wumeng"  # another area: untouched
    assert shown.loc["513401", "published"] == "contiguous_area" and shown.loc["513401", "user_supplied"] == ""
    assert "syn-list@1" in shown.loc["513401", "published_source"]
    assert synthetic_poverty.set_index("code").loc["513401", "contiguous_area"] == "wumeng"  # never modified
    facts = user_facts(shown.loc["513401"].to_dict(), [applied], "en")
    assert facts == [("Contiguous poverty area", f"Published data: {applied.provenance.short()}")]
    note = applied_note([applied], "en")
    assert note.startswith("This view uses published data") and "Synthetic office" in note


def test_a_key_list_is_complete_in_the_provinces_it_touches(synthetic_poverty: pd.DataFrame) -> None:
    rows = pd.DataFrame({"code": ["513402"], "name_zh": ["乙县"]})
    applied = as_applied(synthetic_version("key"), rows, synthetic_poverty, {})
    shown = overlay(synthetic_poverty, [applied]).set_index("code")
    assert list(shown.loc[["513401", "513402", "513301"], "key_county"]) == [False, True, False]
    assert shown.loc["620102", "key_county"]  # Gansu: the list says nothing there


def test_disagreements_show_both_values(synthetic_poverty: pd.DataFrame) -> None:
    rows = pd.DataFrame({"code": ["513402"], "name_zh": ["乙县"]})
    applied = as_applied(synthetic_version("key"), rows, synthetic_poverty, {})
    shown = overlay(synthetic_poverty, [applied]).set_index("code")
    bundled = synthetic_poverty.set_index("code")
    found = disagreements(bundled.loc["513401"].to_dict(), shown.loc["513401"].to_dict(), "en", {})
    assert found == [
        ("National key county: differs from the bundled record", "published data: No; bundled record: Yes")
    ]
    # 513402: bundled False, published True; 620101 untouched; an unknown bundled value is no disagreement
    assert disagreements(bundled.loc["513402"].to_dict(), shown.loc["513402"].to_dict(), "zh", {})[0][1] == (
        "已发布数据：是；内置记录：否"
    )
    assert disagreements(bundled.loc["620101"].to_dict(), shown.loc["620101"].to_dict(), "en", {}) == []


def test_the_export_sources_cite_the_dataset_and_its_source(synthetic_sources: pd.DataFrame) -> None:
    applied = as_applied(
        synthetic_version("key"),
        pd.DataFrame({"code": ["513402"], "name_zh": ["乙县"]}),
        pd.DataFrame({"code": ["513402"], "province_code": ["510000"]}),
        {},
    )
    rows = with_user_sources(synthetic_sources, [applied]).set_index("source_id")
    row = rows.loc["ds-syn-list-1"]
    assert (row["title"], row["publisher"], row["date"], row["where_found"]) == (
        "Synthetic notice <b>x</b>",
        "Synthetic office",
        "2026-02-03",
        "a drawer",
    )
    assert "syn-list@1" in row["notes"] and "key_county" in row["notes"]
    assert PublishedSource.of(synthetic_version()).as_dict()["dataset"] == "syn-list@1"


def test_dissolve_unites_each_areas_published_members(
    synthetic_poverty: pd.DataFrame, synthetic_boundaries: gpd.GeoDataFrame
) -> None:
    shown = synthetic_poverty.assign(contiguous_area=["wumeng", "wumeng", "wumeng", None, "liupan"])
    frame = dissolve(synthetic_boundaries, shown, ["wumeng", "liupan", "sisheng_zangqu"])
    assert list(frame["unit_id"]) == ["wumeng", "liupan"]  # no member, no outline
    assert list(frame["poverty_county_count"]) == [3, 1]
    assert frame.geometry.iloc[0].area == pytest.approx(3.0) and frame.geometry.iloc[0].geom_type == "Polygon"


def test_the_synthetic_list_fills_all_14_areas() -> None:
    rows = synthetic_area_list()
    assert len(rows) == 680 and rows["code"].is_unique and rows["area"].nunique() == 14
