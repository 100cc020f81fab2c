"""code imports: the official code files a center imported, kept to travel with sync

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05

``code_import`` keeps each imported file whole (its bytes, their SHA-256, the list it
replaced and how many codes it held). Its rows enter the change log, the bytes travel
beside it as a blob, and every workstation that applies the row imports the file too
(docs/decisions/0024-center-sync.md). Imports made before this schema are not here: a
center re-imports its files once to share them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "code_import",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("system", sa.String(length=20), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("imported_by", sa.String(length=60), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("code_import")
