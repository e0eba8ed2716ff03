"""Files for a room with no network, drawn on the server by the map-image renderer (atlas.map_image,
with the committed CJK font): a story as PPTX and PDF, the year play of a view as GIF and MP4.
No Streamlit here.

A slide's picture is what its page draws, from one description of the view (`slide_spec`, the
view's own settings only, atlas.story.PAGE_FIELDS): the county map with its filter, year(s), layer(s),
zoom and outlined county; the Areas page's area map with its areas named whole and the 三区三州
outlined, no year; the Trends page's map at its level, measure, line and year with its line chart
beside it, every line named. A Trends level without outlines has the county map of the same filter
and year stand in, and its notes say so. Every text is broken into lines by atlas.line_break.
Titles and captions are written as plain text runs
(python-pptx escapes them; matplotlib gets `parse_math=False`), so HTML, Markdown or a formula in
a caption stays the characters it is.
"""

from __future__ import annotations

import io
import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from urllib.parse import urlencode

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from atlas import filters, image_font, image_geometry, image_spec, line_break, map_image, trends
from atlas.classes import layer_classes
from atlas.colours import layer_palette
from atlas.county_map import LAYER_TITLES, legend_items
from atlas.filters import CountyFilter
from atlas.i18n import Lang, label, t
from atlas.lod import MAP_PX
from atlas.story import Slide, Story, view_title
from atlas.url_state import MAP_YEARS, ViewState, encode
from loaders.geometry import view_bounds
from loaders.schema import split_ids

SLIDE_IN = (13.333, 7.5)  # 16:9, PowerPoint's default widescreen slide
SLIDE_IMAGE_PX = (1600, 1000)
FRAME_PX = (1280, 800)  # even sides for H.264; a 16:10 map with room for the legend
FRAME_SECONDS = 1.5
EA_FONT = "Microsoft YaHei"  # the Chinese face PowerPoint and WPS have; the PDF embeds our own


@dataclass(frozen=True)
class Ingredients:
    """What drawing a view needs, in one language (see atlas.ui.story_ingredients)."""

    poverty: pd.DataFrame
    geometry: image_geometry.ImageGeometry
    names: Mapping[str, str]  # province / prefecture / area code -> name, for describing a filter
    area_names: Mapping[str, str]  # area id -> name, for the area layer's legend
    citations: Mapping[str, str]  # source id -> short citation
    series: Mapping[str, pd.DataFrame] = field(default_factory=dict)  # theme -> series, for Trends slides
    # A slide's published datasets (its view's `datasets`) -> the poverty table they make and their citations
    published: Mapping[tuple[str, ...], tuple[pd.DataFrame, tuple[str, ...]]] = field(default_factory=dict)


def slide_ingredients(slide: Slide, ing: Ingredients) -> tuple[Ingredients, tuple[str, ...]]:
    """What a slide is drawn with: the poverty table of the published datasets it recorded (the same map on
    any machine), and their citations for its notes."""
    found = ing.published.get(slide.view.datasets) if slide.view.datasets is not None else None
    return (replace(ing, poverty=found[0]), found[1]) if found is not None else (ing, ())


def panels_of(state: ViewState) -> list[tuple[int, str]]:
    """(year, layer) of each map the view shows: one, or two side by side."""
    if not state.comparing:
        return [(state.year, state.layer)]
    return [(state.year, state.layer), (state.year2 or state.year, state.layer2 or state.layer)]


def view_spec(state: ViewState, ing: Ingredients, lang: Lang) -> image_spec.ImageSpec:
    """The county-map image of a view: the same spec the county map's PNG/SVG download draws."""
    flt = CountyFilter.from_state(state)
    shown = filters.apply(ing.poverty, flt)
    pairs = panels_of(state)
    titles = [t(LAYER_TITLES[layer], lang) for _, layer in pairs]
    legends = {
        title: (
            title,
            legend_items(layer, list(layer_classes(shown, layer, year)), layer_palette(layer), lang, ing.area_names),
        )
        for title, (year, layer) in zip(titles, pairs)
    }
    panels = [
        image_spec.Panel(
            f"{year} · {title}" if len(pairs) > 1 else str(year), image_spec.panel_colours(shown, layer, year)
        )
        for title, (year, layer) in zip(titles, pairs)
    ]
    described = image_spec.describe_filter(flt, ing.names, lang) or t("all_counties", lang)
    return image_spec.ImageSpec(
        title=f"{t('page_county_map', lang)} · {' · '.join(dict.fromkeys(titles))}",
        panels=panels,
        legends=list(legends.values()),
        filter_text=f"{t('image_filter', lang)}{described} · {t('selected_counties', lang, n=len(shown))}",
        source_text=image_spec.source_line(data_sources(state, ing), ing.citations, lang),
        big_label=" · ".join(dict.fromkeys(str(year) for year, _ in pairs)),
        inset_label=t("south_sea_islands", lang),
        # As the page: its zoom when it has one, a chosen county in its province's view, outlined
        frame=_province_of(state.county, ing) if state.county and state.view is None else (),
        lonlat_box=view_bounds(state.view, MAP_PX) if state.view else None,
        highlight=state.county,
    )


