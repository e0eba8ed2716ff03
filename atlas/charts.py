"""Vega-Lite charts as read aloud: one description in the reader's language, nothing in Vega's English."""

from __future__ import annotations

from typing import TypeVar

import altair as alt

Chart = TypeVar("Chart", alt.Chart, alt.LayerChart)


def described(chart: Chart, description: str) -> Chart:
    """`chart` named by `description` (the accessible name Vega gives the chart's element) and its axes,
    legends and marks left out of the accessibility tree: Vega writes their names in English ("X-axis for
    a linear scale …", "line mark container"); the page's table beside the chart holds the values."""
    return chart.properties(description=description).configure(aria=False).configure_mark(aria=False)
