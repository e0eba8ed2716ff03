"""Files for a room with no network (atlas.story_pptx, atlas.story_pdf, atlas.year_play), read back as
a person's software would: the PPTX with python-pptx (slides, pictures, notes), the PDF with pypdf
(pages, 16:9, the Chinese caption as text), the GIF with Pillow and the MP4 with PyAV (one frame per
year, the expected size).
Drawn from the synthetic fixtures (made-up counties), so they are quick."""

from __future__ import annotations

import io
from dataclasses import replace

import av
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

from atlas import image_geometry, map_image, slide_images, slide_notes, story, story_pdf, story_pptx, year_play
from atlas.colours import HIGHLIGHT_LINE, NODATA_RGBA, blend
from atlas.lod import MAP_PX
from atlas.story import Story, Text
from atlas.url_state import MAP_YEARS, ViewState
from loaders.geometry import view_bounds

HOSTILE = '<img src=x onerror=alert(1)> **粗体** =HYPERLINK("http://x") $x^2$'


@pytest.fixture
def ingredients(synthetic_poverty: pd.DataFrame, synthetic_boundaries: gpd.GeoDataFrame) -> slide_images.Ingredients:
    provinces = synthetic_boundaries.dissolve("province_code").reset_index()
    country = gpd.GeoDataFrame(geometry=[synthetic_boundaries.union_all()], crs=synthetic_boundaries.crs)
    geometry = image_geometry.prepare(synthetic_boundaries, provinces, country)
    return slide_images.Ingredients(
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
    deck = Presentation(io.BytesIO(story_pptx.story_pptx(six_slides(), ingredients, "zh")))
    assert len(deck.slides) == 6
    assert round(deck.slide_width / deck.slide_height, 2) == round(16 / 9, 2)
    for year, slide in zip(range(2015, 2021), deck.slides):
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1
        image = Image.open(io.BytesIO(pictures[0].image.blob))
        assert image.size == slide_images.SLIDE_IMAGE_PX
        assert slide.shapes.title.is_placeholder and slide.shapes.title.text == f"{year} 年"  # a real title
        body = slide.placeholders[1].text_frame.text  # the caption, its lines ended by line breaks
        assert "".join(body.split()) == "".join(f"{year} 年的说明：第二行\n{HOSTILE}".split())  # plain text
        notes = slide.notes_slide.notes_text_frame.text
        assert notes.startswith(f"{year} 年的说明") and "来源：" in notes and "synthetic-b" in notes
    assert "合成来源甲" in deck.slides[1].notes_slide.notes_text_frame.text
    assert "trends" in deck.slides[2].notes_slide.notes_text_frame.text  # another page: said so
    assert "http://localhost:8501/county_map?year=2018&prov=510000" in deck.slides[3].notes_slide.notes_text_frame.text


def test_pdf_is_16_9_one_page_per_slide_with_the_chinese_caption_as_text(ingredients) -> None:
    reader = PdfReader(io.BytesIO(story_pdf.story_pdf(six_slides(), ingredients, "zh")))
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
    reader = PdfReader(io.BytesIO(story_pdf.story_pdf(six_slides(), ingredients, "en")))
    assert "Caption of 2016" in reader.pages[1].extract_text()
    deck = Presentation(io.BytesIO(story_pptx.story_pptx(six_slides(), ingredients, "en")))
    assert deck.slides[5].shapes.title.text == "Year 2020"


def frames_of(ingredients) -> list[np.ndarray]:
    return year_play.year_frames(ViewState(layer="status", year2=2016), ingredients, "zh", (640, 400))


def test_gif_has_one_frame_per_year_that_differ(ingredients) -> None:
    gif = Image.open(io.BytesIO(year_play.to_gif(frames_of(ingredients))))
    years = year_play.play_years()
    assert years == list(range(MAP_YEARS[0], MAP_YEARS[1] + 1))
    assert gif.n_frames == len(years) and gif.size == (640, 400)
    assert gif.info["loop"] == 0 and gif.info["duration"] == year_play.FRAME_SECONDS * 1000
    seen = []
    for index in range(gif.n_frames):
        gif.seek(index)
        seen.append(np.asarray(gif.convert("RGB")).copy())
    assert all(not np.array_equal(a, b) for a, b in zip(seen, seen[1:]))  # the big year changes


def test_mp4_has_one_frame_per_year(ingredients) -> None:
    with av.open(io.BytesIO(year_play.to_mp4(frames_of(ingredients)))) as video:
        stream = video.streams.video[0]
        assert stream.codec_context.name == "h264"
        frames = list(video.decode(stream))
    assert len(frames) == len(year_play.play_years())
    assert (frames[0].width, frames[0].height) == (640, 400)
    seconds = float(frames[-1].pts * stream.time_base) + year_play.FRAME_SECONDS
    assert seconds == pytest.approx(len(frames) * year_play.FRAME_SECONDS)


def synthetic_incidence() -> pd.DataFrame:
    """Made-up provincial incidence: Sichuan 2017 only, Gansu none that year."""
    return pd.DataFrame(
        {
            "level": ["province", "province"],
            "unit_code": ["510000", "620000"],
            "unit_name_zh": ["四川省", "甘肃省"],
            "year": [2017, 2016],
            "poor_population_10k": [None, None],
            "incidence_pct": [4.5, 9.0],
            "standard": ["line-a", "line-a"],
            "source_id": ["synthetic-b", "synthetic-a"],
            "notes": [None, None],
        }
    )


def test_a_trends_slide_draws_its_own_series_map_with_its_sources(ingredients) -> None:
    ing = replace(ingredients, series={"incidence": synthetic_incidence()})
    slide = story.new_slide(
        "trends", ViewState(theme="incidence", measure="incidence_pct", level="province", series_year=2017)
    )
    spec = slide_images.slide_picture(slide, ing, "en").spec
    assert spec.title == "Trends · Poverty incidence" and spec.big_label == "2017"
    colours = spec.panels[0].colours
    sichuan = {colours[c] for c in colours if c.startswith("51")}
    assert len(sichuan) == 1 and colours["620103"] == NODATA_RGBA  # Gansu has no value in 2017
    assert spec.legends[0] == ("Poverty incidence (%)", [("4.5", next(iter(sichuan))), ("No data", NODATA_RGBA)])
    assert spec.source_text.startswith("Sources: synthetic-b ·")
    notes = slide_notes.notes_text(slide, slide_images.slide_picture(slide, ing, "en"), ing, "en")
    assert "synthetic-b" in notes and "synthetic-a" not in notes  # the series' source, not the counties'
    assert "county map of the same filter" not in notes  # its own map: no stand-in said
    assert (
        slide_images.draw_slide(slide, ing, "en").png
        != slide_images.draw_slide(story.new_slide("county_map", ViewState()), ing, "en").png
    )


def test_a_trends_slide_without_a_series_map_says_the_county_map_stands_in(ingredients) -> None:
    slide = story.new_slide("trends", ViewState(theme="incidence"))  # no series in these ingredients
    assert slide_images.slide_picture(slide, ingredients, "en").spec.title.startswith("County map")
    assert "county map of the same filter" in slide_notes.notes_text(
        slide, slide_images.slide_picture(slide, ingredients, "en"), ingredients, "en"
    )


def test_an_areas_slide_draws_the_area_colours_of_its_unit(ingredients) -> None:
    slide = story.new_slide("areas", ViewState(area_unit="wumeng", provinces=("620000",)))
    view = slide_images.county_map_view(slide)
    assert view.layer == "area" and view.areas == ("wumeng",) and view.provinces == ()
    assert slide_images.county_map_view(story.new_slide("areas", ViewState(area_unit="sanqu_sanzhou"))).sanqu_only
    spec = slide_images.slide_picture(slide, ingredients, "en").spec
    wumeng = ingredients.poverty.loc[ingredients.poverty["contiguous_area"] == "wumeng", "code"]
    assert set(spec.panels[0].colours) == set(wumeng)
    assert "county map of the same filter" not in slide_notes.notes_text(
        slide, slide_images.slide_picture(slide, ingredients, "en"), ingredients, "en"
    )


def test_notes_link_to_the_view_absolute_and_clickable_at_the_configured_address(ingredients, monkeypatch) -> None:
    slide = story.new_slide("trends", ViewState(theme="funds", year=2019, county="513401", provinces=("510000",)))
    assert slide_notes.view_link(slide) == "http://localhost:8501/trends?theme=funds"  # only the page's settings
    monkeypatch.setenv("ATLAS_BASE_URL", "https://atlas.example.org/app/")
    link = "https://atlas.example.org/app/trends?theme=funds"
    assert slide_notes.view_link(slide) == link
    assert slide_notes.view_link(story.new_slide("overview", ViewState(year=2019))) == "https://atlas.example.org/app/"
    deck = Presentation(io.BytesIO(story_pptx.story_pptx(Story(slides=(slide,)), ingredients, "en")))
    runs = [run for p in deck.slides[0].notes_slide.notes_text_frame.paragraphs for run in p.runs]
    assert [run.hyperlink.address for run in runs if run.hyperlink.address] == [link]


def test_a_county_map_slide_draws_its_highlighted_county_and_zoom(ingredients) -> None:
    chosen = story.new_slide("county_map", ViewState(year=2019, county="513401"))
    spec = slide_images.slide_picture(chosen, ingredients, "zh").spec
    assert spec.highlight == "513401" and spec.lonlat_box is None
    assert set(spec.frame) == {c for c in ingredients.geometry.counties.index if c.startswith("51")}
    image = np.asarray(Image.open(io.BytesIO(slide_images.draw_slide(chosen, ingredients, "zh").png)).convert("RGB"))
    outline = np.round(np.array(blend(HIGHLIGHT_LINE)) * 255).astype(int)
    assert (np.abs(image.astype(int) - outline).max(axis=2) <= 2).sum() > 100  # the county outlined
    zoomed = story.new_slide("county_map", ViewState(view=(27.9, 102.3, 8.0), county="513401"))
    spec = slide_images.slide_picture(zoomed, ingredients, "zh").spec
    assert spec.lonlat_box == view_bounds((27.9, 102.3, 8.0), MAP_PX)  # the page's zoom, not the filter's


def test_an_areas_slide_draws_the_areas_page_not_the_county_map(ingredients) -> None:
    spec = slide_images.slide_picture(
        story.new_slide("areas", ViewState(area_unit="wumeng", year=2019)), ingredients, "en"
    ).spec
    assert spec.title == "Areas · 乌蒙山区" and spec.big_label == "" and spec.panels[0].label == ""  # no stray year
    assert spec.outlines == ("sanqu_sanzhou",) and spec.highlight is None and spec.chart is None
    assert all("…" not in label for _, items in spec.legends for label, _ in items)  # whole names


def test_a_trends_slide_draws_its_map_and_its_chart_with_every_line_named(ingredients) -> None:
    ing = replace(ingredients, series={"incidence": synthetic_incidence()})
    slide = story.new_slide(
        "trends",
        ViewState(theme="incidence", measure="incidence_pct", level="province", series_year=2017, county="513401"),
    )
    spec = slide_images.slide_picture(slide, ing, "en").spec
    assert spec.highlight is None  # the county map's settings are not the Trends page's
    assert [name for name, _ in spec.chart.lines] == ["四川省", "甘肃省"]  # the page's first units
    fig = map_image.figure(spec, ing.geometry)
    legend = [text.get_text() for text in fig.texts]
    assert "Line" in legend and "四川省" in legend and "甘肃省" in legend
    single = [t for ax in fig.axes for t in ax.texts if "(2017)" in t.get_text() or "(2016)" in t.get_text()]
    assert len(single) == 2  # each a lone value: a point labelled with its value and year
