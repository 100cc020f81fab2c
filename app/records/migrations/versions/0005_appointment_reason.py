"""appointments: a desk note for the front desk, a clinical reason for clinicians

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25

The old free-text ``note`` stays where it is (moving it would change the content of
old records) and is shown to clinical roles only, as a reason.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("appointment") as batch:
        batch.add_column(sa.Column("desk_note", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("clinical_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("appointment") as batch:
        batch.drop_column("clinical_reason")
        batch.drop_column("desk_note")