def _province_of(county: str, ing: Ingredients) -> list[str]:
    """The counties of a county's province (the view the county map opens a chosen county in)."""
    return [c for c in ing.geometry.counties.index if str(c)[:2] == county[:2]]


def areas_spec(state: ViewState, ing: Ingredients, lang: Lang) -> image_spec.ImageSpec:
    """The Areas page's map: the contiguous areas in their colours (its unit alone when one is chosen),
    the 三区三州 outlined, the areas named whole in the legend; no year (the page shows none)."""
    spec = view_spec(county_map_view(Slide("areas", state)), ing, lang)
    unit = state.area_unit
    named = {"sanqu_sanzhou": t("sanqu_sanzhou", lang)}.get(unit or "", ing.area_names.get(unit or "", ""))
    return replace(
        spec,
        title=" · ".join(filter(None, (t("page_areas", lang), named))),
        panels=[replace(spec.panels[0], label="")],
        big_label="",
        outlines=("sanqu_sanzhou",),
    )


def data_sources(state: ViewState, ing: Ingredients) -> list[str]:
    """The source ids of the counties a view shows, sorted."""
    return sorted(image_sources(filters.apply(ing.poverty, CountyFilter.from_state(state))))


TRENDS_IMAGE_LEVELS = ("county", "prefecture", "province")  # levels whose units are made of counties


def unit_of(county: str, level: str) -> str:
    """The unit of a Trends level that a county lies in, by its code (province 510000, prefecture 513400)."""
    return {"province": county[:2] + "0000", "prefecture": county[:4] + "00"}.get(level, county)


def trends_values(state: ViewState, ing: Ingredients) -> tuple[trends.Opening, pd.DataFrame] | None:
    """What a Trends view maps (chosen as the page chooses, atlas.trends.opening) and its values;
    None when there is no such map to draw from counties."""
    series = ing.series.get(state.theme)
    if series is None:
        return None
    shown = trends.opening(
        trends.coverage_counts(series, state.theme), state.measure, state.variant, state.level, state.series_year
    )
    if shown is None or shown.level not in TRENDS_IMAGE_LEVELS:
        return None
    frame = trends.long_frame(series, state.theme, shown.measure, shown.variant)
    return shown, trends.values_at(frame, shown.level, shown.time)


def trends_spec(state: ViewState, ing: Ingredients, lang: Lang) -> image_spec.ImageSpec | None:
    """A Trends view's map: each county in its unit's class colour, the classes of the web map."""
    found = trends_values(state, ing)
    if found is None:
        return None
    shown, values = found
    units = {county: unit_of(county, shown.level) for county in ing.geometry.counties.index}
    by_code = values.drop_duplicates("unit_code").set_index("unit_code")["value"]
    classes = trends.unit_classes(by_code, sorted(set(units.values())), t("no_data", lang))
    measure = trends.MEASURES[shown.measure]
    name = measure.label_zh if lang == "zh" else measure.label_en
    unit = label(values["unit"].iloc[0], lang) if not values.empty else ""
    described = [t(f"level_{shown.level}", lang), *([label(shown.variant, lang)] if shown.variant else [])]
    described.append(f"{t('classification', lang)}: {label(classes.method, lang)}")
    return image_spec.ImageSpec(
        title=f"{t('page_trends', lang)} · {name}",
        panels=[image_spec.Panel(shown.time, {c: classes.palette[classes.keys[u]] for c, u in units.items()})],
        legends=[(f"{name} ({unit})" if unit else name, classes.legend)],
        filter_text=" · ".join(described),
        source_text=image_spec.source_line(sorted(image_sources(values)), ing.citations, lang),
        big_label=shown.time,
        inset_label=t("south_sea_islands", lang),
        chart=trends_chart(state, ing, lang, shown, f"{name} ({unit})" if unit else name),
    )


CHART_UNITS = 5  # the page's default: the first five units of the level (and the national line)


