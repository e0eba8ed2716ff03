"""What a presenter's screen is read for, shared by the presenter tests: the boxes of title, maps, legends,
year and charts in one consistent look, and whether a map shows the whole country."""

from __future__ import annotations

from PIL import Image
from test_browser import (
    SHOTS,
    canvas_image,
    drawn_pixels,
)

SCREENS = [(1366, 768), (1920, 1080)]

# Boxes and years of what a presenter must see, read in one go (one consistent DOM state).
READ_VIEW = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const box = e => { if (!e) return null; const r = e.getBoundingClientRect();
                     return {left: r.left, top: r.top, right: r.right, bottom: r.bottom,
                             width: r.width, height: r.height}; };
  const num = text => { const m = (text || '').match(/\\d{4}/); return m ? Number(m[0]) : null; };
  const slider = main.querySelector(
    '[data-testid="stSlider"] input[type="range"], [data-testid="stSlider"] [role="slider"]');
  const charts = [...main.querySelectorAll('[data-testid="stDeckGlJsonChart"]')];
  const note = main.querySelector('.pa-legend-note');
  const label = main.querySelector('[data-testid="pa-year"]');
  return {
    running: !!document.querySelector('[data-testid="stStatusWidget"]'),
    canvases: charts.map(c => box(c.querySelector('canvas'))),
    legends: [...main.querySelectorAll('.pa-legend')].map(box),
    label: box(label), labelText: label ? label.textContent : null,
    slider: box(slider),
    years: {slider: slider ? Number(slider.value ?? slider.getAttribute('aria-valuenow')) : null,
            label: num(label && label.textContent), legend: num(note && note.textContent),
            map: num(charts[0] && charts[0].getAttribute('aria-label'))},
    scroll: {main: main.scrollHeight - main.clientHeight,
             page: document.documentElement.scrollHeight - document.documentElement.clientHeight},
    sidebar: !!document.querySelector('[data-testid="stSidebar"]') &&
             document.querySelector('[data-testid="stSidebar"]').getBoundingClientRect().width > 0 &&
             getComputedStyle(document.querySelector('[data-testid="stSidebar"]')).display !== 'none',
  };
}"""


CANVASES_SIZED = """maps => {
  const canvases = [...document.querySelectorAll('[data-testid="stDeckGlJsonChart"] canvas')];
  return canvases.length >= maps && canvases.every(c => {
    const chart = c.closest('[data-testid="stDeckGlJsonChart"]').getBoundingClientRect();
    const own = c.getBoundingClientRect();
    return own.width >= chart.width - 2 && own.height >= chart.height - 2;
  });
}"""


def inside(box: dict | None, width: int, height: int) -> bool:
    return (
        box is not None
        and box["width"] > 0
        and box["left"] >= -1
        and box["top"] >= -1
        and box["right"] <= width + 1
        and box["bottom"] <= height + 1
    )


READ_PAGE = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const box = e => { const r = e.getBoundingClientRect();
                     return {left: r.left, top: r.top, right: r.right, bottom: r.bottom,
                             width: r.width, height: r.height}; };
  const title = main.querySelector('h1');
  const holder = title.closest('[data-testid="stElementContainer"]');
  const others = [...main.querySelectorAll('[data-testid="stElementContainer"]')]
    .filter(e => e !== holder && !e.contains(holder) && getComputedStyle(e).position !== 'fixed'
                 && !e.closest('.st-key-pa_present_tools'))  // the fixed corner: its own test
    .map(box).filter(b => b.width > 0 && b.height > 0);
  const year = main.querySelector('[data-testid="pa-year"], [data-testid="stSlider"]');
  return {title: box(title), others,
          canvases: [...main.querySelectorAll('[data-testid="stDeckGlJsonChart"] canvas')].map(box),
          legends: [...main.querySelectorAll('.pa-legend')].map(box),
          charts: [...main.querySelectorAll('[data-testid="stVegaLiteChart"]')].map(box),
          legendTitles: [...main.querySelectorAll('.pa-legend-title')].map(e => e.textContent),
          year: year ? box(year) : null};
}"""


def overlaps(a: dict, b: dict) -> bool:
    return min(a["right"], b["right"]) - max(a["left"], b["left"]) > 1 and (
        min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 1
    )


def touches_the_sides(image: Image.Image) -> tuple[int, int]:
    """Drawn pixels (not the corner's background colour) in the first and last 2 px columns."""
    background = image.getpixel((2, 2))
    columns = {"left": (0, 1), "right": (image.width - 2, image.width - 1)}
    return tuple(  # type: ignore[return-value]
        sum(
            1
            for x in xs
            for y in range(image.height)
            if max(abs(a - b) for a, b in zip(image.getpixel((x, y)), background)) > 24
        )
        for xs in columns.values()
    )


def whole_country(page, index: int, label: str) -> None:
    image = canvas_image(page, index)
    assert drawn_pixels(image) > 0.05 * image.width * image.height, "the map is (nearly) empty"
    left, right = touches_the_sides(image)
    assert left == 0 and right == 0, f"map {index} is cut at its sides ({left} px left, {right} px right)"
    image.save(SHOTS / f"side_by_side_{index}_{label}.png")
