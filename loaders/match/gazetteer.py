"""Today's boundary units with the code history: a row's code or name (with province, prefecture, year) to a
polygon, with a status and a method. The indexes are units.py's, matching by code by_code.py's, by name
by_name.py's; here the two are weighed against each other for one row.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from loaders.match.by_name import NameMatching
from loaders.match.history import CodeHistory, load_admin_codes, load_no_code_units
from loaders.match.methods import Outcome, step
from loaders.match.names import MATCHED_STATUSES, core_name
from loaders.schema import data_root


class Gazetteer(NameMatching):
    """Boundary units and the code history, built once (the page caches it with st.cache_resource)."""

    def match_one(self, code: str, name: str, prov2: str, prefs: frozenset[str], year: int | None) -> Outcome:
        key = (code, name, prov2, prefs, year)
        if key not in self._cache:
            self._cache[key] = self._match_one(code, name, prov2, prefs, year)
        return self._cache[key]

    def _match_one(self, code: str, name: str, prov2: str, prefs: frozenset[str], year: int | None) -> Outcome:
        by_code = self._by_code(code, name, year) if code else None
        if (
            by_code is not None
            and name
            and by_code.status in MATCHED_STATUSES
            and not self._name_fits(code, by_code.code, name)
        ):
            by_name = self._by_name(name, prov2, prefs, year)
            if by_name.status in MATCHED_STATUSES and by_name.code != by_code.code:
                return Outcome(
                    "ambiguous",
                    "",
                    step(
                        "code_and_name_differ",
                        code=code,
                        by_code=self.label(by_code.code),
                        name=name,
                        by_name=self.label(by_name.code),
                    ),
                    (by_code.code, by_name.code),
                )
            return replace(by_code, method=by_code.method + step("name_does_not_fit", name=name))
        if by_code is not None and by_code.status != "not_found":
            return by_code
        if not name:
            return by_code or Outcome("not_found", method=step("no_code_no_name"))
        out = self._by_name(name, prov2, prefs, year)
        if by_code is not None and out.status == "not_found":
            return replace(out, method=by_code.method + step("then") + out.method)
        if by_code is not None:
            return replace(out, method=out.method + step("code_is_unknown", code=code))
        return out

    def _name_fits(self, code: str, target: str, name: str) -> bool:
        names = {r.name for r in self.history.by_code.get(code, [])} | {self.name_zh(target)}
        names |= {r.name for r in self.history.by_code.get(target, [])}
        core = core_name(name)
        return name in names or core in {core_name(n) for n in names}


def load_gazetteer(root: Path | None = None) -> Gazetteer:
    """From geodata/counties.parquet and geodata/raw/admin_codes_result.csv, with the provinces' English
    names of geodata/provinces.parquet when it is there (never ../shared)."""
    root = Path(root) if root is not None else data_root()
    counties = pd.read_parquet(
        root / "counties.parquet",
        columns=["code", "name_zh", "name_en", "prefecture_code", "prefecture_zh", "province_code", "province_zh"],
    )
    counties = counties.astype(str)
    provinces = root / "provinces.parquet"
    names_en = pd.read_parquet(provinces, columns=["code", "name_en"]) if provinces.exists() else None
    return Gazetteer(
        counties,
        CodeHistory(load_admin_codes(root / "raw" / "admin_codes_result.csv")),
        load_no_code_units(root / "raw"),
        dict(zip(names_en["code"], names_en["name_en"])) if names_en is not None else None,
    )
