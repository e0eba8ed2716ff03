"""The committed Noto Sans CJK SC subset (assets/fonts, built by `python -m pipeline.font`) for the
images' text, and the width of a text set in it (for atlas.line_break)."""

from __future__ import annotations

from functools import cache

from matplotlib.font_manager import FontProperties, get_font
from matplotlib.ft2font import LoadFlags

from atlas import line_break
from loaders.schema import FONT_PATH


@cache
def font(size: float) -> FontProperties:
    return FontProperties(fname=str(FONT_PATH), size=size)


@cache
def _advance(ch: str) -> float:
    """A character's advance in the committed font, in points at 1 pt (kerning left out)."""
    face = get_font(str(FONT_PATH))
    face.set_size(100, 72)
    return face.load_char(ord(ch), flags=LoadFlags.NO_HINTING).linearHoriAdvance / 65536 / 100


def points(size: float) -> line_break.Measure:
    """The width in points of a text set in the committed font at `size` (for atlas.line_break)."""
    return lambda text: size * sum(map(_advance, text))
