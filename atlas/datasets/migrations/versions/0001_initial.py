"""The first schema: datasets, their immutable versions, defaults, accounts, roles, sign-in failures, audit.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TIME = sa.String(32)  # ISO 8601 UTC, e.g. 2026-12-06T19:30:00.123456Z (sorts as text on every engine)


def upgrade() -> None:
    op.create_table(
        "datasets",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.CheckConstraint("kind IN ('area', 'key', 'deep', 'panel')", name="ck_datasets_kind"),
    )
    op.create_table(
        "versions",
        sa.Column("dataset_id", sa.String(64), sa.ForeignKey("datasets.id"), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("source_title", sa.Text, nullable=False),
        sa.Column("source_publisher", sa.Text, nullable=False),
        sa.Column("source_date", sa.String(10), nullable=False),
        sa.Column("source_where", sa.Text, nullable=False),
        sa.Column("published_by", sa.Text, nullable=False),
        sa.Column("published_at", TIME, nullable=False),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("row_count", sa.Integer, nullable=False),
        sa.Column("resolutions", sa.JSON, nullable=False),
        sa.Column("withdrawn_at", TIME),
        sa.Column("withdrawn_by", sa.Text),
        sa.Column("withdraw_reason", sa.Text),
        # the blobs last: SQLite reads the other columns of a version without walking the blobs' overflow pages
        sa.Column("rows_parquet", sa.LargeBinary, nullable=False),
        sa.Column("report_parquet", sa.LargeBinary, nullable=False),
        sa.CheckConstraint("version >= 1", name="ck_versions_positive"),
    )
    op.create_table(
        "defaults",
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("dataset_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("set_by", sa.Text, nullable=False),
        sa.Column("set_at", TIME, nullable=False),
        sa.ForeignKeyConstraint(["dataset_id", "version"], ["versions.dataset_id", "versions.version"]),
    )
    op.create_table(
        "accounts",
        sa.Column("username", sa.String(64), primary_key=True),
        sa.Column("scrypt_hash", sa.LargeBinary, nullable=False),
        sa.Column("salt", sa.LargeBinary, nullable=False),
        sa.Column("scrypt_n", sa.Integer, nullable=False),
        sa.Column("scrypt_r", sa.Integer, nullable=False),
        sa.Column("scrypt_p", sa.Integer, nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
    )
    op.create_table(
        "roles",
        sa.Column("identity", sa.String(320), primary_key=True),
        sa.Column("role", sa.String(16), primary_key=True),
        sa.Column("granted_by", sa.Text, nullable=False),
        sa.Column("granted_at", TIME, nullable=False),
    )
    op.create_table(
        "login_failures",
        sa.Column("identity", sa.String(320), primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("last_at", TIME, nullable=False),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", TIME, nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    for table in ("audit", "login_failures", "roles", "accounts", "defaults", "versions", "datasets"):
        op.drop_table(table)
