"""the clinical split: clinical content leaves this file for the clinical file

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25

Clinical tables, the clinical entries of the change log and the appointments' free-text
notes and reasons move to ``clinical.db`` under the clinical key, which only clinical
users hold (docs/decisions/0011-clinical-key.md). The copy is done before this revision
by ``app.records.storage.clinical.split_record``, in its own transaction on the clinical
file (attached as ``clinical``), which also moves the clinical change-log entries; this
revision then drops what was copied. It refuses to drop rows the clinical file does not
hold as many of: the migration fails and the record is unchanged. A new center runs it
on empty tables.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen: the clinical tables of schema 0005.
CLINICAL_TABLES = (
    "esenzione", "allergy", "problem", "medication", "encounter", "observation",
    "prescription", "vaccination", "document", "device_recording", "care_plan",
    "care_plan_activity", "certificate", "family_history",
)


def _count(sql: str) -> int:
    return int(op.get_bind().exec_driver_sql(sql).scalar_one())


def _copied(main_sql: str, clinical_sql: str, attached: bool) -> bool:
    """Nothing to move, or the clinical file holds as many rows as the record."""
    rows = _count(main_sql)
    return rows == 0 or (attached and _count(clinical_sql) == rows)


def upgrade() -> None:
    schemas = [row[1] for row in op.get_bind().exec_driver_sql("PRAGMA database_list")]
    attached = "clinical" in schemas
    quoted = ", ".join(f"'{name}'" for name in CLINICAL_TABLES)
    checks = [(f"SELECT count(*) FROM main.{name}", f"SELECT count(*) FROM clinical.{name}")
              for name in CLINICAL_TABLES]
    checks.append((f"SELECT count(*) FROM main.change_log WHERE entity IN ({quoted})",
                   f"SELECT count(*) FROM clinical.clinical_change WHERE entity IN ({quoted})"))
    checks.append(("SELECT count(*) FROM main.appointment "
                   "WHERE note IS NOT NULL OR clinical_reason IS NOT NULL",
                   "SELECT count(*) FROM clinical.appointment_note"))
    missing = [main for main, clinical in checks if not _copied(main, clinical, attached)]
    if missing:
        raise RuntimeError(f"clinical rows not copied to the clinical file: {missing[0]}")
    for name in CLINICAL_TABLES:
        op.drop_table(name)
    op.execute("ALTER TABLE appointment DROP COLUMN note")
    op.execute("ALTER TABLE appointment DROP COLUMN clinical_reason")


def downgrade() -> None:
    with op.batch_alter_table("appointment") as batch:
        batch.add_column(sa.Column("note", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("clinical_reason", sa.Text(), nullable=True))
