"""the change log seals every field: hlc and schema_version join the hash

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05

Up to 0008 an entry's hash covered (origin, seq, entity, entity_id, op, payload) joined
with "|": its hybrid clock time and schema version could be changed unseen, and two
different entries could share the joined text. From here it covers every field, each
one typed and length-prefixed (``change_hash_v2``, docs/decisions/0022-sync-foundations.md).

Every entry of ``change_log`` is first checked against the formula it was written with;
the first one that does not match stops the migration (the record is left as it was and
the error names the entry), so a changed entry is never resealed as if it were genuine.
The append-only trigger is set aside for the rewrite and put back as it was, in the same
transaction. The clinical file's log is resealed by its own migration, c0003. No content
row changes: the content digest is the same.
"""

from collections.abc import Sequence

from alembic import op

from app.core.errors import IntegrityFailure
from app.records.journal import change_hash_v1, change_hash_v2  # versioned, never edited

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen: the log, its columns and the trigger that forbids updates, at this revision.
TABLE = "change_log"
COLUMNS = ("origin", "seq", "hlc", "schema_version", "entity", "entity_id", "op", "payload",
           "hash")
UPDATE_GUARD = "change_log_append_only_update"
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
    _reseal(TABLE, UPDATE_GUARD, "change log")


def downgrade() -> None:
    raise NotImplementedError("the change log is never sealed back with the weaker formula")
