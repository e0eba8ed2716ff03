"""The map as an image for slides and reports (PNG and SVG), drawn on the server from our own
outlines with the map's palette and classes: the layout of the whole image (title, maps, legend, year,
filter and source lines) and its files. No Streamlit here.

Text is drawn with the committed Noto Sans CJK SC subset (atlas.image_font), so Chinese renders without
any system font; in the SVG every glyph is a path (matplotlib's default), so the file displays the same
anywhere, and each text is kept beside its glyphs as an XML comment.
"""

from __future__ import annotations

import io

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from atlas import line_break
from atlas.colours import blend
from atlas.image_chart import draw_chart
from atlas.image_font import font, points
from atlas.image_geometry import ImageGeometry, extent, fit, inset_room, national, projected_box
from atlas.image_outlines import draw_inset, draw_map, draw_marks
from atlas.image_spec import ImageSpec

SIZE_PX = (1600, 1000)
DPI = 100


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
        box = fit(box, aspect)
        draw_map(ax, geometry, panel, box, geometry.mainland[1] - 0.01 * (box[3] - box[1]) if room else None)
        draw_marks(ax, geometry, spec, box)
        if room is not None:  # in the fitted box's corner: the box only grew, so the corner stays clear of land
            share = room[0] / (box[2] - box[0]) * (map_width - 0.01)  # the inset's width, of the figure's
            draw_inset(
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
            draw_chart(fig, spec.chart, (0.02 + maps_width + 0.035, 0.17, legend_left - maps_width - 0.1, 0.6))
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
    for text in fig.findobj(Text):  # names, columns and titles people wrote: a `$` is a dollar, not a formula
        text.set_parse_math(False)
    return fig


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
