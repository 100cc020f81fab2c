"""Conflicts settled by a later write: a person's decision, carried by the log.

A conflict is listed because no rule may pick for a person (``app.sync.merges``). What a
person then does is an ordinary write, and it travels like any other; each workstation,
on seeing it, marks the conflict settled, so the list empties everywhere without a
message of its own:
- two values of one field (demographics, another row updated in place): settled once
  every field listed was written again, by an entry newer than every write of the row
  the workstation held when it flagged the conflict (``after`` in the detail). Whoever
  corrects the field in the patient's record, on any workstation, settles it;
- two bookings of one slot: settled once at most one of them is still booked at the same
  clinician and time (the secretary cancelled or moved the other);
- two corrections of one version of a signed entry: settled once a clinician corrected
  one of them (the entry's history goes on from the version kept).
A duplicate person (one codice fiscale, two charts) stays listed: merging two charts is
not built. Every settlement is a line of the sync journal.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, select, update

from app.core.clock import utc_now
from app.records.kinds import BY_NAME
from app.sync.log import STREAMS, Stream
from app.sync.merges import journal

SETTLED_BY = "(a later write)"  # ``resolved_by`` of a conflict settled this way


def settle(conn: Connection, streams: Iterable[str]) -> int:
    """Mark settled the open conflicts of ``streams`` a later write has settled; how many
    (in the caller's write transaction)."""
    settled = 0
    for name in streams:
        stream = STREAMS[name]
        table = stream.conflicts
        for row in conn.execute(select(table.id, table.kind, table.entity, table.entity_id,
                                       table.detail)
                                .where(table.resolved_at.is_(None))).all():
            if not _is_settled(conn, stream, kind=row.kind, entity=row.entity,
                               entity_id=row.entity_id, detail=detail_of(row.detail)):
                continue
            conn.execute(update(table).where(table.id == row.id).values(
                resolved_at=utc_now(), resolved_by=SETTLED_BY))
            journal(conn, "conflict.settled", "", f"{row.kind}: {row.entity} {row.entity_id}")
            settled += 1
    return settled


def detail_of(text: str) -> dict[str, Any]:
    """A conflict's detail as a dict (empty when it is not a JSON object)."""
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _is_settled(conn: Connection, stream: Stream, *, kind: str, entity: str,
                entity_id: str, detail: dict[str, Any]) -> bool:
    if kind in ("demographics", "record"):
        return _fields_written_again(conn, stream, entity, entity_id, detail)
    if kind == "booking":
        return _one_booking_left(conn, detail.get("appointments"))
    if kind == "amendment":
        return _corrected_again(conn, entity, detail.get("versions"))
    return False


def _fields_written_again(conn: Connection, stream: Stream, entity: str, entity_id: str,
                          detail: dict[str, Any]) -> bool:
    fields, after = detail.get("fields"), detail.get("after")
    if not isinstance(fields, dict) or not fields or type(after) is not int:
        return False  # flagged before ``after`` was kept: settled by hand only
    table = stream.table
    written: set[str] = set()
    for (payload,) in conn.execute(select(table.payload).where(
            table.entity == entity, table.entity_id == entity_id, table.hlc > after)):
        try:
            written.update(json.loads(payload))
        except (ValueError, TypeError):
            continue
    return set(fields) <= written


def _one_booking_left(conn: Connection, appointments: object) -> bool:
    if not isinstance(appointments, list) or not appointments:
        return False
    table = BY_NAME["appointment"].table
    slots = [(row.clinician_id, row.starts_at) for row in conn.execute(
        select(table.c.clinician_id, table.c.starts_at).where(
            table.c.id.in_([str(a) for a in appointments]),
            table.c.status != "cancelled"))]
    return len(slots) == len(set(slots))


def _corrected_again(conn: Connection, entity: str, versions: object) -> bool:
    kind = BY_NAME.get(entity)
    if kind is None or not isinstance(versions, list) or not versions \
            or "supersedes_id" not in kind.table.c:
        return False
    table = kind.table
    return conn.execute(select(table.c.id).where(
        table.c.supersedes_id.in_([str(v) for v in versions])).limit(1)).first() is not None
