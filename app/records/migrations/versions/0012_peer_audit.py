"""peer audit: the audit events of the other workstations, one hash chain per origin

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05

The Garante's rules on the health dossier ask for a patient's access list across the
whole center; and a chain kept on one workstation only can lose its tail unnoticed.
``peer_audit_event`` holds the other workstations' audit events as they sent them,
checked link by link on arrival (docs/decisions/0024-center-sync.md). No row is changed.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "peer_audit_event",
        sa.Column("origin", sa.String(length=36), primary_key=True),
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=True),
        sa.Column("username", sa.String(length=60), nullable=False),
        sa.Column("workstation", sa.String(length=80), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=True),
        sa.Column("entity_id", sa.String(length=36), nullable=True),
        sa.Column("patient_id", sa.String(length=36), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
    )
    op.create_index("ix_peer_audit_patient", "peer_audit_event", ["patient_id"])


def downgrade() -> None:
    op.drop_index("ix_peer_audit_patient", table_name="peer_audit_event")
    op.drop_table("peer_audit_event")
