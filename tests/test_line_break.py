"""Line breaking as typesetters do it (atlas.line_break, UAX #14 by uniseg) in every file: the unit rules,
then the captions, titles and sources of the bundled story and of a story with long Chinese and English
captions, read back from the PDF (pypdf) and the PPTX (python-pptx): no word or number (date, code) split
across lines, no line starting with closing punctuation or ";", none ending with opening punctuation,
every line inside its column."""

from __future__ import annotations

import io
import re

import pytest
from pptx import Presentation
from pypdf import PdfReader

from atlas import i18n, image_font, line_break, slide_images, slide_notes, story, story_pdf, story_pptx
from atlas.story import Story, Text
from atlas.url_state import ViewState
from pipeline.stories import EXITS_FILE

CLOSING = "，。、；：？！）》」』】〕〉”’,.;:?!)]}%"
OPENING = "（《「『【〔〈“‘([{"
GLUED = re.compile(r"[A-Za-z0-9\-./:]")  # the characters of words, numbers, dates and codes


def test_breaks_fall_between_words_and_numbers_never_inside() -> None:
    text = "832 poverty counties exited in 2019 (2020-05-17); 至此 832 个贫困县（全部）摘帽。"
    for width in range(16, 60):  # from the widest unbreakable piece, '(2020-05-17);'
        lines = line_break.wrap(text, width)
        assert all(line_break.half_ems(line) <= width for line in lines)
        assert_typeset(lines, text, f"width {width}")
    assert line_break.wrap("贫困县" * 4, 12) == ["贫困县贫困县", "贫困县贫困县"]
    assert line_break.wrap("abc", 10, max_lines=2) == ["abc"]
    assert line_break.wrap("first line\nsecond", 40) == ["first line", "second"]


def test_a_cut_ends_in_an_ellipsis_at_a_break_and_an_overlong_word_still_fits() -> None:
    cut = line_break.wrap("贫困县" * 10, 12, max_lines=2)
    assert cut == ["贫困县贫困县", "贫困县贫困…"]
    assert line_break.shorten("Southern Greater Khingan Mountains", 20) == "Southern Greater…"
    address = "https://example.org/" + "x" * 60
    assert all(line_break.half_ems(line) <= 20 for line in line_break.wrap(address, 20))


def compact(text: str) -> str:
    return re.sub(r"\s", "", text)


def assert_typeset(lines: list[str], original: str, where: str, whole: bool = True) -> None:
    """`lines` set `original` (whitespace aside; not `whole`: its beginning, cut with "…") with no break
    inside a word or number, none before closing punctuation and none after opening punctuation."""
    shown = compact("".join(lines))
    assert shown == compact(original) if whole else compact(original).startswith(shown.removesuffix("…")), where
    spaced = {len(compact(original[: m.start()])) for m in re.finditer(r"\s+", original)}  # breaks at spaces
    at = 0
    for left, right in zip(lines, lines[1:]):
        at += len(compact(left))
        before, after = compact(left)[-1:], compact(right)[:1]
        assert after not in CLOSING or not after, f"{where}: a line starts with {after!r}: {right!r}"
        assert before not in OPENING or not before, f"{where}: a line ends with {before!r}: {left!r}"
        hyphenated = before == "-" and after.isalpha()  # deep-/poverty: where typesetters break a compound
        split = GLUED.match(before or " ") and GLUED.match(after or " ") and at not in spaced and not hyphenated
        assert not split, f"{where}: a word or number split: {left!r} / {right!r}"


def find_lines(lines: list[str], paragraph: str) -> list[str]:
    """The consecutive lines that set `paragraph`."""
    target = compact(paragraph)
    for i in range(len(lines)):
        joined = ""
        for j in range(i, len(lines)):
            joined += compact(lines[j])
            if joined == target:
                return lines[i : j + 1]
            if not target.startswith(joined):
                break
    raise AssertionError(f"not found as whole lines: {paragraph[:60]!r} in {lines}")


