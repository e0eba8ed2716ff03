"""Matching a user's county table to the boundary layer through the code history (no Streamlit).

One implementation serves the app's Import page, the command below, notebooks (`match_file`) and
the offline build (pipeline/poverty.py resolves its designation-era names with the same
`CodeHistory`, `resolve_designated` and `resolve_boundary`).

The boundary layer is geodata/counties.parquet (today's cnmaps adcodes); the code history is
geodata/raw/admin_codes_result.csv (1981-2024). A row is matched by its code if it has one (any
vintage: an old code is followed through renames, upgrades and mergers to today's polygon), else
by its name: full name, name without suffix, short form of an autonomous county, with province
and prefecture (and year) to tell repeated names apart; a province or prefecture given is never
left. Codes newer than the boundary layer (旬阳市 610981, 2021) go to the polygon of the county they
replaced; where the layer's codes differ from the history (三沙), to the layer's polygon of that
name. Every row gets a status and a method in plain words; nothing is dropped.

Command: python -m loaders.match INPUT [--sheet S] [--header-row N] [--code-col C] [--name-col N]
         [--province-col P] [--prefecture-col F] [--year-col Y] --out OUTPUT(.csv|.geojson|.gpkg)
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from loaders.schema import data_root

STATUSES = ("matched", "renamed", "merged", "ambiguous", "not_found")
MATCHED_STATUSES = ("matched", "renamed", "merged")
OUTPUT_COLUMNS = (
    "row",
    "match_status",
    "boundary_code",
    "boundary_name_zh",
    "boundary_name_en",
    "match_method",
    "candidates",
    "suggestions",
)

# Years in which the designation lists were valid; the first year a name is in use wins.
DESIGNATION_YEARS = (2013, 2012, 2014, 2011, 2015)

# Qinghai's 行政委员会 (行委) are county-level units with no county code of their own (not in the
# code history), so a name cannot be resolved through it; geodata/raw/no_code_units.csv (sourced)
# fixes their boundary: (province_zh, name_zh) -> (cnmaps code, join_status, note).
NO_CODE_UNITS_FILE = "no_code_units.csv"
NoCodeUnits = dict[tuple[str, str], tuple[str, str, str]]


def load_no_code_units(raw: Path | None = None) -> NoCodeUnits:
    path = (raw if raw is not None else data_root() / "raw") / NO_CODE_UNITS_FILE
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return {(r.province_zh, r.name_zh): (r.code, r.join_status, r.notes) for r in frame.itertuples()}


# Ethnic groups as they appear in the names of autonomous counties (三江侗族自治县 -> 三江).
ETHNIC_GROUPS = (  # longest first
    "柯尔克孜",
    "乌孜别克",
    "维吾尔",
    "哈萨克",
    "达斡尔",
    "塔吉克",
    "俄罗斯",
    "鄂温克",
    "塔塔尔",
    "鄂伦春",
    "蒙古",
    "布依",
    "朝鲜",
    "土家",
    "哈尼",
    "傈僳",
    "高山",
    "拉祜",
    "东乡",
    "纳西",
    "景颇",
    "仫佬",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "德昂",
    "保安",
    "裕固",
    "独龙",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
    "回",
    "藏",
    "苗",
    "彝",
    "壮",
    "满",
    "侗",
    "瑶",
    "白",
    "傣",
    "黎",
    "佤",
    "畲",
    "水",
    "土",
    "羌",
    "怒",
    "京",
    "各",
)
COUNTY_SUFFIXES = ("自治县", "自治旗", "行政委员会", "行委", "特区", "林区", "县", "市", "区", "旗")
PREFECTURE_SUFFIXES = ("自治州", "地区", "盟", "州", "市")
PROVINCE_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "省", "市")


# ----------------------------------------------------------------------------- code history
@dataclass
class AdminRecord:
    code: str
    province: str
    prefecture: str
    name: str
    level: str
    status: str
    start: int
    end: int | None
    successors: list[str] = field(default_factory=list)

    def in_use(self, year: int) -> bool:
        """In use on 31 December of `year` (start inclusive, end exclusive)."""
        return self.start <= year and (self.end is None or year < self.end)


def load_admin_codes(path: Path | None = None) -> list[AdminRecord]:
    path = path or data_root() / "raw" / "admin_codes_result.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.columns = ["code", "province", "prefecture", "name", "level", "status", "start", "end", "new"]
    records = []
    for r in frame.itertuples(index=False):
        successors = [re.sub(r"\[\d{4}\]$", "", c) for c in r.new.split(";") if c]
        records.append(
            AdminRecord(
                r.code,
                r.province,
                r.prefecture,
                r.name,
                r.level,
                r.status,
                int(r.start),
                int(r.end) if r.end else None,
                successors,
            )
        )
    return records


class CodeHistory:
    """Look-ups over the code history: names in use in a year, successors of a code."""

    def __init__(self, records: list[AdminRecord]):
        self.records = records
        self.by_code: dict[str, list[AdminRecord]] = defaultdict(list)
        self.pointing_to: dict[str, list[AdminRecord]] = defaultdict(list)  # successor -> county records
        for rec in records:
            self.by_code[rec.code].append(rec)
            if rec.level == "县级":
                for succ in rec.successors:
                    self.pointing_to[succ].append(rec)
        self.province_codes = {r.name: r.code[:2] for r in records if r.level == "省级"}

    def record(self, code: str, year: int | None = None) -> AdminRecord | None:
        """The record of `code` in use in `year` (or, failing that / with no year, the latest one)."""
        recs = self.by_code.get(code, [])
        if year is not None:
            recs = [r for r in recs if r.in_use(year)] or recs
        return max(recs, key=lambda r: r.start) if recs else None

    def predecessor(self, code: str, year: int) -> str:
        """The unique county in use in `year` whose code history leads to `code` (a later code)."""
        hits = [r.code for r in self.pointing_to.get(code, []) if r.in_use(year) and r.code != code]
        return hits[0] if len(set(hits)) == 1 else ""

    def counties(self, prov2: str, year: int) -> list[AdminRecord]:
        return [
            r
            for r in self.records
            if r.level == "县级" and r.code.startswith(prov2) and r.in_use(year) and r.name != "市辖区"
        ]

    def name(self, code: str, year: int) -> str:
        rec = self.record(code, year)
        return rec.name if rec else ""


def _stem(name: str) -> str:
    for suffix in ("自治县", "自治旗", "县", "市", "区", "旗"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def core_name(name: str) -> str:
    """A county name without its suffix and ethnic groups: 三江侗族自治县, 三江县 -> 三江; 沛县 -> 沛."""
    for suffix in COUNTY_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    return _strip_ethnic(name)


def _strip_ethnic(name: str) -> str:
    while name.endswith("族"):
        hit = next((g for g in ETHNIC_GROUPS if name.endswith(g + "族") and len(name) > len(g) + 1), None)
        if hit is None:
            break
        name = name[: -(len(hit) + 1)]
    return name


def resolve_designated(history: CodeHistory, province: str, prefecture: str, name: str) -> tuple[str, str]:
    """(code, how) of the county `name` as in use in 2012-2014; ('', reason) if none or ambiguous."""
    prov2 = history.province_codes.get(province, "")
    if not prov2:
        return "", f"unknown province '{province}'"
    for year in DESIGNATION_YEARS:
        pool = history.counties(prov2, year)
        if prefecture:
            in_pref = [r for r in pool if r.prefecture == prefecture]
            pool = in_pref or pool
        exact = [r for r in pool if r.name == name]
        if len(exact) == 1:
            return _designation_era(history, exact[0], f"exact name in {year}")
        if len(exact) > 1:
            return "", f"name '{name}' is ambiguous in {year} ({', '.join(r.code for r in exact)})"
        # Short forms: 青龙县 for 青龙满族自治县, 丰宁县 for 丰宁满族自治县.
        stem = _stem(name)
        loose = [r for r in pool if r.name.startswith(stem) and r.name != name]
        if len(loose) == 1 and len(stem) >= 2:
            return _designation_era(history, loose[0], f"short form of '{loose[0].name}' ({year})")
    # A later name (卡若区 for 昌都县, 康定市 for 康定县): find it in use after 2015, then go back.
    for year in range(2016, 2025):
        pool = [r for r in history.counties(prov2, year) if r.name == name]
        if len(pool) == 1:
            return _designation_era(history, pool[0], f"later name ({year})")
    return "", "no county of that name in 2011-2024"


def _designation_era(history: CodeHistory, rec: AdminRecord, how: str) -> tuple[str, str]:
    """Map a record found in another year to the code in use in 2013 (the lists' reference year)."""
    if rec.in_use(2013):
        return rec.code, how
    if rec.start > 2013:
        prev = history.predecessor(rec.code, 2013)
        if prev:
            return prev, f"{how}; predecessor in 2013: {prev}"
        return "", f"{how}, but no unique 2013 predecessor of {rec.code}"
    # in use before 2013 only: follow the chain forward to 2013
    code, seen = rec.code, set()
    while code not in seen:
        seen.add(code)
        later = history.record(code)
        if later is None or later.in_use(2013):
            break
        if len(later.successors) != 1:
            return "", f"{how}, but {code} was split before 2013"
        code = later.successors[0]
    return code, f"{how}; successor in 2013: {code}"


# ----------------------------------------------------------------------------- code -> boundary
def successors_in_layer(history: CodeHistory, boundaries, code: str) -> list[str]:
    """The nearest successors of `code` (breadth first through the history) that have a polygon."""
    seen, frontier = {code}, [code]
    while frontier:
        nxt = []
        for c in frontier:
            rec = history.record(c)
            if rec is None:
                continue
            for succ in rec.successors:
                if succ not in seen:
                    seen.add(succ)
                    nxt.append(succ)
        hits = [c for c in nxt if c in boundaries]
        if hits:
            return hits
        frontier = nxt
    return []


def resolve_boundary(history: CodeHistory, boundaries, code_d: str, year: int = 2013) -> tuple[str, str, str]:
    """(boundary code, join_status, note) for a code in use in `year`, following the code history.

    `boundaries` maps boundary code -> (province, prefecture, name)."""
    if code_d in boundaries:
        return code_d, "matched", ""
    hits = successors_in_layer(history, boundaries, code_d)
    if not hits:
        return "", "unmatched", f"no successor of {code_d} in the boundary index"
    old = history.name(code_d, year)
    if len(hits) == 1 and not _shared_successor(history, code_d, hits[0], year):
        new_name = boundaries[hits[0]][2]
        return hits[0], "renamed", f"code {code_d} ({old}) became {hits[0]} ({new_name})"
    stem = _stem(old)
    best = next((c for c in hits if boundaries[c][2].startswith(stem)), hits[0])
    names = ", ".join(f"{c} {boundaries[c][2]}" for c in hits)
    return best, "merged", f"{code_d} ({old}) was merged/split into {names}; joined to {best}"


def _shared_successor(
    history: CodeHistory, code_d: str, succ: str, year: int = 2013, whole_units: bool = False
) -> bool:
    """True if `succ` existed in `year` or also absorbed another county in use then (a merger, not a
    rename). `whole_units`: ignore counties that only ceded a part and still exist (兴隆台区 → 大洼区)."""
    rec = history.record(succ, year)
    if rec is not None and rec.in_use(year):
        return True
    return any(
        r.code != code_d and r.in_use(year) and not (whole_units and r.end is None)
        for r in history.pointing_to.get(succ, [])
    )


# ----------------------------------------------------------------------------- gazetteer
_SPACE = re.compile(r"\s+")
_CODE = re.compile(r"(\d{6})(?:\.0*|0{3}|0{6})?")
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】")
_YEAR_START = re.compile(r"(\d{4})")


def normalise_text(value) -> str:
    """Full-width to half-width, no spaces; '' for missing."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return _SPACE.sub("", unicodedata.normalize("NFKC", str(value)))


def normalise_code(value) -> str:
    """A 6-digit county code from '130631', '130631.0', ' 130631 ', '130631000000'; '' if none."""
    text = normalise_text(value)
    hit = _CODE.fullmatch(text)
    return hit.group(1) if hit else ""


def clean_name(value) -> str:
    text = normalise_text(value)
    return _BRACKETS.sub("", text)


def _parse_year(value) -> int | None:
    hit = _YEAR_START.match(normalise_text(value))
    return int(hit.group(1)) if hit and 1949 < int(hit.group(1)) < 2100 else None


def _prefecture_core(name: str) -> str:
    for suffix in PREFECTURE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name[: -len(suffix)]
            break
    return _strip_ethnic(name)


@dataclass(frozen=True)
class _Outcome:
    status: str
    code: str = ""
    method: str = ""
    candidates: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()
    source: str = ""  # the unit the row names (old code, or name): rows of different sources on one polygon = merged


def _short_form(name: str, full: str) -> str:
    if "自治" in full and "自治" not in name:
        return f"short form of {full}"
    if name == core_name(full):
        return f"name without suffix of {full}"
    return f"same name with another suffix: {full}"


class Gazetteer:
    """Boundary units and the code history, built once (the page caches it with st.cache_resource)."""

    def __init__(
        self,
        counties: pd.DataFrame,
        history: CodeHistory,
        no_code_units: NoCodeUnits,
        province_names_en: dict[str, str] | None = None,
    ):
        self.history = history
        self.no_code_units = no_code_units
        self.units = counties.set_index("code", drop=False)
        # code -> (province, prefecture, name): the shape resolve_boundary expects
        self.boundaries = {r.code: (r.province_zh, r.prefecture_zh, r.name_zh) for r in counties.itertuples()}
        self.names_en = dict(zip(counties["code"], counties["name_en"]))
        self.prefecture_codes = dict(zip(counties["code"], counties["prefecture_code"]))
        self.by_name: dict[str, list[str]] = defaultdict(list)
        self.by_core: dict[str, list[str]] = defaultdict(list)
        self.by_char: dict[str, set[str]] = defaultdict(set)
        for r in counties.itertuples():
            self.by_name[r.name_zh].append(r.code)
            self.by_core[core_name(r.name_zh)].append(r.code)
            for ch in core_name(r.name_zh):
                self.by_char[ch].add(r.code)
        self.hist_by_name: dict[str, list[AdminRecord]] = defaultdict(list)
        self.hist_by_core: dict[str, list[AdminRecord]] = defaultdict(list)
        for rec in history.records:
            if rec.level == "县级" and rec.name not in ("市辖区", "省直辖县级行政区划"):
                self.hist_by_name[rec.name].append(rec)
                self.hist_by_core[core_name(rec.name)].append(rec)
        self.provinces: dict[str, str] = {}
        for rec in history.records:
            if rec.level == "省级":
                short = rec.name
                for suffix in PROVINCE_SUFFIXES:
                    if short.endswith(suffix) and len(short) > len(suffix):
                        short = short[: -len(suffix)]
                        break
                for key in (rec.name, short, short[:2]):
                    self.provinces.setdefault(key, rec.code[:2])
        for code, name_en in (province_names_en or {}).items():  # "Jiangsu", "Inner Mongolia"
            self.provinces.setdefault(normalise_text(name_en).lower(), code[:2])
        self.prefectures: dict[str, set[str]] = defaultdict(set)  # core name -> 4-digit code prefixes
        for rec in history.records:
            if rec.level == "地级":
                self.prefectures[_prefecture_core(rec.name)].add(rec.code[:4])
        self.prefecture_names: dict[str, list[str]] = defaultdict(list)  # first two characters -> core names
        for name in self.prefectures:
            self.prefecture_names[name[:2]].append(name)
        self.layer_alias = self._layer_aliases()
        self._cache: dict[tuple, _Outcome] = {}
        self._context_cache: dict[tuple[str, str], object] = {}

    def _layer_aliases(self) -> dict[str, str]:
        """Codes in use whose county the boundary layer holds under another code of the same
        prefecture (三沙: the layer's 460301 西沙区 / 460302 南沙区 are 460302 / 460303 in the code
        history): code -> the layer's code of the polygon with that name."""
        out: dict[str, str] = {}
        for code, recs in self.history.by_code.items():
            current = [r for r in recs if r.end is None and r.level == "县级"]
            if not current or (code in self.boundaries and self.name_zh(code) == current[0].name):
                continue
            same = [c for c in self.by_name.get(current[0].name, []) if c[:4] == code[:4] and c != code]
            if len(same) == 1:
                out[code] = same[0]
        return out

    def clear_cache(self) -> None:
        """Forget the per-row results (the benchmark times matching from scratch)."""
        self._cache.clear()
        self._context_cache.clear()

    # -- context
    def province_prefix(self, value) -> str:
        text = normalise_text(value)
        key = ("province", text)
        if key not in self._context_cache:
            self._context_cache[key] = self._province_prefix(text)
        return self._context_cache[key]

    def _province_prefix(self, text: str) -> str:
        if re.fullmatch(r"\d{2}(\d{4})?(\.0*)?", text):
            return text[:2] if any(k == text[:2] for k in self.provinces.values()) else ""
        if text in self.provinces or text.lower() in self.provinces:
            return self.provinces.get(text) or self.provinces[text.lower()]
        return next((p for k, p in self.provinces.items() if len(k) >= 2 and text.lower().startswith(k)), "")

    def prefecture_prefixes(self, value) -> frozenset[str]:
        text = normalise_text(value)
        key = ("prefecture", text)
        if key not in self._context_cache:
            self._context_cache[key] = frozenset(self._prefecture_prefixes(text))
        return self._context_cache[key]

    def _prefecture_prefixes(self, text: str) -> set[str]:
        if re.fullmatch(r"\d{4}(\d{2})?(\.0*)?", text):
            return {text[:4]}
        core = _prefecture_core(text)
        if len(core) < 2:
            return set()
        out: set[str] = set()
        for name in self.prefecture_names.get(core[:2], ()):
            if name.startswith(core) or (len(name) >= 2 and core.startswith(name)):
                out |= self.prefectures[name]
        return out

    def name_zh(self, code: str) -> str:
        return self.boundaries[code][2] if code in self.boundaries else ""

    def name_en(self, code: str) -> str:
        return self.names_en.get(code, "")

    def label(self, code: str) -> str:
        """'510727 平武县 (四川省 绵阳市)' — for candidates and suggestions shown to people."""
        if code not in self.boundaries:
            return code
        prov, pref, name = self.boundaries[code]
        return f"{code} {name} ({prov} {pref})" if pref and pref != prov else f"{code} {name} ({prov})"

    # -- matching one row
    def match_one(self, code: str, name: str, prov2: str, prefs: frozenset[str], year: int | None) -> _Outcome:
        key = (code, name, prov2, prefs, year)
        if key not in self._cache:
            self._cache[key] = self._match_one(code, name, prov2, prefs, year)
        return self._cache[key]

    def _match_one(self, code: str, name: str, prov2: str, prefs: frozenset[str], year: int | None) -> _Outcome:
        by_code = self._by_code(code, name, year) if code else None
        if (
            by_code is not None
            and name
            and by_code.status in MATCHED_STATUSES
            and not self._name_fits(code, by_code.code, name)
        ):
            by_name = self._by_name(name, prov2, prefs, year)
            if by_name.status in MATCHED_STATUSES and by_name.code != by_code.code:
                return _Outcome(
                    "ambiguous",
                    "",
                    f"code {code} leads to {self.label(by_code.code)} but the name "
                    f"'{name}' to {self.label(by_name.code)}",
                    (by_code.code, by_name.code),
                )
            return replace(by_code, method=f"{by_code.method}; the name '{name}' does not fit this code")
        if by_code is not None and by_code.status != "not_found":
            return by_code
        if not name:
            return by_code or _Outcome("not_found", method="no code and no name")
        out = self._by_name(name, prov2, prefs, year)
        if by_code is not None and out.status == "not_found":
            return replace(out, method=f"{by_code.method}; {out.method}")
        if by_code is not None:
            return replace(out, method=f"{out.method} (the code {code} is unknown)")
        return out

    def _name_fits(self, code: str, target: str, name: str) -> bool:
        names = {r.name for r in self.history.by_code.get(code, [])} | {self.name_zh(target)}
        names |= {r.name for r in self.history.by_code.get(target, [])}
        core = core_name(name)
        return name in names or core in {core_name(n) for n in names}

    def _by_code(self, code: str, name: str, year: int | None) -> _Outcome | None:
        if code in self.layer_alias:
            rec = self.history.record(code, year)
            return self._trace(rec, name, f"code {code} {rec.name}") if rec else None
        if code in self.boundaries:
            # same code, another name then (桥西区 → 信都区 2020): renamed since, if the row shows it
            today = self.name_zh(code)
            then = self.history.record(code, year) if year else None
            named = [
                r
                for r in self.history.by_code.get(code, [])
                if r.name != today and (r is then or (name and r.name == name))
            ]
            if named:
                old = named[0]
                when = f" until {old.end - 1}" if old.end else ""
                return _Outcome("renamed", code, f"code {code} (named {old.name}{when}; today {today})", source=code)
            return _Outcome("matched", code, f"code {code}", source=code)
        rec = self.history.record(code, year)
        if rec is None or rec.level != "县级":
            return _Outcome("not_found", method=f"code {code} is not a county code of 1981-2024")
        return self._trace(rec, name, f"code {code} {rec.name}")

    def _trace(self, rec: AdminRecord, name: str, what: str) -> _Outcome:
        """An old county record -> today's polygon: renamed (one to one) or merged (shared polygon).

        A renamed row's source is its polygon: one county under its old and new code is one unit."""
        if rec.code in self.layer_alias and rec.end is None:
            target = self.layer_alias[rec.code]
            return _Outcome("matched", target, f"{what}: the boundary layer has this county as {target}", source=target)
        if rec.code in self.boundaries:
            today = self.name_zh(rec.code)
            if today == rec.name:
                return _Outcome("matched", rec.code, what, source=rec.code)
            return _Outcome(
                "renamed", rec.code, f"{what} → {rec.code} {today} (same code, renamed since)", source=rec.code
            )
        era = f"{rec.start}–{rec.end - 1}" if rec.end else f"since {rec.start}"
        hits = successors_in_layer(self.history, self.boundaries, rec.code)
        if not hits and rec.end is None:
            return self._newer_than_layer(rec, what, era)
        if not hits:
            return _Outcome("not_found", method=f"{what} ({era}) has no successor in the boundary layer")
        when = f" in {rec.end}" if rec.end else ""
        ref_year = (rec.end - 1) if rec.end else 2024
        if len(hits) > 1:
            # a split: the part keeping the name (宣化县 → 宣化区), else the one unit created by the split
            # (宜宾县 → 叙州区, a part to 翠屏区); with neither, the user chooses
            core = core_name(name) if name else core_name(rec.name)
            heirs = [c for c in hits if core_name(self.name_zh(c)) == core]
            if len(heirs) != 1 and rec.end:
                # created from this unit alone (a swap with its other heirs aside: 叙州区 took towns of
                # 翠屏区 too); 钱塘区 (2021) also took part of 萧山区, so 江干区 was split, not renamed
                heirs = [
                    c
                    for c in hits
                    if min(r.start for r in self.history.by_code.get(c, [rec])) >= rec.end
                    and not any(
                        r.code not in (rec.code, *hits) and r.in_use(rec.end - 1)
                        for r in self.history.pointing_to.get(c, [])
                    )
                ]
            if len(heirs) != 1:
                return _Outcome(
                    "ambiguous",
                    "",
                    f"{what} ({era}) was split{when} into " + ", ".join(f"{c} {self.name_zh(c)}" for c in hits),
                    tuple(hits),
                )
            heir = heirs[0]
            parts = ", ".join(f"{c} {self.name_zh(c)}" for c in hits if c != heir)
            if _shared_successor(self.history, rec.code, heir, ref_year, whole_units=True):
                change = f"merged{when} into {heir} {self.name_zh(heir)}"
                status = "merged"
            else:
                change, status = f"{heir} {self.name_zh(heir)}, renamed{when}", "renamed"
            source = heir if status == "renamed" else rec.code
            return _Outcome(status, heir, f"{what} ({era}) → {change}; parts went to {parts}", source=source)
        target = hits[0]
        if _shared_successor(self.history, rec.code, target, ref_year, whole_units=True):
            return _Outcome(
                "merged", target, f"{what} ({era}) → merged{when} into {target} {self.name_zh(target)}", source=rec.code
            )
        return _Outcome(
            "renamed", target, f"{what} ({era}) → {target} {self.name_zh(target)}, renamed{when}", source=target
        )

    def _newer_than_layer(self, rec: AdminRecord, what: str, era: str) -> _Outcome:
        """A code issued after the boundary layer was drawn (旬阳县 → 旬阳市 2021): the polygon of the
        county or counties it replaced whole."""
        whole = [r for r in self.history.pointing_to.get(rec.code, []) if r.code != rec.code and r.end == rec.start]
        polygons: list[str] = []
        for r in whole:
            code = self.layer_alias.get(r.code, r.code)
            if code in self.boundaries and code not in polygons:
                polygons.append(code)
        if len(polygons) == 1:
            code = polygons[0]
            return _Outcome(
                "renamed",
                code,
                f"{what} ({era}) is newer than the boundary layer, which still draws it as {code} {self.name_zh(code)}",
                source=code,
            )
        if polygons:
            return _Outcome(
                "ambiguous",
                "",
                f"{what} ({era}) joined " + ", ".join(f"{c} {self.name_zh(c)}" for c in polygons) + " (each a polygon)",
                tuple(polygons),
            )
        return _Outcome("not_found", method=f"{what} ({era}) has no polygon in the boundary layer")

    def _by_name(self, name: str, prov2: str, prefs: frozenset[str], year: int | None) -> _Outcome:
        if prov2 in ("", "63"):
            for (prov, unit), (target, status, _note) in self.no_code_units.items():
                unit_core = unit.removesuffix("行委")
                if name in (unit, unit_core + "行政委员会"):
                    return _Outcome(
                        status,
                        target,
                        f"{unit} ({prov}): no county code of its own; "
                        f"{'merged into' if status == 'merged' else 'joined to'} {target} {self.name_zh(target)}",
                        source=unit,
                    )
        core = core_name(name)
        context = "".join(f" + {w}" for w, on in (("province", prov2), ("prefecture", prefs)) if on)
        tiers: list[tuple[str, list]] = []
        if year is not None:
            tiers.append((f"name in use in {year}", [r for r in self.hist_by_name.get(name, []) if r.in_use(year)]))
        short = self.by_core.get(core, [])
        tiers += [
            ("full name", self.by_name.get(name, [])),
            # 北川县 is today's 北川羌族自治县 (before its 2003 name change, too)
            ("short", [c for c in short if "自治" in self.name_zh(c) and "自治" not in name]),
            ("earlier name", self.hist_by_name.get(name, [])),
            ("short", short),
            ("earlier name, short", self.hist_by_core.get(core, [])),
        ]
        for how, pool in tiers:
            pool = [p for p in pool if self._in_context(p, prov2, prefs, strict=True)]
            pool = [p for p in pool if self._in_context(p, prov2, prefs, strict=False)] or pool
            if not pool:
                continue
            outcomes: dict[str, _Outcome] = {}
            failed: list[_Outcome] = []
            for p in pool:
                if isinstance(p, str):
                    method = how if how == "full name" else _short_form(name, self.name_zh(p))
                    out = _Outcome("matched", p, method + context, source=p)
                else:
                    label = how if how != "earlier name, short" else _short_form(name, p.name) + ", earlier name"
                    out = self._trace(p, name, f"{label}{context}: {p.name} {p.code}")
                if out.status in MATCHED_STATUSES:
                    outcomes.setdefault(out.code, out)
                elif out.status == "ambiguous":
                    for c in out.candidates:
                        outcomes.setdefault(c, out)
                else:
                    failed.append(out)
            if len(outcomes) == 1 and how == "full name" and year is None:
                return self._unless_named_elsewhere(name, next(iter(outcomes.values())), prov2, prefs, context)
            if len(outcomes) == 1:
                return next(iter(outcomes.values()))
            if len(outcomes) > 1:
                codes = tuple(sorted(outcomes))
                what = how if how in ("full name", "earlier name") or how.startswith("name in use") else "short forms"
                return _Outcome("ambiguous", "", f"'{name}' fits {len(codes)} units ({what}{context})", codes)
            if failed:
                return replace(failed[0], suggestions=self.suggest(name, prov2))
        if prov2:
            abbreviated = self._abbreviation(name, prov2, prefs)
            if abbreviated is not None:
                return abbreviated
        if not prov2 and not prefs:
            # "四川省平武县", "绵阳市平武县": the context written into the name
            for i in range(2, len(name) - 1):
                head, rest = name[:i], name[i:]
                prov_head = (
                    self.province_prefix(head) if head in self.provinces or head.endswith(("省", "自治区")) else ""
                )
                pref_head = (
                    frozenset(self.prefecture_prefixes(head)) if head.endswith(PREFECTURE_SUFFIXES) else frozenset()
                )
                if prov_head or pref_head:
                    out = self._by_name(rest, prov_head, pref_head, year)
                    if out.status != "not_found":
                        return replace(out, method=f"{head} + {out.method}")
        where = " in that province" if prov2 else ""
        elsewhere = self._elsewhere(name, prov2) if prov2 else ()
        note = f"; {', '.join(map(self.label, elsewhere))} lies in another province" if elsewhere else ""
        return _Outcome(
            "not_found",
            method=f"no county named '{name}'{where} in 2011-2024{note}",
            suggestions=(*elsewhere, *(c for c in self.suggest(name, prov2) if c not in elsewhere)),
        )

    def _elsewhere(self, name: str, prov2: str) -> tuple[str, ...]:
        """Polygons of counties of that full name outside `prov2` (a pasted heading carried over to
        another province's names): offered, never taken, since a province given is never left."""
        return tuple(c for c in self.by_name.get(name, []) if not c.startswith(prov2))[:3]

    def _unless_named_elsewhere(
        self, name: str, found: _Outcome, prov2: str, prefs: frozenset[str], context: str
    ) -> _Outcome:
        """With no year, today's 矿区 (阳泉) is one of two: 大同 had a 矿区 at the same time, now on another
        polygon. Ambiguous then, today's unit first. (A county that only moved, 石台县, is one unit.)"""
        mine = [r for r in self.history.by_code.get(found.code, []) if r.name == name]
        others: list[str] = []
        for rec in self.hist_by_name.get(name, []):
            if not (self._in_context(rec, prov2, prefs, strict=True) and self._in_context(rec, prov2, prefs, False)):
                continue
            if not any(rec.start < (m.end or 9999) and m.start < (rec.end or 9999) for m in mine):
                continue
            out = self._trace(rec, name, rec.name)
            for code in (out.code,) if out.code else out.candidates:
                if code != found.code and code not in others:
                    others.append(code)
        if not others:
            return found
        codes = (found.code, *others)
        return _Outcome(
            "ambiguous",
            "",
            f"'{name}' is today's {self.label(found.code)}, but other counties had that name "
            f"({', '.join(self.label(c) for c in others)}){context}; a year column tells them apart",
            codes,
        )

    def _abbreviation(self, name: str, prov2: str, prefs: frozenset[str]) -> _Outcome | None:
        """An abbreviation unique in the province: 东乡县 for 东乡族自治县, 科右前旗 for 科尔沁右翼前旗
        (same first character, same kind of unit, every character in order)."""
        suffix = next((x for x in ("旗", "县", "市", "区") if name.endswith(x)), "")
        core = name[: -len(suffix)] if suffix else name
        if len(core) < 2:
            return None
        hits = []
        for code, (_prov, _pref, full) in self.boundaries.items():
            if not code.startswith(prov2) or full == name or full[0] != name[0] or not full.endswith(suffix):
                continue
            if prefs and not self._in_context(code, prov2, prefs, strict=False):
                continue
            rest = iter(full[: len(full) - len(suffix)] if suffix else full)
            if all(ch in rest for ch in core):
                hits.append(code)
        if len(hits) != 1:
            return None
        full = self.name_zh(hits[0])
        return _Outcome("matched", hits[0], f"abbreviation of {full}, the only one in the province", source=hits[0])

    def _in_context(self, item, prov2: str, prefs: frozenset[str], strict: bool) -> bool:
        code = item if isinstance(item, str) else item.code
        if strict:  # a province given is never left; a prefecture given keeps its province
            return code.startswith(prov2) if prov2 else not prefs or code[:2] in {p[:2] for p in prefs}
        if not prefs:
            return True
        if isinstance(item, str):
            return code[:4] in prefs or self.prefecture_codes[code][:4] in prefs
        return code[:4] in prefs

    def suggest(self, name: str, prov2: str = "", limit: int = 3) -> tuple[str, ...]:
        """The nearest boundary names by shared characters and edit distance (within the province if known)."""
        core = core_name(name) or name
        shared = Counter(c for ch in set(core) for c in self.by_char.get(ch, ()) if not prov2 or c.startswith(prov2))
        if not shared:
            return ()
        pool = [c for c, _n in shared.most_common(40)]
        scored = sorted(
            ((difflib.SequenceMatcher(None, core, core_name(self.name_zh(c))).ratio(), c) for c in pool),
            key=lambda t: (-t[0], t[1]),
        )
        return tuple(c for score, c in scored[:limit] if score >= 0.4)


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


# ----------------------------------------------------------------------------- tables
@dataclass(frozen=True)
class ColumnRoles:
    code: str | None = None
    name: str | None = None
    province: str | None = None
    prefecture: str | None = None
    year: str | None = None
    values: tuple[str, ...] = ()


_HEADER_RULES = (  # role, pattern over the lower-cased header; first rule that fits wins
    ("code", r"代码|编码|区划码|code|adcode"),
    ("year", r"^年$|年份|年度|^year|^yr$"),
    ("province", r"省|province|自治区"),
    ("name", r"县|名称|区县|name|county|地名"),
    ("prefecture", r"市|州|地区|盟|prefecture|city"),
)
# Headers naming an attribute of a unit, not the unit or the table's year: 地区等级 (a level) is no
# prefecture, 摘帽时间 / 退出年份 (an event's year) no year of the table.
_ATTRIBUTE_HEADER = re.compile(r"等级|级别|类别|类型|level|type|rank|grade|class", re.IGNORECASE)
_EVENT_HEADER = re.compile(r"摘帽|退出|脱贫|批准|设立|撤销|成立|exit|since|until|founded", re.IGNORECASE)
_INDEX_HEADER = re.compile(r"^(序号|编号|no\.?|#|index|id)$", re.IGNORECASE)
_COUNTY_NAME = re.compile(r"(县|市|区|旗|行委|特区|林区)$")
_YEAR = re.compile(r"(19[5-9]\d|20\d\d)(\.0*)?年?")


def _share(cells: list[str], test) -> float:
    return sum(map(test, cells)) / len(cells)


def guess_roles(frame: pd.DataFrame) -> ColumnRoles:
    """Roles by header names first, then by content (6-digit codes, county-like names, years)."""
    roles: dict[str, str] = {}
    for column in frame.columns:
        header = str(column).strip().lower()
        if _ATTRIBUTE_HEADER.search(header) or _EVENT_HEADER.search(header):
            continue
        for role, pattern in _HEADER_RULES:
            if role not in roles and re.search(pattern, header):
                roles[role] = column
                break
    taken = set(roles.values())
    for column in frame.columns:
        header = str(column).strip()
        if column in taken or _ATTRIBUTE_HEADER.search(header) or _EVENT_HEADER.search(header):
            continue
        cells = [normalise_text(v) for v in frame[column].head(200)]
        cells = [c for c in cells if c]
        if not cells:
            continue
        if "code" not in roles and _share(cells, lambda c: bool(normalise_code(c))) >= 0.8:
            roles["code"] = column
        elif "year" not in roles and _share(cells, lambda c: bool(_YEAR.fullmatch(c))) >= 0.9:
            roles["year"] = column
        elif (
            "name" not in roles and _share(cells, lambda c: bool(_COUNTY_NAME.search(c)) and not c[0].isdigit()) >= 0.6
        ):
            roles["name"] = column
        else:
            continue
        taken.add(column)
    values = tuple(c for c in frame.columns if c not in taken and not _INDEX_HEADER.match(str(c).strip()))
    return ColumnRoles(values=values, **roles)


@dataclass(frozen=True)
class MatchResult:
    rows: pd.DataFrame
    roles: ColumnRoles
    sources: tuple[str, ...] = field(default=(), repr=False)  # per row, the unit it names (see _Outcome)

    def summary(self) -> dict[str, int]:
        counts = self.rows["match_status"].value_counts()
        out: dict = {s: int(counts.get(s, 0)) for s in STATUSES}
        out["total"] = len(self.rows)
        out["match_rate"] = (sum(out[s] for s in MATCHED_STATUSES) / len(self.rows)) if len(self.rows) else 0.0
        return out

    def merged_groups(self) -> dict[str, list[int]]:
        """boundary_code -> input rows of different units landing on the same polygon (a year panel's
        repeated rows of one unit are not a merger)."""
        done = self.rows[self.rows["match_status"].isin(MATCHED_STATUSES)]
        units = pd.Series(
            self.sources if len(self.sources) == len(self.rows) else self.rows["row"].astype(str), index=self.rows.index
        )
        kinds = units[done.index].groupby(done["boundary_code"]).nunique()  # at once: a panel has ~3,000 codes
        several = done[done["boundary_code"].isin(kinds.index[kinds > 1])]
        return {str(code): [int(r) for r in rows] for code, rows in several.groupby("boundary_code", sort=True)["row"]}


def match_table(frame: pd.DataFrame, roles: ColumnRoles, gazetteer: Gazetteer) -> MatchResult:
    """Every input row kept (in order) with its status, boundary code, today's names and method.

    Rows are numbered by the frame's integer index + 1 (a fresh table: 1..n; a table whose
    duplicate rows were dropped keeps each row's input number); any other index: 1..n."""
    for role in ("code", "name", "province", "prefecture", "year"):
        column = getattr(roles, role)
        if column is not None and column not in frame.columns:
            raise KeyError(f"column '{column}' (chosen as {role}) is not in the table")
    if roles.code is None and roles.name is None:
        raise ValueError("choose a county code column or a county name column")
    n = len(frame)

    def column(role: str) -> list:
        name = getattr(roles, role)
        return list(frame[name]) if name is not None else [None] * n

    records = []
    for code_v, name_v, prov_v, pref_v, year_v in zip(
        *(column(r) for r in ("code", "name", "province", "prefecture", "year"))
    ):
        code = normalise_code(code_v)
        name = clean_name(name_v)
        if not code and normalise_code(name):  # a code in the name column
            code, name = normalise_code(name), ""
        prov2 = gazetteer.province_prefix(prov_v) if prov_v is not None else ""
        prefs = frozenset(gazetteer.prefecture_prefixes(pref_v)) if pref_v is not None else frozenset()
        if prov2 and prefs:
            prefs = frozenset(p for p in prefs if p.startswith(prov2)) or prefs
        outcome = gazetteer.match_one(code, name, prov2, prefs, _parse_year(year_v) if year_v is not None else None)
        if code_v is not None and normalise_text(code_v) and not code:
            outcome = replace(outcome, method=f"'{normalise_text(code_v)}' is not a 6-digit code; {outcome.method}")
        if prov_v is not None and normalise_text(prov_v) and not prov2:
            outcome = replace(outcome, method=f"{outcome.method} (province '{normalise_text(prov_v)}' not recognised)")
        records.append(outcome)
    rows = frame.reset_index(drop=True).copy()
    rows = rows.rename(columns={c: f"{c} (input)" for c in rows.columns if c in OUTPUT_COLUMNS})
    rows["row"] = _row_numbers(frame.index)
    rows["match_status"] = [o.status for o in records]
    rows["boundary_code"] = [o.code or None for o in records]
    rows["boundary_name_zh"] = [gazetteer.name_zh(o.code) or None for o in records]
    rows["boundary_name_en"] = [gazetteer.name_en(o.code) or None for o in records]
    rows["match_method"] = [o.method for o in records]
    rows["candidates"] = [list(o.candidates) for o in records]
    rows["suggestions"] = [list(o.suggestions) for o in records]
    return MatchResult(rows, roles, tuple(o.source for o in records))


def _row_numbers(index: pd.Index) -> list[int]:
    if pd.api.types.is_integer_dtype(index) and index.is_unique and (len(index) == 0 or index.min() >= 0):
        return [int(i) + 1 for i in index]
    return list(range(1, len(index) + 1))


def resolve(result: MatchResult, row: int, boundary_code: str | None, gazetteer: Gazetteer) -> MatchResult:
    """The user's choice for one row (1-based): a boundary code, or None to leave it unmatched."""
    rows = result.rows.copy()
    hit = rows.index[rows["row"] == row]
    if len(hit) != 1:
        raise KeyError(f"no row {row} in the match result")
    i = hit[0]
    if boundary_code is None:
        values = {
            "match_status": "not_found",
            "boundary_code": None,
            "boundary_name_zh": None,
            "boundary_name_en": None,
            "match_method": "left unmatched by user",
        }
    else:
        code = normalise_code(boundary_code)
        if code not in gazetteer.boundaries:
            raise ValueError(f"{boundary_code!r} is not a code of the boundary layer")
        values = {
            "match_status": "matched",
            "boundary_code": code,
            "boundary_name_zh": gazetteer.name_zh(code),
            "boundary_name_en": gazetteer.name_en(code),
            "match_method": f"chosen by user: {gazetteer.label(code)}",
        }
    for key, value in values.items():
        rows.at[i, key] = value
    sources = list(result.sources)
    if len(sources) == len(rows):
        sources[list(rows.index).index(i)] = values["boundary_code"] or ""
    return MatchResult(rows, result.roles, tuple(sources))


# ----------------------------------------------------------------------------- notebooks and the command
def match_file(
    path,
    *,
    sheet: str | None = None,
    header_row: int | None = None,
    code_col: str | None = None,
    name_col: str | None = None,
    province_col: str | None = None,
    prefecture_col: str | None = None,
    year_col: str | None = None,
    value_cols: tuple[str, ...] | None = None,
    gazetteer: Gazetteer | None = None,
) -> MatchResult:
    """Match a CSV/TSV/XLSX/XLS file (or a DataFrame): roles guessed from the headers unless given;
    a role given as "" has no column (a wrong guess dropped).

    >>> result = match_file("my_counties.xlsx", name_col="县名", province_col="省份")
    >>> result.summary(), result.rows[result.rows.match_status == "not_found"]
    """
    from loaders.tabular import ImportedTable, read_upload

    if isinstance(path, pd.DataFrame):
        table = ImportedTable(path, "DataFrame", "", None, (), None, ())
        path = Path("DataFrame")
    else:
        path = Path(path)
        table = read_upload(path.read_bytes(), path.name, sheet=sheet, header_row=header_row)
    given = {
        "code": code_col,
        "name": name_col,
        "province": province_col,
        "prefecture": prefecture_col,
        "year": year_col,
    }
    for role, column in given.items():
        if column and column not in table.frame.columns:
            raise KeyError(
                f"{path.name}: no column '{column}' (for --{role}-col); columns: "
                + ", ".join(map(str, table.frame.columns))
            )
    guessed = guess_roles(table.frame)
    if any(v is not None for v in given.values()):
        # explicit choices win; a guessed role keeps its column only if no choice took it
        chosen = {role: column or None for role, column in given.items() if column is not None}
        for role in given:
            column = getattr(guessed, role)
            if role not in chosen and column not in chosen.values():
                chosen[role] = column
        taken = set(chosen.values())
        values = tuple(c for c in table.frame.columns if c not in taken and not _INDEX_HEADER.match(str(c).strip()))
        roles = ColumnRoles(values=values, **chosen)
    else:
        roles = guessed
    if value_cols is not None:
        roles = replace(roles, values=tuple(value_cols))
    return match_table(table.frame, roles, gazetteer or load_gazetteer())


def flat_rows(result: MatchResult) -> pd.DataFrame:
    """The match rows with candidate and suggestion lists as text ('510727; 510683') and the input
    columns that hold only numbers as numbers (loaders.tabular.typed_column)."""
    from loaders.tabular import typed_column

    rows = result.rows.copy()
    for column in ("candidates", "suggestions"):
        rows[column] = rows[column].map(lambda codes: "; ".join(codes) if isinstance(codes, list) else "")
    for column in rows.columns:
        if column not in OUTPUT_COLUMNS:
            rows[column] = typed_column(rows[column])
    return rows


def with_geometry(result: MatchResult, root: Path | None = None):
    """The match rows as a GeoDataFrame: the boundary polygon for matched rows, null geometry otherwise."""
    import geopandas as gpd

    root = Path(root) if root is not None else data_root()
    shapes = gpd.read_parquet(root / "counties.parquet", columns=["code", "geometry"]).set_index("code")["geometry"]
    rows = flat_rows(result).rename(columns={"geometry": "geometry (input)"})
    geometry = [shapes.get(c) if isinstance(c, str) else None for c in rows["boundary_code"]]
    return gpd.GeoDataFrame(rows, geometry=geometry, crs=shapes.crs)


def write_result(result: MatchResult, out: Path) -> None:
    """CSV (UTF-8 with BOM, formulas neutralised), GeoJSON (RFC 7946: rings wound counter-clockwise,
    holes clockwise, no `crs` member) or GeoPackage, from the extension."""
    from loaders.tabular import safe_for_spreadsheet

    suffix = out.suffix.lower()
    if suffix == ".csv":
        safe_for_spreadsheet(flat_rows(result)).to_csv(out, index=False, encoding="utf-8-sig")
    elif suffix in (".geojson", ".json"):
        with_geometry(result).to_file(out, driver="GeoJSON", engine="pyogrio", RFC7946="YES")
    elif suffix == ".gpkg":
        with_geometry(result).to_file(out, driver="GPKG", layer="matched", engine="pyogrio")
    else:
        raise ValueError(f"unsupported output '{out.name}': use .csv, .geojson or .gpkg")


def report(result: MatchResult, gazetteer: Gazetteer, limit: int = 50) -> str:
    """The match report printed by the command: counts, rate, rows needing attention."""
    s = result.summary()
    lines = [
        f"{s['total']} rows: " + ", ".join(f"{k} {s[k]}" for k in STATUSES) + f"; match rate {s['match_rate']:.1%}"
    ]
    roles = result.roles
    label_cols = [c for c in (roles.province, roles.prefecture, roles.code, roles.name) if c in result.rows.columns]
    for status, title in (("ambiguous", "ambiguous (candidates)"), ("not_found", "not found (nearest names)")):
        part = result.rows[result.rows["match_status"] == status]
        if part.empty:
            continue
        lines.append(f"{title}:")
        for rec in part.head(limit).to_dict("records"):
            what = " ".join(str(rec[c]) for c in label_cols if not pd.isna(rec[c]))
            codes = rec["candidates"] if status == "ambiguous" else rec["suggestions"]
            options = "; ".join(gazetteer.label(c) for c in codes) or "none"
            lines.append(f"  row {rec['row']}: {what} — {rec['match_method']} → {options}")
        if len(part) > limit:
            lines.append(f"  … and {len(part) - limit} more")
    groups = result.merged_groups()
    if groups:
        lines.append("several input rows on one polygon:")
        for code, rows in list(groups.items())[:limit]:
            lines.append(f"  {gazetteer.label(code)}: rows {', '.join(map(str, rows))}")
    return "\n".join(lines)


COLUMN_ROLES = ("code", "name", "province", "prefecture", "year")


def add_file_arguments(parser: argparse.ArgumentParser, roles: Sequence[str] = COLUMN_ROLES) -> None:
    """The command-line options naming a county file and its columns (see `file_options`)."""
    parser.add_argument("input", type=Path)
    parser.add_argument("--sheet")
    parser.add_argument("--header-row", type=int, help="file row with the column names (1-based; 0 = none)")
    for role in roles:
        parser.add_argument(f"--{role}-col", help=f'the {role} column (guessed from the headers if omitted; "" = none)')


def file_options(args: argparse.Namespace, roles: Sequence[str] = COLUMN_ROLES) -> dict[str, Any]:
    """`match_file`'s keyword arguments from the options `add_file_arguments` added."""
    return {"sheet": args.sheet, "header_row": args.header_row} | {f"{r}_col": getattr(args, f"{r}_col") for r in roles}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loaders.match", description=__doc__.split("\n")[0])
    add_file_arguments(parser)
    parser.add_argument("--out", type=Path, required=True, help="output .csv, .geojson or .gpkg")
    args = parser.parse_args(argv)
    from loaders.tabular import UploadError

    gazetteer = load_gazetteer()
    try:
        result = match_file(args.input, gazetteer=gazetteer, **file_options(args))
        write_result(result, args.out)
    except (UploadError, KeyError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    r = result.roles
    print(f"columns: code={r.code} name={r.name} province={r.province} prefecture={r.prefecture} year={r.year}")
    print(report(result, gazetteer))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
