"""A county's facts for the side panel, and its one-line timeline. No Streamlit here."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from atlas.classes import LAYER_COLUMNS, status_at
from atlas.i18n import Lang, pick_name, t
from loaders.schema import EXIT_BATCH_YEARS

FIRST_YEAR = 2014  # the 832-county list in force from 2014


def _missing(value: object) -> bool:
    """None, pandas' NA or a float NaN: what a table cell holds when nothing is known."""
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _flag(value: object, lang: Lang) -> str:
    if _missing(value):
        return t("no_data", lang)
    return t("yes" if bool(value) else "no", lang)


def _text(value: object, lang: Lang) -> str:
    if _missing(value) or value == "":
        return t("no_data", lang)
    return str(value)


def area_text(area: object, lang: Lang, area_names: Mapping[str, str]) -> str:
    """A county's contiguous area as the reader reads it ("no contiguous-area record" when empty)."""
    return t("none_area", lang) if not isinstance(area, str) or not area else area_names.get(area, area)


def layer_fact(row: Mapping[str, object], layer: str, lang: Lang, area_names: Mapping[str, str]) -> str:
    """The value a county-map layer is classed by, as the facts panel writes it ("no data" when unknown)."""
    column = LAYER_COLUMNS[layer]
    value = row.get(column)
    if column == "contiguous_area":
        return area_text(value, lang, area_names)
    if column == "exit_year":
        return _text(value, lang)
    return _flag(value, lang)


def county_facts(
    row: Mapping[str, object],
    lang: Lang,
    area_names: Mapping[str, str],
    year: int,
    place_names: Mapping[str, str] | None = None,
) -> list[tuple[str, str]]:
    """(label, value) pairs; unknown values say "no data". `place_names`: province and prefecture
    code -> name in the reader's language (else the Chinese names the row holds)."""
    places = place_names or {}
    exit_year = row.get("exit_year")
    status_key = status_at(pd.Series([exit_year], dtype="Int64"), year).iloc[0]
    status_text = {
        "poor": t("status_poor", lang),
        "exited_now": t("status_exited_now", lang),
        "exited_before": t("status_exited_before", lang),
    }.get(status_key, t("no_data", lang))
    area_km2 = row.get("area_km2")
    join_keys = {
        "matched": "join_matched",
        "renamed": "join_renamed",
        "merged": "join_merged",
        "unmatched": "join_unmatched",
    }
    facts = [
        (t("province", lang), _text(places.get(str(row.get("province_code")), row.get("province_zh")), lang)),
        (t("prefecture", lang), _text(places.get(str(row.get("prefecture_code")), row.get("prefecture_zh")), lang)),
        (t("code", lang), _text(row.get("code"), lang)),
    ]
    if isinstance(row.get("code_designated"), str) and row.get("code_designated"):
        facts.append((t("code_designated", lang), str(row["code_designated"])))
    facts += [
        (f"{t('status', lang)} {year}", status_text),
        (t("exit_year", lang), _text(exit_year, lang)),
        (t("exit_date", lang), exit_date_text(row.get("exit_date"), row.get("exit_date_kind"), lang)),
        (t("contiguous_area", lang), area_text(row.get("contiguous_area"), lang, area_names)),
        (t("sanqu_sanzhou", lang), _flag(row.get("sanqu_sanzhou"), lang)),
        (t("key_county", lang), _flag(row.get("key_county"), lang)),
        (t("deep_poverty", lang), _flag(row.get("deep_poverty"), lang)),
        (
            t("area_km2", lang),
            _text(None if _missing(area_km2) else f"{float(area_km2):,.0f}", lang),
        ),
        (
            t("join_status", lang),
            t(join_keys.get(str(row.get("join_status")), "no_data"), lang),
        ),
    ]
    return facts


def exit_date_text(date: object, kind: object, lang: Lang) -> str:
    """'approved 2019-04-24' or 'announced 2019-04-30': the date with what it is the date of."""
    if not isinstance(date, str) or not date:
        return t("no_data", lang)
    key = {"approved": "exit_date_approved", "published": "exit_date_published"}.get(str(kind))
    return t(key, lang, date=date) if key else date


def timeline(exit_year: object, lang: Lang) -> str:
    """'2014 ● 2015 ● … 2019 ✔ 2020 ○': ● poverty county, ✔ exit batch, ○ after exit, ? unknown."""
    known = not _missing(exit_year)
    marks = []
    for year in range(FIRST_YEAR, EXIT_BATCH_YEARS[-1] + 1):
        if not known:
            mark = "●" if year < EXIT_BATCH_YEARS[0] else "?"
        elif year < int(exit_year):  # type: ignore[arg-type]
            mark = "●"
        elif year == int(exit_year):  # type: ignore[arg-type]
            mark = "✔"
        else:
            mark = "○"
        marks.append(f"{year} {mark}")
    return " · ".join(marks) + f"  ({t('timeline_legend', lang)})"


def display_name(row: Mapping[str, object], lang: Lang) -> str:
    """Today's name first; the name in the designation lists after it when it differs (康定市（原康定县）)."""
    listed_zh, listed_en = str(row.get("name_zh") or ""), str(row.get("name_en") or "")
    now_zh, now_en = row.get("boundary_name_zh"), row.get("boundary_name_en")
    if not isinstance(now_zh, str) or not now_zh or now_zh == listed_zh:
        return pick_name(listed_zh, listed_en, lang)
    now_en = now_en if isinstance(now_en, str) else ""
    if lang == "zh":
        return t("name_formerly", lang, now=now_zh, then=listed_zh)
    return t("name_formerly", lang, now=now_en or now_zh, then=f"{listed_en or listed_zh}; {now_zh}")
