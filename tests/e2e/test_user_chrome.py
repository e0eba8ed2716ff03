"""What a user sees around the pages in a real browser: no developer tools, no English in 中文 mode."""

from __future__ import annotations

import pytest
from test_browser import SHOTS, assert_clean, open_page, wait_idle

pytestmark = pytest.mark.e2e

# Streamlit's developer toolbar: the Deploy button and the main menu (rerun, clear cache, settings …).
DEVELOPER_TEXTS = ("Deploy", "Rerun", "Clear cache", "Record screen", "Made with Streamlit")


@pytest.mark.parametrize("path", ["", "county_map?lang=en"])
def test_no_deploy_button_or_developer_menu(page, server, path) -> None:
    open_page(page, server, path)
    assert_clean(page)
    assert page.locator('[data-testid="stAppDeployButton"]').count() == 0
    assert page.locator('[data-testid="stMainMenu"]').count() == 0
    header = page.locator('header[data-testid="stHeader"]')
    text = header.inner_text() if header.count() else ""
    assert not [t for t in DEVELOPER_TEXTS if t in text], text
    for label in DEVELOPER_TEXTS:
        assert page.get_by_role("button", name=label, exact=True).count() == 0, label


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", ["county_map", "export"])  # filters empty: placeholders shown
def test_multiselect_placeholders_speak_the_page_language(page, server, name, lang) -> None:
    """The browser draws a multiselect's placeholder (Streamlit's default is English): read it there."""
    open_page(page, server, f"{name}?lang={lang}")
    boxes = page.locator('[data-testid="stMultiSelect"]')
    boxes.first.wait_for(state="visible", timeout=60_000)
    wait_idle(page)
    assert_clean(page)
    placeholders = [
        box.get_attribute("placeholder", timeout=60_000)
        for box in page.locator('[data-testid="stMultiSelect"] input').all()
    ]
    assert placeholders and set(placeholders) == {"请选择" if lang == "zh" else "Choose options"}, placeholders
    if lang == "zh":
        shown = page.locator("body").inner_text(timeout=120_000)  # the sidebar too
        for english in ("Choose options", "No options", "Choose an option", "Deploy"):
            assert english not in shown, english
    page.screenshot(path=SHOTS / f"{name}_{lang}.png")


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
