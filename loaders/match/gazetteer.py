"""Today's boundary units with the code history: a row's code or name (with province, prefecture, year) to a
polygon, with a status and a method.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from loaders.match.history import (
    AdminRecord,
    CodeHistory,
    NoCodeUnits,
    load_admin_codes,
    load_no_code_units,
    shared_successor,
    successors_in_layer,
)
from loaders.match.methods import MatchMethod, context_steps, era, step
from loaders.match.names import (
    MATCHED_STATUSES,
    PREFECTURE_SUFFIXES,
    PROVINCE_SUFFIXES,
    banner_abbreviation,
    core_name,
    core_names,
    normalise_text,
    prefecture_core,
)
from loaders.schema import data_root


@dataclass(frozen=True)
class _Outcome:
    status: str
    code: str = ""
    method: MatchMethod = MatchMethod()
    candidates: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()
    source: str = ""  # the unit the row names (old code, or name): rows of different sources on one polygon = merged





def _short_form(name: str, full: str) -> MatchMethod:
    if "自治" in full and "自治" not in name:
        return step("short_form_of", full=full)
    if name == core_name(full):
        return step("without_suffix_of", full=full)
    return step("other_suffix", full=full)


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
        # 科右前旗: a banner's usual short name, derived from its full name; kept where it names one banner
        # and no county of any time bears it as its own name
        abbreviated: dict[str, list[str]] = defaultdict(list)
        for r in counties.itertuples():
            short = banner_abbreviation(r.name_zh)
            if short:
                abbreviated[short].append(r.code)
        self.by_abbreviation = {
            short: codes
            for short, codes in abbreviated.items()
            if len(codes) == 1 and short not in self.by_name and short not in self.hist_by_name
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
        for rec in history.records:
            if rec.level == "地级":
                self.prefectures[prefecture_core(rec.name)].add(rec.code[:4])
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
            return by_code or _Outcome("not_found", method=step("no_code_no_name"))
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

    def _by_code(self, code: str, name: str, year: int | None) -> _Outcome | None:
        if code in self.layer_alias:
            rec = self.history.record(code, year)
            return self._trace(rec, name, step("code_named", code=code, name=rec.name)) if rec else None
        if code in self.boundaries:
            # same code, another name then (桥西区 → 信都区 2020): renamed since, if the row shows it
            today = self.name_zh(code)
            then = self.history.record(code, year) if year else None
            if then is not None and then.name != today and self._moved_on(then):
                return self._trace(then, name, step("code_named", code=code, name=then.name))  # its earlier holder
            named = [
                r
                for r in self.history.by_code.get(code, [])
                if r.name != today and (r is then or (name and r.name == name))
            ]
            if named:
                old = named[0]
                method = (
                    step("code_renamed_until", code=code, old=old.name, last=old.end - 1, today=today)
                    if old.end
                    else step("code_renamed", code=code, old=old.name, today=today)
                )
                return _Outcome("renamed", code, method, source=code)
            return _Outcome("matched", code, step("code", code=code), source=code)
        rec = self.history.record(code, year)
        if rec is None or rec.level != "县级":
            return _Outcome("not_found", method=step("code_unknown", code=code))
        return self._trace(rec, name, step("code_named", code=code, name=rec.name))

    def _trace(self, rec: AdminRecord, name: str, what: MatchMethod) -> _Outcome:
        """An old county record -> today's polygon: renamed (one to one) or merged (shared polygon).

        A renamed row's source is its polygon: one county under its old and new code is one unit."""
        if rec.code in self.layer_alias and rec.end is None:
            target = self.layer_alias[rec.code]
            return _Outcome("matched", target, what + step("layer_alias", code=target), source=target)
        # a code given to another county later (武隆县 511423 in 1995–1997, 洪雅县's since 2000): followed
        # through the record's successors, never to the polygon that now bears the code
        reused = self._moved_on(rec)
        if rec.code in self.boundaries and not (reused and self.name_zh(rec.code) != rec.name):
            today = self.name_zh(rec.code)
            if today == rec.name:
                return _Outcome("matched", rec.code, what, source=rec.code)
            return _Outcome(
                "renamed", rec.code, what + step("same_code_renamed", code=rec.code, today=today), source=rec.code
            )
        what = what + era(rec.start, rec.end)
        if reused and rec.code in self.boundaries:
            hits = [h for s in rec.successors for h in self._beyond_reused(s, rec.end)]
        else:
            hits = successors_in_layer(self.history, self.boundaries, rec.code)
            hits = list(dict.fromkeys(h for c in hits for h in self._beyond_reused(c, rec.end)))
        if not hits and rec.end is None:
            return self._newer_than_layer(rec, what)
        if not hits:
            return _Outcome("not_found", method=what + step("no_successor"))
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
                units = self._units(hits)
                split = step("split_in", year=rec.end, units=units) if rec.end else step("split", units=units)
                return _Outcome("ambiguous", "", what + split, tuple(hits))
            heir = heirs[0]
            parts = step("parts_went", units=self._units(c for c in hits if c != heir))
            merged = shared_successor(self.history, rec.code, heir, ref_year, whole_units=True)
            status = "merged" if merged else "renamed"
            source = heir if status == "renamed" else rec.code
            return _Outcome(status, heir, what + self._change(status, heir, rec.end) + parts, source=source)
        target = hits[0]
        if shared_successor(self.history, rec.code, target, ref_year, whole_units=True):
            return _Outcome("merged", target, what + self._change("merged", target, rec.end), source=rec.code)
        return _Outcome("renamed", target, what + self._change("renamed", target, rec.end), source=target)

    def _units(self, codes) -> str:
        return ", ".join(f"{c} {self.name_zh(c)}" for c in codes)

    def _change(self, status: str, code: str, year: int | None) -> MatchMethod:
        """' → merged in 2016 into 361003 东乡区' or ' → 361003 东乡区, renamed in 2016'."""
        kind = ("to_merged" if status == "merged" else "to_renamed") + ("_in" if year else "")
        values = {"code": code, "name": self.name_zh(code)} | ({"year": year} if year else {})
        return step(kind, **values)

    def _beyond_reused(self, code: str, year: int | None, depth: int = 0) -> list[str]:
        """Polygons for a successor `code` reached in `year`: itself, unless the code then named a unit
        that moved on to another code before the code's present owner took it (512326 → 511423 武隆县,
        1995 → 500232 in 1997; 511423 is 洪雅县's since 2000)."""
        rec = self.history.record(code, year) if year else None
        if rec is None or not self._moved_on(rec) or depth > 5 or self.name_zh(code) == rec.name:
            return self._heirs_of(code)
        heirs = [h for s in rec.successors for h in self._heirs_of(s)]
        return list(dict.fromkeys(x for h in heirs for x in self._beyond_reused(h, rec.end, depth + 1)))

    def _moved_on(self, rec: AdminRecord) -> bool:
        """The unit left its code for another, and the code went to another unit later (reused)."""
        if not (rec.end and rec.successors and rec.code not in rec.successors):
            return False
        return any(r.start >= rec.end for r in self.history.by_code.get(rec.code, []))

    def _heirs_of(self, code: str) -> list[str]:
        return [code] if code in self.boundaries else successors_in_layer(self.history, self.boundaries, code)

    def _newer_than_layer(self, rec: AdminRecord, what: MatchMethod) -> _Outcome:
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
            method = what + step("newer_than_layer", code=code, name=self.name_zh(code))
            return _Outcome("renamed", code, method, source=code)
        if polygons:
            method = what + step("joined_polygons", units=self._units(polygons))
            return _Outcome("ambiguous", "", method, tuple(polygons))
        return _Outcome("not_found", method=what + step("no_polygon"))

    def _by_name(self, name: str, prov2: str, prefs: frozenset[str], year: int | None) -> _Outcome:
        if prov2 in ("", "63"):
            for (prov, unit), (target, status, _note) in self.no_code_units.items():
                unit_core = unit.removesuffix("行委")
                if name in (unit, unit_core + "行政委员会"):
                    kind = "no_code_unit_merged" if status == "merged" else "no_code_unit_joined"
                    method = step(kind, unit=unit, province=prov, code=target, name=self.name_zh(target))
                    return _Outcome(status, target, method, source=unit)
        core = core_name(name)
        context = context_steps(bool(prov2), bool(prefs))
        tiers: list[tuple[str, list]] = []
        if year is not None:
            tiers.append(("name in use", [r for r in self.hist_by_name.get(name, []) if r.in_use(year)]))
        short = self.by_core.get(core, [])
        tiers += [
            ("full name", self.by_name.get(name, [])),
            # 北川县 is today's 北川羌族自治县 (before its 2003 name change, too)
            ("short", [c for c in short if "自治" in self.name_zh(c) and "自治" not in name]),
            ("earlier name", self.hist_by_name.get(name, [])),
            ("short", short),
            ("earlier name, short", self.hist_by_core.get(core, [])),
            ("abbreviation", self.by_abbreviation.get(name, [])),
        ]
        if not prov2 and not prefs and year is None and not self.by_name.get(name):
            spread = self._across_provinces(name, tiers[1:4], context)
            if spread is not None:
                return spread
        for how, pool in tiers:
            pool = [p for p in pool if self._in_context(p, prov2, prefs, strict=True)]
            pool = [p for p in pool if self._in_context(p, prov2, prefs, strict=False)] or pool
            if not pool:
                continue
            outcomes: dict[str, _Outcome] = {}
            failed: list[_Outcome] = []
            for p in pool:
                if isinstance(p, str):
                    method = step("full_name") if how == "full name" else _short_form(name, self.name_zh(p))
                    method = step("abbreviation_of", full=self.name_zh(p)) if how == "abbreviation" else method
                    out = _Outcome("matched", p, method + context, source=p)
                else:
                    label = self._tier_label(how, year)
                    if how == "earlier name, short":
                        label = _short_form(name, p.name) + step("earlier_name_after")
                    out = self._trace(p, name, label + context + step("unit_is", name=p.name, code=p.code))
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
                what = self._tier_label(how if how in ("full name", "earlier name", "name in use") else "short", year)
                method = step("fits_open", name=name, n=len(codes)) + what + context + step("close")
                return _Outcome("ambiguous", "", method, codes)
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
                        return replace(out, method=step("head_plus", head=head) + out.method)
        elsewhere = self._elsewhere(name, prov2) if prov2 else ()
        method = step("no_county_province" if prov2 else "no_county", name=name)
        if elsewhere:
            method += step("elsewhere", units=", ".join(map(self.label, elsewhere)))
        return _Outcome(
            "not_found",
            method=method,
            suggestions=(*elsewhere, *(c for c in self.suggest(name, prov2) if c not in elsewhere)),
        )

    def _tier_label(self, how: str, year: int | None) -> MatchMethod:
        """A tier of name matching as a method step: full name, earlier name, name in use in 2013, short forms."""
        if how == "name in use":
            return step("name_in_use", year=year)
        return step({"full name": "full_name", "earlier name": "earlier_name"}.get(how, "short_forms"))

    def _across_provinces(self, name: str, tiers: list[tuple[str, list]], context: MatchMethod) -> _Outcome | None:
        """A name without province or year that a short form or an earlier name gives to polygons in
        several provinces (东乡县: 甘肃's 东乡族自治县 and 江西's 东乡区) is ambiguous with all of them,
        never the first tier's pick."""
        codes: list[str] = []
        for _how, pool in tiers:
            for p in pool:
                out = _Outcome("matched", p) if isinstance(p, str) else self._trace(p, name, MatchMethod())
                for code in (out.code,) if out.code else out.candidates:
                    if code and code not in codes:
                        codes.append(code)
        if len({c[:2] for c in codes}) < 2:
            return None
        method = step("fits_provinces_open", name=name, n=len(codes)) + step("short_forms") + context + step("close")
        return _Outcome("ambiguous", "", method, tuple(codes))

    def _elsewhere(self, name: str, prov2: str) -> tuple[str, ...]:
        """Polygons of counties of that full name outside `prov2` (a pasted heading carried over to
        another province's names): offered, never taken, since a province given is never left."""
        return tuple(c for c in self.by_name.get(name, []) if not c.startswith(prov2))[:3]

    def _unless_named_elsewhere(
        self, name: str, found: _Outcome, prov2: str, prefs: frozenset[str], context: MatchMethod
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
            out = self._trace(rec, name, MatchMethod())
            for code in (out.code,) if out.code else out.candidates:
                if code != found.code and code not in others:
                    others.append(code)
        if not others:
            return found
        codes = (found.code, *others)
        others_text = ", ".join(self.label(c) for c in others)
        method = step("named_elsewhere_open", name=name, today=self.label(found.code), others=others_text)
        return _Outcome("ambiguous", "", method + context + step("year_tells"), codes)

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
        return _Outcome("matched", hits[0], step("abbreviation_in_province", full=full), source=hits[0])

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
