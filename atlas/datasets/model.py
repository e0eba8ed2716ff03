"""What the store holds, as plain values: citations, versions, actors, diffs, the errors, and the checks of
a dataset's rows before they are published. No database here (atlas.datasets.store), no Streamlit."""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd

from loaders.schema import CODE6_PATTERN

KINDS = ("area", "key", "deep", "panel")
LIST_KINDS = ("area", "key", "deep")  # a county list setting one flag; the admin picks a default for each
ACCOUNT_ROLES = ("publisher", "admin")
LATEST = "latest"
# Dataset ids: lower-case letters, digits and dashes (they go into URLs as `ds=<id>@<version>`)
DATASET_ID_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
_VERSION = re.compile(r"^[1-9][0-9]{0,8}$")
_CITATION_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
MAX_TEXT = 2000  # a title or citation field longer than this is a mistake (or an attack), not a title


class StoreError(Exception):
    """Base of the store's errors."""


class DatasetError(StoreError, ValueError):
    """Bad input to the store: a missing citation field, a bad row or column, a bad reference."""


class UnknownDataset(DatasetError, LookupError):
    """No such dataset or version."""


class NotAllowed(StoreError, PermissionError):
    """The actor lacks the role (or ownership) the action needs."""


class SignInRefused(StoreError):
    """Wrong user name or passphrase, a disabled account, or too many recent failures (`retry_after` s)."""

    def __init__(self, message: str, retry_after: float = 0.0) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class StoreUnavailable(StoreError):
    """The database cannot be reached, read or written (missing, damaged, read-only, full, down)."""


def _check_text(value: object, what: str, *, required: bool = True) -> str:
    if not isinstance(value, str):
        raise DatasetError(f"{what} must be text")
    if required and not value.strip():
        raise DatasetError(f"{what} is required")
    if len(value) > MAX_TEXT:
        raise DatasetError(f"{what} is longer than {MAX_TEXT} characters")
    if any(unicodedata.category(c) == "Cc" and c not in "\t\n" for c in value):
        raise DatasetError(f"{what} holds control characters")
    return value


@dataclass(frozen=True)
class SourceCitation:
    """Where the published data come from: document title, publisher, date (yyyy, yyyy-mm or yyyy-mm-dd)
    and where it was found (URL, archive, office). All four are required: no source, no publish."""

    title: str
    publisher: str
    date: str
    where: str

    def validate(self) -> SourceCitation:
        """Raise DatasetError naming the first missing or malformed field; return self."""
        for name in ("title", "publisher", "date", "where"):
            _check_text(getattr(self, name), f"source {name}")
        if not _CITATION_DATE.match(self.date):
            raise DatasetError(f"source date {self.date!r} is not yyyy-mm-dd, yyyy-mm or yyyy")
        return self


@dataclass(frozen=True)
class Actor:
    """Who acts: `identity` is `local:<user>`, `oidc:<issuer>|<subject>` or `cli:<os user>`. `roles` are
    as the store had them when the actor was made (for showing buttons); every Store method looks the
    roles up again in the store, so a revoked role stops working at once."""

    identity: str
    display_name: str
    roles: tuple[str, ...] = ()
    email: str | None = None  # verified e-mail of an OpenID Connect sign-in (roles may be granted to it)

    @property
    def can_publish(self) -> bool:
        return bool(set(self.roles) & set(ACCOUNT_ROLES))

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles


VIEWER = Actor("viewer", "viewer", ())  # anyone not signed in


@dataclass(frozen=True)
class DatasetVersion:
    """One immutable published version of a dataset and its provenance. Times are UTC (aware)."""

    dataset_id: str
    version: int
    kind: str
    title: str
    source: SourceCitation
    published_by: str
    published_at: datetime
    file_name: str
    sha256: str
    row_count: int
    withdrawn_at: datetime | None = None
    withdrawn_by: str | None = None
    withdraw_reason: str | None = None

    @property
    def ref(self) -> str:
        return f"{self.dataset_id}@{self.version}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


@dataclass(frozen=True)
class DatasetSummary:
    """A dataset in the list: `title` and `latest_version` of its newest version not withdrawn (of the
    newest version, and None, when every version is withdrawn); `versions` counts them all."""

    dataset_id: str
    kind: str
    title: str
    latest_version: int | None
    versions: int
    created_by: str
    created_at: datetime


@dataclass(frozen=True, eq=False)
class DatasetDiff:
    """Between two versions, by county code: rows of counties only in the new version (`added`), only in
    the old (`removed`), and per differing value of a county in both (`changed`: code, name_zh, [year],
    column, old, new — values as text)."""

    added: pd.DataFrame
    removed: pd.DataFrame
    changed: pd.DataFrame = field(repr=False)

    @property
    def changed_codes(self) -> list[str]:
        return list(dict.fromkeys(self.changed["code"]))


