"""A restored record starts a new epoch: a new origin id for its change log.

A backup holds the workstation's origin id and the sequence numbers it had reached.
Restored, the record would number its next changes from there again, so two different
changes could carry the same (origin, seq) — the pair sync takes for identity. So every
restore gives the record a new origin id; the old one is kept in the ``epochs`` history
(peers know its entries under that name) and the restore is audited.
"""

from __future__ import annotations

import json

from sqlalchemy import Connection

from app.core.clock import new_id, utc_now
from app.records.journal import Actor, append_audit, get_meta, set_meta

EPOCHS_KEY = "epochs"  # JSON list of the origin ids this record had before, oldest first


def epochs(conn: Connection) -> list[dict[str, str]]:
    """The earlier origins of this record: [{"origin", "ended_at", "reason"}]."""
    stored = get_meta(conn, EPOCHS_KEY)
    history = json.loads(stored) if stored else []
    return [dict(item) for item in history if isinstance(item, dict)]


def start_new_epoch(conn: Connection, actor: Actor, reason: str = "restore") -> str:
    """Give the record a new origin id (inside the caller's transaction); returns it."""
    old = get_meta(conn, "node_id") or ""
    new = new_id()
    history = epochs(conn)
    history.append({"origin": old, "ended_at": utc_now().isoformat(), "reason": reason})
    set_meta(conn, EPOCHS_KEY, json.dumps(history, sort_keys=True))
    set_meta(conn, "node_id", new)
    append_audit(conn, actor, f"{reason}.new_epoch", entity="meta", entity_id="node_id",
                 detail=f"{old} -> {new}")
    return new
