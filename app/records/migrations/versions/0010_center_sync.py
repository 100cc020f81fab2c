"""center sync: paired workstations, the sync journal, conflicts, entries kept for later

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05

``workstation`` lists the workstations paired to the center (shared, logged);
``sync_journal``, ``sync_conflict`` and ``sync_deferred`` are this workstation's own
record of what sync did (docs/decisions/0024-center-sync.md). The change log gains an
index on (entity, entity_id): applying a peer's change folds the changes of that row.
No row is added or changed.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _conflict_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("detected_at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=False),
        sa.Column("patient_id", sa.String(length=36), nullable=True),
        sa.Column("entries", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_by", sa.String(length=60), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "workstation",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("name", sa.String(length=80), nullable=False, unique=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("fingerprint", sa.String(length=100), nullable=False),
        sa.Column("paired_at", sa.DateTime(), nullable=False),
        sa.Column("paired_by", sa.String(length=60), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revocation", sa.Text(), nullable=True),
    )
    op.create_table(
        "sync_journal",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("event", sa.String(length=40), nullable=False),
        sa.Column("peer", sa.String(length=80), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
    )
    op.create_table(
        "sync_deferred",
        sa.Column("stream", sa.String(length=10), primary_key=True),
        sa.Column("origin", sa.String(length=36), primary_key=True),
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
    )
    op.create_table("sync_conflict", *_conflict_columns())
    op.create_index("ix_change_log_entity", "change_log", ["entity", "entity_id"])


def downgrade() -> None:
    op.drop_index("ix_change_log_entity", table_name="change_log")
    for table in ("sync_conflict", "sync_deferred", "sync_journal", "workstation"):
        op.drop_table(table)
