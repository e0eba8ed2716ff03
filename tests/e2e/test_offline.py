"""No request leaves the machine (issue 27). The browser refuses any request to another host
(benchmarks.common.CHROMIUM_ARGS), every browser test's context records it, and assert_clean fails on one
(tests/e2e/conftest.py); every page is opened in both languages by test_desk's page-by-page pass (which
also waits for late fetches, favicon and fonts) and in presenter mode by test_presenter_pages'. Here: the
Import page with a table loaded (its map, icons, report and export section).

Streamlit fetched a Material icon used as the favicon (`page_icon=":material/map:"`) from
fonts.gstatic.com; app.py now gives it a file of ours (assets/favicon.png)."""

from __future__ import annotations

import pytest
from page_checks import settled_offline
from test_browser import LOAD_TIMEOUT, assert_clean, open_page

pytestmark = pytest.mark.e2e

SYNTHETIC_TABLE = "县名,年份,synthetic_value\n城关区,2019,5\n平武县,2019,3\n平武县,2020,\n康定县,2020,1\n"


def test_the_import_page_with_a_table_requests_no_other_host(page, server) -> None:
    open_page(page, server, "import", still=False)
    page.set_input_files(
        '[data-testid="stFileUploaderDropzoneInput"]',
        files=[{"name": "synthetic.csv", "mimeType": "text/csv", "buffer": SYNTHETIC_TABLE.encode("utf-8")}],
    )
    page.wait_for_selector('[data-testid="stMetric"]', timeout=LOAD_TIMEOUT)
    page.get_by_role("button", name="生成文件").click()
    page.wait_for_selector('[data-testid="stDownloadButton"]', timeout=LOAD_TIMEOUT)
    settled_offline(page, server)
    assert_clean(page)


def test_a_request_to_another_host_fails_the_check(page, server) -> None:
    """The check itself: a page that asks another host is refused by the browser, and caught."""
    open_page(page, server, "sources", still=False)
    outcome = page.evaluate("() => fetch('http://example.com/x').then(() => 'reached', () => 'refused')")
    assert outcome == "refused"
    settled_offline(page, server)
    with pytest.raises(AssertionError, match="example.com"):
        assert_clean(page)
