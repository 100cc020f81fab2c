"""center sync: the clinical file's conflicts, and the index sync folds rows with

Revision ID: c0004
Revises: c0003
Create Date: 2026-12-05

The clinical half of main migration 0010 (docs/decisions/0024-center-sync.md): two
concurrent corrections of one entry are both kept and listed in
``clinical_sync_conflict``, under the clinical key; ``clinical_change`` gains an index on
(entity, entity_id). No row is added or changed.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c0004"
down_revision: str | None = "c0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "clinical_sync_conflict",
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
    )
    op.create_index("ix_clinical_change_entity", "clinical_change", ["entity", "entity_id"])


def downgrade() -> None:
    op.drop_index("ix_clinical_change_entity", table_name="clinical_change")
    op.drop_table("clinical_sync_conflict")
