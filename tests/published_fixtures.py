"""Synthetic published datasets for the tests of atlas.published (made-up memberships, never real data):
an area list that puts exactly each area's official number of poverty counties in each of the 14 areas,
taking the bundled members first and then other poverty counties of the area's provinces, and a store
holding it; a made-up panel version and its rows, for the story files."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pandas as pd

from atlas.datasets import DatasetVersion, SourceCitation, Store, operator
from loaders.schema import data_root

SYNTHETIC_SOURCE = SourceCitation(
    "Synthetic membership for tests", "Synthetic <b>publisher</b> *md*", "2026-01", "tests/published_fixtures.py"
)


def synthetic_counts(areas: pd.DataFrame, total: int) -> list[int]:
    """Each area's official count; the areas without one share what is left of `total` (made up)."""
    known = pd.to_numeric(areas["county_count_official"], errors="coerce")
    missing = int(known.isna().sum())
    left = total - int(known.sum())
    shares = [left // missing + (1 if i < left % missing else 0) for i in range(missing)]
    return [int(k) if k == k else shares.pop(0) for k in known]


def synthetic_area_list() -> pd.DataFrame:
    """code, name_zh, area (the area's Chinese name): 680 poverty counties, each area at its official count."""
    root = data_root()
    poverty = pd.read_csv(root / "poverty_counties.csv", dtype=str)
    areas = pd.read_csv(root / "contiguous_areas.csv", dtype=str)
    totals = pd.read_csv(root / "official_totals.csv", dtype=str).set_index("measure")["value"]
    counts = synthetic_counts(areas, int(totals["contiguous_area_counties"]))
    taken: dict[str, str] = {}
    for area_id, official in zip(areas["area_id"], counts):
        members = list(poverty.loc[poverty["contiguous_area"] == area_id, "code"])[:official]
        taken.update(dict.fromkeys(members, area_id))
    for area_id, official, provinces in zip(areas["area_id"], counts, areas["provinces_zh"].fillna("")):
        wanted = official - sum(1 for a in taken.values() if a == area_id)
        spare = poverty[~poverty["code"].isin(taken) & poverty["province_zh"].isin(provinces.split(";"))]
        spare = spare if len(spare) >= wanted else poverty[~poverty["code"].isin(taken)]
        taken.update(dict.fromkeys(list(spare["code"])[:wanted], area_id))
    names = dict(zip(poverty["code"], poverty["name_zh"]))
    area_zh = dict(zip(areas["area_id"], areas["name_zh"]))
    return pd.DataFrame(
        {"code": list(taken), "name_zh": [names[c] for c in taken], "area": [area_zh[a] for a in taken.values()]}
    )


def report_of(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "input_row": pd.array(range(1, len(rows) + 1), dtype="Int64"),
            "status": "matched",
            "code": rows["code"].to_numpy(),
            "method": "code",
        }
    )


def publish_synthetic(store: Store, rows: pd.DataFrame | None = None, dataset_id: str | None = "synthetic-areas"):
    """Publish the synthetic area list (as the command's operator) and return its DatasetVersion."""
    rows = synthetic_area_list() if rows is None else rows
    digest = hashlib.sha256(rows.to_csv(index=False).encode()).hexdigest()
    return store.publish(
        "area",
        "Synthetic areas <script>x</script>",
        SYNTHETIC_SOURCE,
        rows,
        report_of(rows),
        actor=operator(),
        file_name="synthetic_areas.csv",
        sha256=digest,
        dataset_id=dataset_id,
    )


SYNTHETIC_PANEL_SOURCE = SourceCitation(
    "Synthetic county statistics", "Synthetic statistics office", "2026-02", "a synthetic yearbook"
)


def synthetic_panel(codes: list[str], column: str = "synthetic_rate") -> tuple[DatasetVersion, pd.DataFrame]:
    """A published panel version (never stored) and its rows: `column` over 2017-2019 for `codes`, each
    county a different made-up value that grows by year."""
    years = (2017, 2018, 2019)
    rows = pd.DataFrame(
        {
            "code": codes * len(years),
            "name_zh": [f"合成县{i}" for i in range(len(codes))] * len(years),
            "year": pd.array([y for y in years for _ in codes], dtype="Int64"),
            column: [float(10 * i + 25 * (y - 2017)) for y in years for i in range(len(codes))],
        }
    )
    version = DatasetVersion(
        "synthetic-panel",
        2,
        "panel",
        "Synthetic panel",
        SYNTHETIC_PANEL_SOURCE,
        "local:synthetic",
        datetime(2026, 3, 1, 8, 0, tzinfo=UTC),
        "synthetic_panel.csv",
        "e" * 64,
        len(rows),
    )
    return version, rows


# A version row of each kind, its citation with markup in it (to be shown as text).
VERSION_SOURCE = SourceCitation("Synthetic notice <b>x</b>", "Synthetic office", "2026-02-03", "a drawer")
THREE_AREAS = pd.DataFrame(
    {
        "area_id": ["wumeng", "liupan", "sisheng_zangqu"],
        "name_zh": ["乌蒙山区", "六盘山区", "四省藏区"],
        "name_en": ["Wumeng Mountain Area", "Liupan Mountain Area", "Tibetan areas of four provinces"],
    }
)


def synthetic_version(kind: str = "area", number: int = 1, dataset_id: str = "syn-list", **extra) -> DatasetVersion:
    return DatasetVersion(
        dataset_id,
        number,
        kind,
        f"Synthetic {kind} list",
        VERSION_SOURCE,
        "local:alice",
        datetime(2026, 3, number, 8, 0, tzinfo=UTC),
        "synthetic.csv",
        "ab" * 32,
        3,
        **extra,
    )
