"""RFC 7946 checks for the tests: a small checker of a FeatureCollection's structure and the winding
of its rings, and the geojson-validator package (PyPI) asked the same.

RFC 7946 §3.1.6: a polygon's exterior ring is counter-clockwise and its holes clockwise;
§4: no `crs` member; §3.1.1: positions are [longitude, latitude] numbers; §3.1.6: rings are
closed with at least four positions."""

from __future__ import annotations

from typing import Any

import geojson_validator

GEOMETRY_TYPES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}


def signed_area(ring: list[list[float]]) -> float:
    """Shoelace formula: positive when the ring runs counter-clockwise (x east, y north)."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:])) / 2


def _position(p: Any, where: str) -> list[str]:
    if not (isinstance(p, list) and 2 <= len(p) <= 3 and all(isinstance(v, int | float) for v in p)):
        return [f"{where}: not a position {p!r}"]
    if not (-180 <= p[0] <= 180 and -90 <= p[1] <= 90):
        return [f"{where}: out of range {p!r}"]
    return []


def _polygon(rings: Any, where: str) -> list[str]:
    errors: list[str] = []
    if not isinstance(rings, list) or not rings:
        return [f"{where}: a polygon needs rings"]
    for k, ring in enumerate(rings):
        at = f"{where} ring {k}"
        if not isinstance(ring, list) or len(ring) < 4:
            errors.append(f"{at}: fewer than four positions")
            continue
        for p in ring:
            errors += _position(p, at)
        if ring[0] != ring[-1]:
            errors.append(f"{at}: not closed")
        area = signed_area(ring)
        if k == 0 and area < 0:
            errors.append(f"{at}: exterior ring is clockwise")
        if k > 0 and area > 0:
            errors.append(f"{at}: hole is counter-clockwise")
    return errors


def geometry_errors(geometry: Any, where: str) -> list[str]:
    if geometry is None:
        return []
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind not in GEOMETRY_TYPES or "coordinates" not in geometry:
        return [f"{where}: not a geometry {kind!r}"]
    coords = geometry["coordinates"]
    if kind == "Polygon":
        return _polygon(coords, where)
    if kind == "MultiPolygon":
        return [e for i, poly in enumerate(coords) for e in _polygon(poly, f"{where} part {i}")]
    if kind == "Point":
        return _position(coords, where)
    flat = coords if kind in ("MultiPoint", "LineString") else [p for line in coords for p in line]
    return [e for p in flat for e in _position(p, where)]


def rfc7946_errors(collection: dict[str, Any]) -> list[str]:
    """Every breach of RFC 7946 found in a FeatureCollection ([] when it conforms), by this checker
    and by geojson-validator (its 'invalid' criteria: unclosed rings, winding; a crs member)."""
    errors = _own_errors(collection)
    if errors or not collection.get("features"):
        return errors
    found = geojson_validator.validate_geometries(collection, criteria_problematic=())["invalid"]
    errors += [f"geojson-validator: {criterion} {where}" for criterion, where in found.items()]
    errors += [f"geojson-validator: {msg}" for msg in geojson_validator.validate_structure(collection, check_crs=True)]
    return errors


def _own_errors(collection: dict[str, Any]) -> list[str]:
    errors: list[str] = []
    if collection.get("type") != "FeatureCollection" or not isinstance(collection.get("features"), list):
        return ["not a FeatureCollection"]
    if "crs" in collection:
        errors.append("a crs member (removed in RFC 7946)")
    for i, feature in enumerate(collection["features"]):
        where = f"feature {i}"
        if feature.get("type") != "Feature" or "geometry" not in feature or "properties" not in feature:
            errors.append(f"{where}: not a Feature with geometry and properties")
            continue
        if "crs" in feature:
            errors.append(f"{where}: a crs member")
        errors += geometry_errors(feature["geometry"], where)
    return errors