def trends_chart(
    state: ViewState, ing: Ingredients, lang: Lang, shown: trends.Opening, y_title: str
) -> image_spec.Chart | None:
    """The Trends page's line chart: the units it compares (its first five by default) and the nation."""
    frame = trends.long_frame(ing.series[state.theme], state.theme, shown.measure, shown.variant)
    choices = trends.unit_choices(frame, shown.level)
    units = [c for c in state.compare if c in choices] or list(choices)[:CHART_UNITS]
    lines = trends.line_data(frame, shown.level, units, names=trends.unit_names(frame, lang, ing.names))
    if lines.empty or not lines["time"].astype(str).str.fullmatch(r"\d{4}").all():
        return None  # the files draw years on a true scale only
    points = [
        (str(series), [(int(x), None if pd.isna(v) else float(v)) for x, v in zip(rows["time"], rows["value"])])
        for series, rows in lines.groupby("series", sort=False)
    ]
    return image_spec.Chart(points, t("year", lang), y_title, t("table_line", lang))


def image_sources(rows: pd.DataFrame) -> Counter[str]:
    """How often each source is cited by the rows drawn (a series' source_id, a county's source_ids)."""
    column = "source_id" if "source_id" in rows.columns else "source_ids"
    return Counter(s for value in rows[column] for s in split_ids(value))


def county_map_view(slide: Slide) -> ViewState:
    """The county-map view a slide's picture draws: an Areas slide's area colours, narrowed to its unit."""
    if slide.page != "areas":
        return slide.view
    unit = slide.view.area_unit
    return ViewState(
        lang=slide.view.lang,
        year=slide.view.year,
        layer="area",
        areas=(unit,) if unit not in (None, "all", "sanqu_sanzhou") else (),
        sanqu_only=unit == "sanqu_sanzhou",
    )


def pictured_rows(slide: Slide, ing: Ingredients) -> tuple[pd.DataFrame, bool]:
    """The rows a slide's picture draws, and whether the picture is its page's own map (else the
    county map of the same filter and year stands in)."""
    found = trends_values(slide.view, ing) if slide.page == "trends" else None
    if found is not None:
        return found[1], True
    counties = filters.apply(ing.poverty, CountyFilter.from_state(county_map_view(slide)))
    return counties, slide.page in ("county_map", "areas")


def slide_spec(slide: Slide, ing: Ingredients, lang: Lang) -> image_spec.ImageSpec:
    """What the slide's page draws, as an image: the one description of a view the files draw."""
    ing = slide_ingredients(slide, ing)[0]
    if slide.page == "areas":
        return areas_spec(slide.view, ing, lang)
    found = trends_spec(slide.view, ing, lang) if slide.page == "trends" else None
    return found or view_spec(county_map_view(slide), ing, lang)


def slide_png(slide: Slide, ing: Ingredients, lang: Lang) -> bytes:
    return map_image.render_png(slide_spec(slide, ing, lang), ing.geometry, SLIDE_IMAGE_PX)


def place_names(ing: Ingredients, lang: Lang) -> dict[str, str]:
    """Province, prefecture, area and county codes -> names in `lang`, for a view in words."""
    counties = ing.poverty.drop_duplicates("code")
    names = counties["name_zh"] if lang == "zh" else counties["name_en"].fillna(counties["name_zh"])
    return {**dict(zip(counties["code"], names)), **ing.names, **ing.area_names}


def slide_title(story: Story, index: int, lang: Lang, ing: Ingredients) -> str:
    """The slide's title, or its view in words (a slide saved before slides were titled)."""
    slide = story.slides[index]
    return slide.title.pick(lang) or view_title(slide.page, slide.view, lang, place_names(ing, lang))


BASE_URL = "http://localhost:8501"  # the app's address in the notes' links, unless ATLAS_BASE_URL says otherwise


def view_link(slide: Slide) -> str:
    """The absolute address of the slide's view (ATLAS_BASE_URL, default BASE_URL; the Overview is the app's root)."""
    base = (os.environ.get("ATLAS_BASE_URL") or BASE_URL).rstrip("/")
    query = urlencode(encode(slide.view))
    return f"{base}/{'' if slide.page == 'overview' else slide.page}{'?' + query if query else ''}"


NOTES_MAP_SOURCES = 5  # the map's most cited sources in the notes; the rest are on the Sources page


