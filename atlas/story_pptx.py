"""A story as PowerPoint (PPTX), for a room with no network: one 16:9 slide per view, its text broken
into lines by atlas.line_break and written as plain text runs (python-pptx escapes them), so HTML,
Markdown or a formula in a caption stays the characters it is. No Streamlit here."""

from __future__ import annotations

import io
from collections.abc import Sequence

from atlas import image_font, line_break
from atlas.i18n import Lang, t
from atlas.slide_images import SLIDE_IN, DrawnSlide, Ingredients, draw_slide
from atlas.slide_notes import notes_text, slide_title, view_link
from atlas.story import Story

EA_FONT = "Microsoft YaHei"  # the Chinese face PowerPoint and WPS have; the PDF embeds our own
PPTX_SAFETY = 0.9  # lines measured in our font fill this share of a box: PowerPoint's faces run wider


def story_pptx(story: Story, ing: Ingredients, lang: Lang, drawn: Sequence[DrawnSlide] | None = None) -> bytes:
    """One 16:9 slide per view: the title in the title placeholder, the map image, the caption in the body
    placeholder (what outline view, WPS and screen readers read), sources and the view's link in the notes."""
    from pptx import Presentation  # imported when a file is asked for: the app starts without it
    from pptx.util import Inches, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(SLIDE_IN[0]), Inches(SLIDE_IN[1])
    layout = deck.slide_layouts[1]  # "Title and Content": a title and a body placeholder
    drawn = drawn if drawn is not None else [draw_slide(s, ing, lang) for s in story.slides]
    for index, (slide, done) in enumerate(zip(story.slides, drawn)):
        page = deck.slides.add_slide(layout)
        title, body = page.shapes.title, page.placeholders[1]
        _place(title, Inches(0.4), Inches(0.2), Inches(12.5), Inches(0.9))
        _set_text(title.text_frame, slide_title(story, index, lang, ing), Pt(28), 12.5 - 0.2, max_lines=2)
        page.shapes.add_picture(io.BytesIO(done.png), Inches(0.3), Inches(1.15), height=Inches(5.85))
        _place(body, Inches(9.85), Inches(1.3), Inches(3.2), Inches(5.6))
        _set_text(body.text_frame, slide.caption.pick(lang), Pt(16), 3.2 - 0.2)
        footer = f"{story.title.pick(lang) or t('story_untitled', lang)} · {index + 1} / {len(story.slides)}"
        box = page.shapes.add_textbox(Inches(0.4), Inches(7.05), Inches(12.5), Inches(0.35))
        _set_text(box.text_frame, footer, Pt(10), 12.5 - 0.2, max_lines=1)
        _notes(page.notes_slide.notes_text_frame, notes_text(slide, done.picture, ing, lang), view_link(slide))
    deck.core_properties.title = story.title.pick(lang)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _notes(frame, text: str, link: str) -> None:
    """The speaker notes, the view's address a hyperlink (clicked in the presenter view, it opens the view)."""
    frame.text = text
    for paragraph in frame.paragraphs:
        if paragraph.text.endswith(link):
            paragraph.text = paragraph.text.removesuffix(link)
            run = paragraph.add_run()
            run.text = link
            run.hyperlink.address = link


def _place(shape, left, top, width, height) -> None:
    shape.left, shape.top, shape.width, shape.height = left, top, width, height


def _set_text(frame, text: str, size, width_in: float, max_lines: int | None = None) -> None:
    """`text` in the frame, broken as atlas.line_break breaks it (each line ends in a line break, so the
    reader's own wrapping has nothing left to break), with the line-breaking rules of East Asian type on."""
    from pptx.oxml.ns import qn

    frame.word_wrap = True
    width_pt, measure = width_in * 72 * PPTX_SAFETY, image_font.points(size.pt)
    paragraphs = [line_break.wrap(part, width_pt, measure) for part in text.split("\n")]
    if max_lines is not None and sum(map(len, paragraphs)) > max_lines:
        paragraphs = [line_break.wrap(" ".join(text.split("\n")), width_pt, measure, max_lines)]
    for i, wrapped in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        properties = paragraph._p.get_or_add_pPr()
        properties.set("marL", "0")
        properties.set("indent", "0")
        for name, value in (("eaLnBrk", "1"), ("latinLnBrk", "0"), ("hangingPunct", "1")):
            properties.set(name, value)
        properties.insert(0, properties.makeelement(qn("a:buNone"), {}))  # a caption, not a bulleted list
        for j, line in enumerate(wrapped):
            if j:
                paragraph.add_line_break()
            run = paragraph.add_run()
            run.text = line
            run.font.size = size
            run_properties = run._r.get_or_add_rPr()  # holds only the size: the east-Asian face may follow
            run_properties.append(run_properties.makeelement(qn("a:ea"), {"typeface": EA_FONT}))
