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

from atlas import (
    image_geometry,
    imported,
    map_image,
    published,
    slide_images,
    slide_notes,
    story,
    story_pdf,
    story_pptx,
    year_play,
)
from atlas.colours import HIGHLIGHT_LINE, NODATA_RGBA, blend
from atlas.datasets import DatasetVersion
from atlas.lod import MAP_PX
from atlas.story import Story, Text
from atlas.url_state import MAP_YEARS, ViewState
from loaders.geometry import view_bounds
from tests.published_fixtures import synthetic_panel

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


# --- a published panel column as the County map's layer ---------------------------------------------------

PANEL_COLUMN = "synthetic 率 $a^{$"  # a formula's marks in a column name: drawn as the characters they are
PANEL_CODES = ["513401", "513402", "513301", "620103"]


@pytest.fixture
def panel_ingredients(ingredients, synthetic_boundaries) -> tuple[slide_images.Ingredients, DatasetVersion]:
    """The synthetic ingredients with a synthetic published panel (published_fixtures.synthetic_panel)."""
    version, rows = synthetic_panel(PANEL_CODES, PANEL_COLUMN)
    panel = published.panel_of(rows, synthetic_boundaries, (30.5, 102.5, 5.0))
    return replace(ingredients, panels={version.ref: (version, panel)}), version


def panel_slide(version: DatasetVersion, year: int | None = 2018, **view) -> story.Slide:
    field = published.panel_field(version.dataset_id, PANEL_COLUMN)
    return story.new_slide("county_map", ViewState(datasets=(version.ref,), panel=field, panel_year=year, **view))


def test_a_panel_slide_draws_the_panel_column_for_its_year_with_the_web_layers_classes(panel_ingredients) -> None:
    ing, version = panel_ingredients
    slide = panel_slide(version, 2018, layer="status", provinces=("510000",))
    picture = slide_images.slide_picture(slide, ing, "en")
    spec = picture.spec
    assert spec.title == f"County map · {PANEL_COLUMN}" and spec.big_label == "2018"
    panel = ing.panels[version.ref][1]
    classes = published.panel_classes(panel.rows, PANEL_COLUMN, "en")  # the web layer's classes, every year at once
    drawn = imported.classed_counties(panel.by_year[2018], PANEL_COLUMN, classes, None, 2018, "en")
    assert list(spec.legends) == [(f"{PANEL_COLUMN} · 2018", drawn.legend)]  # the legend titled column and year
    assert spec.panels[0].colours == {c: classes.palette[k] for c, k in drawn.key_of.items()}
    assert set(spec.panels[0].colours) == set(PANEL_CODES)  # the panel's counties, not the filter's
    assert len(set(spec.panels[0].colours.values())) > 1  # the values' classes
    assert classes.note in spec.notes
    cited = ("synthetic-panel@2", "“Synthetic panel” v2", "Synthetic statistics office", "Synthetic county statistics")
    assert all(part in spec.source_text for part in cited)
    assert "Synthetic panel · v2" in spec.filter_text and picture.said == ()
    later = slide_images.slide_picture(panel_slide(version, 2019), ing, "en").spec
    assert later.legends[0][0] == f"{PANEL_COLUMN} · 2019" and later.panels[0].colours != spec.panels[0].colours
    png = slide_images.draw_slide(slide, ing, "en").png
    built_in = slide_images.draw_slide(story.new_slide("county_map", replace(slide.view, panel=None)), ing, "en").png
    a, b = (np.asarray(Image.open(io.BytesIO(p)).convert("RGB")).astype(int) for p in (png, built_in))
    assert (np.abs(a - b).max(axis=2) > 30).sum() > 5000  # the panel's colours, not the built-in layer's
    for code in PANEL_CODES:  # each county's class colour is on the picture
        rgb = np.round(np.array(blend(spec.panels[0].colours[code])) * 255).astype(int)
        assert (np.abs(a - rgb).max(axis=2) <= 2).sum() > 100
    notes = slide_notes.notes_text(slide, picture, ing, "en")
    assert "Published data used: “Synthetic panel” v2 (synthetic-panel@2) · Synthetic statistics office" in notes


def test_the_county_maps_image_download_draws_the_panel_view(panel_ingredients) -> None:
    ing, version = panel_ingredients
    view = panel_slide(version, None).view  # no year named: the panel's latest, as the page
    spec = slide_images.map_spec(view, ing, "zh")
    assert spec.big_label == "2019" and spec.legends[0][0] == f"{PANEL_COLUMN} · 2019"
    assert b"<svg" in map_image.render_svg(spec, ing.geometry)[:400]
    plain = slide_images.map_spec(replace(view, panel=None), ing, "zh")
    assert plain == slide_images.view_spec(replace(view, panel=None), ing, "zh")


def test_panel_slides_in_pptx_and_pdf_name_the_column_and_cite_the_dataset(panel_ingredients) -> None:
    ing, version = panel_ingredients
    built = Story(Text("面板故事", "Panel story"), (panel_slide(version, 2018),))
    deck = Presentation(io.BytesIO(story_pptx.story_pptx(built, ing, "en")))
    page = deck.slides[0]
    assert page.shapes.title.text == f"County map · {PANEL_COLUMN} · 2018"
    notes = page.notes_slide.notes_text_frame.text
    assert "synthetic-panel@2" in notes and "Synthetic county statistics" in notes and "panel=" in notes
    text = PdfReader(io.BytesIO(story_pdf.story_pdf(built, ing, "en"))).pages[0].extract_text()
    assert PANEL_COLUMN in text
    flat = " ".join(text.split())
    cited = ("synthetic-panel@2", "Synthetic statistics office", "Synthetic county statistics")
    assert all(part in flat for part in cited)


def test_a_panel_slide_whose_dataset_is_not_here_says_so_and_draws_no_other_layer(
    ingredients, panel_ingredients
) -> None:
    _, version = panel_ingredients
    slide = panel_slide(version, 2018, layer="status")
    picture = slide_images.slide_picture(slide, ingredients, "en")  # these ingredients have no panel
    said = "published panel synthetic-panel@2, which is not available here: its values are not drawn"
    assert said in picture.spec.filter_text and picture.spec.legends == []
    assert picture.spec.panels[0].colours == {}  # no built-in layer drawn in the panel's place
    assert picture.spec.title == f"County map · {PANEL_COLUMN}"
    assert said in slide_notes.notes_text(slide, picture, ingredients, "en")
    zh = slide_images.slide_picture(slide, ingredients, "zh").spec.filter_text
    assert "synthetic-panel@2" in zh and "无法取得" in zh
    built_in = story.new_slide("county_map", replace(slide.view, panel=None))
    drawn = [
        np.asarray(Image.open(io.BytesIO(slide_images.draw_slide(s, ingredients, "en").png)).convert("RGB"))
        for s in (slide, built_in)
    ]
    status = slide_images.view_spec(built_in.view, ingredients, "en").panels[0].colours
    for colour in set(status.values()):  # the built-in layer's colours are not drawn
        rgb = np.round(np.array(blend(colour)) * 255).astype(int)
        missing, shown = ((np.abs(png.astype(int) - rgb).max(axis=2) <= 2).sum() for png in drawn)
        assert shown > 2000 and missing < shown / 10
