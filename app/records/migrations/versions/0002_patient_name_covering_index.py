"""patient name search: covering index

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COVERED = [
    "surname_key", "given_key", "id", "codice_fiscale", "surname", "given_name", "sex",
    "birth_date", "birth_place",
]


def upgrade() -> None:
    op.drop_index("ix_patient_name_search", table_name="patient")
    op.create_index("ix_patient_name_cover", "patient", COVERED)


def downgrade() -> None:
    op.drop_index("ix_patient_name_cover", table_name="patient")
    op.create_index("ix_patient_name_search", "patient", ["surname_key", "given_key"])
