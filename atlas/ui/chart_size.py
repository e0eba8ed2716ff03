"""Streamlit glue: the maps' real pixel sizes in the browser, so a view can be fitted to its panel.

The server does not know how wide a map is drawn (it depends on the screen, presenter mode, side by
side); a small component reads the size of every map of the page and sends it back when it changes.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas import layers

# Sizes are rounded to 10 px so that a scrollbar or a sub-pixel layout change does not rerun the page.
_SIZES_JS = """
export default function(component) {
  const { setStateValue } = component;
  let last = "";
  const read = () => {
    const charts = document.querySelectorAll('[data-testid="stMain"] [data-testid="stDeckGlJsonChart"]');
    const sizes = [...charts].map(e => {
      const r = e.getBoundingClientRect();
      return [Math.round(r.width / 10) * 10, Math.round(r.height / 10) * 10];
    });
    const text = JSON.stringify(sizes);
    if (text !== last && sizes.length && sizes.every(s => s[0] > 0 && s[1] > 0)) {
      last = text;
      setStateValue("sizes", sizes);
    }
  };
  const timer = setInterval(read, 400);
  read();
  return () => clearInterval(timer);
}
"""
_sizes = st.components.v2.component("pa_chart_sizes", js=_SIZES_JS)


def chart_sizes() -> list[tuple[int, int]]:
    """(width, height) in px of each map of the page, in page order; [] until the browser has told."""
    result = _sizes(key="pa_chart_sizes", default={"sizes": []}, on_sizes_change=lambda: None, height=0)
    sizes = result.get("sizes") if isinstance(result, dict) else getattr(result, "sizes", None)
    if not isinstance(sizes, list):
        return []
    return [(int(w), int(h)) for w, h in sizes if isinstance(w, int | float) and isinstance(h, int | float)]


def fitted_view(
    frame: pd.DataFrame, fallback: tuple[float, float, float], count: int = 1, index: int = 0
) -> tuple[float, float, float]:
    """A view fitting `frame` in map `index` of the page's `count` maps at its real size; `fallback`
    until the browser has told the size."""
    sizes = chart_sizes()
    return layers.view_of(frame, fallback, sizes[index]) if len(sizes) == count else fallback
