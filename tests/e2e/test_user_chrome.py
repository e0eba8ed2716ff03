"""What a user sees around the pages in a real browser: a source note leads to its row on the Sources page.
No developer tools and filters' placeholders in the reader's language: checked on every page by
test_desk's page-by-page pass (page_checks)."""

from __future__ import annotations

import pytest
from test_browser import SHOTS, open_page, wait_idle

pytestmark = pytest.mark.e2e


def test_a_source_note_opens_its_row_on_the_sources_page(page, server) -> None:
    open_page(page, server, "county_map?lang=en&county=513301")
    link = page.locator('[data-testid="stCaptionContainer"] a[href*="sources?source="]').first
    link.wait_for(state="visible", timeout=60_000)
    href = link.get_attribute("href")
    source_id = href.split("source=")[1].split("&")[0]
    with page.context.expect_page(timeout=60_000) as opened:  # Streamlit opens Markdown links in a new tab
        link.click()
    tab = opened.value
    tab.wait_for_selector('[data-testid="stMain"] h1', timeout=60_000)
    focus = tab.locator(".st-key-source_focus")
    focus.wait_for(state="visible", timeout=60_000)
    # The box's button can be drawn before its text: wait for the text, then read it.
    focus.get_by_text("The source you followed").wait_for(state="visible", timeout=60_000)
    assert "The source you followed" in focus.inner_text()
    assert source_id.replace("%2D", "-") in focus.inner_text()
    assert "lang=en" in tab.url and f"source={source_id}" in tab.url
    wait_idle(tab)
    tab.screenshot(path=SHOTS / "sources_focus_en.png")
    link.locator("xpath=ancestor::*[@data-testid='stColumn'][1]").screenshot(path=SHOTS / "county_facts_en.png")
