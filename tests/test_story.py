"""Stories (atlas.story): the file and link forms, editing, and every kind of bad story input."""

from __future__ import annotations

import hashlib
import json

import pytest

from atlas import story
from atlas.i18n import LANGS
from atlas.story import MAX_SLIDES, Problem, Story, Text
from atlas.url_state import STORY_TOKEN_MAX, ViewState, Vocabulary, parse
from pipeline import stories as build_stories

VOCAB = Vocabulary(provinces=frozenset({"520000", "510000"}), sources=frozenset({"src-a", "src-b"}))


def a_story(n: int = 3) -> Story:
    slides = tuple(
        story.new_slide(
            "county_map",
            ViewState(year=2015 + i, layer="exit", provinces=("520000",), present=True, play=True),
            Text(f"第{i}张", f"Slide {i}"),
            Text(f"说明 {i}", f"Caption {i}"),
        )
        for i in range(n)
    )
    return Story(Text("测试故事", "Test story"), slides)


def keys(loaded: story.Loaded) -> list[str]:
    return [p.key for p in loaded.errors]


def test_a_slide_keeps_the_view_without_playing_state() -> None:
    slide = a_story(1).slides[0]
    assert (slide.view.present, slide.view.play, slide.view.year) == (False, None, 2015)
    played = story.played_view(slide, "en")
    assert (played.present, played.play, played.year, played.layer) == (True, False, 2015, "exit")
    assert played.lang == "en" and played.provinces == ("520000",)


def test_a_story_in_the_url_is_checked_like_any_parameter() -> None:
    assert parse({"story": "<script>alert(1)</script>"}).notices
    assert parse({"story": "A" * (STORY_TOKEN_MAX + 1)}).notices == ("'story' is too long",)


def test_the_file_round_trips() -> None:
    original = a_story()
    text = story.to_json(original)
    assert "测试故事" in text  # Chinese as written, not \u escapes
    loaded = story.load(text.encode("utf-8"), VOCAB)
    assert loaded.errors == () and loaded.warnings == ()
    assert loaded.story == original


def test_the_view_is_written_by_the_url_encoder() -> None:
    document = json.loads(story.to_json(a_story(1)))
    assert document["slides"][0]["view"] == {"year": "2015", "layer": "exit", "prov": "520000"}
    assert parse(document["slides"][0]["view"]).state == a_story(1).slides[0].view


def test_the_link_form_round_trips_and_is_a_valid_url_parameter() -> None:
    original = a_story()
    token = story.to_token(original)
    assert token is not None and len(token) <= STORY_TOKEN_MAX
    result = parse({"story": token})
    assert result.notices == () and result.state.story == token
    assert story.from_token(token, VOCAB).story == original


def test_a_long_story_has_no_link_form() -> None:
    captions = [hashlib.sha256(str(i).encode()).hexdigest() * 3 for i in range(40)]  # text that does not compress
    long = Story(Text("x"), tuple(story.new_slide("county_map", ViewState(), Text(c, c[::-1])) for c in captions))
    assert story.to_token(long) is None


def test_a_bad_link_names_the_problem() -> None:
    assert keys(story.from_token("!!!not base64")) == ["story_err_token"]
    assert keys(story.from_token("AAAA")) == ["story_err_token"]


def test_editing() -> None:
    s = a_story(3)
    moved = story.moved(s, 0, 1)
    assert [x.title.en for x in moved.slides] == ["Slide 1", "Slide 0", "Slide 2"]
    assert story.moved(s, 0, -1) == s  # the first cannot move up
    assert story.moved(s, 2, 1) == s
    assert [x.title.en for x in story.removed(s, 1).slides] == ["Slide 0", "Slide 2"]
    assert story.edited(s, 2, caption=Text("新", "new")).slides[2].caption == Text("新", "new")
    extra = story.new_slide("trends", ViewState(theme="funds"))
    assert story.appended(s, extra).slides[-1].page == "trends"
    full = Story(slides=tuple([extra] * MAX_SLIDES))
    assert story.appended(full, extra) == full
    with pytest.raises(ValueError):
        story.new_slide("export", ViewState())


def document(**slide_changes: object) -> dict:
    doc = json.loads(story.to_json(a_story(2)))
    doc["slides"][1].update(slide_changes)
    return doc


def load_doc(doc: object) -> story.Loaded:
    return story.load(json.dumps(doc, ensure_ascii=False).encode("utf-8"), VOCAB)


