"""The store's tables as SQLAlchemy Core sees them for queries. The schema itself is made and changed only
by the Alembic migrations in atlas/datasets/migrations/versions/ (keep the two in step)."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Integer, LargeBinary, MetaData, String, Table, Text

metadata = MetaData()

datasets = Table(
    "datasets",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("created_by", Text, nullable=False),
    Column("created_at", String(32), nullable=False),
)

versions = Table(
    "versions",
    metadata,
    Column("dataset_id", String(64), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("title", Text, nullable=False),
    Column("source_title", Text, nullable=False),
    Column("source_publisher", Text, nullable=False),
    Column("source_date", String(10), nullable=False),
    Column("source_where", Text, nullable=False),
    Column("published_by", Text, nullable=False),
    Column("published_at", String(32), nullable=False),
    Column("file_name", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("row_count", Integer, nullable=False),
    Column("resolutions", JSON, nullable=False),
    Column("withdrawn_at", String(32)),
    Column("withdrawn_by", Text),
    Column("withdraw_reason", Text),
    # the blobs last: SQLite reads the other columns of a version without walking the blobs' overflow pages
    Column("rows_parquet", LargeBinary, nullable=False),
    Column("report_parquet", LargeBinary, nullable=False),
)

defaults = Table(
    "defaults",
    metadata,
    Column("kind", String(16), primary_key=True),
    Column("dataset_id", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("set_by", Text, nullable=False),
    Column("set_at", String(32), nullable=False),
)

accounts = Table(
    "accounts",
    metadata,
    Column("username", String(64), primary_key=True),
    Column("scrypt_hash", LargeBinary, nullable=False),
    Column("salt", LargeBinary, nullable=False),
    Column("scrypt_n", Integer, nullable=False),
    Column("scrypt_r", Integer, nullable=False),
    Column("scrypt_p", Integer, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("disabled", Boolean, nullable=False),
)

roles = Table(
    "roles",
    metadata,
    Column("identity", String(320), primary_key=True),
    Column("role", String(16), primary_key=True),
    Column("granted_by", Text, nullable=False),
    Column("granted_at", String(32), nullable=False),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("identity", String(320), primary_key=True),
    Column("count", Integer, nullable=False),
    Column("last_at", String(32), nullable=False),
)

audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("actor", Text, nullable=False),
    Column("action", String(32), nullable=False),
    Column("target", Text, nullable=False),
    Column("detail", JSON, nullable=False),
)
