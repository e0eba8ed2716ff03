"""The line chart a Trends map image has beside the map (atlas.map_image), in the web chart's colours."""

from __future__ import annotations

import itertools

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from atlas.colours import RGBA, blend
from atlas.image_font import font
from atlas.image_spec import Chart, LegendBlock

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


def draw_chart(fig: Figure, chart: Chart, rect: tuple[float, float, float, float]) -> LegendBlock:
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
