"""The audit trail travels too: one hash chain per origin, anchored on every peer.

Each workstation keeps its own chain in ``audit_event`` (``app.records.journal``). Its
events go to the peers, which keep them in ``peer_audit_event`` under the origin that
wrote them, checking every link on arrival (the hash of the row, and that it follows
the row before it). So:
- a patient's access list covers the whole center (the Garante's rules on the health
  dossier), whichever workstation the chart was opened on;
- a workstation whose tail of audit events was deleted is found out: when it asks a
  peer for audit events, it says how far its own chain goes; a peer holding more of
  that chain raises ``audit.tail-missing`` in its sync journal, and the workstation
  itself, told by a peer's vector that its chain once went further, raises it too.

A restore starts a new origin (``app.records.storage.epoch``): the chain goes on, but
the events after the restore belong to the new origin, those before it to the old one
(``audit_until`` in the epochs history), so no two different events share an
(origin, seq).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select

from app.records.journal import GENESIS_HASH, audit_fields, audit_hash, get_meta
from app.records.model import AuditEvent, PeerAuditEvent
from app.records.storage.epoch import epochs
from app.sync.apply import journal

AUDIT = "audit"  # the pseudo-stream's name in the exchange
WIRE_FIELDS = ("seq", "id", "at", "user_id", "username", "workstation", "action", "entity",
               "entity_id", "patient_id", "detail", "prev_hash", "hash")
Range = tuple[str, int, int | None]  # origin, first seq, last seq (None: still growing)


def own_ranges(conn: Connection) -> list[Range]:
    """The origins this record's own chain was written under, with their seq ranges."""
    ranges: list[Range] = []
    first = 1
    for epoch in epochs(conn):
        until = epoch.get("audit_until")
        if isinstance(until, int) and until >= first:
            ranges.append((str(epoch["origin"]), first, until))
            first = until + 1
    ranges.append((get_meta(conn, "node_id") or "", first, None))
    return ranges


def audit_vector(conn: Connection) -> dict[str, int]:
    """{origin: highest seq held} over this record's chain and the peers' chains."""
    held = {str(origin): int(top) for origin, top in conn.execute(
        select(PeerAuditEvent.origin, func.max(PeerAuditEvent.seq))
        .group_by(PeerAuditEvent.origin))}
    for origin, first, last in own_ranges(conn):
        query = select(func.max(AuditEvent.seq)).where(AuditEvent.seq >= first)
        if last is not None:
            query = query.where(AuditEvent.seq <= last)
        top = conn.execute(query).scalar()
        if top:
            held[origin] = max(int(top), held.get(origin, 0))
    return held


def _head(conn: Connection, origin: str, own: Mapping[str, tuple[int, int | None]],
          ) -> tuple[int, str]:
    """The last event held of an origin's chain: (seq, hash), (0, "") for none."""
    last = conn.execute(select(PeerAuditEvent.seq, PeerAuditEvent.hash)
                        .where(PeerAuditEvent.origin == origin)
                        .order_by(PeerAuditEvent.seq.desc()).limit(1)).first()
    if last is None and origin in own:  # an earlier origin of this record
        first, until = own[origin]
        last = conn.execute(select(AuditEvent.seq, AuditEvent.hash)
                            .where(AuditEvent.seq >= first, AuditEvent.seq <= (until or 0))
                            .order_by(AuditEvent.seq.desc()).limit(1)).first()
    return (int(last.seq), str(last.hash)) if last is not None else (0, "")


def _wire(row: Mapping[Any, Any], origin: str) -> list[Any]:
    fields = audit_fields(row)  # ``at`` as the hash sees it
    return [origin, *(fields.get(name, row.get(name)) for name in WIRE_FIELDS)]


