"""A row's name to a polygon: full name, earlier names, short forms, abbreviations, the context (province,
prefecture, year) written beside it or into it; ambiguous where the name fits several units."""

from __future__ import annotations

from dataclasses import replace

from loaders.match.by_code import CodeTracing
from loaders.match.methods import MatchMethod, Outcome, context_steps, step
from loaders.match.names import MATCHED_STATUSES, PREFECTURE_SUFFIXES, core_name


def _short_form(name: str, full: str) -> MatchMethod:
    if "自治" in full and "自治" not in name:
        return step("short_form_of", full=full)
    if name == core_name(full):
        return step("without_suffix_of", full=full)
    return step("other_suffix", full=full)


class NameMatching(CodeTracing):
    """Matching by name, an earlier name followed to today's polygon by code (CodeTracing)."""

    def _by_name(self, name: str, prov2: str, prefs: frozenset[str], year: int | None) -> Outcome:
        if prov2 in ("", "63"):
            for (prov, unit), (target, status, _note) in self.no_code_units.items():
                unit_core = unit.removesuffix("行委")
                if name in (unit, unit_core + "行政委员会"):
                    kind = "no_code_unit_merged" if status == "merged" else "no_code_unit_joined"
                    method = step(kind, unit=unit, province=prov, code=target, name=self.name_zh(target))
                    return Outcome(status, target, method, source=unit)
        core = core_name(name)
        context = context_steps(bool(prov2), bool(prefs))
        tiers: list[tuple[str, list]] = []
        if year is not None:
            tiers.append(("name in use", [r for r in self.hist_by_name.get(name, []) if r.in_use(year)]))
        short = self.by_core.get(core, [])
        hist_short = self.hist_by_core.get(core, [])
        if name.endswith("旗"):  # a banner's short form is a banner's (达旗 is 达拉特旗, not 达县)
            short = [c for c in short if self.name_zh(c).endswith("旗")]
            hist_short = [r for r in hist_short if r.name.endswith("旗")]
        tiers += [
            ("full name", self.by_name.get(name, [])),
            # 北川县 is today's 北川羌族自治县 (before its 2003 name change, too)
            ("short", [c for c in short if "自治" in self.name_zh(c) and "自治" not in name]),
            ("earlier name", self.hist_by_name.get(name, [])),
            ("short", short),
            ("earlier name, short", hist_short),
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
            outcomes: dict[str, Outcome] = {}
            failed: list[Outcome] = []
            for p in pool:
                if isinstance(p, str):
                    method = step("full_name") if how == "full name" else _short_form(name, self.name_zh(p))
                    method = step("abbreviation_of", full=self.name_zh(p)) if how == "abbreviation" else method
                    out = Outcome("matched", p, method + context, source=p)
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
                return Outcome("ambiguous", "", method, codes)
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
        return Outcome(
            "not_found",
            method=method,
            suggestions=(*elsewhere, *(c for c in self.suggest(name, prov2) if c not in elsewhere)),
        )

    def _tier_label(self, how: str, year: int | None) -> MatchMethod:
        """A tier of name matching as a method step: full name, earlier name, name in use in 2013, short forms."""
        if how == "name in use":
            return step("name_in_use", year=year)
        return step({"full name": "full_name", "earlier name": "earlier_name"}.get(how, "short_forms"))

    def _across_provinces(self, name: str, tiers: list[tuple[str, list]], context: MatchMethod) -> Outcome | None:
        """A name without province or year that a short form or an earlier name gives to polygons in
        several provinces (东乡县: 甘肃's 东乡族自治县 and 江西's 东乡区) is ambiguous with all of them,
        never the first tier's pick."""
        codes: list[str] = []
        for _how, pool in tiers:
            for p in pool:
                out = Outcome("matched", p) if isinstance(p, str) else self._trace(p, name, MatchMethod())
                for code in (out.code,) if out.code else out.candidates:
                    if code and code not in codes:
                        codes.append(code)
        if len({c[:2] for c in codes}) < 2:
            return None
        method = step("fits_provinces_open", name=name, n=len(codes)) + step("short_forms") + context + step("close")
        return Outcome("ambiguous", "", method, tuple(codes))

    def _elsewhere(self, name: str, prov2: str) -> tuple[str, ...]:
        """Polygons of counties of that full name outside `prov2` (a pasted heading carried over to
        another province's names): offered, never taken, since a province given is never left."""
        return tuple(c for c in self.by_name.get(name, []) if not c.startswith(prov2))[:3]

    def _unless_named_elsewhere(
        self, name: str, found: Outcome, prov2: str, prefs: frozenset[str], context: MatchMethod
    ) -> Outcome:
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
        return Outcome("ambiguous", "", method + context + step("year_tells"), codes)

    def _abbreviation(self, name: str, prov2: str, prefs: frozenset[str]) -> Outcome | None:
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
        return Outcome("matched", hits[0], step("abbreviation_in_province", full=full), source=hits[0])
