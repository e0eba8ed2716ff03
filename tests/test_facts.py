"""The county facts panel says what kind of date an exit date is."""

from __future__ import annotations

from atlas.facts import county_facts, exit_date_text


def test_exit_date_says_approved_or_announced() -> None:
    assert exit_date_text("2019-04-24", "approved", "en") == "approved 2019-04-24"
    assert exit_date_text("2019-04-30", "published", "en") == "announced 2019-04-30"
    assert exit_date_text("2019-04-24", "approved", "zh") == "2019-04-24 批准"
    assert exit_date_text("2019-04-30", "published", "zh") == "2019-04-30 公布"
    assert exit_date_text(None, None, "en") == "No data"
    assert exit_date_text("", None, "zh") == "无数据"


def test_facts_panel_shows_the_kind_of_the_exit_date(synthetic_poverty) -> None:
    dated = synthetic_poverty.iloc[0].to_dict()
    facts = dict(county_facts(dated, "en", {}, 2020))
    assert facts["Exit date"] == "approved 2020-11-17"
    undated = dict(county_facts(synthetic_poverty.iloc[1].to_dict(), "en", {}, 2020))
    assert undated["Exit date"] == "No data"


def test_exports_carry_and_document_the_date_kind(synthetic_poverty, synthetic_boundaries) -> None:
    from atlas.export import attribute_dictionary, export_frame

    documented = {a["name"]: a["description"] for a in attribute_dictionary()}
    assert "'approved'" in documented["exit_date_kind"] and "'published'" in documented["exit_date_kind"]
    assert "exit_date_kind says which" in documented["exit_date"]
    frame = export_frame(synthetic_poverty.assign(area_km2=1.0), synthetic_boundaries)
    assert frame["exit_date_kind"].iloc[0] == "approved" and frame["exit_date_kind"].iloc[1:].isna().all()
