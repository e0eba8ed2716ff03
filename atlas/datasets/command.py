"""`python -m atlas.datasets`: publish a county file, list, show, withdraw, defaults, accounts, roles, audit,
backup and restore — for operators and scripts on the server.

The command acts as `cli:<os user>` with admin rights: whoever can run it on the server (and so read the
database) is the operator. The store is the one of ATLAS_DATABASE_URL (default var/atlas.db) or --database.
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import sys
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from atlas.datasets.accounts import operator
from atlas.datasets.backup import backup, restore
from atlas.datasets.database import data_dir
from atlas.datasets.model import ACCOUNT_ROLES, KINDS, LIST_KINDS, DatasetError, SourceCitation, StoreError, parse_ref
from atlas.datasets.publishing import area_names
from atlas.datasets.rows import PublishRows, rows_from_match
from atlas.datasets.store import Store
from atlas.imported import area_key
from loaders.match import add_file_arguments, file_options, load_gazetteer, match_file, report
from loaders.tabular import UploadError

AREA_SHARE = 0.5  # a column is the area column when at least half its filled cells name a contiguous area


def _area_column(rows: pd.DataFrame, candidates: tuple[str, ...]) -> str | None:
    """The first of `candidates` whose cells mostly name a contiguous area."""
    known = area_names()
    for column in candidates:
        cells = rows[column].dropna().astype(str).str.strip()
        cells = cells[cells != ""]
        if len(cells) and cells.map(lambda v: area_key(v) in known).mean() >= AREA_SHARE:
            return column
    return None


def _prepare(args: argparse.Namespace) -> tuple[PublishRows, bytes]:
    data = args.input.read_bytes()
    gazetteer = load_gazetteer()
    result = match_file(args.input, gazetteer=gazetteer, **file_options(args))
    roles = result.roles
    print(report(result, gazetteer))
    values = tuple(args.value_cols.split(",")) if args.value_cols else roles.values
    area_column = None
    if args.kind == "area":
        area_column = args.area_col or _area_column(result.rows, roles.values)
        if not area_column or area_column not in result.rows:
            raise DatasetError("no column naming the contiguous areas: give --area-col")
        if area_column in (roles.name, roles.code):
            raise DatasetError(f"column '{area_column}' was taken as the county column: give --name-col or --code-col")
    prepared = rows_from_match(
        result.rows,
        args.kind,
        area_column=area_column,
        areas=area_names(),
        year_column=roles.year,
        value_columns=tuple(v for v in values if v != area_column),
    )
    return prepared, data


def _show(store: Store, ref: str) -> None:
    v = store.get(ref)
    versions = store.versions(v.dataset_id)
    print(f"{v.ref}  {v.kind}  {v.title}")
    print(f"  source: {v.source.title} · {v.source.publisher} · {v.source.date} · {v.source.where}")
    print(f"  published by {v.published_by} at {v.published_at:%Y-%m-%d %H:%M:%S} UTC")
    print(f"  file {v.file_name} (SHA-256 {v.sha256}), {v.row_count} rows")
    if v.is_withdrawn:
        print(f"  WITHDRAWN at {v.withdrawn_at:%Y-%m-%d %H:%M:%S} UTC by {v.withdrawn_by}: {v.withdraw_reason}")
    statuses = store.report(v.dataset_id, v.version)["status"].value_counts()
    print("  match report: " + ", ".join(f"{status} {count}" for status, count in statuses.items()))
    print("  versions: " + ", ".join(f"{x.version}{' (withdrawn)' if x.is_withdrawn else ''}" for x in versions))
    if v.version > 1:
        change = store.diff(v.dataset_id, v.version - 1, v.version)
        print(
            f"  since version {v.version - 1}: {len(change.added)} counties added, {len(change.removed)} removed, "
            f"{len(change.changed_codes)} changed"
        )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m atlas.datasets", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="SQLAlchemy URL (default: ATLAS_DATABASE_URL, else var/atlas.db)")
    sub = parser.add_subparsers(dest="command", required=True)
    publish = sub.add_parser("publish", help="match a county file and publish it (prints id@version)")
    add_file_arguments(publish)
    publish.add_argument("--kind", choices=KINDS, required=True)
    publish.add_argument("--title", required=True)
    publish.add_argument("--source-title", required=True)
    publish.add_argument("--source-publisher", required=True)
    publish.add_argument("--source-date", required=True, help="yyyy-mm-dd, yyyy-mm or yyyy")
    publish.add_argument("--source-where", help="where the document was found (default: the file's name)")
    publish.add_argument("--dataset", help="publish as the next version of this dataset id")
    publish.add_argument("--area-col", help="the column naming each county's contiguous area (kind area)")
    publish.add_argument("--value-cols", help="a panel's value columns, comma-separated (default: the rest)")
    sub.add_parser("list", help="every dataset")
    show = sub.add_parser("show", help="a version's provenance, match counts and diff to the previous one")
    show.add_argument("ref", help="ID, ID@VERSION or ID@latest")
    withdraw = sub.add_parser("withdraw", help="hide a version, keeping it for the record")
    withdraw.add_argument("ref", help="ID@VERSION")
    withdraw.add_argument("--reason", required=True)
    default = sub.add_parser("default", help="the atlas's default list for a flag")
    default.add_argument("kind", choices=LIST_KINDS)
    default.add_argument("ref", help="ID@VERSION, or none")
    account = sub.add_parser("account", help="built-in accounts")
    account.add_argument("action", choices=["create", "disable", "enable"])
    account.add_argument("username")
    account.add_argument("--role", action="append", choices=ACCOUNT_ROLES, help="with create (repeatable)")
    account.add_argument("--passphrase-stdin", action="store_true", help="read the passphrase from stdin")
    for name in ("grant", "revoke"):
        change = sub.add_parser(name, help=f"{name} a role (identity: local:USER, oidc:ISSUER|SUBJECT or e-mail)")
        change.add_argument("identity")
        change.add_argument("role", choices=ACCOUNT_ROLES)
    audit = sub.add_parser("audit", help="the newest audit log rows")
    audit.add_argument("--limit", type=int, default=50)
    saved = sub.add_parser("backup", help="a consistent copy of the store (SQLite file or pg_dump -Fc)")
    saved.add_argument("out", type=Path, nargs="?", help="default: <data dir>/backups/atlas-<UTC time>.db|.dump")
    back = sub.add_parser("restore", help="replace the store by a backup")
    back.add_argument("source", type=Path)
    return parser


def _versioned(ref: str) -> tuple[str, int]:
    dataset_id, version = parse_ref(ref)
    if version is None:
        raise DatasetError(f"name the version: {dataset_id}@<version>")
    return dataset_id, version


def _run(args: argparse.Namespace, store: Store) -> None:
    actor = operator()
    if args.command == "publish":
        prepared, data = _prepare(args)
        for left in prepared.left_out[:50]:
            print(f"  row {left.row} not published: {left.why('en')}")
        if len(prepared.left_out) > 50:
            print(f"  … and {len(prepared.left_out) - 50} more rows not published")
        source = SourceCitation(
            args.source_title, args.source_publisher, args.source_date, args.source_where or args.input.name
        )
        v = store.publish(
            args.kind,
            args.title,
            source,
            prepared.rows,
            prepared.report,
            actor=actor,
            file_name=args.input.name,
            sha256=hashlib.sha256(data).hexdigest(),
            dataset_id=args.dataset,
        )
        print(f"published {len(prepared.rows)} rows")
        print(v.ref)
    elif args.command == "list":
        for d in store.datasets():
            latest = d.latest_version if d.latest_version is not None else "all withdrawn"
            print(f"{d.dataset_id}\t{d.kind}\tlatest {latest}\t{d.versions} version(s)\t{d.created_by}\t{d.title}")
    elif args.command == "show":
        _show(store, args.ref)
    elif args.command == "withdraw":
        v = store.withdraw(*_versioned(args.ref), args.reason, actor)
        print(f"withdrew {v.ref}")
    elif args.command == "default":
        if args.ref == "none":
            store.set_default(args.kind, None, None, actor)
        else:
            store.set_default(args.kind, *_versioned(args.ref), actor)
        print(f"default {args.kind}: {args.ref}")
    elif args.command == "account" and args.action != "create":
        store.set_account_disabled(args.username, args.action == "disable", actor=actor)
        print(f"{args.action}d local:{args.username}")
    elif args.command == "account":
        if not args.role:
            raise DatasetError("give the new account's role: --role publisher or --role admin")
        if args.passphrase_stdin:
            passphrase = sys.stdin.readline().rstrip("\n")
        else:
            passphrase = getpass.getpass("passphrase: ")
            if getpass.getpass("again: ") != passphrase:
                raise DatasetError("the passphrases differ")
        made = store.create_account(args.username, passphrase, args.role, actor=actor)
        print(f"created {made.identity} ({', '.join(made.roles)})")
    elif args.command in ("grant", "revoke"):
        getattr(store, args.command)(args.identity, args.role, actor)
        print(f"{args.command} {args.role}: {args.identity}")
    elif args.command == "audit":
        print(store.audit(args.limit).to_string(index=False))
    elif args.command == "backup":
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        out = args.out or data_dir() / "backups" / f"atlas-{stamp}.{'dump' if store.is_postgres else 'db'}"
        print(f"wrote {backup(store, out)}")
    elif args.command == "restore":
        restore(store, args.source, actor)
        print(f"restored from {args.source}")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        store = Store.open(args.database)
        try:
            _run(args, store)
        finally:
            store.close()
    except (StoreError, UploadError, KeyError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
