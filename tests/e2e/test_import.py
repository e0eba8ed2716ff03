"""The Import page in a real headless Chromium: upload a file, resolve an ambiguous row and see the
map change, download the joined GeoJSON; paste an announcement's list and read the match rate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.test_browser import (
    LOAD_TIMEOUT,
    SHOTS,
    assert_clean,
    canvas_image,
    differing_pixels,
    drawn_pixels,
    open_page,
    wait_idle,
)

pytestmark = pytest.mark.e2e

# A county table as an analyst might have it: 城关区 names two counties (Lhasa's and Lanzhou's),
# 三江县 is a short form, 康定县 has been 康定市 since 2015. The numbers are synthetic.
SYNTHETIC_TABLE = (
    "县名,省份,synthetic_value\n"
    "城关区,,5.2\n"
    "平武县,四川省,3.1\n"
    "北川羌族自治县,四川省,2.0\n"
    "三江县,广西壮族自治区,4.4\n"
    "康定县,四川省,1.0\n"
)
# The wording of a provincial exit notice, with real county names.
NOTICE = "四川省人民政府批准平武县、北川羌族自治县、马边彝族自治县、屏山县、马尔康市、汶川县、理县、茂县退出贫困县。"


def metric_value(page, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]', has_text=label).first
    metric.wait_for(timeout=LOAD_TIMEOUT)
    return metric.locator('[data-testid="stMetricValue"]').inner_text().strip()


def choose(page, label: str, option_text: str) -> None:
    """Pick the option containing `option_text` in the selectbox labelled `label`."""
    box = page.get_by_role("combobox", name=label)
    for attempt in range(3):  # a rerun that lands while the list is open redraws it: open it again
        wait_idle(page)
        box.click()
        try:
            page.get_by_role("option").filter(has_text=option_text).first.click(timeout=10_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    wait_idle(page)
    assert option_text in box.input_value()


def test_upload_resolve_map_and_download(page, server, tmp_path) -> None:
    open_page(page, server, "import")
    assert_clean(page)
    upload = tmp_path / "synthetic_counties.csv"
    upload.write_text(SYNTHETIC_TABLE, encoding="utf-8")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(upload))
    page.locator('[data-testid="stMetric"]', has_text="有歧义").wait_for(timeout=LOAD_TIMEOUT)
    wait_idle(page)
    assert metric_value(page, "有歧义") == "1"
    assert metric_value(page, "匹配率") == "80.0%"
    before = canvas_image(page)
    page.screenshot(path=SHOTS / "import_uploaded.png", full_page=True)
    # Zoomed to the matched counties: the corner is a context county, the coloured ones differ from it.
    assert drawn_pixels(before) > 0.01 * before.width * before.height

    choose(page, "选择对应的县", "620102")  # Lanzhou's 城关区, not the first candidate (Lhasa's)
    page.get_by_role("button", name="确定").click()
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stMetric"]')].some(
               m => m.innerText.includes('匹配率') && m.innerText.includes('100.0%'))""",
        timeout=LOAD_TIMEOUT,
    )
    wait_idle(page)
    assert metric_value(page, "有歧义") == "0"
    after = canvas_image(page)
    assert differing_pixels(before, after) > 2000, "resolving the row did not change the map"
    assert_clean(page)
    page.screenshot(path=SHOTS / "import_resolved.png", full_page=True)

    page.get_by_role("button", name="生成文件").click()  # built on request (rows, GeoJSON: the defaults)
    ready = page.locator('[data-testid="stDownloadButton"] button', has_text="synthetic_counties_joined.geojson")
    ready.wait_for(timeout=LOAD_TIMEOUT)
    with page.expect_download(timeout=LOAD_TIMEOUT) as info:
        ready.click()
    download = info.value
    assert download.suggested_filename == "synthetic_counties_joined.geojson"
    collection = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert len(collection["features"]) == 5, "every input row is exported"
    by_name = {f["properties"]["县名"]: f for f in collection["features"]}
    resolved = by_name["城关区"]
    assert resolved["properties"]["boundary_code"] == "620102"
    assert resolved["properties"]["match_status"] == "matched"
    assert "user" in resolved["properties"]["match_method"]
    assert resolved["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert by_name["康定县"]["properties"]["boundary_code"] == "513301"
    assert collection["metadata"]["user_supplied"]["file_name"] == "synthetic_counties.csv"
    assert len(collection["metadata"]["user_supplied"]["sha256"]) == 64
    assert collection["metadata"]["match_summary"]["total"] == 5


def test_pasted_notice_shows_the_match_rate(page, server) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    open_page(page, server, "import")
    page.get_by_text("粘贴名单", exact=True).click()
    wait_idle(page)
    page.locator('[data-testid="stTextArea"] textarea').fill(NOTICE)
    page.get_by_role("button", name="匹配名单").click()
    page.locator('[data-testid="stMetric"]', has_text="匹配率").wait_for(timeout=LOAD_TIMEOUT)
    wait_idle(page)
    assert metric_value(page, "匹配率") == "100.0%"
    assert metric_value(page, "行数") == "8"
    assert_clean(page)
    page.screenshot(path=SHOTS / "import_pasted_1366.png")
    page.locator('[data-testid="stDeckGlJsonChart"]').first.scroll_into_view_if_needed()
    assert drawn_pixels(canvas_image(page)) > 0
    page.screenshot(path=SHOTS / "import_pasted_1366_map.png")
    page.screenshot(path=SHOTS / "import_pasted_1366_full.png", full_page=True)
