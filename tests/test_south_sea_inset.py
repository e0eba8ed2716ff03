"""Every national map image carries the South China Sea islands (南海诸岛) and the maritime line in a
lower-right inset (atlas.image_geometry), in every file a story or a year play becomes (PNG, PPTX, PDF, GIF,
MP4) and in both languages: the inset's box is drawn (islands, line, frame, name), not background, and
the main map below Hainan is left blank rather than cut islands at its edge. On the embedded data."""

from __future__ import annotations

import io
import re

import av
import numpy as np
import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

from atlas import image_geometry, image_spec, map_image, slide_images, story, story_pdf, story_pptx, year_play
from atlas.url_state import ViewState
from pipeline.stories import EXITS_FILE


def inset_box(spec: image_spec.ImageSpec, geometry: image_geometry.ImageGeometry) -> tuple[float, float, float, float]:
    """The inset's box as fractions of the image (left, top, right, bottom), read from the drawn figure."""
    fig = map_image.figure(spec, geometry)
    (main,) = [ax for ax in fig.axes if ax.child_axes]
    fig.canvas.draw() if hasattr(fig.canvas, "draw") else None
    x0, y0, x1, y1 = main.child_axes[0].get_window_extent().extents
    width, height = fig.bbox.width, fig.bbox.height
    return x0 / width, 1 - y1 / height, x1 / width, 1 - y0 / height


def assert_inset_drawn(image: np.ndarray, box: tuple[float, float, float, float], what: str) -> None:
    height, width = image.shape[:2]
    left, top, right, bottom = (round(f * s) for f, s in zip(box, (width, height, width, height)))
    inner = image[top + 3 : bottom - 3, left + 3 : right - 3].astype(int)
    grey = inner.mean(axis=2)
    assert (grey < 235).mean() > 0.03, f"{what}: the inset is background"  # land, islands, coast
    assert (grey < 110).sum() > 60 * width / 1600, f"{what}: no dark line (maritime line, outlines, name)"
    frame = image[top - 1 : top + 2, left + 5 : right - 5].astype(int).mean(axis=2)
    assert (frame.min(axis=0) < 200).mean() > 0.9, f"{what}: the inset's frame is not drawn"


@pytest.fixture(scope="module", params=["zh", "en"])
def drawn(request, atlas_ingredients):
    lang = request.param
    ing = atlas_ingredients(lang)
    built = story.bundled()[EXITS_FILE]
    return lang, ing, built, [slide_images.draw_slide(slide, ing, lang) for slide in built.slides]


def test_every_slide_image_pptx_and_pdf_picture_has_the_inset(drawn) -> None:
    lang, ing, built, slides = drawn
    boxes = [inset_box(done.picture.spec, ing.geometry) for done in slides]
    for n, (done, box) in enumerate(zip(slides, boxes), start=1):
        assert_inset_drawn(np.asarray(Image.open(io.BytesIO(done.png)).convert("RGB")), box, f"{lang} slide {n} PNG")
    deck = Presentation(io.BytesIO(story_pptx.story_pptx(built, ing, lang, slides)))
    for n, (page, box) in enumerate(zip(deck.slides, boxes), start=1):
        (picture,) = [s for s in page.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        image = np.asarray(Image.open(io.BytesIO(picture.image.blob)).convert("RGB"))
        assert_inset_drawn(image, box, f"{lang} PPTX slide {n}")
    reader = PdfReader(io.BytesIO(story_pdf.story_pdf(built, ing, lang, slides)))
    for n, (page, box) in enumerate(zip(reader.pages, boxes), start=1):
        drawn_here = {name.decode() for name in re.findall(rb"/(\w+) Do", page.get_contents().get_data())}
        (embedded,) = [image.image for image in page.images if image.name.split(".")[0] in drawn_here]
        upright = np.flipud(np.asarray(embedded.convert("RGB")))  # stored bottom row first; the page flips it
        assert_inset_drawn(upright, box, f"{lang} PDF page {n}")


def test_every_frame_of_the_gif_and_mp4_has_the_inset(drawn) -> None:
    lang, ing, _, _ = drawn
    view = ViewState()
    frames = year_play.year_frames(view, ing, lang)
    box = inset_box(slide_images.view_spec(view, ing, lang), ing.geometry)
    gif = Image.open(io.BytesIO(year_play.to_gif(frames)))
    for n in range(gif.n_frames):
        gif.seek(n)
        assert_inset_drawn(np.asarray(gif.convert("RGB")), box, f"{lang} GIF frame {n}")
    with av.open(io.BytesIO(year_play.to_mp4(frames))) as video:
        for n, frame in enumerate(video.decode(video=0)):
            assert_inset_drawn(frame.to_ndarray(format="rgb24"), box, f"{lang} MP4 frame {n}")


def test_the_main_map_stops_below_hainan_and_a_province_map_has_no_inset(drawn) -> None:
    lang, ing, built, slides = drawn
    spec = slides[0].picture.spec
    fig = map_image.figure(spec, ing.geometry)
    (main,) = [ax for ax in fig.axes if ax.child_axes]
    left, bottom, right, _ = main.get_window_extent().extents
    inset_left = main.child_axes[0].get_window_extent().x0
    image = np.asarray(Image.open(io.BytesIO(slides[0].png)).convert("RGB")).astype(int)
    strip = image[round(1000 - bottom) - 12 : round(1000 - bottom), round(left) : round(inset_left) - 2]
    assert strip.min() > 240, "islands cut at the main map's bottom edge"
    sichuan = ViewState(provinces=("510000",))
    fig = map_image.figure(slide_images.view_spec(sichuan, ing, lang), ing.geometry)
    assert not any(ax.child_axes for ax in fig.axes)