def parse_ref(text: object) -> tuple[str, int | None]:
    """`id`, `id@3` or `id@latest` -> (id, 3 | None). Anything else (an URL's `ds=` value may be
    hostile) raises DatasetError."""
    if not isinstance(text, str) or len(text) > 80:
        raise DatasetError("a dataset reference is `id@version`")
    dataset_id, at, version = text.partition("@")
    if not DATASET_ID_PATTERN.match(dataset_id) or "--" in dataset_id:
        raise DatasetError(f"{text[:80]!r} is not a dataset reference (`id@version`)")
    if not at:
        return dataset_id, None
    if version == LATEST:
        return dataset_id, None
    if not _VERSION.match(version):
        raise DatasetError(f"{text[:80]!r}: the version is a positive whole number or `latest`")
    return dataset_id, int(version)


def check_dataset_id(dataset_id: object) -> str:
    if not isinstance(dataset_id, str) or parse_ref(dataset_id) != (dataset_id, None):
        raise DatasetError(f"{str(dataset_id)[:80]!r} is not a dataset id (a-z, 0-9 and single dashes)")
    return dataset_id


def new_dataset_id(title: str, kind: str) -> str:
    """A readable, unguessable id: the title's ASCII words (else the kind) and 6 random characters."""
    ascii_words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKD", title).lower())
    stem = "-".join(ascii_words)[:40].strip("-") or kind
    suffix = "".join(secrets.choice("abcdefghijkmnpqrstuvwxyz23456789") for _ in range(6))
    return f"{stem}-{suffix}"


# --- the rows of a dataset ---------------------------------------------------------------------------

ROW_KEYS = {kind: ("code", "name_zh", *(("area",) if kind == "area" else ())) for kind in LIST_KINDS}
PANEL_KEYS = ("code", "name_zh", "year")
REPORT_KEYS = ("input_row", "status", "code", "method")


def _row_error(kind: str, row: Any, column: str, message: str) -> DatasetError:
    return DatasetError(f"{kind} dataset, row {row}, column '{column}': {message}")


def validate_rows(kind: str, rows: pd.DataFrame, area_names: dict[str, str] | None = None) -> None:
    """Raise DatasetError naming the row (1-based) and column of the first problem.

    area/key/deep: columns code (6 digits, text), name_zh, and for area also `area` (a name of one of
    the 14 contiguous areas, looked up through `area_names`: normalised name -> area id, see
    atlas.imported.area_lookup); each county once. panel: code, name_zh, year (Int64, no blanks), then
    value columns (Int64, float64 or text); a county may have several rows in a year (units merged since)."""
    if kind not in KINDS:
        raise DatasetError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    if not isinstance(rows, pd.DataFrame) or rows.empty:
        raise DatasetError(f"{kind} dataset: no rows to publish")
    wanted = PANEL_KEYS if kind == "panel" else ROW_KEYS[kind]
    columns = [str(c) for c in rows.columns]
    if len(set(columns)) != len(columns) or any(not isinstance(c, str) for c in rows.columns):
        raise DatasetError(f"{kind} dataset: column names must be distinct text")
    missing = [c for c in wanted if c not in rows.columns]
    if missing:
        raise DatasetError(f"{kind} dataset: missing column(s) {', '.join(missing)}")
    if kind != "panel" and set(columns) != set(wanted):
        extra = [c for c in columns if c not in wanted]
        raise DatasetError(f"{kind} dataset: unexpected column(s) {', '.join(extra)}")
    for position, (code, name) in enumerate(zip(rows["code"], rows["name_zh"]), start=1):
        if not isinstance(code, str) or not CODE6_PATTERN.match(code):
            raise _row_error(kind, position, "code", f"{code!r} is not a 6-digit county code (text)")
        if not isinstance(name, str) or not name.strip():
            raise _row_error(kind, position, "name_zh", "the county's Chinese name is required")
    if kind == "area":
        lookup = area_names or {}
        from atlas.imported import area_key  # deferred: the maps' modules are not needed to open the store

        for position, area in enumerate(rows["area"], start=1):
            if not isinstance(area, str) or area_key(area) not in lookup:
                raise _row_error(kind, position, "area", f"{area!r} is not one of the 14 contiguous areas")
    if kind == "panel":
        if str(rows["year"].dtype) != "Int64":
            raise _row_error(kind, 1, "year", f"years must be whole numbers (Int64), not {rows['year'].dtype}")
        blank = rows["year"].isna().to_numpy().nonzero()[0]
        if len(blank):
            raise _row_error(kind, int(blank[0]) + 1, "year", "the year is missing")
        for column in (c for c in columns if c not in PANEL_KEYS):
            dtype = str(rows[column].dtype)
            if dtype not in ("Int64", "float64", "string", "str", "object"):
                raise _row_error(kind, 1, column, f"values are whole numbers, decimals or text, not {dtype}")
            if dtype == "object":
                odd = [i for i, v in enumerate(rows[column], 1) if not (v is None or pd.isna(v) or isinstance(v, str))]
                if odd:
                    raise _row_error(kind, odd[0], column, "a text column holds a value that is not text")
    else:
        twice = rows["code"].duplicated()
        if twice.any():
            position = int(twice.to_numpy().nonzero()[0][0]) + 1
            raise _row_error(kind, position, "code", f"county {rows['code'].iloc[position - 1]} is listed twice")


def validate_report(report: pd.DataFrame) -> None:
    missing = [c for c in REPORT_KEYS if c not in report.columns]
    if missing:
        raise DatasetError(f"match report: missing column(s) {', '.join(missing)}")