def audit_batch(conn: Connection, theirs: Mapping[str, int], limit: int) -> list[list[Any]]:
    """Up to ``limit`` audit events the peer lacks, in chain order per origin."""
    out: list[list[Any]] = []
    own = {origin: (first, last) for origin, first, last in own_ranges(conn)}
    for origin, top in sorted(audit_vector(conn).items()):
        after = int(theirs.get(origin, 0)) if isinstance(theirs.get(origin, 0), int) else 0
        if top <= after or len(out) >= limit:
            continue
        want = limit - len(out)
        if origin in own:
            first, last = own[origin]
            query = select(*AuditEvent.__table__.columns).where(
                AuditEvent.seq > max(after, first - 1))
            if last is not None:
                query = query.where(AuditEvent.seq <= last)
            out.extend(_wire(row, origin) for row in conn.execute(
                query.order_by(AuditEvent.seq).limit(want)).mappings())
            if last is None:
                continue
            after, want = max(after, last), limit - len(out)  # its tail, kept by peers
        query = (select(*PeerAuditEvent.__table__.columns)
                 .where(PeerAuditEvent.origin == origin, PeerAuditEvent.seq > after)
                 .order_by(PeerAuditEvent.seq).limit(max(want, 0)))
        out.extend(_wire(row, origin) for row in conn.execute(query).mappings())
    return out


def apply_audit(conn: Connection, rows: Sequence[object], peer: str) -> int:
    """Keep a peer's audit events (in the caller's transaction); returns how many.

    A row that is not an audit event or breaks its chain is not kept, and the journal
    says so; the rest of the batch still is."""
    ranges = own_ranges(conn)
    current = ranges[-1][0]
    own = {origin: (first, last) for origin, first, last in ranges[:-1]}
    heads: dict[str, tuple[int, str]] = {}
    kept = 0
    for raw in rows:
        row = _parsed(raw)
        if row is None:
            journal(conn, "audit.refused", peer, "an audit event in a wrong shape")
            continue
        origin = row.pop("origin")
        if origin == current:
            continue  # this workstation's own chain: it is its keeper
        if origin not in heads:
            heads[origin] = _head(conn, origin, own)
        seq, prev = heads[origin]
        if row["seq"] <= seq:
            continue  # held already (a batch answered twice)
        if audit_hash(row["prev_hash"], audit_fields(row)) != row["hash"]:
            journal(conn, "audit.refused", peer, f"{origin}/{row['seq']}: hash does not match")
            continue
        if seq and (row["seq"] != seq + 1 or row["prev_hash"] != prev):
            journal(conn, "audit.refused", peer,
                    f"{origin}/{row['seq']}: does not follow {origin}/{seq} held here")
            continue
        if not seq and row["seq"] == 1 and row["prev_hash"] != GENESIS_HASH:
            journal(conn, "audit.refused", peer, f"{origin}/1: not the start of a chain")
            continue
        conn.execute(insert(PeerAuditEvent).values(
            origin=origin, **{**row, "at": _at(row["at"])}))
        heads[origin] = (row["seq"], row["hash"])
        kept += 1
    return kept


def check_heads(conn: Connection, their_origin: object, theirs: Mapping[str, object],
                peer: str) -> list[str]:
    """Chains cut short: the peer's own chain shorter than what is held here, or this
    record's chain shorter than what the peer holds of it. Journaled; returned."""
    held = audit_vector(conn)
    found = []
    if isinstance(their_origin, str):
        claimed = theirs.get(their_origin)
        if isinstance(claimed, int) and claimed < held.get(their_origin, 0):
            found.append(f"{peer} ({their_origin}) holds its audit trail up to "
                         f"{claimed}, this workstation holds it up to {held[their_origin]}")
    mine = own_ranges(conn)[-1][0]
    claimed = theirs.get(mine)
    if isinstance(claimed, int) and claimed > held.get(mine, 0):
        found.append(f"{peer} holds this workstation's audit trail ({mine}) up to "
                     f"{claimed}, this workstation only up to {held.get(mine, 0)}")
    for text in found:
        journal(conn, "audit.tail-missing", peer, text)
    return found


def _parsed(raw: object) -> dict[str, Any] | None:
    if not isinstance(raw, list | tuple) or len(raw) != len(WIRE_FIELDS) + 1:
        return None
    row = dict(zip(("origin", *WIRE_FIELDS), raw, strict=True))
    texts = ("origin", "id", "at", "username", "workstation", "action", "detail",
             "prev_hash", "hash")
    optional = ("user_id", "entity", "entity_id", "patient_id")
    if type(row["seq"]) is not int or row["seq"] < 1:
        return None
    if not all(isinstance(row[name], str) for name in texts):
        return None
    if not all(row[name] is None or isinstance(row[name], str) for name in optional):
        return None
    try:
        _at(row["at"])
    except ValueError:
        return None
    return row


def _at(text: str) -> datetime:
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
