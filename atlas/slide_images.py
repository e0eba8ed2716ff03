"""A slide's picture, what its page draws (`slide_picture`, from the view's own settings only,
atlas.story.PAGE_FIELDS), as an image description for the map-image renderer (atlas.map_image): the county
map with its filter, year(s), layer(s), zoom and outlined county; the Areas page's area map with its areas
named whole and the 三区三州 outlined, no year; the Trends page's map at its level, measure, line and year
with its line chart beside it, every line named. A Trends level without outlines has the county map of the
same filter and year stand in, and its notes say so. No Streamlit here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

from atlas import filters, image_geometry, image_spec, imported, map_image, published, trends
from atlas.classes import layer_classes
from atlas.colours import layer_palette
from atlas.county_map import LAYER_TITLES, legend_items
from atlas.datasets.model import DatasetVersion
from atlas.filters import CountyFilter
from atlas.i18n import Lang, label, t
from atlas.lod import MAP_PX
from atlas.story import Slide
from atlas.url_state import ViewState
from loaders.geometry import view_bounds
from loaders.schema import split_ids

SLIDE_IN = (13.333, 7.5)  # 16:9, PowerPoint's default widescreen slide
SLIDE_IMAGE_PX = (1600, 1000)


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
    # The published panels views and slides recorded, by ref (`id@version`), for a panel column as the layer
    panels: Mapping[str, tuple[DatasetVersion, published.Panel]] = field(default_factory=dict)


def slide_ingredients(slide: Slide, ing: Ingredients) -> tuple[Ingredients, tuple[str, ...]]:
    """What a slide is drawn with: the poverty table of the published datasets it recorded (the same map on
    any machine), and the citations for its notes (those lists', and the panel its picture draws)."""
    found = ing.published.get(slide.view.datasets) if slide.view.datasets is not None else None
    shown = view_panel(slide.view, ing)[0] if slide.page == "county_map" else None
    panel = (published.PublishedSource.of(shown.version).short(),) if shown is not None else ()
    return (replace(ing, poverty=found[0]), found[1] + panel) if found is not None else (ing, panel)


def view_panel(state: ViewState, ing: Ingredients) -> tuple[published.ShownPanel | None, tuple[published.Notice, ...]]:
    """The published panel column a County map view shows (as the page, published.pick_panel), from the panels
    its recorded datasets name; none when the view shows no panel or its dataset is not available here."""
    loaded = [ing.panels[ref] for ref in state.datasets or () if ref in ing.panels]
    return published.pick_panel(state.panel, state.panel_year, loaded)


def panel_spec(state: ViewState, ing: Ingredients, lang: Lang) -> tuple[image_spec.ImageSpec, tuple[str, ...]]:
    """The image of a view showing a published panel column (its `panel`) as the web layer draws it: the same
    classes, legend and legend title (column and year), fitted to the panel's counties, the dataset cited;
    and what must be said of it. A panel not available here is said in words; no other layer stands in."""
    found, notices = view_panel(state, ing)
    column = (state.panel or "").partition(":")[2]
    title = f"{t('page_county_map', lang)} · {column}"
    inset = t("south_sea_islands", lang)
    if found is None:
        dataset_id = (state.panel or "").partition(":")[0]
        ref = next((r for r in state.datasets or () if r.partition("@")[0] == dataset_id), dataset_id)
        said = t("published_panel_missing_image", lang, dataset=ref, column=column)
        year = str(state.panel_year or "")
        spec = image_spec.ImageSpec(
            title, [image_spec.Panel(year, {})], [], said, image_spec.source_line([ref], {}, lang), year, inset
        )
        return spec, (said,)
    version, panel, choice = found.version, found.panel, found.choice
    classes = published.panel_classes(panel.rows, choice.column, lang)
    drawn = imported.classed_counties(panel.by_year[choice.year], choice.column, classes, None, choice.year, lang)
    said = tuple(n.text(lang) for n in notices)
    cited = published.PublishedSource.of(version).short()
    spec = image_spec.ImageSpec(
        title=title,
        panels=[image_spec.Panel(str(choice.year), {c: classes.palette[k] for c, k in drawn.key_of.items()})],
        legends=[(drawn.title, drawn.legend)],
        filter_text=f"{published.panel_label(version, choice.column)} · "
        f"{t('image_panel_counties', lang, n=len(drawn.key_of))}",
        source_text=image_spec.source_line([version.ref], {version.ref: cited}, lang),
        big_label=str(choice.year),
        inset_label=inset,
        frame=sorted(set(panel.rows["boundary_code"].dropna().astype(str))),  # as the web layer's view
        notes=[classes.note, *said],
    )
    return spec, said


def map_spec(state: ViewState, ing: Ingredients, lang: Lang) -> image_spec.ImageSpec:
    """The County map's image of a view: its published panel column when it shows one, else its layer(s)."""
    return panel_spec(state, ing, lang)[0] if state.panel is not None else view_spec(state, ing, lang)


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


@dataclass(frozen=True)
class TrendsRows:
    """What a Trends view maps, computed once for its map, its chart and its notes."""

    shown: trends.Opening  # chosen as the page chooses (atlas.trends.opening)
    frame: pd.DataFrame  # its measure and line, every unit and time (atlas.trends.long_frame)
    values: pd.DataFrame  # the map's: its level at its time


def trends_values(state: ViewState, ing: Ingredients) -> TrendsRows | None:
    """What a Trends view maps and its values; None when there is no such map to draw from counties."""
    series = ing.series.get(state.theme)
    if series is None:
        return None
    shown = trends.opening(
        trends.coverage_counts(series, state.theme), state.measure, state.variant, state.level, state.series_year
    )
    if shown is None or shown.level not in TRENDS_IMAGE_LEVELS:
        return None
    frame = trends.long_frame(series, state.theme, shown.measure, shown.variant)
    return TrendsRows(shown, frame, trends.values_at(frame, shown.level, shown.time))


def trends_spec(state: ViewState, found: TrendsRows, ing: Ingredients, lang: Lang) -> image_spec.ImageSpec:
    """A Trends view's map: each county in its unit's class colour, the classes of the web map."""
    shown, values = found.shown, found.values
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
        chart=trends_chart(state, found, ing, lang, f"{name} ({unit})" if unit else name),
    )


