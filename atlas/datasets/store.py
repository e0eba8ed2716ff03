"""The Store: the one entry point to the shared store of datasets, accounts, roles and the audit log,
composed from one class per topic (each in its module: database, audit, roles, accounts, versions,
publishing, withdraw, defaults). Permissions are checked there, from the roles kept in the store."""

from __future__ import annotations

from atlas.datasets.accounts import Accounts
from atlas.datasets.defaults import Defaults
from atlas.datasets.publishing import Publishing
from atlas.datasets.withdraw import Withdrawing


class Store(Accounts, Publishing, Withdrawing, Defaults):
    """The shared store of published datasets, accounts, roles and the audit log (see the package doc).

    Every method raises StoreUnavailable when the database cannot be used (missing, damaged, read-only,
    full, down), NotAllowed when the actor may not act, DatasetError on bad input."""
