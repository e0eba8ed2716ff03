"""Shared fixtures. Everything named synthetic_* is made-up test data, never shown in the app.

Rebuild tests (marked `slow(<make target>, <paths>...)`, see tests/paths.py) run only when what they
compare may have changed: a digest of the target's prerequisites (asked of make), the given paths and
the test's own file, against the digest of the last time the test passed here (.pytest_cache/rebuilds/);
with no such record (a fresh clone), when one of those files differs from git's HEAD. CI=true runs them all.
"""

from __future__ import annotations

import glob
import hashlib
import os
import subprocess
from functools import cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from benchmarks.common import ROOT
from loaders.schema import POVERTY_COUNTIES

POVERTY_COLUMNS = POVERTY_COUNTIES.names
STAMPS = ROOT / ".pytest_cache" / "rebuilds"
DIGEST = pytest.StashKey[str]()


@cache
def make_prerequisites(target: str) -> tuple[str, ...]:
    """The prerequisites the Makefile lists for `target` (order-only ones aside), from make's own database."""
    try:
        database = subprocess.run(["make", "-pq", target], cwd=ROOT, capture_output=True, text=True).stdout
    except OSError:
        return ()
    line = next((x for x in database.splitlines() if x.startswith(f"{target}:")), f"{target}:")
    return tuple(line.split(":", 1)[1].split("|")[0].split())


def rebuild_inputs(item: pytest.Item, paths: tuple[str, ...]) -> list[str]:
    named = [*paths, *make_prerequisites(paths[0])]
    found = {str(Path(p).relative_to(ROOT)) for pattern in named for p in glob.glob(str(ROOT / pattern))}
    return sorted(found | {str(item.path.relative_to(ROOT))})


def changed_since_head(paths: list[str]) -> bool:
    try:
        status = subprocess.run(["git", "status", "--porcelain", "--", *paths], cwd=ROOT, capture_output=True)
    except OSError:
        return True
    return status.returncode != 0 or bool(status.stdout.strip())


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        marker = item.get_closest_marker("slow")
        if marker is None or not marker.args:
            continue
        inputs = rebuild_inputs(item, marker.args)
        digest = hashlib.sha256()
        for name in inputs:
            digest.update(name.encode() + b"\0" + (ROOT / name).read_bytes())
        item.stash[DIGEST] = digest.hexdigest()
        if os.environ.get("CI", "").lower() in ("1", "true"):
            continue
        stamp = STAMPS / hashlib.sha256(item.nodeid.encode()).hexdigest()
        unchanged = stamp.read_text() == item.stash[DIGEST] if stamp.is_file() else not changed_since_head(inputs)
        if unchanged:
            why = "passed on these inputs before" if stamp.is_file() else "inputs as committed"
            item.add_marker(pytest.mark.skip(reason=f"rebuild: {why}; CI=true runs it"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.when == "call" and report.passed and DIGEST in item.stash:
        STAMPS.mkdir(parents=True, exist_ok=True)
        (STAMPS / hashlib.sha256(item.nodeid.encode()).hexdigest()).write_text(item.stash[DIGEST])
    return report


@pytest.fixture(scope="session")
def gazetteer():
    """The matcher's gazetteer of geodata/, loaded once a session (tests/test_match_*.py)."""
    from loaders import match

    return match.load_gazetteer()


@pytest.fixture
def synthetic_poverty() -> pd.DataFrame:
    """Five made-up counties covering every flag and an unknown exit year."""
    rows = [
        (
            "513401",
            None,
            "甲县",
            "Jia Xian",
            "510000",
            "四川省",
            "513400",
            "凉山州",
            True,
            "wumeng",
            True,
            True,
            2020,
            "2020-11-17",
        ),
        (
            "513402",
            None,
            "乙县",
            "Yi Xian",
            "510000",
            "四川省",
            "513400",
            "凉山州",
            False,
            "wumeng",
            True,
            None,
            2019,
            None,
        ),
        (
            "513301",
            "513321",
            "丙市",
            "Bing Shi",
            "510000",
            "四川省",
            "513300",
            "甘孜州",
            True,
            "sisheng_zangqu",
            True,
            False,
            2018,
            None,
        ),
        (
            "620101",
            None,
            "丁县",
            "Ding Xian",
            "620000",
            "甘肃省",
            "620100",
            "某市",
            None,
            None,
            False,
            None,
            2016,
            None,
        ),
        (
            "620102",
            None,
            '=HYPERLINK("x")<b>戊</b>',
            "Wu Xian",
            "620000",
            "甘肃省",
            "620100",
            "某市",
            True,
            "liupan",
            False,
            None,
            None,
            None,
        ),
    ]
    given = [
        "code",
        "code_designated",
        "name_zh",
        "name_en",
        "province_code",
        "province_zh",
        "prefecture_code",
        "prefecture_zh",
        "key_county",
        "contiguous_area",
        "sanqu_sanzhou",
        "deep_poverty",
        "exit_year",
        "exit_date",
    ]
    frame = pd.DataFrame(rows, columns=given)
    frame["exit_year_source_kind"] = frame["exit_year"].map(lambda y: None if pd.isna(y) else "official")
    frame["exit_date_kind"] = ["approved", None, None, None, None]
    frame["join_status"] = "matched"
    frame["source_ids"] = "synthetic-a;synthetic-b"
    frame = frame.reindex(columns=POVERTY_COLUMNS)  # columns not set here stay empty
    return frame.astype(
        {"key_county": "boolean", "sanqu_sanzhou": "boolean", "deep_poverty": "boolean", "exit_year": "Int64"}
    )


@pytest.fixture
def synthetic_boundaries(synthetic_poverty: pd.DataFrame) -> gpd.GeoDataFrame:
    """One unit square per county, side by side, plus one non-poverty county."""
    codes = list(synthetic_poverty["code"]) + ["620103"]
    geoms = [box(100 + i, 30, 101 + i, 31) for i in range(len(codes))]
    return gpd.GeoDataFrame(
        {
            "code": codes,
            "name_zh": [f"县{i}" for i in range(len(codes))],
            "name_en": [f"X{i}" for i in range(len(codes))],
            "province_code": ["510000"] * 3 + ["620000"] * 3,
            "area_km2": [1000.0 + i for i in range(len(codes))],
        },
        geometry=geoms,
        crs="EPSG:4326",
    )


@pytest.fixture
def synthetic_sources() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source_id": ["synthetic-a", "synthetic-b", "synthetic-unused"],
            "title": ["=cmd|' /C calc'!A0", "B", "C"],
            "publisher": ["P", "P", "P"],
            "date": ["2020", "2021", "2022"],
            "address": ["https://example.org/a", "", ""],
            "date_accessed": ["", "", ""],
            "where_found": ["", "y", "z"],
            "license": ["", "", ""],
            "notes": ["", "", ""],
        }
    )


