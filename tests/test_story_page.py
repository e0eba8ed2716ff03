"""The Story page run headless (streamlit.testing): open the bundled story, edit and reorder it, the
link form in the URL, a hostile link, and the sidebar button that adds a view from another page."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest
from test_app import APP, TIMEOUT, no_failures, run

from atlas import story
from atlas.ui.story_play import LAST_PAGE
from pipeline.stories import EXITS_FILE


def open_bundled():
    at = run("pages/story.py")
    next(b for b in at.button if b.label == "打开示例故事").click().run()
    no_failures(at)
    return at


def captions(at) -> list[str]:
    return [a.value for a in at.text_area if a.key.startswith("story_caption_zh_")]


def test_the_bundled_story_opens_with_its_six_slides_and_a_link() -> None:
    at = open_bundled()
    bundled = story.bundled()[EXITS_FILE]
    assert captions(at) == [s.caption.zh for s in bundled.slides]
    assert any("脱贫摘帽 2016–2020" in s.value for s in at.success)
    token = at.query_params["story"][0] if isinstance(at.query_params["story"], list) else at.query_params["story"]
    assert story.from_token(token).story == bundled


def test_reorder_remove_and_edit() -> None:
    at = open_bundled()
    first, second = captions(at)[:2]
    next(b for b in at.button if b.key == "story_down_0").click().run()
    assert captions(at)[:2] == [second, first]
    next(b for b in at.button if b.key == "story_remove_0").click().run()
    assert len(captions(at)) == 5 and captions(at)[0] == first
    area = next(a for a in at.text_area if a.key.startswith("story_caption_en_0_"))
    area.set_value("<b>new</b> =SUM(A1)").run()
    no_failures(at)
    assert at.session_state["story"].slides[0].caption.en == "<b>new</b> =SUM(A1)"


def open_link(**params: str) -> AppTest:
    """A story link opened in a new tab: the Story page is the session's first page."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page("pages/story.py")
    return at.run()


def test_a_story_link_opens_and_a_broken_one_is_named() -> None:
    at = open_link(story="bm90LWEtc3Rvcnk")
    assert not at.exception
    assert any("链接中的故事无法读取" in e.value for e in at.error)
    hostile = story.Text("<img src=x onerror=alert(1)>", "**x** =SUM(A1)")
    shared = story.Story(hostile, (story.new_slide("county_map", story.ViewState(year=2018), hostile, hostile),))
    at = open_link(story=story.to_token(shared), lang="en")
    no_failures(at)
    assert any("Opened the story" in s.value for s in at.success)
    assert at.session_state["story"] == shared


def test_the_sidebar_button_adds_the_current_view() -> None:
    at = run("pages/county_map.py", year="2017", layer="exit")
    next(b for b in at.button if b.key == "story_add").click().run()
    no_failures(at)
    slides = at.session_state["story"].slides
    assert len(slides) == 1 and slides[0].page == "county_map"
    assert (slides[0].view.year, slides[0].view.layer) == (2017, "exit")
    assert slides[0].title == story.Text("县级地图 · 摘帽批次 · 2017", "County map · Exit batch · 2017")  # its view


def test_presenter_mode_adds_the_view_in_words_with_only_its_pages_settings() -> None:
    at = run("pages/areas.py", present="1", unit="wumeng", year="2019", county="513437")
    next(b for b in at.button if b.key == "story_add_present").click().run()
    no_failures(at)
    (slide,) = at.session_state["story"].slides
    assert slide.page == "areas" and slide.view == story.ViewState(area_unit="wumeng")  # no county, no year
    assert slide.title == story.Text("片区与三区三州 · 乌蒙山区", "Areas · Wumeng Mountain Area")
    at = run("pages/story.py")
    at.session_state["story"] = story.Story()
    at.session_state[LAST_PAGE] = "areas"
    at.run()
    assert any(b.label == "加入刚才查看的视图：片区与三区三州" for b in at.button)  # words, not parameters


def test_a_story_plays_across_pages_and_ends_on_the_story_page() -> None:
    slides = (
        story.new_slide("trends", story.ViewState(theme="funds", lang="en"), story.Text("趋势", "Trends")),
        story.new_slide("overview", story.ViewState(), story.Text("概览", "Overview"), story.Text("<b>x</b>", "y")),
    )
    at = run("pages/story.py")
    at.session_state["story"] = story.Story(slides=slides)
    at.run()
    next(b for b in at.button if b.key == "story_play").click().run()
    no_failures(at)
    bar = " ".join(h.proto.body for h in at.get("html"))
    assert "1 / 2" in bar and "趋势" in bar  # played in the language it was started in
    assert at.session_state["view"].theme == "funds" and at.session_state["view"].lang == "zh"
    next(b for b in at.button if b.key == "story_next").click().run()
    no_failures(at)
    bar = " ".join(h.proto.body for h in at.get("html"))
    assert "2 / 2" in bar and "&lt;b&gt;x&lt;/b&gt;" in bar and "<b>x</b>" not in bar
    next(b for b in at.button if b.key == "story_end").click().run()
    no_failures(at)
    assert not at.session_state["view"].present
    assert any(b.key == "story_play" for b in at.button)
