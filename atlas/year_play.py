"""The year play of a view as GIF and MP4, for a room with no network: one frame per year of its
(left) map, drawn by the map-image renderer (atlas.map_image). No Streamlit here."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import replace
from fractions import Fraction

import numpy as np

from atlas import map_image
from atlas.i18n import Lang
from atlas.slide_images import Ingredients, view_spec
from atlas.url_state import MAP_YEARS, ViewState

FRAME_PX = (1280, 800)  # even sides for H.264; a 16:10 map with room for the legend
FRAME_SECONDS = 1.5


def play_years() -> list[int]:
    return list(range(MAP_YEARS[0], MAP_YEARS[1] + 1))


def year_frames(state: ViewState, ing: Ingredients, lang: Lang, size: tuple[int, int] = FRAME_PX) -> list[np.ndarray]:
    """One frame per year of the view's (left) map, each with the big year, legend and sources."""
    single = replace(state, year2=None, layer2=None)
    return [
        map_image.render_rgb(view_spec(replace(single, year=year), ing, lang), ing.geometry, size)
        for year in play_years()
    ]


def to_gif(frames: Iterable[np.ndarray]) -> bytes:
    from PIL import Image

    images = [Image.fromarray(frame) for frame in frames]
    buffer = io.BytesIO()
    # An adaptive palette per frame: the map's few flat colours fit in 256 without dithering.
    paletted = [
        image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE) for image in images
    ]
    paletted[0].save(
        buffer,
        format="GIF",
        save_all=True,
        append_images=paletted[1:],
        duration=int(FRAME_SECONDS * 1000),
        loop=0,
        optimize=False,
    )
    return buffer.getvalue()


def to_mp4(frames: Sequence[np.ndarray]) -> bytes:
    """H.264 in MP4 (what PowerPoint and WPS play), one video frame per year, FRAME_SECONDS each."""
    import av

    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=Fraction(1) / Fraction(FRAME_SECONDS))
        height, width = frames[0].shape[:2]
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"crf": "20", "preset": "veryfast", "tune": "stillimage"}
        for frame in frames:
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return buffer.getvalue()