def notes_text(slide: Slide, ing: Ingredients, lang: Lang) -> str:
    """Speaker notes: the caption, the sources of its numbers, the map's most cited sources, the published
    datasets it applies, the view's link."""
    ing, datasets = slide_ingredients(slide, ing)
    rows, own_map = pictured_rows(slide, ing)
    cited = Counter({sid: n for sid, n in image_sources(rows).items() if sid not in slide.sources})
    ids = [*slide.sources, *(sid for sid, _ in cited.most_common(NOTES_MAP_SOURCES))]
    lines = [slide.caption.pick(lang), ""]
    lines += [t("sources_short", lang)] + [f"- {sid}: {ing.citations.get(sid, sid)}" for sid in ids]
    if len(cited) > NOTES_MAP_SOURCES:
        lines.append(t("image_more_sources", lang, n=len(cited) - NOTES_MAP_SOURCES))
    if datasets:
        lines += ["", t("published_slide_note", lang, lists="; ".join(datasets))]
    lines += ["", f"{t('story_notes_view', lang)}{view_link(slide)}"]
    if not own_map:
        lines.append(t("story_slide_other_page", lang))
    return "\n".join(lines)


# --- PPTX ------------------------------------------------------------------------------------------


PPTX_SAFETY = 0.9  # lines measured in our font fill this share of a box: PowerPoint's faces run wider


def story_pptx(story: Story, ing: Ingredients, lang: Lang, images: Sequence[bytes] | None = None) -> bytes:
    """One 16:9 slide per view: the title in the title placeholder, the map image, the caption in the body
    placeholder (what outline view, WPS and screen readers read), sources and the view's link in the notes."""
    from pptx import Presentation  # imported when a file is asked for: the app starts without it
    from pptx.util import Inches, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(SLIDE_IN[0]), Inches(SLIDE_IN[1])
    layout = deck.slide_layouts[1]  # "Title and Content": a title and a body placeholder
    images = images if images is not None else [slide_png(s, ing, lang) for s in story.slides]
    for index, (slide, png) in enumerate(zip(story.slides, images)):
        page = deck.slides.add_slide(layout)
        title, body = page.shapes.title, page.placeholders[1]
        _place(title, Inches(0.4), Inches(0.2), Inches(12.5), Inches(0.9))
        _set_text(title.text_frame, slide_title(story, index, lang, ing), Pt(28), 12.5 - 0.2, max_lines=2)
        page.shapes.add_picture(io.BytesIO(png), Inches(0.3), Inches(1.15), height=Inches(5.85))
        _place(body, Inches(9.85), Inches(1.3), Inches(3.2), Inches(5.6))
        _set_text(body.text_frame, slide.caption.pick(lang), Pt(16), 3.2 - 0.2)
        footer = f"{story.title.pick(lang) or t('story_untitled', lang)} · {index + 1} / {len(story.slides)}"
        box = page.shapes.add_textbox(Inches(0.4), Inches(7.05), Inches(12.5), Inches(0.35))
        _set_text(box.text_frame, footer, Pt(10), 12.5 - 0.2, max_lines=1)
        _notes(page.notes_slide.notes_text_frame, notes_text(slide, ing, lang), view_link(slide))
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


# --- PDF -------------------------------------------------------------------------------------------


PDF_WIDTH_PT = SLIDE_IN[0] * 72
PDF_COLUMN = 0.98 - 0.745  # the caption's column, a share of the page's width


def story_pdf(story: Story, ing: Ingredients, lang: Lang, images: Sequence[bytes] | None = None) -> bytes:
    """16:9 pages, one per slide; text in the embedded CJK font, so it can be selected and copied.

    The font goes in as Type 3 with a Unicode map: our subset has CFF outlines, which Type 42 would
    declare as TrueType (a mismatch some readers refuse)."""
    from PIL import Image

    images = images if images is not None else [slide_png(s, ing, lang) for s in story.slides]
    buffer = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": 3}), PdfPages(buffer, metadata=_pdf_metadata(story, lang)) as pdf:
        for index, (slide, png) in enumerate(zip(story.slides, images)):
            fig = Figure(figsize=SLIDE_IN, dpi=100, facecolor="white")
            title = line_break.wrap(slide_title(story, index, lang, ing), 0.94 * PDF_WIDTH_PT, image_font.points(26))
            size = 26 if len(title) == 1 else 20  # a long title on two smaller lines
            title = line_break.wrap(" ".join(title), 0.94 * PDF_WIDTH_PT, image_font.points(size), 2)
            _plain(fig, 0.03, 0.955, "\n".join(title), size, va="top")
            ax = fig.add_axes((0.02, 0.07, 0.71, 0.8))
            ax.imshow(np.asarray(Image.open(io.BytesIO(png)).convert("RGB")), interpolation="none")
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


# --- The year play: GIF and MP4 ----------------------------------------------------------------------


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
