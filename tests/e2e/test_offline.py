"""No request leaves the machine (issue 27): every page, in both languages and in presenter mode, and the
Import page with a table loaded (its map, icons, report and export section), ask nothing of any host but
the app's own loopback address. Every other request is recorded (and refused, so a miss cannot hang).

Streamlit fetched a Material icon used as the favicon (`page_icon=":material/map:"`) from
fonts.gstatic.com; app.py now gives it a file of ours (assets/favicon.png)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.e2e.test_browser import LOAD_TIMEOUT, open_page, wait_idle

pytestmark = pytest.mark.e2e

PAGES = ("", "county_map", "areas", "trends", "story", "import", "export", "sources")
SYNTHETIC_TABLE = "县名,年份,synthetic_value\n城关区,2019,5\n平武县,2019,3\n平武县,2020,\n康定县,2020,1\n"


@pytest.fixture
def watched(browser, server):
    """A tab whose every request to another host than the server's is recorded and refused."""
    own = urlsplit(server).netloc
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    outside: list[str] = []

    def route(r) -> None:
        url = r.request.url
        if url.startswith(("data:", "blob:")) or urlsplit(url).netloc == own:
            r.continue_()
        else:
            outside.append(url)
            r.abort()

    context.route("**/*", route)
    tab = context.new_page()
    yield tab, outside
    context.close()


def _settled(tab, server: str) -> None:
    wait_idle(tab, still=False)
    tab.wait_for_load_state("networkidle", timeout=LOAD_TIMEOUT)  # late fetches (favicon, fonts) included
    icon = tab.locator('link[rel~="icon"]').first.get_attribute("href", timeout=LOAD_TIMEOUT) or ""
    assert urlsplit(icon).netloc in ("", urlsplit(server).netloc), f"favicon from another host: {icon}"


@pytest.mark.parametrize("query", ["", "?lang=en", "?present=1"])
def test_no_page_requests_another_host(watched, server, query) -> None:
    tab, outside = watched
    for path in PAGES:
        open_page(tab, server, f"{path}{query}", still=False)
        _settled(tab, server)
        assert outside == [], f"/{path}{query} asked another host: {sorted(set(outside))}"


def test_the_import_page_with_a_table_requests_no_other_host(watched, server) -> None:
    tab, outside = watched
    open_page(tab, server, "import", still=False)
    tab.set_input_files(
        '[data-testid="stFileUploaderDropzoneInput"]',
        files=[{"name": "synthetic.csv", "mimeType": "text/csv", "buffer": SYNTHETIC_TABLE.encode("utf-8")}],
    )
    tab.wait_for_selector('[data-testid="stMetric"]', timeout=LOAD_TIMEOUT)
    tab.get_by_role("button", name="生成文件").click()
    tab.wait_for_selector('[data-testid="stDownloadButton"]', timeout=LOAD_TIMEOUT)
    _settled(tab, server)
    assert outside == [], sorted(set(outside))
