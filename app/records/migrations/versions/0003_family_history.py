"""family history (anamnesi familiare), a clinical entry kind

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.records.storage.guards import create_clinical_guards

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "family_history",
        sa.Column("relationship", sa.String(length=10), nullable=False),
        sa.Column("description", sa.String(length=250), nullable=False),
        sa.Column("icd9_code", sa.String(length=10), nullable=True),
        sa.Column("age_at_onset", sa.Integer(), nullable=True),
        sa.Column("deceased", sa.Boolean(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("lineage_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("supersedes_id", sa.String(length=36), nullable=True),
        sa.Column("correction_reason", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("author_id", sa.String(length=36), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=True),
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_family_history_lineage_id", "family_history", ["lineage_id"])
    op.create_index("ix_family_history_patient_id", "family_history", ["patient_id"])
    create_clinical_guards(op.execute, "family_history")


def downgrade() -> None:
    op.drop_index("ix_family_history_patient_id", table_name="family_history")
    op.drop_index("ix_family_history_lineage_id", table_name="family_history")
    op.drop_table("family_history")
