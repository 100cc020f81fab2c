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

Since hardening item 13 the anchor is also signed with this workstation's Ed25519 key
(kept in the user's data folder, outside the center) and a copy is kept there too
(``anchors/<center>.json``). The record key (which every user holds) cannot forge the
signature, and replacing the record together with its anchor by an older copy is seen
against the local copy. What still passes on a single isolated workstation (ADR 0009):
someone who holds the record key *and* this workstation's user account (the signing
key and the local copy) can rewrite both; peers holding each other's heads will see it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Connection, func, select

from app.core.files import fsync_dir, make_private, private_dirs, private_temp_file
from app.core.paths import user_data_dir
from app.records.journal import canonical_json, get_meta
from app.records.model import AuditEvent, ChangeLogEntry, ClinicalChange
from app.records.storage.engine import CLINICAL_SCHEMA

log = logging.getLogger(__name__)
ANCHOR_NAME = "record.anchor"
FORMAT = 1
_lock = threading.Lock()
# Anchored sequences of the clinical file's change log are keyed "clinical:<origin>".
CLINICAL_PREFIX = "clinical:"  # one writer per process; the values merge by maximum


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


SIGNING_KEY_FILE = "workstation-signing.key"
LOCAL_ANCHORS = "anchors"
_signer: Ed25519PrivateKey | None = None


def signing_key() -> Ed25519PrivateKey:
    """This workstation's (this user account's) anchor signing key, made on first use.

    Two programs of the same account may start at once: the key file is created with
    O_EXCL and read back, so both end up signing with the one key on disk.
    """
    global _signer
    folder = user_data_dir()
    path = folder / SIGNING_KEY_FILE
    if _signer is not None and path.exists():
        return _signer
    for _attempt in range(200):
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            data = None
        if data is not None and len(data) == 32:
            _signer = Ed25519PrivateKey.from_private_bytes(data)
            return _signer
        if data is None:
            _create_signing_key(folder, path)
        else:
            time.sleep(0.01)  # another program is writing it
    raise OSError(f"the signing key {path} is damaged: delete it to make a new one")


def _create_signing_key(folder: Path, path: Path) -> None:
    private_dirs(folder)
    raw = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
        serialization.NoEncryption())
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     0o600)
    except FileExistsError:
        return  # another program made it first: read theirs
    try:
        os.write(fd, raw)
        os.fsync(fd)
    finally:
        os.close(fd)
    make_private(path)


def _public(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw,
                                        serialization.PublicFormat.Raw)
    return raw.hex()


def sign_head(fields: dict[str, Any]) -> dict[str, str]:
    """The signer's public key and its signature over ``fields`` (canonical JSON)."""
    key = signing_key()
    return {"signer": _public(key),
            "signature": key.sign(canonical_json(fields).encode()).hex()}


def signature_ok(fields: dict[str, Any], signed: dict[str, Any]) -> bool:
    """True when ``signed`` holds a valid signature of ``fields`` by its signer."""
    try:
        public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(str(signed["signer"])))
        public.verify(bytes.fromhex(str(signed["signature"])), canonical_json(fields).encode())
    except (KeyError, ValueError, InvalidSignature):
        return False
    return True


_centers: dict[tuple[Path, int], str] = {}


def _center_of(root: Path) -> str:
    # Every committed write asks: read center.json again only when it changed (a restore).
    info = root / "center.json"
    try:
        stamp = (info, info.stat().st_mtime_ns)
        if stamp not in _centers:
            _centers[stamp] = str(json.loads(info.read_bytes())["center_id"])
        return _centers[stamp]
    except (OSError, ValueError, KeyError, TypeError):
        return "unknown"


def local_anchor_path(root: Path) -> Path:
    """Where this workstation keeps its own copy of a center's anchor.

    Named by center and folder: a copy of a center elsewhere (a restore, a test) is
    another record; the same folder holding an older record is what it detects.
    """
    where = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:12]
    return user_data_dir() / LOCAL_ANCHORS / f"{_center_of(root)}-{where}.json"


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
    changes = {origin: int(seq)} if seq else {}
    if clinical_attached(conn):  # only a clinical user sees (and anchors) the clinical log
        clinical = conn.execute(
            select(func.max(ClinicalChange.seq)).where(ClinicalChange.origin == origin)
        ).scalar_one_or_none()
        if clinical:
            changes[CLINICAL_PREFIX + origin] = int(clinical)
    return Head(last[0] if last else 0, last[1] if last else "", changes)


