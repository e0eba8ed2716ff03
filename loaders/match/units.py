"""Today's boundary units and the code history's county names, indexed for lookup: by full name, core name,
character and banner abbreviation; provinces and prefectures by name or code (a row's context); labels and
suggestions for people.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict

import pandas as pd

from loaders.match.history import AdminRecord, CodeHistory, NoCodeUnits
from loaders.match.methods import Outcome
from loaders.match.names import (
    PREFECTURE_SUFFIXES,
    PROVINCE_SUFFIXES,
    banner_abbreviations,
    core_name,
    core_names,
    normalise_text,
    prefecture_core,
)


class BoundaryUnits:
    """The indexes, built once from the boundary layer's counties and the code history."""

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
            for core in core_names(r.name_zh):
                self.by_core[core].append(r.code)
            for ch in core_name(r.name_zh):
                self.by_char[ch].add(r.code)
        self.hist_by_name: dict[str, list[AdminRecord]] = defaultdict(list)
        self.hist_by_core: dict[str, list[AdminRecord]] = defaultdict(list)
        for rec in history.records:
            if rec.level == "县级" and rec.name not in ("市辖区", "省直辖县级行政区划"):
                self.hist_by_name[rec.name].append(rec)
                for core in core_names(rec.name):
                    self.hist_by_core[core].append(rec)
        # 科右前旗: a banner's usual short name, derived from its full name, where no county of any time bears
        # it as its own name; one that several banners share (阿旗, 扎旗) makes the row ambiguous with them
        abbreviated: dict[str, list[str]] = defaultdict(list)
        for r in counties.itertuples():
            for short in banner_abbreviations(r.name_zh):
                abbreviated[short].append(r.code)
        self.by_abbreviation = {
            short: codes
            for short, codes in abbreviated.items()
            if short not in self.by_name and short not in self.hist_by_name
        }
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
        prefecture_rows: set[str] = set()  # 凉山彝族自治州, 凉山州: how a prefecture's row reads in a county table
        for rec in history.records:
            if rec.level == "地级":
                core = prefecture_core(rec.name)
                self.prefectures[core].add(rec.code[:4])
                suffix = next((s for s in PREFECTURE_SUFFIXES if rec.name.endswith(s)), None)
                if suffix and len(core) >= 2:
                    prefecture_rows |= {rec.name, core + ("州" if suffix == "自治州" else suffix)}
        # a name some county bore (哈密市, 铜仁市 before they became prefectures; 东莞市, 济源市) stays a county
        self.prefecture_rows = frozenset(
            n for n in prefecture_rows if n not in self.by_name and n not in self.hist_by_name
        )
        self.prefecture_names: dict[str, list[str]] = defaultdict(list)  # first two characters -> core names
        for name in self.prefectures:
            self.prefecture_names[name[:2]].append(name)
        self.layer_alias = self._layer_aliases()
        self._cache: dict[tuple, Outcome] = {}
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
        core = prefecture_core(text)
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

    def _units(self, codes) -> str:
        return ", ".join(f"{c} {self.name_zh(c)}" for c in codes)

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
