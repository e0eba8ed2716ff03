"""Stories in a real headless Chromium: a presenter opens the bundled story, plays it with the keys a
clicker sends, and each slide shows the year and caption it saved; a bad story file is named and
its markup stays text. Every wait is for a condition, never a fixed time."""

from __future__ import annotations

import json

import pytest
from test_browser import LOAD_TIMEOUT, SHOTS, assert_clean, canvas_image, open_page, wait_idle

from atlas.story import STORIES_DIR
from pipeline.stories import EXITS_FILE

pytestmark = pytest.mark.e2e

SLIDE_SHOWN = """([number, year]) => {
  const n = document.querySelector('[data-testid="pa-story-number"]');
  const y = document.querySelector('[data-testid="pa-year"]');
  return !!n && n.textContent.trim() === number && !!y && y.textContent.trim() === year
    && !document.querySelector('[data-testid="stStatusWidget"]');
}"""


def read_slide(page) -> dict:
    return page.evaluate(
        """() => ({
          number: document.querySelector('[data-testid="pa-story-number"]').textContent.trim(),
          year: document.querySelector('[data-testid="pa-year"]').textContent.trim(),
          caption: document.querySelector('[data-testid="pa-story-caption"]').textContent,
          path: location.pathname, query: location.search,
        })"""
    )


def open_bundled_story(page, server: str) -> None:
    open_page(page, server, "story")
    page.locator('[data-testid="stButton"] button', has_text="打开示例故事").click()
    page.wait_for_selector(".st-key-story_slide_5", timeout=LOAD_TIMEOUT)
    wait_idle(page)


def test_a_story_plays_with_the_clicker_keys(page, server) -> None:
    bundled = json.loads((STORIES_DIR / EXITS_FILE).read_text(encoding="utf-8"))["slides"]
    page.set_viewport_size({"width": 1366, "height": 768})
    open_bundled_story(page, server)
    page.screenshot(path=SHOTS / "story_page.png", full_page=True)
    page.locator(".st-key-story_play button").click()
    total = len(bundled)
    for index, slide in enumerate(bundled):
        year = slide["view"].get("year", "2020")
        if index:
            page.keyboard.press("PageDown")
        page.wait_for_function(SLIDE_SHOWN, arg=[f"{index + 1} / {total}", year], timeout=LOAD_TIMEOUT)
        shown = read_slide(page)
        assert shown["path"] == "/county_map"
        assert slide["caption"]["zh"] in shown["caption"] and slide["title"]["zh"] in shown["caption"]
        assert "present=1" in shown["query"] and "play=0" in shown["query"]
        if index in (0, total - 1):
            canvas_image(page)  # the map drawn to the end
            page.screenshot(path=SHOTS / f"story_slide_{index + 1}.png")
    page.keyboard.press("PageDown")  # past the last slide: it stays
    page.keyboard.press("PageUp")
    prior = bundled[-2]["view"]["year"]
    page.wait_for_function(SLIDE_SHOWN, arg=[f"{total - 1} / {total}", prior], timeout=LOAD_TIMEOUT)
    # One back, one forward, each seen on screen (the slide shown before the keys would pass at once).
    page.keyboard.press("ArrowLeft")
    earlier = bundled[-3]["view"].get("year", "2020")
    page.wait_for_function(SLIDE_SHOWN, arg=[f"{total - 2} / {total}", earlier], timeout=LOAD_TIMEOUT)
    page.keyboard.press("Space")
    page.wait_for_function(SLIDE_SHOWN, arg=[f"{total - 1} / {total}", prior], timeout=LOAD_TIMEOUT)
    wait_idle(page)
    assert_clean(page)
    page.locator(".st-key-story_end button").first.click()
    page.wait_for_selector(".st-key-story_slide_5", timeout=LOAD_TIMEOUT)
    assert page.locator('[data-testid="pa-story-number"]').count() == 0


def test_a_story_with_markup_plays_it_as_text_and_a_bad_file_is_named(page, server, tmp_path) -> None:
    story = json.loads((STORIES_DIR / EXITS_FILE).read_text(encoding="utf-8"))
    hostile = '<img src=x onerror="window.__injected=1"><b>粗</b> **加粗** =HYPERLINK("http://x")'
    story["slides"] = story["slides"][:2]
    story["slides"][0]["caption"]["zh"] = hostile
    good = tmp_path / "hostile.json"
    good.write_text(json.dumps(story, ensure_ascii=False), encoding="utf-8")
    bad = tmp_path / "not-a-story.json"
    bad.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    open_page(page, server, "story")
    upload = page.locator('[data-testid="stFileUploader"] input[type="file"]')
    upload.set_input_files(str(bad))
    page.get_by_text("这不是故事文件").wait_for(timeout=LOAD_TIMEOUT)
    upload.set_input_files(str(good))
    page.wait_for_selector(".st-key-story_slide_1", timeout=LOAD_TIMEOUT)
    wait_idle(page)
    page.locator(".st-key-story_play button").click()
    page.wait_for_function(SLIDE_SHOWN, arg=["1 / 2", "2015"], timeout=LOAD_TIMEOUT)
    assert hostile in read_slide(page)["caption"]
    assert page.locator('[data-testid="pa-story-caption"] img, [data-testid="pa-story-caption"] b').count() == 0
    assert page.evaluate("() => window.__injected") is None
    assert_clean(page)


def download(page, selector: str, path) -> bytes:
    wait_idle(page)
    with page.expect_download(timeout=LOAD_TIMEOUT * 3) as pending:
        page.locator(f"{selector} >> visible=true").first.click(timeout=LOAD_TIMEOUT)
    pending.value.save_as(path)
    return path.read_bytes()


def test_the_files_for_a_room_with_no_network_download(page, server, tmp_path) -> None:
    """What a presenter carries away: a story as PPTX and PDF, the county map's year play as GIF and MP4.
    Two slides of the bundled story: the files' contents are the unit tests' (tests/test_story_files*.py);
    here, that the buttons deliver them."""
    import io

    import av
    from PIL import Image
    from pptx import Presentation
    from pypdf import PdfReader

    story = json.loads((STORIES_DIR / EXITS_FILE).read_text(encoding="utf-8"))
    story["slides"] = slides = story["slides"][2:4]
    (tmp_path / "two.json").write_text(json.dumps(story, ensure_ascii=False), encoding="utf-8")
    open_page(page, server, "story")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(tmp_path / "two.json"))
    page.wait_for_selector(".st-key-story_slide_1", timeout=LOAD_TIMEOUT)
    deck = Presentation(io.BytesIO(download(page, ".st-key-story_pptx button", tmp_path / "story.pptx")))
    assert len(deck.slides) == len(slides)
    pdf = PdfReader(io.BytesIO(download(page, ".st-key-story_pdf button", tmp_path / "story.pdf")))
    assert len(pdf.pages) == len(slides)
    assert slides[1]["caption"]["zh"] in pdf.pages[1].extract_text().replace("\n", "")
    open_page(page, server, "county_map?prov=520000&year=2016")
    gif = Image.open(io.BytesIO(download(page, ".st-key-play_gif button", tmp_path / "play.gif")))
    assert gif.n_frames == 6 and gif.size == (1280, 800)
    with av.open(io.BytesIO(download(page, ".st-key-play_mp4 button", tmp_path / "play.mp4"))) as video:
        assert len(list(video.decode(video=0))) == 6
    assert_clean(page)
