"""Build the canonical time series (incidence, funds, relocation) from hand-transcribed files.

    python -m pipeline.series

Reads ONLY ``geodata/raw/series/`` (values typed exactly as published, in the
published units, one locator and one ``source_id`` per row) and
``geodata/raw/sources_*.csv`` (to check that every cited source exists), and
writes ``geodata/series/{incidence,funds,relocation}.csv``.

Raw files
---------
``incidence*.csv``  level, unit_code, unit_name_zh, year, poor_population,
                    poor_population_unit, incidence_pct, standard, source_id,
                    locator, status, notes
``funds*.csv``      level, unit_code, unit_name_zh, year, fund_type, amount,
                    amount_unit, source_id, locator, status, notes
``relocation*.csv`` level, unit_code, unit_name_zh, period, measure, value,
                    value_unit, source_id, locator, status, notes

``status`` says what the build does with a row:

* ``use``      - goes into the canonical file (exactly one per key);
* ``alt``      - a second source for a key that has a ``use`` row; kept for the
                 cross-checks of ``pipeline.series_report`` only;
* ``excluded`` - transcribed but kept out (suspect or ambiguous; the reason is
                 in ``notes``).

Units are converted in ONE place: the ``UNIT_FACTORS`` table (pipeline/series_rows.py, with the rows'
checks and conversions). Nothing
else is computed: no sums, no interpolation, no zero for a missing value.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from loaders.errors import DataFileError
from loaders.schema import (
    FUNDS,
    GEODATA,
    INCIDENCE,
    RELOCATION,
    SERIES_LEVELS,
)
from pipeline.series_rows import CONVERTERS, RAW_COLUMNS, RawRow, check_common, row_error

RAW_DIR = GEODATA / "raw" / "series"
SOURCES_GLOB_DIR = GEODATA / "raw"
OUT_DIR = GEODATA / "series"


def _read_csv(path: Path) -> list[dict[str, str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataFileError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return list(csv.DictReader(io.StringIO(text)))


def load_source_ids(sources_dir: Path = SOURCES_GLOB_DIR) -> set[str]:
    """Every source_id of geodata/raw/sources_*.csv (the fragments)."""
    ids: set[str] = set()
    for path in sorted(sources_dir.glob("sources_*.csv")):
        for i, row in enumerate(_read_csv(path), start=2):
            sid = (row.get("source_id") or "").strip()
            if not sid:
                raise DataFileError(path, "a value is required", row=i, column="source_id")
            ids.add(sid)
    return ids


def read_raw(raw_dir: Path = RAW_DIR) -> dict[str, list[RawRow]]:
    """All raw rows by theme, file order kept; checks the header."""
    out: dict[str, list[RawRow]] = {t: [] for t in RAW_COLUMNS}
    for theme, cols in RAW_COLUMNS.items():
        for path in sorted(raw_dir.glob(f"{theme}*.csv")):
            rows = _read_csv(path)
            header = list(rows[0].keys()) if rows else cols
            missing = [c for c in cols if c not in header]
            if missing:
                raise DataFileError(path, f"missing column(s): {', '.join(missing)}", row=1, column=missing[0])
            for i, row in enumerate(rows, start=2):
                clean = {k: (v or "").strip() for k, v in row.items() if k is not None}
                out[theme].append(RawRow(theme, path, i, clean))
    return out


COLUMNS = {"incidence": INCIDENCE.names, "funds": FUNDS.names, "relocation": RELOCATION.names}
_LEVEL_ORDER = {lvl: i for i, lvl in enumerate(SERIES_LEVELS)}


Converted = dict[str, list[tuple[str, tuple, dict[str, str], RawRow]]]


def convert_all(raw: dict[str, list[RawRow]], source_ids: set[str]) -> Converted:
    """Check and convert every raw row (all statuses): theme -> [(status, key, row, raw)]."""
    out: dict[str, list[tuple[str, tuple, dict[str, str], RawRow]]] = {}
    for theme, rows in raw.items():
        converted = []
        for r in rows:
            check_common(r, source_ids)
            key, row = CONVERTERS[theme](r)
            converted.append((r.data["status"], key, row, r))
        out[theme] = converted
    return out


def canonical_tables(converted: Converted) -> dict[str, list[dict[str, str]]]:
    """The `use` rows, one per key, sorted; `alt` rows must shadow a `use` row."""
    tables: dict[str, list[dict[str, str]]] = {}
    for theme, items in converted.items():
        used: dict[tuple, RawRow] = {}
        rows: list[tuple[tuple, dict[str, str]]] = []
        for status, key, row, r in items:
            if status != "use":
                continue
            if key in used:
                first = used[key]
                raise row_error(
                    r,
                    "status",
                    f"duplicate key {key} (also 'use' in {first.path.name} row {first.line}); mark one 'alt'",
                )
            used[key] = r
            rows.append((key, row))
        for status, key, _row, r in items:
            if status == "alt" and key not in used:
                raise row_error(r, "status", f"'alt' row for {key} but no 'use' row has that key")
        rows.sort(key=lambda kr: (_LEVEL_ORDER[kr[0][0]],) + tuple(str(k) for k in kr[0][1:]))
        tables[theme] = [row for _, row in rows]
    return tables


def _write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    w.writeheader()
    for row in rows:
        w.writerow({c: row[c] for c in columns})
    path.write_text(buf.getvalue(), encoding="utf-8")


def _validate_against_schema(out_dir: Path) -> None:
    """Re-read the outputs with the app's schema (loaders.schema) when it is there."""
    try:
        from loaders import schema, tables
    except ImportError:  # pragma: no cover - the schema module is optional here
        return
    import pandas as pd

    for name in ("incidence", "funds", "relocation"):
        table = getattr(schema, name.upper(), None)
        if table is None:
            continue
        path = out_dir / f"{name}.csv"
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        tables.validate_frame(raw, table, path)


def build(raw_dir: Path = RAW_DIR, out_dir: Path = OUT_DIR, sources_dir: Path = SOURCES_GLOB_DIR) -> dict[str, Path]:
    """Read raw/series, check, convert units, write the three canonical files."""
    source_ids = load_source_ids(sources_dir)
    converted = convert_all(read_raw(raw_dir), source_ids)
    tables = canonical_tables(converted)
    paths = {}
    for theme, rows in tables.items():
        path = out_dir / f"{theme}.csv"
        _write_csv(path, COLUMNS[theme], rows)
        paths[theme] = path
    _validate_against_schema(out_dir)
    return paths


def main() -> None:
    paths = build()
    for theme, path in paths.items():
        n = sum(1 for _ in path.open(encoding="utf-8")) - 1
        print(f"{theme}: {n} rows -> {path.relative_to(GEODATA.parent)}")


if __name__ == "__main__":
    main()
