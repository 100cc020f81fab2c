"""the clinical change log seals every field: hlc and schema_version join the hash

Revision ID: c0003
Revises: c0002
Create Date: 2026-12-05

The clinical file's half of main migration 0009 (docs/decisions/0022-sync-foundations.md):
every entry of ``clinical_change`` is checked against the formula it was written with
(v1) and resealed with ``change_hash_v2``, which covers every field. The first entry that
does not match stops the migration: the clinical file is left as it was (one
transaction) and the error names the entry. The append-only trigger is set aside for the
rewrite and put back as it was.
"""

from collections.abc import Sequence

from alembic import op

from app.core.errors import IntegrityFailure
from app.records.journal import change_hash_v1, change_hash_v2  # versioned, never edited

revision: str = "c0003"
down_revision: str | None = "c0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen (the same steps as 0009 takes on the record file): the log, its columns and
# the trigger that forbids updates, at this revision.
TABLE = "clinical_change"
COLUMNS = ("origin", "seq", "hlc", "schema_version", "entity", "entity_id", "op", "payload",
           "hash")
UPDATE_GUARD = "clinical_change_append_only_update"
BATCH = 1000


def _reseal(table: str, guard: str, label: str) -> None:
    """Check each entry against v1 and write its v2 hash, in key order, in batches."""
    conn = op.get_bind()
    trigger = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (guard,)
    ).scalar_one_or_none()
    if trigger is not None:
        conn.exec_driver_sql(f"DROP TRIGGER {guard}")
    select = (f"SELECT {', '.join(COLUMNS)} FROM {table} WHERE (origin, seq) > (?, ?) "
              f"ORDER BY origin, seq LIMIT {BATCH}")
    last: tuple[object, object] = ("", -1)
    while rows := conn.exec_driver_sql(select, last).mappings().all():
        sealed = []
        for row in rows:
            if change_hash_v1(row) != row["hash"]:
                raise IntegrityFailure(
                    detail=f"{label} entry {row['origin']}/{row['seq']} does not match its "
                    "hash (changed before this upgrade)"
                )
            sealed.append((change_hash_v2(row), row["origin"], row["seq"]))
        conn.exec_driver_sql(f"UPDATE {table} SET hash = ? WHERE origin = ? AND seq = ?",
                             sealed)
        last = (rows[-1]["origin"], rows[-1]["seq"])
    if trigger is not None:
        conn.exec_driver_sql(trigger)


def upgrade() -> None:
    _reseal(TABLE, UPDATE_GUARD, "clinical change log")


def downgrade() -> None:
    raise NotImplementedError("the clinical file is never downgraded")