CHART_UNITS = 5  # the page's default: the first five units of the level (and the national line)


def trends_chart(
    state: ViewState, found: TrendsRows, ing: Ingredients, lang: Lang, y_title: str
) -> image_spec.Chart | None:
    """The Trends page's line chart: the units it compares (its first five by default) and the nation."""
    shown, frame = found.shown, found.frame
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


@dataclass(frozen=True)
class SlidePicture:
    """What a slide's page draws, as an image: the one description of a view the files draw, and the
    sources of the rows it draws (for the notes), its rows computed once for both."""

    spec: image_spec.ImageSpec
    cited: Counter[str]  # how often each source is cited by the rows drawn (image_sources)
    own_map: bool  # its page's own map (else the county map of the same filter and year stands in)
    said: tuple[str, ...] = ()  # what its notes must say of it (a published panel not available here)


def slide_picture(slide: Slide, ing: Ingredients, lang: Lang) -> SlidePicture:
    ing = slide_ingredients(slide, ing)[0]
    found = trends_values(slide.view, ing) if slide.page == "trends" else None
    if found is not None:
        return SlidePicture(trends_spec(slide.view, found, ing, lang), image_sources(found.values), True)
    if slide.page == "county_map" and slide.view.panel is not None:
        spec, said = panel_spec(slide.view, ing, lang)
        return SlidePicture(spec, Counter(), True, said)
    counties = filters.apply(ing.poverty, CountyFilter.from_state(county_map_view(slide)))
    spec = areas_spec(slide.view, ing, lang) if slide.page == "areas" else view_spec(county_map_view(slide), ing, lang)
    return SlidePicture(spec, image_sources(counties), slide.page in ("county_map", "areas"))


@dataclass(frozen=True)
class DrawnSlide:
    """A slide's picture drawn for its files: the image (PPTX and PDF) and what its notes say of it (PPTX)."""

    picture: SlidePicture
    png: bytes


def draw_slide(slide: Slide, ing: Ingredients, lang: Lang) -> DrawnSlide:
    picture = slide_picture(slide, ing, lang)
    return DrawnSlide(picture, map_image.render_png(picture.spec, ing.geometry, SLIDE_IMAGE_PX))