@pytest.fixture(autouse=True)
def navigation_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """AppTest runs app.py as the server does (see atlas/ui/server.py): st.navigation routes the
    pages in pages/, Streamlit's legacy pages-folder layout is off."""
    from streamlit.runtime import pages_manager
    from streamlit.testing.v1 import app_test

    class NavigationPagesManager(pages_manager.PagesManager):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            pages_manager.PagesManager.uses_pages_directory = False

    monkeypatch.setattr(app_test, "PagesManager", NavigationPagesManager)


@pytest.fixture(scope="session")
def atlas_ingredients():
    """lang -> what drawing a view needs, from the embedded data (geodata/), as the app builds it."""
    from atlas import image_geometry, slide_images
    from atlas.i18n import pick_name
    from atlas.sources_view import short_citation
    from loaders.data import load_atlas, with_boundary_attributes

    data = load_atlas()
    geometry = image_geometry.prepare(data.counties, data.provinces, data.country, data.maritime, data.outlines)
    poverty = with_boundary_attributes(data.poverty, data.counties)
    citations = {row["source_id"]: short_citation(row) for row in data.sources.to_dict("records")}

    def ingredients(lang: str) -> slide_images.Ingredients:
        names = {
            c: pick_name(z, e, lang)
            for c, z, e in zip(data.provinces["code"], data.provinces["name_zh"], data.provinces["name_en"])
        }
        areas = dict(zip(data.areas["area_id"], data.areas[f"name_{lang}"]))
        return slide_images.Ingredients(poverty, geometry, names, areas, citations, data.series)

    return ingredients


# --- the dataset store (tests/test_store_*.py) --------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_cluster():
    from store_fixtures import postgres_bin, start_cluster

    if postgres_bin() is None:
        pytest.skip("PostgreSQL binaries not installed (/usr/lib/postgresql/*/bin): run `make postgres`")
    cluster = start_cluster()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request, tmp_path) -> str:
    """A new empty store's URL: a test that takes it (or `store`) runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'atlas.db'}"
        return
    cluster = request.getfixturevalue("postgres_cluster")
    made = cluster.new_database()
    yield made
    cluster.drop_database(made)


@pytest.fixture
def store(url):
    from atlas.datasets import Store

    opened = Store.open(url)
    yield opened
    opened.close()
