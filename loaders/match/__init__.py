"""Matching a user's county table to the boundary layer through the code history (no Streamlit).

One implementation serves the app's Import page, the command (`python -m loaders.match`), notebooks
(`match_file`) and the offline build (pipeline/poverty.py resolves its designation-era names with
the same `CodeHistory`, `resolve_designated` and `resolve_boundary`).

The boundary layer is geodata/counties.parquet (today's cnmaps adcodes); the code history is
geodata/raw/admin_codes_result.csv (1981-2024). A row is matched by its code if it has one (any
vintage: an old code is followed through renames, upgrades and mergers to today's polygon), else
by its name: full name, name without suffix, short form of an autonomous county, with province
and prefecture (and year) to tell repeated names apart; a province or prefecture given is never
left. Codes newer than the boundary layer (旬阳市 610981, 2021) go to the polygon of the county they
replaced; where the layer's codes differ from the history (三沙), to the layer's polygon of that
name. Every row gets a status and a method in plain words; nothing is dropped.

One topic a module: names (normalising, suffixes, statuses), history (codes 1981-2024), methods (how a row
matched, in steps), units (the boundary units indexed), by_code (a code followed to today's polygon), by_name (a
name to a polygon), gazetteer (a row to a polygon, code and name weighed), roles (which column is what), table (a
whole table), export (the joined files, shared with the Import page), command (files, report, the command line).
This package's public names are re-exported here.
"""

from loaders.match.command import add_file_arguments, file_options, main, match_file, report, write_result
from loaders.match.export import (
    FILE_FORMATS,
    FORMS,
    JOINED_COLUMNS,
    Provenance,
    export_joined,
    file_stem,
    provenance_of,
    user_source_table,
)
from loaders.match.gazetteer import Gazetteer, load_gazetteer
from loaders.match.history import (
    NO_CODE_UNITS_FILE,
    AdminRecord,
    CodeHistory,
    load_admin_codes,
    load_no_code_units,
    resolve_boundary,
    resolve_designated,
)
from loaders.match.names import MATCHED_STATUSES, STATUSES, clean_name, core_name, normalise_code
from loaders.match.roles import COLUMN_ROLES, ColumnRoles, guess_roles
from loaders.match.table import OUTPUT_COLUMNS, MatchResult, match_table, resolve, total_rows

__all__ = [
    "FILE_FORMATS",
    "FORMS",
    "JOINED_COLUMNS",
    "Provenance",
    "export_joined",
    "file_stem",
    "provenance_of",
    "user_source_table",
    "COLUMN_ROLES",
    "MATCHED_STATUSES",
    "NO_CODE_UNITS_FILE",
    "OUTPUT_COLUMNS",
    "STATUSES",
    "AdminRecord",
    "CodeHistory",
    "ColumnRoles",
    "Gazetteer",
    "MatchResult",
    "add_file_arguments",
    "clean_name",
    "core_name",
    "file_options",
    "guess_roles",
    "load_admin_codes",
    "load_gazetteer",
    "load_no_code_units",
    "main",
    "match_file",
    "match_table",
    "normalise_code",
    "report",
    "resolve",
    "resolve_boundary",
    "resolve_designated",
    "total_rows",
    "write_result",
]
