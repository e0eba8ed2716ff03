"""Map geometry as static GeoJSON files, fetched once per browser and cached.

`python -m pipeline.web_layers` reads the boundary layers in geodata/ and writes
static/geo/ (served by Streamlit at /app/static/geo/, see .streamlit/config.toml):

    counties.json               every county, coarse (zoomed views, outside their detailed province)
    counties-inset.json         the same, each inset by half a seam (national views: see loaders.geometry)
    counties-<province>.json    the counties of one province, detailed (zoomed views)
    counties-<province>-inset.json, provinces-<province>-lines.json, counties-<province>-context.json
                                a province's own view (loaders.geometry.province_view): its counties
                                simplified to half a pixel and inset, the province and country lines
                                in its view as strips, the coarse counties (of counties.json) its
                                views can show
    provinces-<province>-detail.json, country-<province>-detail.json
                                the detailed province and country lines as far as those views reach,
                                stroked by the closer views inside that reach (a prefecture, an area)
    provinces.json, provinces-detail.json, country.json, country-detail.json
    provinces-lines.json, country-lines.json   their boundaries as polygon strips (national views)
    area_outlines.json          the contiguous areas, coarse; area_outlines-inset.json inset (national views)
    sanqu_outline.json          the outline of the 三区三州, coarse; sanqu-lines.json as a strip (national views)
    maritime.json               the maritime line (geodata/maritime.parquet); maritime-lines.json as a strip
    manifest.json               per file: SHA-256, bytes and the codes in feature order

Both levels of detail come from loaders.geometry.build. A feature carries only its stable id `c`,
its index `i` in its file (what the colour accessor reads, see atlas.layers) and, for
counties and area outlines, its names from counties.parquet, provinces.parquet and
area_outlines.parquet (`nz`, `ne`, `pz`, `pe`, for the tooltip): rebuilding after those
files change refreshes them. Colours, classes and
every poverty attribute come from the session on each rerun, never from these files.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import shapely

from loaders import geometry
from loaders.geo_io import load_layer
from loaders.schema import GEODATA, NATIONAL_FILES, PROVINCE_FILES, ROOT, STATIC_GEO

MANIFEST = "manifest.json"


def _collection(codes: list[str], geometries: dict, properties: dict[str, dict]) -> bytes:
    features = [
        {"type": "Feature", "geometry": geometries[code], "properties": {"i": i, "c": code, **properties.get(code, {})}}
        for i, code in enumerate(codes)
    ]
    return json.dumps(
        {"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")


def _names(counties: gpd.GeoDataFrame, provinces: gpd.GeoDataFrame) -> dict[str, dict]:
    province = {c: (zh, en) for c, zh, en in zip(provinces["code"], provinces["name_zh"], provinces["name_en"])}
    return {
        code: {"nz": zh, "ne": en or zh, "pz": province.get(p, ("", ""))[0], "pe": province.get(p, ("", ""))[1]}
        for code, zh, en, p in zip(
            counties["code"], counties["name_zh"], counties["name_en"], counties["province_code"]
        )
    }


def build(root: Path | str | None = None) -> dict[str, bytes]:
    """File name -> content, deterministic for the same geodata/."""
    counties = load_layer("counties", root)
    provinces = load_layer("provinces", root)
    country = load_layer("country", root)
    outlines = load_layer("area_outlines", root)
    files: dict[str, bytes] = {}
    names = _names(counties, provinces)
    county_lod = geometry.build(counties)
    codes = [str(c) for c in counties["code"]]
    files["counties.json"] = _collection(codes, county_lod.coarse, names)
    files[NATIONAL_FILES["counties"]] = _collection(codes, geometry.inset(county_lod.coarse, codes), names)
    for prov in sorted(set(counties["province_code"])):
        members = [str(c) for c in counties.loc[counties["province_code"] == prov, "code"]]
        files[f"counties-{prov}.json"] = _collection(members, county_lod.detailed, names)
    maritime = load_layer("maritime", root)
    levels = {"provinces": geometry.build(provinces), "country": geometry.build(country)}
    files.update(province_views(counties, provinces, country, names, county_lod.coarse, maritime, levels))
    for name, frame in (("provinces", provinces), ("country", country)):
        level = levels[name]
        keys = [str(c) for c in frame["code"]]
        files[f"{name}.json"] = _collection(keys, level.coarse, {})
        files[f"{name}-detail.json"] = _collection(keys, level.detailed, {})
        width = geometry.PROVINCE_PX if name == "provinces" else geometry.COUNTRY_PX
        files[NATIONAL_FILES[name]] = _collection(["all"], {"all": geometry.strips(level.coarse.values(), width)}, {})
    outlines = outlines[outlines["kind"].isin(["area", "sanqu_sanzhou"])]  # one feature per id
    outline_lod = geometry.build(outlines, key="unit_id", is_coverage=False)  # areas overlap the 三区三州
    for kind, name in (("area", "area_outlines.json"), ("sanqu_sanzhou", "sanqu_outline.json")):
        rows = outlines[outlines["kind"] == kind]
        names = {
            str(u): {"nz": zh, "ne": en or zh, "pz": "", "pe": ""}
            for u, zh, en in zip(rows["unit_id"], rows["name_zh"], rows["name_en"])
        }
        units = [str(u) for u in rows["unit_id"]]
        files[name] = _collection(units, outline_lod.coarse, names)
        if kind == "area":
            files[NATIONAL_FILES["area_outlines"]] = _collection(
                units, geometry.inset(outline_lod.coarse, units), names
            )
        else:
            strip = geometry.strips((outline_lod.coarse[u] for u in units), geometry.SANQU_PX)
            files[NATIONAL_FILES["sanqu_outline"]] = _collection(["all"], {"all": strip}, {})
    line = geometry.geometry_index(maritime)["100000"]
    files["maritime.json"] = _collection(["maritime"], {"maritime": line}, {})
    strip = geometry.strips([line], geometry.COUNTRY_PX)
    files[NATIONAL_FILES["maritime"]] = _collection(["maritime"], {"maritime": strip}, {})
    files[MANIFEST] = manifest(files)
    return files


def province_views(
    counties: gpd.GeoDataFrame,
    provinces: gpd.GeoDataFrame,
    country: gpd.GeoDataFrame,
    names: dict[str, dict],
    coarse: Mapping[str, geometry.Geometry],
    maritime: gpd.GeoDataFrame,
    levels: Mapping[str, geometry.LevelOfDetail],
) -> dict[str, bytes]:
    """Each province's own view, drawn like the national one from polygons only (PROVINCE_FILES).
    Its context is the coarse counties a view of it can show (the lines' box, a view centred on any of
    its counties) rather than all ~2,900: a software renderer spent a third of a frame on the vertices
    of the counties out of sight. Views closer than its own stroke the detailed province and country
    lines (`levels`) in the same box: all of China's took a software renderer ~7 s a frame."""
    files: dict[str, bytes] = {}
    detailed = {
        name: geometry.boundary_network(gpd.GeoSeries([shapely.geometry.shape(g) for g in level.detailed.values()]))
        for name, level in levels.items()
    }
    province_shapes = [shapely.geometry.mapping(g) for g in provinces.geometry]
    # The maritime line goes with the country's (a province by the sea shows the dashes off its coast)
    country_shapes = [shapely.geometry.mapping(g) for g in (*country.geometry, *maritime.geometry)]
    for prov, shape in zip(provinces["code"], provinces.geometry):
        members = counties[counties["province_code"] == prov]
        if members.empty:
            continue
        view = geometry.province_view(geometry.main_bounds(shape))
        zoom = view[2]
        simplified = shapely.coverage_simplify(
            members.geometry.values, geometry.pixel_degrees(zoom) / 2, simplify_boundary=True
        )
        codes = [str(c) for c in members["code"]]
        shapes = {c: geometry.rounded_mapping(g, geometry.COORD_DIGITS) for c, g in zip(codes, simplified)}
        files[PROVINCE_FILES["counties"].format(prov)] = _collection(
            codes, geometry.inset(shapes, codes, zoom=zoom), names
        )
        box = geometry.province_reach(view)
        lines = {
            "provinces": geometry.strips(province_shapes, geometry.PROVINCE_PX, zoom, box, tolerance_px=1.0),
            "country": geometry.strips(country_shapes, geometry.COUNTRY_PX, zoom, box, tolerance_px=1.0),
        }
        files[PROVINCE_FILES["lines"].format(prov)] = _collection(["provinces", "country"], lines, {})
        for name, network in detailed.items():
            close = geometry.lines_within(network, box)
            files[PROVINCE_FILES[f"close_{name}"].format(prov)] = _collection(
                [name] if close else [], {name: close}, {}
            )
        # The counties beneath: as far as the lines, and as far as a view centred on any of its counties
        # shows (a county found by search, atlas.county_map.county_view)
        x0, y0, x1, y1 = members.geometry.representative_point().total_bounds
        south_west = geometry.view_bounds((y0, x0, zoom), geometry.PROVINCE_MAP_PX)
        north_east = geometry.view_bounds((y1, x1, zoom), geometry.PROVINCE_MAP_PX)
        reach = (*map(min, box[:2], south_west[:2]), *map(max, box[2:], north_east[2:]))
        near = counties.geometry.intersects(shapely.box(*reach)).to_numpy()
        context = [str(c) for c, keep in zip(counties["code"], near) if keep and str(c) in coarse]
        files[PROVINCE_FILES["context"].format(prov)] = _collection(context, coarse, names)
    return files


def manifest(files: dict[str, bytes]) -> bytes:
    entries = {}
    for name, content in sorted(files.items()):
        if name == MANIFEST:
            continue
        features = json.loads(content)["features"]
        entries[name] = {
            "sha256": hashlib.sha256(content).hexdigest(),
            "bytes": len(content),
            "codes": [f["properties"]["c"] for f in features],
        }
    return json.dumps(entries, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8") + b"\n"


def write(out: Path = STATIC_GEO, root: Path | str | None = None) -> dict[str, bytes]:
    files = build(root if root is not None else GEODATA)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*.json"):
        if stale.name not in files:
            stale.unlink()
    for name, content in files.items():
        (out / name).write_bytes(content)
    return files


def main() -> None:
    files = write()
    total = sum(len(c) for c in files.values())
    print(f"wrote {len(files)} files, {total / 1e6:.1f} MB, to {STATIC_GEO.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
