"""An anchor outside the database: how far the record is known to have come.

SQLite cannot notice from inside that its WAL was deleted or damaged after a crash: the
database then opens without the last commits and every check inside it passes. So after
each committed write the record's head (the last audit row's sequence and hash, the last
change-log sequence of each origin) is written to ``record.anchor`` beside the database,
authenticated with a key derived from the database key. ``verify`` then reports a record
that is behind its anchor, or whose audit row at the anchored sequence has another hash
(a rewritten tail). A re-key rewrites the anchor under the new key; an anchor that is
not authentic is never overwritten by ordinary writes (verify keeps reporting it until a
re-key, an admin decision, writes a fresh one).

What it cannot see (ADR 0009): the anchor and the database replaced together by an
older copy of both, or the anchor deleted; peers holding each other's heads will.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Connection, func, select

from app.core.files import fsync_dir, private_temp_file
from app.records.journal import canonical_json, get_meta
from app.records.model import AuditEvent, ChangeLogEntry

log = logging.getLogger(__name__)
ANCHOR_NAME = "record.anchor"
FORMAT = 1
_lock = threading.Lock()  # one writer per process; the values merge by maximum


@dataclass(frozen=True)
class Head:
    """How far a record has come."""

    audit_seq: int
    audit_hash: str
    changes: dict[str, int]

    def fields(self) -> dict[str, Any]:
        """The authenticated fields."""
        return {"format": FORMAT, "audit_seq": self.audit_seq, "audit_hash": self.audit_hash,
                "changes": dict(sorted(self.changes.items()))}


def _mac_key(db_key: bytes) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt=None, info=b"medirete-anchor-v1").derive(db_key)


def _mac(db_key: bytes, fields: dict[str, Any]) -> str:
    return hmac.new(_mac_key(db_key), canonical_json(fields).encode(), hashlib.sha256).hexdigest()


def read_head(conn: Connection) -> Head:
    """The record's head as the database holds it."""
    last = conn.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    # This workstation's own origin only: a seek on the primary key, not a scan (peers'
    # origins will be anchored by the sync).
    origin = get_meta(conn, "node_id") or ""
    seq = conn.execute(
        select(func.max(ChangeLogEntry.seq)).where(ChangeLogEntry.origin == origin)
    ).scalar_one_or_none()
    return Head(last[0] if last else 0, last[1] if last else "",
                {origin: int(seq)} if seq else {})


def load_anchor(root: Path, db_key: bytes) -> Head | None:
    """The anchored head, None when there is none; ValueError when it is not authentic."""
    path = root / ANCHOR_NAME
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise ValueError("the anchor file is unreadable") from exc
    try:
        head = Head(int(data["audit_seq"]), str(data["audit_hash"]),
                    {str(k): int(v) for k, v in dict(data["changes"]).items()})
        mac = str(data["mac"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError("the anchor file is unreadable") from exc
    if not hmac.compare_digest(mac, _mac(db_key, head.fields())):
        raise ValueError("the anchor file does not match this record's key")
    return head


def _merged(old: Head | None, new: Head) -> Head:
    if old is None:
        return new
    # Forward only. The same sequence with another hash means the tail was rewritten:
    # the anchor keeps its evidence for verify rather than taking the forgery.
    audit = (new.audit_seq, new.audit_hash) if new.audit_seq > old.audit_seq else (
        old.audit_seq, old.audit_hash)
    changes = dict(old.changes)
    for origin, seq in new.changes.items():
        changes[origin] = max(seq, changes.get(origin, 0))
    return Head(audit[0], audit[1], changes)


def write_anchor(root: Path, db_key: bytes, head: Head, *, replace: bool = False) -> None:
    """Record ``head`` (merged with the anchor already there unless ``replace``)."""
    with _lock:
        old = None
        if not replace:
            try:
                old = load_anchor(root, db_key)
            except ValueError:
                # Left as it is for verify to report: overwriting it at the next login
                # would erase the evidence. A re-key writes a fresh one (replace=True).
                log.warning("the record's anchor is not authentic: left for verify")
                return
        fields = _merged(old, head).fields()
        data = json.dumps(fields | {"mac": _mac(db_key, fields)}, sort_keys=True).encode()
        handle, tmp = private_temp_file(root, f".{ANCHOR_NAME}.", ".tmp")
        try:
            with handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, root / ANCHOR_NAME)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        fsync_dir(root)


def behind_anchor(conn: Connection, root: Path, db_key: bytes) -> list[str]:
    """What the database lacks of what its anchor says it had (empty when in step)."""
    try:
        anchor = load_anchor(root, db_key)
    except ValueError as exc:
        return [str(exc)]
    if anchor is None:
        return []
    problems = []
    head = read_head(conn)
    if head.audit_seq < anchor.audit_seq:
        problems.append(f"the record is behind its anchor: audit ends at {head.audit_seq}, "
                        f"the anchor says {anchor.audit_seq} (writes lost after a crash, "
                        "or a deleted tail)")
    elif anchor.audit_seq:
        stored = conn.execute(
            select(AuditEvent.hash).where(AuditEvent.seq == anchor.audit_seq)
        ).scalar_one_or_none()
        if stored != anchor.audit_hash:
            problems.append(f"audit row {anchor.audit_seq} is not the one anchored "
                            "(the audit trail was rewritten)")
    for origin, seq in sorted(anchor.changes.items()):
        if head.changes.get(origin, 0) < seq:
            problems.append(f"the change log of {origin} ends at {head.changes.get(origin, 0)}"
                            f", the anchor says {seq}")
    return problems
