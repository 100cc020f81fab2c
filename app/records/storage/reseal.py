"""Reseal a change log from the first seal (v1) to the second (v2), for migrations.

Shared by record migration 0009 and clinical migration c0003, which do the same to the
two files' logs (docs/decisions/0022-sync-foundations.md). Every entry is checked against
v1 before its v2 hash is written; the first that fails stops the migration, naming it,
so a changed entry is never resealed as if it were genuine. The append-only trigger is
set aside for the rewrite and put back as it was, in the caller's transaction.
"""

from __future__ import annotations

from sqlalchemy import Connection

from app.core.errors import IntegrityFailure
from app.records.journal import change_hash_v1, change_hash_v2  # versioned, never edited
from app.records.log_codec import unpack

# The columns of both logs at the revisions that reseal them.
COLUMNS = ("origin", "seq", "hlc", "schema_version", "entity", "entity_id", "op", "payload",
           "hash")
BATCH = 1000


def reseal_v1_to_v2(conn: Connection, table: str, guard: str, label: str) -> None:
    """Check each entry of ``table`` against v1 and write its v2 hash, in key order."""
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
        for stored in rows:
            row = {**stored, "payload": unpack(stored["payload"])}  # read as the model reads it
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
