"""A row's code, of any vintage, followed through the code history (renames, upgrades, mergers, splits, reused
codes, codes newer than the boundary layer) to today's polygon."""

from __future__ import annotations

from loaders.match.history import AdminRecord, shared_successor, successors_in_layer
from loaders.match.methods import MatchMethod, Outcome, era, step
from loaders.match.names import core_name
from loaders.match.units import BoundaryUnits


class CodeTracing(BoundaryUnits):
    """Matching by code: an old county record to the polygon that holds it today."""

    def _by_code(self, code: str, name: str, year: int | None) -> Outcome | None:
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
                return Outcome("renamed", code, method, source=code)
            return Outcome("matched", code, step("code", code=code), source=code)
        rec = self.history.record(code, year)
        if rec is None or rec.level != "县级":
            return Outcome("not_found", method=step("code_unknown", code=code))
        return self._trace(rec, name, step("code_named", code=code, name=rec.name))

    def _trace(self, rec: AdminRecord, name: str, what: MatchMethod) -> Outcome:
        """An old county record -> today's polygon: renamed (one to one) or merged (shared polygon).

        A renamed row's source is its polygon: one county under its old and new code is one unit."""
        if rec.code in self.layer_alias and rec.end is None:
            target = self.layer_alias[rec.code]
            return Outcome("matched", target, what + step("layer_alias", code=target), source=target)
        # a code given to another county later (武隆县 511423 in 1995–1997, 洪雅县's since 2000): followed
        # through the record's successors, never to the polygon that now bears the code
        reused = self._moved_on(rec)
        if rec.code in self.boundaries and not (reused and self.name_zh(rec.code) != rec.name):
            today = self.name_zh(rec.code)
            if today == rec.name:
                return Outcome("matched", rec.code, what, source=rec.code)
            return Outcome(
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
            return Outcome("not_found", method=what + step("no_successor"))
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
                return Outcome("ambiguous", "", what + split, tuple(hits))
            heir = heirs[0]
            parts = step("parts_went", units=self._units(c for c in hits if c != heir))
            merged = shared_successor(self.history, rec.code, heir, ref_year, whole_units=True)
            status = "merged" if merged else "renamed"
            source = heir if status == "renamed" else rec.code
            return Outcome(status, heir, what + self._change(status, heir, rec.end) + parts, source=source)
        target = hits[0]
        if shared_successor(self.history, rec.code, target, ref_year, whole_units=True):
            return Outcome("merged", target, what + self._change("merged", target, rec.end), source=rec.code)
        return Outcome("renamed", target, what + self._change("renamed", target, rec.end), source=target)

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

    def _newer_than_layer(self, rec: AdminRecord, what: MatchMethod) -> Outcome:
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
            return Outcome("renamed", code, method, source=code)
        if polygons:
            method = what + step("joined_polygons", units=self._units(polygons))
            return Outcome("ambiguous", "", method, tuple(polygons))
        return Outcome("not_found", method=what + step("no_polygon"))
