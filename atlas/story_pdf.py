"""A story as PDF, for a room with no network: 16:9 pages, one per slide, text in the embedded CJK font
broken into lines by atlas.line_break; matplotlib gets `parse_math=False`, so HTML, Markdown or a formula
in a caption stays the characters it is. No Streamlit here."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib
import numpy as np
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from atlas import image_font, line_break
from atlas.i18n import Lang, t
from atlas.slide_images import SLIDE_IN, DrawnSlide, Ingredients, draw_slide, slide_ingredients
from atlas.slide_notes import slide_title
from atlas.story import Story

PDF_WIDTH_PT = SLIDE_IN[0] * 72
PDF_COLUMN = 0.98 - 0.745  # the caption's column, a share of the page's width


def story_pdf(story: Story, ing: Ingredients, lang: Lang, drawn: Sequence[DrawnSlide] | None = None) -> bytes:
    """16:9 pages, one per slide; text in the embedded CJK font, so it can be selected and copied.

    The font goes in as Type 3 with a Unicode map: our subset has CFF outlines, which Type 42 would
    declare as TrueType (a mismatch some readers refuse)."""
    from PIL import Image

    drawn = drawn if drawn is not None else [draw_slide(s, ing, lang) for s in story.slides]
    buffer = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": 3}), PdfPages(buffer, metadata=_pdf_metadata(story, lang)) as pdf:
        for index, (slide, done) in enumerate(zip(story.slides, drawn)):
            fig = Figure(figsize=SLIDE_IN, dpi=100, facecolor="white")
            title = line_break.wrap(slide_title(story, index, lang, ing), 0.94 * PDF_WIDTH_PT, image_font.points(26))
            size = 26 if len(title) == 1 else 20  # a long title on two smaller lines
            title = line_break.wrap(" ".join(title), 0.94 * PDF_WIDTH_PT, image_font.points(size), 2)
            _plain(fig, 0.03, 0.955, "\n".join(title), size, va="top")
            ax = fig.add_axes((0.02, 0.07, 0.71, 0.8))
            ax.imshow(np.asarray(Image.open(io.BytesIO(done.png)).convert("RGB")), interpolation="none")
            ax.set_axis_off()
            column = PDF_COLUMN * PDF_WIDTH_PT
            caption = line_break.wrap(slide.caption.pick(lang), column, image_font.points(15), 20)
            _plain(fig, 0.745, 0.85, "\n".join(caption), 15, va="top", linespacing=1.5)
            footer = f"{story.title.pick(lang) or t('story_untitled', lang)} · {index + 1} / {len(story.slides)}"
            _plain(fig, 0.03, 0.02, footer, 10, color="#555555")
            cited = [ing.citations.get(s, s) for s in slide.sources] + list(slide_ingredients(slide, ing)[1])
            if cited:
                text = t("sources_short", lang) + ("；" if lang == "zh" else "; ").join(cited)
                lines = line_break.wrap(text, column, image_font.points(8), 5)
                _plain(fig, 0.745, 0.06, "\n".join(lines), 8, color="#444444", va="bottom")
            pdf.savefig(fig)
    return buffer.getvalue()


def _plain(fig: Figure, x: float, y: float, text: str, size: float, **style) -> None:
    fig.text(x, y, text, fontproperties=image_font.font(size), parse_math=False, **style)


def _pdf_metadata(story: Story, lang: Lang) -> dict[str, object]:
    return {"Title": story.title.pick(lang), "Creator": t("app_title", lang), "CreationDate": None}
