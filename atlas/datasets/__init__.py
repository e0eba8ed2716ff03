"""Published datasets in a shared store (issue 26): county lists (contiguous area, key county, deep
poverty) and panels that a publisher brings, kept as immutable numbered versions with their source,
provenance and match report, for every session on every worker. No Streamlit here.

The store is a database outside the app processes, chosen by one SQLAlchemy URL in `ATLAS_DATABASE_URL`
(default: the SQLite file `var/atlas.db` of the repository, or of `ATLAS_DATA_DIR`); PostgreSQL
(`postgresql+psycopg://…`) for several machines. The schema is kept by Alembic migrations
(atlas/datasets/migrations/), applied by `Store.open()`. See docs/store.md.

    store = Store.open()
    actor = store.sign_in("alice", passphrase)                     # or store.actor_for_oidc(...)
    v = store.publish("key", "Key counties 2012", SourceCitation(...), rows, report,
                      actor=actor, file_name="list.xlsx", sha256=digest)
    store.rows(v.dataset_id, v.version)                            # exactly as published
    store.revision()                                               # changes on every write: poll it

Permissions are checked inside the Store methods from the roles kept in the store (never from the
caller's Actor or a cookie): publishing needs the publisher or admin role; a new version of a dataset,
its creator or an admin; withdrawing, the version's publisher or an admin; defaults, accounts and roles,
an admin. `python -m atlas.datasets` is the command for operators (acting as `cli:<os user>`, admin).
"""

from atlas.datasets.accounts import operator
from atlas.datasets.database import data_dir, database_url
from atlas.datasets.model import (
    ACCOUNT_ROLES,
    KINDS,
    LIST_KINDS,
    VIEWER,
    Actor,
    DatasetDiff,
    DatasetError,
    DatasetSummary,
    DatasetVersion,
    NotAllowed,
    SignInRefused,
    SourceCitation,
    StoreError,
    StoreUnavailable,
    UnknownDataset,
    parse_ref,
)
from atlas.datasets.publishing import area_names
from atlas.datasets.rows import PublishRows, rows_from_match
from atlas.datasets.store import Store

__all__ = [
    "ACCOUNT_ROLES",
    "KINDS",
    "LIST_KINDS",
    "VIEWER",
    "Actor",
    "DatasetDiff",
    "DatasetError",
    "DatasetSummary",
    "DatasetVersion",
    "NotAllowed",
    "PublishRows",
    "SignInRefused",
    "SourceCitation",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "UnknownDataset",
    "area_names",
    "data_dir",
    "database_url",
    "operator",
    "parse_ref",
    "rows_from_match",
]
