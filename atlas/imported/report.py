"""The match report in the reader's language: statuses, methods, column labels, upload errors and notices."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from atlas.i18n import MATCH_METHOD_ZH, UPLOAD_ERRORS_ZH, Lang, t
from loaders.match import STATUSES, ColumnRoles
from loaders.match.methods import MatchMethod
from loaders.tabular import Notice, UploadError
from loaders.tabular.pasted import PASTED_COLUMNS

REPORT_COLUMNS = ("input_row", "match_status", "boundary_code", "boundary_name_zh", "boundary_name_en", "match_method")


STATUS_LABELS = dict(
    zip(STATUSES, ("status_matched", "status_renamed", "status_merged", "status_ambiguous", "status_not_found"))
)


def status_label(status: object, lang: Lang) -> str:
    key = STATUS_LABELS.get(str(status))
    return t(key, lang) if key else str(status)


def report_frame(rows: pd.DataFrame, roles: ColumnRoles, lang: Lang) -> pd.DataFrame:
    """The match report as the page shows it: row, the input (name, else code), status, polygon, method."""
    text = rows[roles.name] if roles.name else rows[roles.code]
    return pd.DataFrame(
        {
            t("import_col_row", lang): rows["row"],
            t("import_col_input", lang): text.astype("string"),
            t("import_col_status", lang): rows["match_status"].map(lambda s: status_label(s, lang)),
            # no polygon: an empty cell (st.dataframe would draw a missing value as "None")
            t("import_col_code", lang): rows["boundary_code"].astype("string").fillna(""),
            t("import_col_name", lang): rows["boundary_name_zh" if lang == "zh" else "boundary_name_en"]
            .astype("string")
            .fillna(""),
            t("import_col_method", lang): [method_text(m, lang) for m in rows["method_steps"]],
        }
    )


def method_text(method: MatchMethod, lang: Lang) -> str:
    """How a row matched, in the reader's language (the exported file keeps loaders.match's English)."""
    return method.text(MATCH_METHOD_ZH) if lang == "zh" else method.text()


def column_label(column: str, columns: Sequence[str], lang: Lang) -> str:
    """A column as the page names it: the columns of a pasted list (named by the reader, not the user)
    in the reader's language; the user's own headers as they are."""
    if tuple(columns) == PASTED_COLUMNS:
        return t({"province": "province", "name": "import_role_name"}[column], lang)
    return column


def upload_error_text(exc: UploadError, lang: Lang) -> str:
    """Why a file cannot be read, in the reader's language, naming the file."""
    if lang == "en":
        return str(exc)
    return f"{exc.filename}：{UPLOAD_ERRORS_ZH[exc.code].format(**exc.values)}"


def notice_text(notice: Notice, lang: Lang) -> str:
    """A notice of the file readers (loaders.tabular.Notice) in the reader's language."""
    values = notice.fields
    if "rows" in values:
        listed = ("、" if lang == "zh" else ", ").join(map(str, values["rows"]))
        more = values.get("n", 0) > len(values["rows"])
        values["rows"] = listed + ("…" if more else "")
    return t(f"read_{notice.code}", lang, **values)


def summary_metrics(summary: Mapping[str, Any], lang: Lang) -> list[tuple[str, str]]:
    """(label, figure) of the match report's metrics: rate, rows, then each status."""
    return [
        (t("import_match_rate", lang), f"{summary.get('match_rate', 0.0):.1%}"),
        (t("import_rows", lang), f"{summary.get('total', 0):,}"),
        *((t(f"status_{status}", lang), f"{summary.get(status, 0):,}") for status in STATUSES),
    ]
