"""Colours: categorical palettes per layer, sequential ramps for classed values,
a high-contrast variant for projectors, and one "no data" colour everywhere."""

from __future__ import annotations

from atlas.classes import NODATA, layer_keys

RGBA = tuple[int, int, int, int]


def _hex(code: str, alpha: int = 230) -> RGBA:
    code = code.lstrip("#")
    return int(code[0:2], 16), int(code[2:4], 16), int(code[4:6], 16), alpha


# One mid grey means "unknown" on every layer, on screen and on a projector alike.
NODATA_RGBA: RGBA = _hex("#bdbdbd", 200)
CONTEXT_FILL: RGBA = _hex("#f2f0eb", 255)
CONTEXT_LINE: RGBA = _hex("#d9d6cf", 255)
PROVINCE_LINE: RGBA = _hex("#6b6b6b", 255)
COUNTRY_LINE: RGBA = _hex("#303030", 255)
# The selected county: a black line on a white halo, colours no legend class uses, seen on every class
# (the blue it was is a class of the contrast palette and vanished on "exited earlier").
HIGHLIGHT_LINE: RGBA = _hex("#000000", 255)
HIGHLIGHT_HALO: RGBA = _hex("#ffffff", 255)

# Okabe–Ito and ColorBrewer-derived palettes: distinguishable with colour-vision deficiency.
_CATEGORICAL: dict[str, dict[str, list[str]]] = {
    "status": {
        "normal": ["#c0392b", "#f5b041", "#7fb3d5"],
        "contrast": ["#d7191c", "#ffd300", "#2c7bb6"],
    },
    "exit": {
        "normal": ["#fde725", "#5ec962", "#21918c", "#3b528b", "#440154"],
        "contrast": ["#ffe600", "#00c853", "#00a3ff", "#3d2bff", "#ff00aa"],
    },
    "area": {
        "normal": [
            "#e6194b",
            "#3cb44b",
            "#4363d8",
            "#f58231",
            "#911eb4",
            "#46f0f0",
            "#f032e6",
            "#bcf60c",
            "#008080",
            "#9a6324",
            "#800000",
            "#808000",
            "#000075",
            "#e6beff",
            "#ece7dc",
        ],
        "contrast": [
            "#e6194b",
            "#3cb44b",
            "#4363d8",
            "#f58231",
            "#911eb4",
            "#00d5d5",
            "#f032e6",
            "#9acd00",
            "#008080",
            "#9a6324",
            "#800000",
            "#808000",
            "#000075",
            "#b57edc",
            "#ffffff",
        ],
    },
    "flag": {"normal": ["#8e44ad", "#e8e1f0"], "contrast": ["#d7191c", "#ffffff"]},
}

# Sequential ramps (ColorBrewer YlOrRd / contrast: Inferno-like) for up to 7 classes.
_SEQUENTIAL = {
    "normal": ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026", "#800026"],
    "contrast": ["#fcffa4", "#f7d13d", "#fb9b06", "#ed6925", "#cf4446", "#a52c60", "#56106e"],
}


def layer_palette(layer: str, contrast: bool = False) -> dict[str, RGBA]:
    """Class key -> colour for a categorical layer; NODATA always grey."""
    keys = [k for k in layer_keys(layer) if k != NODATA]
    family = layer if layer in _CATEGORICAL else "flag"
    colours = _CATEGORICAL[family]["contrast" if contrast else "normal"]
    palette = {key: _hex(colour) for key, colour in zip(keys, colours, strict=True)}
    palette[NODATA] = NODATA_RGBA
    return palette


def sequential(n: int, contrast: bool = False) -> list[RGBA]:
    """`n` colours, light to dark (n ≤ 7)."""
    ramp = _SEQUENTIAL["contrast" if contrast else "normal"]
    if not 1 <= n <= len(ramp):
        raise ValueError(f"between 1 and {len(ramp)} classes, not {n}")
    step = (len(ramp) - 1) / max(n - 1, 1)
    return [_hex(ramp[round(i * step)]) for i in range(n)]


def css(rgba: RGBA) -> str:
    r, g, b, a = rgba
    return f"rgba({r},{g},{b},{a / 255:.2f})"


def blend(rgba: RGBA) -> tuple[float, float, float]:
    """The colour as it shows over white (as on the web map), opaque, 0..1."""
    r, g, b, a = rgba
    alpha = a / 255
    return tuple(round(c * alpha + 255 * (1 - alpha)) / 255 for c in (r, g, b))  # type: ignore[return-value]
