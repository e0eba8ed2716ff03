"""A map image's map drawn into matplotlib axes from the projected outlines (atlas.image_geometry):
the counties in their colours over the context, the borders, the page's marks, the South China Sea inset."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.collections import PathCollection
from matplotlib.patches import Rectangle
from matplotlib.path import Path as MplPath

from atlas.colours import (
    CONTEXT_FILL,
    CONTEXT_LINE,
    COUNTRY_LINE,
    HIGHLIGHT_LINE,
    PROVINCE_LINE,
    RGBA,
    blend,
)
from atlas.county_map import SANQU_LINE
from atlas.image_font import font
from atlas.image_geometry import ImageGeometry, fit
from atlas.image_spec import ImageSpec, Panel

DETAIL_BELOW_M = 2_500_000  # views narrower than this use the detailed outlines


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


def draw_map(
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


def draw_marks(ax, geometry: ImageGeometry, spec: ImageSpec, box: tuple[float, float, float, float]) -> None:
    """What the page draws over the map: area outlines (the 三区三州) and the chosen county's outline."""
    if spec.outlines and geometry.outlines is not None:
        shown = geometry.outlines[geometry.outlines.index.isin(list(spec.outlines))]
        ax.add_collection(_collection(_paths(geometry, "outlines", shown), "none", SANQU_LINE, 1.8, 5))
    if spec.highlight:
        layer = "detailed_counties" if box[2] - box[0] < DETAIL_BELOW_M else "counties"
        counties = getattr(geometry, layer)
        chosen = counties[counties.index == spec.highlight]
        ax.add_collection(_collection(_paths(geometry, layer, chosen), "none", HIGHLIGHT_LINE, 2.6, 6))


def draw_inset(ax, geometry: ImageGeometry, panel: Panel, rect: tuple, label: str) -> None:
    """The South China Sea in its frame over the main map's lower right corner (`rect` in its data units)."""
    inset = ax.inset_axes(rect, transform=ax.transData, zorder=6)
    s0, t0, s1, t1 = geometry.south_sea
    x, y, w, h = rect
    draw_map(inset, geometry, panel, fit((s0, t0, s1, t1), w / h))
    for face, edge, z in (("white", "none", 0), ("none", blend(COUNTRY_LINE), 8)):  # paper beneath, frame above
        inset.add_artist(
            Rectangle((0, 0), 1, 1, transform=inset.transAxes, facecolor=face, edgecolor=edge, linewidth=0.9, zorder=z)
        )
    inset.text(0.96, 0.03, label, transform=inset.transAxes, fontproperties=font(11), ha="right", va="bottom", zorder=7)
