"""Files for a room with no network (atlas.story_files), read back as a person's software would:
the PPTX with python-pptx (slides, pictures, notes), the PDF with pypdf (pages, 16:9, the Chinese
caption as text), the GIF with Pillow and the MP4 with PyAV (one frame per year, the expected size).
Drawn from the synthetic fixtures (made-up counties), so they are quick."""

from __future__ import annotations

import io

import av
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

from atlas import map_image, story, story_files
from atlas.story import Story, Text
from atlas.url_state import MAP_YEARS, ViewState

HOSTILE = '<img src=x onerror=alert(1)> **粗体** =HYPERLINK("http://x") $x^2$'


@pytest.fixture
def ingredients(synthetic_poverty: pd.DataFrame, synthetic_boundaries: gpd.GeoDataFrame) -> story_files.Ingredients:
    provinces = synthetic_boundaries.dissolve("province_code").reset_index()
    country = gpd.GeoDataFrame(geometry=[synthetic_boundaries.union_all()], crs=synthetic_boundaries.crs)
    geometry = map_image.prepare(synthetic_boundaries, provinces, country)
    return story_files.Ingredients(
        synthetic_poverty, geometry, {"510000": "四川省"}, {"wumeng": "乌蒙山区"}, {"synthetic-a": "合成来源甲"}
    )


def six_slides() -> Story:
    slides = tuple(
        story.new_slide(
            "county_map" if year != 2017 else "trends",
            ViewState(year=year, layer="status", provinces=("510000",) if year == 2018 else ()),
            Text(f"{year} 年", f"Year {year}"),
            Text(f"{year} 年的说明：第二行\n{HOSTILE}", f"Caption of {year}"),
        )
        for year in range(2015, 2021)
    )
    slides = tuple(story.edited(Story(slides=slides), 1, sources=("synthetic-a",)).slides)
    return Story(Text("测试故事", "Test story"), slides)


def test_pptx_has_one_slide_per_view_with_picture_title_caption_and_notes(ingredients) -> None:
    deck = Presentation(io.BytesIO(story_files.story_pptx(six_slides(), ingredients, "zh")))
    assert len(deck.slides) == 6
    assert round(deck.slide_width / deck.slide_height, 2) == round(16 / 9, 2)
    for year, slide in zip(range(2015, 2021), deck.slides):
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1
        image = Image.open(io.BytesIO(pictures[0].image.blob))
        assert image.size == story_files.SLIDE_IMAGE_PX
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        assert f"{year} 年" in texts
        assert f"{year} 年的说明：第二行\n{HOSTILE}" in texts  # markup and formulas are plain text
        notes = slide.notes_slide.notes_text_frame.text
        assert notes.startswith(f"{year} 年的说明") and "来源：" in notes and "synthetic-b" in notes
    assert "合成来源甲" in deck.slides[1].notes_slide.notes_text_frame.text
    assert "trends" in deck.slides[2].notes_slide.notes_text_frame.text  # another page: said so
    assert "prov=510000" in deck.slides[3].notes_slide.notes_text_frame.text


def test_pdf_is_16_9_one_page_per_slide_with_the_chinese_caption_as_text(ingredients) -> None:
    reader = PdfReader(io.BytesIO(story_files.story_pdf(six_slides(), ingredients, "zh")))
    assert len(reader.pages) == 6
    for year, page in zip(range(2015, 2021), reader.pages):
        box = page.mediabox
        assert round(float(box.width) / float(box.height), 2) == round(16 / 9, 2)
        text = page.extract_text()
        assert f"{year} 年的说明：第二行" in text
        assert "=HYPERLINK(" in text and "$x^2$" in text and "<img" in text  # as written, not rendered
    assert "合成来源甲" in reader.pages[1].extract_text()
    assert reader.metadata.title == "测试故事"


def test_english_files_take_the_english_texts(ingredients) -> None:
    reader = PdfReader(io.BytesIO(story_files.story_pdf(six_slides(), ingredients, "en")))
    assert "Caption of 2016" in reader.pages[1].extract_text()
    deck = Presentation(io.BytesIO(story_files.story_pptx(six_slides(), ingredients, "en")))
    assert "Year 2020" in [s.text_frame.text for s in deck.slides[5].shapes if s.has_text_frame]


def frames_of(ingredients) -> list[np.ndarray]:
    return story_files.year_frames(ViewState(layer="status", year2=2016), ingredients, "zh", (640, 400))


def test_gif_has_one_frame_per_year_that_differ(ingredients) -> None:
    gif = Image.open(io.BytesIO(story_files.to_gif(frames_of(ingredients))))
    years = story_files.play_years()
    assert years == list(range(MAP_YEARS[0], MAP_YEARS[1] + 1))
    assert gif.n_frames == len(years) and gif.size == (640, 400)
    assert gif.info["loop"] == 0 and gif.info["duration"] == story_files.FRAME_SECONDS * 1000
    seen = []
    for index in range(gif.n_frames):
        gif.seek(index)
        seen.append(np.asarray(gif.convert("RGB")).copy())
    assert all(not np.array_equal(a, b) for a, b in zip(seen, seen[1:]))  # the big year changes


def test_mp4_has_one_frame_per_year(ingredients) -> None:
    with av.open(io.BytesIO(story_files.to_mp4(frames_of(ingredients)))) as video:
        stream = video.streams.video[0]
        assert stream.codec_context.name == "h264"
        frames = list(video.decode(stream))
    assert len(frames) == len(story_files.play_years())
    assert (frames[0].width, frames[0].height) == (640, 400)
    seconds = float(frames[-1].pts * stream.time_base) + story_files.FRAME_SECONDS
    assert seconds == pytest.approx(len(frames) * story_files.FRAME_SECONDS)