@pytest.mark.parametrize(
    ("doc", "key", "names"),
    [
        (document(page="dashboard"), "story_err_page", "dashboard"),
        (document(page="export"), "story_err_page", "export"),
        (document(view={"year": "2031"}), "story_err_params", "year=2031"),
        (document(view={"prov": "999999"}), "story_err_params", "prov=999999"),
        (document(view={"colour": "red"}), "story_err_params", "colour"),
        (document(view={"year": 2016}), "story_err_view", ""),
        (document(view=["year", "2016"]), "story_err_view", ""),
        (document(sources=["src-a", "nope"]), "story_err_source_ids", "nope"),
        (document(sources="src-a"), "story_err_sources", ""),
        (document(title=["a"]), "story_err_text", ""),
        ({"format": "poverty-atlas-story", "version": 1, "slides": ["x"]}, "story_err_slide", ""),
        ({"format": "poverty-atlas-story", "version": 1}, "story_err_slides", ""),
        ({"format": "poverty-atlas-story", "version": 2, "slides": []}, "story_err_newer", "2"),
        ({"format": "poverty-atlas-story", "version": "1", "slides": []}, "story_err_version", "1"),
        ({"format": "poverty-atlas-story", "version": True, "slides": []}, "story_err_version", "true"),
        ({"type": "FeatureCollection", "features": []}, "story_err_format", ""),
        ([1, 2, 3], "story_err_format", ""),
    ],
)
def test_bad_stories_are_refused_naming_what_was_wrong(doc: object, key: str, names: str) -> None:
    loaded = load_doc(doc)
    assert loaded.story is None
    assert key in keys(loaded)
    for lang in LANGS:
        text = " ".join(story.describe(loaded.errors, lang))
        assert names in text
        number = loaded.errors[0].values.get("n")
        if number:
            assert str(number) in text  # the slide's number


def test_thousands_of_slides_are_refused_before_reading_them() -> None:
    doc = json.loads(story.to_json(a_story(1)))
    doc["slides"] = [{"page": "county_map"}] * 5000
    loaded = load_doc(doc)
    assert keys(loaded) == ["story_err_many"]
    assert "5000" in story.describe(loaded.errors, "en")[0]
    doc["slides"] = [doc["slides"][0]] * 50_000  # larger still: refused by its size
    assert keys(load_doc(doc)) == ["story_err_size"]


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ("脱贫摘帽".encode("gb18030"), "story_err_encoding"),
        (b'{"format": "poverty-atlas-story",', "story_err_json"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "story_err_encoding"),
        (b"code,name\n520000,Guizhou\n", "story_err_json"),
        (b"[" * 100_000 + b"]" * 100_000, "story_err_json"),
        (b" " * (story.MAX_FILE_BYTES + 1), "story_err_size"),
    ],
)
def test_a_file_that_is_not_a_story(data: bytes, key: str) -> None:
    loaded = story.load(data, VOCAB)
    assert loaded.story is None and keys(loaded) == [key]
    assert all(story.describe(loaded.errors, lang) for lang in LANGS)


def test_a_file_with_a_byte_order_mark_reads() -> None:
    assert story.load("\ufeff".encode() + story.to_json(a_story()).encode(), VOCAB).story == a_story()


