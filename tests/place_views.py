"""What a prefecture's view must show, for the tests of search and filters (unit, AppTest and browser)."""

from __future__ import annotations

from functools import cache

from loaders import geometry
from loaders.data import load_atlas


@cache
def _bounds(prefecture: str) -> tuple[geometry.BBox, geometry.BBox]:
    """The prefecture's poverty counties' bounds and its province's main bounds."""
    data = load_atlas()
    rows = data.poverty[data.poverty["prefecture_code"] == prefecture]
    counties = data.counties[data.counties["code"].isin(rows["code"])]
    province = data.provinces.set_index("code").geometry[rows["province_code"].iloc[0]]
    return tuple(counties.total_bounds), geometry.main_bounds(province)


def assert_prefecture_view(view: tuple[float, float, float] | str, prefecture: str) -> None:
    """`view` (lat, lon, zoom, or as the URL writes it) fits the prefecture's own counties in the map
    column: all of them in sight and filling it across or down, not their whole province (拉萨, not Tibet)."""
    if isinstance(view, str):
        view = tuple(float(v) for v in view.split(","))
    x0, y0, x1, y1 = geometry.view_bounds(view, geometry.PROVINCE_MAP_PX)
    (a, b, c, d), (pa, pb, pc, pd) = _bounds(prefecture)
    assert x0 <= a and c <= x1 and y0 <= b and d <= y1, ("counties out of sight", view, (a, b, c, d))
    assert (c - a) / (x1 - x0) > 0.8 or (d - b) / (y1 - y0) > 0.8, ("counties small in the view", view)
    assert not (x0 <= pa and pc <= x1 and y0 <= pb and pd <= y1), ("the whole province", view)