def clinical_attached(conn: Connection) -> bool:
    """True when this connection has the clinical file attached."""
    return any(row[1] == CLINICAL_SCHEMA for row in conn.exec_driver_sql("PRAGMA database_list"))


def load_anchor(root: Path, db_key: bytes, path: Path | None = None) -> Head | None:
    """The anchored head, None when there is none; ValueError when it is not authentic.

    ``path``: another copy of the anchor (this workstation's own) instead of the sidecar.
    A signature, when present, must verify (an anchor written before item 13 has none).
    """
    path = root / ANCHOR_NAME if path is None else path
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
    if ("signature" in data or "signer" in data) and not signature_ok(head.fields(), data):
        raise ValueError("the anchor's signature does not verify (the anchor was edited)")
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
    """Record ``head`` beside the record and in this workstation's copy, signed.

    Each copy is merged with what it already holds (forward only) unless ``replace``.
    """
    with _lock:
        _write_one(root / ANCHOR_NAME, root, db_key, head, replace=replace)
        local = local_anchor_path(root)
        try:
            private_dirs(local.parent)
            _write_one(local, root, db_key, head, replace=replace)
        except OSError as exc:  # the record's own anchor is written; say so, go on
            log.warning("cannot keep this workstation's copy of the anchor: %s", exc)


def _write_one(path: Path, root: Path, db_key: bytes, head: Head, *, replace: bool) -> None:
    old = None
    if not replace:
        try:
            old = load_anchor(root, db_key, path)
        except ValueError:
            # Left as it is for verify to report: overwriting it at the next login
            # would erase the evidence. A re-key writes a fresh one (replace=True).
            log.warning("the anchor %s is not authentic: left for verify", path.name)
            return
    fields = _merged(old, head).fields()
    data = json.dumps(fields | {"mac": _mac(db_key, fields)} | sign_head(fields),
                      sort_keys=True).encode()
    handle, tmp = private_temp_file(path.parent, f".{path.name}.", ".tmp")
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def behind_anchor(conn: Connection, root: Path, db_key: bytes) -> list[str]:
    """What the database lacks of what its anchors say it had (empty when in step).

    Both the anchor beside the record and this workstation's own copy are checked: the
    first may have been replaced with the record by an older copy of both.
    """
    head = read_head(conn)
    problems = _behind(conn, head, root, db_key, None, what="its anchor")
    local = local_anchor_path(root)
    problems += _behind(conn, head, root, db_key, local, what="what this workstation last saw")
    return list(dict.fromkeys(problems))


def _behind(
    conn: Connection, head: Head, root: Path, db_key: bytes, path: Path | None, *, what: str
) -> list[str]:
    try:
        anchor = load_anchor(root, db_key, path)
    except ValueError as exc:
        return [str(exc)]
    if anchor is None:
        return []
    problems = []
    if head.audit_seq < anchor.audit_seq:
        problems.append(f"the record is behind {what}: audit ends at {head.audit_seq}, "
                        f"the anchor says {anchor.audit_seq} (writes lost after a crash, "
                        "or a deleted tail)")
    elif anchor.audit_seq:
        stored = conn.execute(
            select(AuditEvent.hash).where(AuditEvent.seq == anchor.audit_seq)
        ).scalar_one_or_none()
        if stored != anchor.audit_hash:
            problems.append(f"audit row {anchor.audit_seq} is not the one anchored "
                            "(the audit trail was rewritten)")
    sees_clinical = clinical_attached(conn)
    for origin, seq in sorted(anchor.changes.items()):
        if origin.startswith(CLINICAL_PREFIX) and not sees_clinical:
            continue  # the clinical log is checked by a clinical user's verify
        if head.changes.get(origin, 0) < seq:
            problems.append(f"the change log of {origin} ends at {head.changes.get(origin, 0)}"
                            f", {what} says {seq}")
    return problems
