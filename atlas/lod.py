"""The app's index of the static geometry files (static/geo/, written by pipeline.web_layers):
which file to draw for a view, and the order of its features (what a colour table is indexed by).
The levels of detail themselves and the national views' polygon lines are in loaders.geometry."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd

from loaders.geometry import (
    PROVINCE_ZOOM_GAIN,
    PROVINCE_ZOOM_STEP,
    BBox,
    box_area,
    contains,
    is_national,
    main_bounds,
    overlap_area,
    province_reach,
    province_view,
    view_bounds,
)
from loaders.schema import NATIONAL_FILES, PROVINCE_FILES

MAP_PX = (900, 650)  # the county map's usual size, for choosing detailed files
MAX_DETAIL_FILES = 1
MIN_DETAIL_SHARE = 0.15


@dataclass(frozen=True)
class StaticFile:
    """One GeoJSON file of static/geo/: its URL (relative to the page, versioned by its
    content hash, so a browser refetches only what changed) and its features' codes in order."""

    url: str
    codes: tuple[str, ...]


STATIC_URL = "app/static/geo/"  # Streamlit serves static/ at <app>/app/static/


def static_files(folder: Path) -> dict[str, StaticFile]:
    """File name -> StaticFile, from the build's manifest.json."""
    entries = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return {
        name: StaticFile(f"{STATIC_URL}{name}?v={e['sha256'][:12]}", tuple(e["codes"])) for name, e in entries.items()
    }


@dataclass(frozen=True)
class ProvinceView:
    """A province's own view and its files (loaders.schema.PROVINCE_FILES): polygons only, like a
    national view, so a year step costs what it costs there."""

    view: tuple[float, float, float]
    counties: StaticFile
    lines: StaticFile
    context: StaticFile
    close_provinces: StaticFile
    close_country: StaticFile

    @property
    def max_zoom(self) -> float:
        return self.view[2] + PROVINCE_ZOOM_GAIN

    def holds(self, view: tuple[float, float, float]) -> bool:
        """A view this province's files draw well: about its zoom, up to PROVINCE_ZOOM_GAIN closer."""
        return self.view[2] - 2 * PROVINCE_ZOOM_STEP <= view[2] <= self.max_zoom

    def reaches(self, view: tuple[float, float, float]) -> bool:
        """A closer view its context and close lines draw whole: one inside the box they were built for."""
        return contains(province_reach(self.view), view_bounds(view, MAP_PX))


@dataclass(frozen=True)
class WebLayer:
    """A layer's coarse file and its detailed files, each detailed file with its bounding box;
    `national`: the file a national view draws, polygons only (see the module's docstring)."""

    coarse: StaticFile
    detail: Mapping[str, StaticFile]
    bounds: Mapping[str, BBox]
    national: StaticFile
    views: Mapping[str, ProvinceView] = field(default_factory=dict)

    def province_view(self, view: tuple[float, float, float]) -> tuple[str, ProvinceView] | None:
        """The province whose own view draws `view` (the province filling most of it, at about its
        zoom); None for a national view or a closer one (the detailed files)."""
        filling = self._filling(view)
        return filling if filling is not None and filling[1].holds(view) else None

    def close_province(self, view: tuple[float, float, float]) -> tuple[str, ProvinceView] | None:
        """The province whose context and close lines draw a view closer than a province's own (a
        prefecture, an area's few counties): the province filling most of it, when the view lies in its
        files' reach; None otherwise (all of China's coarse counties and detailed lines are drawn)."""
        filling = self._filling(view)
        return filling if filling is not None and filling[1].reaches(view) else None

    def _filling(self, view: tuple[float, float, float]) -> tuple[str, ProvinceView] | None:
        """The province filling most of a zoomed view, with its own files; None if it has none."""
        code = next(iter(self.detail_for(view)), None)
        own = self.views.get(code) if code else None
        return (code, own) if own is not None else None

    def detail_for(self, view: tuple[float, float, float]) -> dict[str, StaticFile]:
        """The detailed files of the (at most MAX_DETAIL_FILES) provinces filling most of a zoomed view
        (lat, lon, zoom); none for a national view. The edges of a view stay coarse: every detailed
        file costs the browser parsing, tessellation and picking time."""
        if is_national(view):
            return {}
        box = view_bounds(view, MAP_PX)
        share = {key: overlap_area(self.bounds[key], box) / box_area(box) for key in self.detail}
        chosen = sorted((k for k, v in share.items() if v >= MIN_DETAIL_SHARE), key=lambda k: -share[k])
        return {key: self.detail[key] for key in sorted(chosen[:MAX_DETAIL_FILES])}


def web_layers(folder: Path, provinces: gpd.GeoDataFrame) -> dict[str, WebLayer]:
    """The layers of static/geo/: counties (detailed per province), provinces, country, area outlines,
    the maritime line."""
    files = static_files(folder)
    whole = tuple(provinces.total_bounds)
    by_province = {c: tuple(b) for c, b in zip(provinces["code"], provinces.geometry.bounds.to_numpy().tolist())}
    kinds = ("counties", "lines", "context", "close_provinces", "close_country")  # ProvinceView's fields after its view
    views = {
        code: ProvinceView(province_view(main_bounds(shape)), *(files[PROVINCE_FILES[k].format(code)] for k in kinds))
        for code, shape in zip(provinces["code"], provinces.geometry)
        if all(PROVINCE_FILES[k].format(code) in files for k in kinds)
    }
    out = {
        "counties": WebLayer(
            files["counties.json"],
            {p: files[f"counties-{p}.json"] for p in by_province if f"counties-{p}.json" in files},
            by_province,
            files[NATIONAL_FILES["counties"]],
            views,
        ),
        **{
            name: WebLayer(
                files[f"{name}.json"],
                {"all": files[f"{name}-detail.json"]},
                {"all": whole},
                files[NATIONAL_FILES[name]],
            )
            for name in ("provinces", "country")
        },
    }
    for name in ("area_outlines", "sanqu_outline", "maritime"):
        if f"{name}.json" in files:
            out[name] = WebLayer(files[f"{name}.json"], {}, {}, files[NATIONAL_FILES[name]])
    return out
