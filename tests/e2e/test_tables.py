"""Each map has a table view of what it shows (a county's row says what its facts panel says), and
Trends opens on the level and year whose sources cover the most units; its chart reads as a table."""

from __future__ import annotations

import re

import pytest
from test_browser import LOAD_TIMEOUT, SHOTS, assert_clean, open_page, wait_idle

from atlas import trends
from loaders.data import load_atlas
from loaders.schema import data_root

pytestmark = pytest.mark.e2e


def facts_panel(page) -> dict[str, str]:
    """The facts panel's lines as label -> value."""
    items = page.locator('[data-testid="stMain"] [data-testid="stMarkdownContainer"] li').all_inner_texts()
    return dict(item.split(": ", 1) for item in items if ": " in item)


def table_row(page, table, text: str) -> dict[str, str]:
    """The row of a table view holding `text`, as header -> cell."""
    row = table.locator('[role="row"]').filter(has_text=text).first
    row.wait_for(state="attached", timeout=LOAD_TIMEOUT)  # the grid's accessible table lies off screen
    headers = table.locator('[role="row"]').first.locator('[role="columnheader"]').all_inner_texts()
    cells = row.locator('[role="gridcell"]').all_inner_texts()
    return dict(zip(headers, cells))


def test_a_countys_row_in_the_table_says_what_its_facts_panel_says(page, server) -> None:
    # The county picker's route: the URL (as a search would) names the county; Hainan's five fit the table.
    open_page(page, server, "county_map?lang=en&year=2018&prov=460000&county=469029")
    facts = facts_panel(page)
    assert facts["Exit batch"] == "2018" and facts["Status at year end 2018"] == "Exited this year"
    main = page.locator('[data-testid="stMain"]')
    assert main.locator('[data-testid="stDataFrame"]').count() == 0  # closed: nothing built or sent
    main.get_by_text("Table: Status at year end 2018").click()
    table = main.locator('[data-testid="stDataFrame"]').first
    table.wait_for(timeout=LOAD_TIMEOUT)
    wait_idle(page)
    row = table_row(page, table, "Baoting")
    assert row["Exit batch"] == facts["Exit batch"]
    assert row["Legend class"] == facts["Status at year end 2018"]
    assert row["County"].startswith("Baoting")
    assert main.get_by_text("The 5 counties the map colours").count() == 1
    legend = main.locator(".pa-legend").first.inner_text()
    assert row["Legend class"] in legend
    table.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "table_county_map.png")
    assert_clean(page)


def test_side_by_side_maps_each_have_their_table(page, server) -> None:
    open_page(page, server, "county_map?year=2019&year2=2015")
    main = page.locator('[data-testid="stMain"]')
    for year in (2015, 2019):
        main.get_by_text(f"表格：年末状态 {year}").click()
        wait_idle(page)
    tables = main.locator('[data-testid="stDataFrame"]')
    assert tables.count() == 2
    assert main.get_by_text("列出地图着色的 831 个县").count() == 2  # 832 listed, two on one polygon
    left, right = (
        [r.inner_text() for r in tables.nth(i).locator('[role="row"]').all()[1:]] for i in (0, 1)
    )  # fmt: skip
    assert left and right
    assert any("摘帽" in r for r in left), left  # 2019: the first rows (Hebei) have exited
    assert not any("摘帽" in r for r in right), right  # 2015: no county had exited yet
    page.screenshot(path=SHOTS / "table_side_by_side.png")
    assert_clean(page)


def test_trends_opens_on_the_level_and_year_with_the_most_data(page, server) -> None:
    series = load_atlas(data_root()).series["incidence"]
    chosen = trends.opening(trends.coverage_counts(series, "incidence"))
    assert chosen is not None
    open_page(page, server, "trends?lang=en")
    page.wait_for_url(f"**level={chosen.level}**", timeout=LOAD_TIMEOUT)
    assert f"syear={chosen.time}" in page.url
    main = page.locator('[data-testid="stMain"]')
    level = main.get_by_role("radiogroup").last.locator("label:has(input:checked)")
    assert level.inner_text() == "Province"
    legend = main.locator(".pa-legend").first.inner_text()
    assert legend.splitlines()[0].endswith(f", {chosen.time}")
    main.get_by_text("Table: what the map shows").click()
    table = main.locator('[data-testid="stDataFrame"]').first
    table.wait_for(timeout=LOAD_TIMEOUT)
    wait_idle(page)
    assert main.get_by_text(re.compile(r"^The \d+ units the map draws")).count() == 1
    headers = table.locator('[role="row"]').first.locator('[role="columnheader"]').all_inner_texts()
    classes = [dict(zip(headers, r.locator('[role="gridcell"]').all_inner_texts()))["Legend class"]
               for r in table.locator('[role="row"]').all()[1:]]  # fmt: skip
    assert classes and set(classes) <= set(legend.splitlines()[1:]), (classes, legend)
    shown = trends.long_frame(series, "incidence", chosen.measure, chosen.variant)
    counted = trends.values_at(shown, chosen.level, chosen.time)["unit_code"].nunique()
    assert len(classes) - classes.count("No data") <= counted
    page.screenshot(path=SHOTS / "trends_opening.png")
    # A link that names its level and year keeps them.
    open_page(page, server, "trends?lang=en&level=national&syear=2015")
    assert "level=national" in page.url and "syear=2015" in page.url
    assert_clean(page)


def test_the_trends_chart_reads_as_a_table(page, server) -> None:
    series = load_atlas(data_root()).series["incidence"]
    chosen = trends.opening(trends.coverage_counts(series, "incidence"))
    assert chosen is not None
    open_page(page, server, "trends?lang=en")
    main = page.locator('[data-testid="stMain"]')
    main.get_by_text("Table: what the chart shows").click()
    note = main.get_by_text(re.compile(r"^The chart's \d+ lines")).first
    note.wait_for(timeout=LOAD_TIMEOUT)
    wait_idle(page)
    table = main.locator('[data-testid="stExpander"]', has_text="lines, a column per year").locator(
        '[data-testid="stDataFrame"]'
    )
    table.locator('[role="row"]').nth(1).wait_for(state="attached", timeout=LOAD_TIMEOUT)
    headers = table.locator('[role="row"]').first.locator('[role="columnheader"]').all_inner_texts()
    rows = [r.locator('[role="gridcell"]').all_inner_texts() for r in table.locator('[role="row"]').all()[1:]]
    assert len(rows) == int(re.search(r"\d+", note.inner_text()).group())
    # The grid puts only the columns in sight into the page: each year shown is checked against the data.
    shown = trends.long_frame(series, "incidence", chosen.measure, chosen.variant)
    values = {(zh, time): f"{v:,.2f} %" for zh, time, v in zip(shown["unit_name_zh"], shown["time"], shown["value"])}
    checked = 0
    for name, *cells in rows:
        zh = re.search(r"\((.+)\)$", name).group(1)
        for time, cell in zip(headers[1:], cells):
            assert cell == values.get((zh, time), "No data"), (name, time, cell)
            checked += cell != "No data"
    assert checked, rows
    table.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "trends_chart_table.png")
    assert_clean(page)