HOSTILE = [
    "<script>alert(1)</script><img src=x onerror=alert(2)>",
    "**bold** [link](javascript:alert(1)) ![](http://x/y.png)",
    '=HYPERLINK("http://evil/","click")',
    "+1+1",
    "@SUM(A1)",
    "$x^2$ \\frac{1}{2}",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_markup_and_formulas_are_kept_as_text(text: str) -> None:
    doc = document(caption={"zh": text, "en": text}, title=text)
    loaded = load_doc(doc)
    assert loaded.errors == () and loaded.warnings == ()
    assert loaded.story.slides[1].caption == Text(text, text)
    assert loaded.story.slides[1].title == Text(text, text)


def test_control_characters_and_overlong_text_are_named() -> None:
    doc = document(caption={"zh": "a\x00b\u2028c", "en": "x" * (story.MAX_CAPTION + 50)})
    loaded = load_doc(doc)
    assert loaded.story is not None
    assert loaded.story.slides[1].caption == Text("abc", "x" * story.MAX_CAPTION)
    assert [p.key for p in loaded.warnings] == ["story_warn_control", "story_warn_cut"]
    assert story.describe(loaded.warnings, "en")[1].startswith("The caption of slide 2 was longer")
    assert story.describe(loaded.warnings, "zh")[0] == "第 2 张幻灯片的说明中的控制字符已删除"


def test_one_text_for_both_languages_and_missing_texts() -> None:
    doc = document(title="只有一种", caption=None)
    loaded = load_doc(doc)
    assert loaded.story.slides[1].title == Text("只有一种", "只有一种")
    assert loaded.story.slides[1].caption == Text()


def test_problem_messages_exist_in_both_languages() -> None:
    for key in ("story_err_page", "story_err_params", "story_err_many", "story_err_format"):
        values = {"n": 3, "page": "p", "pages": "q", "notices": "r", "max": 60}
        for lang in LANGS:
            assert story.describe([Problem(key, values)], lang)[0]


def test_the_bundled_stories_are_built_from_the_data() -> None:
    """Rebuilding the bundled stories from geodata/ gives the committed files, byte for byte."""
    for name, text in build_stories.build().items():
        assert (story.STORIES_DIR / name).read_text(encoding="utf-8") == text, (
            f"run python -m pipeline.stories ({name})"
        )


def test_the_exits_story_counts_match_the_table() -> None:
    import pandas as pd

    from loaders.schema import GEODATA

    poverty = pd.read_csv(GEODATA / "poverty_counties.csv", dtype=str)
    loaded = story.bundled()[build_stories.EXITS_FILE]
    assert len(loaded.slides) == 6
    for slide in loaded.slides[1:]:
        year = slide.view.year
        count = int((poverty["exit_year"] == str(year)).sum())
        assert slide.caption.zh.startswith(f"{year} 年，{count} 个贫困县脱贫摘帽")
        assert f"In {year}, {count} poverty counties exited" in slide.caption.en
        assert slide.sources
    assert "832" in loaded.slides[0].caption.zh and "832" in loaded.slides[-1].caption.zh


def test_a_slide_keeps_only_its_pages_settings() -> None:
    seen = ViewState(
        lang="en",
        year=2019,
        county="513437",
        view=(28.2, 103.1, 7.0),
        provinces=("510000",),
        theme="funds",
        variant="2010 rural standard",
        area_unit="wumeng",
        source="src-a",
        basemap=True,
    )
    trends = story.new_slide("trends", seen).view
    assert trends == ViewState(lang="en", basemap=True, theme="funds", variant="2010 rural standard")
    areas = story.new_slide("areas", seen).view
    assert areas == ViewState(lang="en", basemap=True, area_unit="wumeng")
    county_map = story.new_slide("county_map", seen).view
    assert (county_map.county, county_map.provinces, county_map.year, county_map.theme) == (
        "513437",
        ("510000",),
        2019,
        "incidence",
    )
    assert story.new_slide("overview", seen).view == ViewState(lang="en", basemap=True)
    # A story file read back drops another page's settings too (an Areas slide kept county=... before)
    document = json.loads(story.to_json(Story(slides=(story.Slide("areas", seen),))))
    known = Vocabulary(areas=frozenset({"wumeng"}), variants=frozenset({"2010 rural standard"}))
    assert story.load(json.dumps(document), known).story.slides[0].view == areas


def test_a_new_slide_is_titled_from_its_view_in_both_languages() -> None:
    names = {
        "zh": {"510000": "四川省", "513437": "雷波县", "wumeng": "乌蒙山区"},
        "en": {"510000": "Sichuan", "513437": "Leibo County", "wumeng": "Wumeng Mountains"},
    }
    slide = story.new_slide("county_map", ViewState(year=2019, layer="exit", provinces=("510000",)), names=names)
    assert slide.title == Text("县级地图 · 摘帽批次 · 2019 · 四川省", "County map · Exit batch · 2019 · Sichuan")
    county = story.new_slide("county_map", ViewState(year=2017, county="513437"), names=names)
    assert county.title.en == "County map · Status at year end · 2017 · Leibo County"
    compared = story.new_slide("county_map", ViewState(year=2016, year2=2020), names=names)
    assert compared.title.zh == "县级地图 · 年末状态 · 2016 / 2020"
    assert story.new_slide("areas", ViewState(area_unit="wumeng"), names=names).title.zh == "片区与三区三州 · 乌蒙山区"
    trends = story.new_slide(
        "trends", ViewState(theme="incidence", measure="incidence_pct", series_year=2016, level="province"), names=names
    )
    assert trends.title.en == "Trends · Poverty incidence · 2016 · Province"
    assert story.new_slide("overview", ViewState(), Text("自定", "Own")).title == Text("自定", "Own")  # editable
