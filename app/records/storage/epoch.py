"""A restored record starts a new epoch: a new origin id for its change log.

A backup holds the workstation's origin id and the sequence numbers it had reached.
Restored, the record would number its next changes from there again, so two different
changes could carry the same (origin, seq) — the pair sync takes for identity. So every
restore gives the record a new origin id; the old one is kept in the ``epochs`` history
(peers know its entries under that name) and the restore is audited.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, func, select

from app.core.clock import new_id, utc_now
from app.records.journal import Actor, append_audit, get_meta, set_meta
from app.records.model import AuditEvent

EPOCHS_KEY = "epochs"  # JSON list of the origin ids this record had before, oldest first


def epochs(conn: Connection) -> list[dict[str, Any]]:
    """The earlier origins of this record: [{"origin", "ended_at", "reason",
    "audit_until" (the last audit seq of that origin; absent before schema 0012)}]."""
    stored = get_meta(conn, EPOCHS_KEY)
    history = json.loads(stored) if stored else []
    return [dict(item) for item in history if isinstance(item, dict)]


def start_new_epoch(conn: Connection, actor: Actor, reason: str = "restore") -> str:
    """Give the record a new origin id (inside the caller's transaction); returns it."""
    old = get_meta(conn, "node_id") or ""
    new = new_id()
    history = epochs(conn)
    # Where the old origin's audit chain ends: peers hold its events under that origin.
    audit_until = conn.execute(select(func.max(AuditEvent.seq))).scalar() or 0
    history.append({"origin": old, "ended_at": utc_now().isoformat(), "reason": reason,
                    "audit_until": audit_until})
    set_meta(conn, EPOCHS_KEY, json.dumps(history, sort_keys=True))
    set_meta(conn, "node_id", new)
    append_audit(conn, actor, f"{reason}.new_epoch", entity="meta", entity_id="node_id",
                 detail=f"{old} -> {new}")
    return new