LONG_ZH = (
    "2016 年至 2020 年，832 个贫困县分五批全部脱贫摘帽：其中 2019 年（第四批）344 个，"
    "2020-11-23 贵州省宣布最后 9 个县退出；县级代码如 513437、522732 与发布日期 2020-05-17 均不可拆分"
    "（见国务院扶贫办《关于贫困县退出的通知》），"
    "“三区三州”深度贫困地区于 2020 年底全部摘帽。"
)
LONG_EN = (
    "Between 2016 and 2020 all 832 poverty counties exited in five batches: 344 in 2019 (the fourth), and on "
    "2020-11-23 Guizhou announced its last nine; county codes such as 513437 and 522732 and dates such as "
    "2020-05-17 are never split (see the notice of the Leading Group Office, “On the exit of poverty counties”); "
    "the deep-poverty “three areas and three prefectures” exited by the end of 2020."
)


def long_story() -> Story:
    slides = tuple(
        story.new_slide(
            page,
            ViewState(year=2019, provinces=("510000",) if page == "county_map" else ()),
            caption=Text(LONG_ZH, LONG_EN),
        )
        for page in ("county_map", "overview")
    )
    sources = ("nbs-2019-pd-20200125", "wang-ding-2021", "guo-2020-thesis", "kangding-field-study")
    slides = (story.edited(Story(slides=slides), 0, sources=sources).slides[0], slides[1])
    return Story(Text("一个很长的故事标题，用来检验断行", "A long story title to test line breaking"), slides)


@pytest.fixture(scope="module", params=["zh", "en"])
def stories(request, atlas_ingredients):
    lang = request.param
    ing = atlas_ingredients(lang)
    built = [story.bundled()[EXITS_FILE], long_story()]
    return lang, ing, [(one, [slide_images.draw_slide(s, ing, lang) for s in one.slides]) for one in built]


def test_pdf_captions_titles_and_sources_are_typeset(stories) -> None:
    lang, ing, built = stories
    joiner = "；" if lang == "zh" else "; "
    for one, slides in built:
        reader = PdfReader(io.BytesIO(story_pdf.story_pdf(one, ing, lang, slides)))
        for n, (slide, page) in enumerate(zip(one.slides, reader.pages)):
            lines = [line for line in page.extract_text().split("\n") if line.strip()]
            where = f"{lang} PDF page {n + 1}"
            for paragraph in slide.caption.pick(lang).split("\n"):
                assert_typeset(find_lines(lines, paragraph), paragraph, where)
            title = slide_notes.slide_title(one, n, lang, ing)
            assert_typeset(find_lines(lines, title), title, where)
            if slide.sources:
                text = i18n.t("sources_short", lang) + joiner.join(ing.citations[s] for s in slide.sources)
                first = next(i for i, line in enumerate(lines) if compact(text).startswith(compact(line)))
                sources = lines[first : first + 5]
                while not compact(text).startswith(compact("".join(sources)).removesuffix("…")):
                    sources.pop()
                assert_typeset(sources, text, where, whole=False)
                for line in sources:  # inside the column: the page's right edge is not passed
                    width = image_font.points(8)(line)
                    assert width <= story_pdf.PDF_COLUMN * story_pdf.PDF_WIDTH_PT, f"{where}: {line!r}"


def test_pptx_titles_are_placeholders_and_captions_are_typeset(stories) -> None:
    lang, ing, built = stories
    for one, slides in built:
        deck = Presentation(io.BytesIO(story_pptx.story_pptx(one, ing, lang, slides)))
        for n, (slide, page) in enumerate(zip(one.slides, deck.slides)):
            where = f"{lang} PPTX slide {n + 1}"
            title = slide_notes.slide_title(one, n, lang, ing)
            assert page.shapes.title is not None and page.shapes.title.is_placeholder
            assert_typeset(re.split(r"[\v\n]", page.shapes.title.text_frame.text), title, where)
            body = page.placeholders[1].text_frame
            lines = [line for paragraph in body.paragraphs for line in paragraph.text.split("\v")]
            for paragraph in slide.caption.pick(lang).split("\n"):
                assert_typeset(find_lines(lines, paragraph), paragraph, where)
