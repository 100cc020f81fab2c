"""user keys in the record: each user's wrapped keys travel with the user row

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05

``user.key_entry`` holds the user's entry of ``keys.json`` (their key pair wrapped under
their password, the record and clinical keys sealed to it) as JSON, so that a new user,
a password change or a deactivation made on one workstation reaches the others through
the change log (docs/decisions/0024-center-sync.md). NULL for the users that existed
before: their entries stay in ``keys.json`` as they are; the next change logs one.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("user") as batch:
        batch.add_column(sa.Column("key_entry", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("user") as batch:
        batch.drop_column("key_entry")
