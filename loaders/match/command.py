"""The matcher for notebooks and the command line: match_file, the flat rows, GeoJSON/GeoPackage/CSV output and the
plain-text report.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from loaders.match.export import FORMS, Provenance, export_joined, file_stem, provenance_of
from loaders.match.gazetteer import Gazetteer, load_gazetteer
from loaders.match.names import STATUSES
from loaders.match.roles import COLUMN_ROLES, INDEX_HEADER, ColumnRoles, guess_roles
from loaders.match.table import MatchResult, match_table, total_rows
from loaders.schema import data_root


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
    from loaders.tabular import ImportedTable
    from loaders.tabular.upload import read_upload

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
        values = tuple(c for c in table.frame.columns if c not in taken and not INDEX_HEADER.match(str(c).strip()))
        roles = ColumnRoles(values=values, **chosen)
    else:
        roles = guessed
    if value_cols is not None:
        roles = replace(roles, values=tuple(value_cols))
    gazetteer = gazetteer or load_gazetteer()
    totals = total_rows(table.frame, roles, gazetteer)
    result = match_table(table.frame.drop(index=totals), roles, gazetteer)
    return replace(result, set_aside=tuple(int(i) + 1 for i in totals))


OUT_FORMATS = {".geojson": "geojson", ".json": "geojson", ".zip": "csv", ".csv": "csv", ".gpkg": "gpkg"}


def boundary_layer(root: Path | None = None):
    """Today's county polygons (geodata/counties.parquet) for the exports."""
    import geopandas as gpd

    root = Path(root) if root is not None else data_root()
    return gpd.read_parquet(root / "counties.parquet", columns=["code", "name_zh", "name_en", "geometry"])


def write_result(
    result: MatchResult, out: Path, provenance: Provenance | None = None, form: str = "rows", root: Path | None = None
) -> None:
    """The export the Import page offers (loaders.match.export), from the extension: .geojson, .zip (the
    CSV with metadata.json and sources.csv; the long form adds the boundary file), .gpkg; .csv is the
    zip's table alone (rows or wide form)."""
    import zipfile

    from loaders.data import data_build

    file_format = OUT_FORMATS.get(out.suffix.lower())
    if file_format is None:
        raise ValueError(f"unsupported output '{out.name}': use .geojson, .zip (CSV), .csv or .gpkg")
    if out.suffix.lower() == ".csv" and form == "long":
        raise ValueError("the long form as CSV is a .zip (the table and the boundary file)")
    provenance = provenance or provenance_of("DataFrame", b"")
    root = Path(root) if root is not None else data_root()
    data = export_joined(result, provenance, boundary_layer(root), file_format, form, data_build(root))
    if out.suffix.lower() == ".csv":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            data = archive.read(f"{file_stem(provenance.filename)}.csv")
    out.write_bytes(data)


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
    if result.set_aside:
        rows = _rows_text(result.set_aside)
        lines.append(f"set aside as totals (全国, 合计, province or prefecture rows): rows {rows}")
    groups = result.merged_groups()
    if groups:
        lines.append("several input rows on one polygon:")
        for code, rows in list(groups.items())[:limit]:
            lines.append(f"  {gazetteer.label(code)}: rows {', '.join(map(str, rows))}")
    return "\n".join(lines)






def _rows_text(rows: Sequence[int], limit: int = 30) -> str:
    return ", ".join(map(str, rows[:limit])) + (f" … ({len(rows)} in all)" if len(rows) > limit else "")


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
    parser.add_argument("--out", type=Path, required=True, help="output .geojson, .zip (CSV), .csv or .gpkg")
    parser.add_argument(
        "--form",
        choices=FORMS,
        default="rows",
        help="rows: every input row with its polygon; a panel (year column) also wide: one feature per county, "
        "a column per measure and year; long: the rows and each county's polygon once (.gpkg or .zip)",
    )
    args = parser.parse_args(argv)
    from loaders.tabular import UploadError

    gazetteer = load_gazetteer()
    try:
        result = match_file(args.input, gazetteer=gazetteer, **file_options(args))
        provenance = provenance_of(args.input.name, args.input.read_bytes())
        write_result(result, args.out, provenance, args.form)
    except (UploadError, KeyError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    r = result.roles
    print(f"columns: code={r.code} name={r.name} province={r.province} prefecture={r.prefecture} year={r.year}")
    print(report(result, gazetteer))
    print(f"wrote {args.out}")
    return 0
