"""no INSERT OR REPLACE over signed entries and journals; oscuramento of esenzioni

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.records.storage.guards import no_replace_guard_sql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen: the clinical tables and journals that exist at this revision.
ENTRY_TABLES = (
    "encounter", "problem", "allergy", "medication", "prescription", "observation",
    "vaccination", "document", "device_recording", "care_plan", "care_plan_activity",
    "certificate", "family_history",
)
JOURNAL_KEYS = {"audit_event": ("seq",), "change_log": ("origin", "seq")}


def upgrade() -> None:
    for table in ENTRY_TABLES:
        for statement in no_replace_guard_sql(table):
            op.execute(statement)
    for table, key in JOURNAL_KEYS.items():
        for statement in no_replace_guard_sql(table, key):
            op.execute(statement)
    with op.batch_alter_table("esenzione") as batch:
        batch.add_column(sa.Column("hidden", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("author_id", sa.String(length=36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("esenzione") as batch:
        batch.drop_column("author_id")
        batch.drop_column("hidden")
    for table in (*ENTRY_TABLES, *JOURNAL_KEYS):
        op.execute(f"DROP TRIGGER {table}_no_replace")
