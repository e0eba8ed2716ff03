"""Paths the tests share: the app AppTest runs, and what each rebuild test compares (see conftest.py)."""

from __future__ import annotations

from benchmarks.common import ROOT

APP = str(ROOT / "app.py")

# A rebuild test is marked `slow(<make target>, <more paths>...)`: it runs when the target's prerequisites
# (as the Makefile lists them), these paths or the test's file changed. Globs are allowed.
POVERTY_TABLES = ("geodata/poverty_counties.csv", "geodata/contiguous_areas.csv", "geodata/sanqu_sanzhou.csv")
BOUNDARY_LAYERS = (
    "geodata/counties.parquet",
    "geodata/prefectures.parquet",
    "geodata/provinces.parquet",
    "geodata/country.parquet",
    "geodata/build_manifest.json",
)
WEB_LAYERS = ("static/geo/manifest.json", "static/geo/*.json")
AREA_OUTLINES = ("geodata/area_outlines.parquet",)
