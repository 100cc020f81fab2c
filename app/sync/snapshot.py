"""A new workstation's first sync from a copy of a peer's record (ADR 0029).

Replaying a center's log entry by entry costs a new workstation about 100 µs of CPU an
entry (a million entries: minutes). A full workstation that holds nothing yet of the
center's log (just joined: its own audit events and journal only) asks instead, when
``sync serve`` starts, for a copy of a peer's record: the peer makes it as a backup does
(SQLite's online backup API for the record, the clinical file's bytes while the clinical
gate holds every clinical writer still) and streams the files over the session; they
are encrypted under the center's keys, which the new workstation already holds.

The copy becomes this workstation's record only after, under the center lock held
alone (no other program has the record open):
- its files arrived whole (sizes and SHA-256 as the peer sent them);
- what is this workstation's own is carried into it: its origin id and epochs, its
  identity and certificate, its peers and sync journal, its own audit chain (the
  peer's own chain becomes that peer's chain among the peers' ones), its drafts;
- it passes ``verify``'s checks: SQLCipher's and SQLite's integrity checks of both
  files, every entry's seal, the audit chains, the schema revisions.
Anything else (a refusal, a lost connection, a disk full, another program holding the
record, a check failing) leaves the record as it was, and the entries are pulled one by
one as before. A front desk never asks (it must not hold the clinical file) and a peer
refuses a front desk, a peer of another schema, and gives none while an origin of its
own log is stopped by a fork.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy.exc import DBAPIError

from app.core.errors import MedireteError
from app.core.files import fsync_dir, open_private
from app.records.log_codec import VERSIONS
from app.records.services import Records
from app.records.storage.backup import consistent_copies
from app.records.storage.center import CenterPaths
from app.records.storage.engine import raw_key_pragma_value
from app.records.storage.epoch import EPOCHS_KEY
from app.records.storage.lock import CenterLock
from app.records.storage.migrate import head_revision
from app.sync.audit import WIRE_FIELDS, Range
from app.sync.copy_check import check_copy
from app.sync.identity import IDENTITY_KEY, WorkstationIdentity
from app.sync.pki import PeerIdentity, identity
from app.sync.replica import Replica
from app.sync.transport import Session, connect, tls_contexts
from app.sync.wire import ProtocolError

log = logging.getLogger(__name__)

CHUNK = 1024 * 1024
OUTGOING, INCOMING = ".snapshot-out-", ".snapshot-in-"  # folders in the record's folder
FILES = ("record.db", "clinical.db", "clinical.db-wal")
MESSAGE_TIMEOUT = 120.0  # the peer makes its copy before the first part: minutes at most
LOCK_WAIT_SECONDS = 3.0
# This workstation's own facts, never the peer's (app.sync.identity, ca_store, replica).
OWN_META = ("node_id", EPOCHS_KEY, IDENTITY_KEY, "sync_peers", "sync_ca_key",
            "sync_ca_format", "sync_forked", "sync_clock_ahead", "hlc_last")
AUDIT_COLUMNS = ", ".join(WIRE_FIELDS)
Say = Callable[[str], None]


class SnapshotUnusable(MedireteError):
    message = "The copy of {peer}'s record was not used: {reason}"


# -- the peer that gives one --------------------------------------------------------------
def refusal(replica: Replica, hello: dict[str, Any], peer: PeerIdentity) -> str | None:
    """Why this workstation gives ``peer`` no copy, or None."""
    if "front-desk" in (peer.role, hello.get("role")):
        return "a front desk holds no clinical content"
    if hello.get("schema") != head_revision():
        return f"schema {hello.get('schema')} here is {head_revision()}"
    if not replica.db.clinical:
        return "the clinical file is not open here"
    if replica.status().forked:
        return "an origin of this record is stopped by a fork"
    return None


def _copies(replica: Replica, scratch: Path) -> dict[str, Path]:
    record, clinical = consistent_copies(replica.db, scratch)
    files = {"record.db": record}
    if clinical is not None:
        files |= {"clinical.db": clinical.db, "clinical.db-wal": clinical.wal}
    return files


async def give(session: Session, replica: Replica, say: Say) -> None:
    """Answer a peer's ``snapshot`` hello: the files, then their digests."""
    reason = refusal(replica, session.peer_hello, session.peer)
    if reason is not None:
        say(f"no copy of the record for {session.peer.workstation}: {reason}")
        await session.send({"type": "snapshot", "refused": reason})
        return
    loop = asyncio.get_running_loop()
    _remove_stale(replica.db.paths.root, OUTGOING, older_than_s=3600)  # copies of a crash
    scratch = Path(tempfile.mkdtemp(prefix=OUTGOING, dir=replica.db.paths.root))
    try:
        files = await loop.run_in_executor(None, _copies, replica, scratch)
        await session.send({"type": "snapshot",
                            "files": {n: p.stat().st_size for n, p in files.items()}})
        sums = {}
        for name, path in files.items():
            digest = hashlib.sha256()
            with open(path, "rb") as handle:
                while chunk := await loop.run_in_executor(None, handle.read, CHUNK):
                    digest.update(chunk)
                    await session.send({"type": "part", "name": name, "data": chunk})
            sums[name] = digest.hexdigest()
        await session.send({"type": "snapshot-end", "sha256": sums})
        say(f"copy of the record sent to {session.peer.workstation}")
        with contextlib.suppress(MedireteError, TimeoutError):
            async with asyncio.timeout(MESSAGE_TIMEOUT):
                await session.receive()  # the peer closes once it holds the files
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _remove_stale(root: Path, prefix: str, older_than_s: float = 0.0) -> None:
    now = time.time()
    for folder in root.glob(f"{prefix}*"):
        with contextlib.suppress(OSError):
            if now - folder.stat().st_mtime >= older_than_s:
                shutil.rmtree(folder)


# -- the new workstation that asks ---------------------------------------------------------
def first_sync(records: Records, me: WorkstationIdentity,
               addresses: Sequence[tuple[str, int]], reopen: Callable[[], Records],
               say: Say) -> Records:
    """The record ``sync serve`` goes on with: a copy of a peer's, when this workstation
    wants one and a peer gives it, else ``records`` as it was."""
    _remove_stale(records.db.paths.root, INCOMING)  # a copy not cleared away before a crash
    replica = Replica(records, me.workstation)
    if not addresses or not wants_one(replica, me):
        return records
    assert records.db.clinical_key is not None  # wants_one: the clinical file is open
    hello = {"schema": head_revision(), "streams": list(replica.offered), "role": me.role,
             "vectors": {}, "payloads": list(VERSIONS)}
    paths, keys = records.db.paths, Keys(records.db.db_key, records.db.clinical_key)
    staging = Path(tempfile.mkdtemp(prefix=INCOMING, dir=paths.root))
    try:
        start = time.monotonic()
        peer = asyncio.run(fetch(addresses, me, hello, staging, say))
        if peer is None:
            return records
        received = time.monotonic() - start
        records.close()
        try:
            checked = install(paths, keys, staging, peer)
        except (SnapshotUnusable, OSError, sqlcipher3.Error) as error:
            text = error.user_message() if isinstance(error, MedireteError) else str(error)
            say(f"copy of the record from {peer} not used ({text}): pulling entry by entry")
            return reopen()
        records = reopen()
        replica = Replica(records, me.workstation)
        held = sum(sum(v.values()) for v in replica.vectors().values())
        detail = (f"{held} entries in {time.monotonic() - start:.1f} s (received in "
                  f"{received:.1f} s, checked in {checked:.1f} s)")
        replica.adopt_copy(peer, detail)
        say(f"copy of the record from {peer} in use: {detail}")
        return records
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def wants_one(replica: Replica, me: WorkstationIdentity) -> bool:
    """A full workstation, the clinical file open, nothing of the center's log held."""
    return (me.role == "full" and replica.db.clinical
            and not any(replica.vectors().values()))


async def fetch(addresses: Sequence[tuple[str, int]], me: WorkstationIdentity,
                hello: dict[str, Any], staging: Path, say: Say) -> str | None:
    """Files of the first peer that gives a copy, into ``staging``; its name, or None."""
    _server, client = tls_contexts(me.ca_pem, me.cert_pem, me.key_pem)
    local = identity(me.cert_pem)

    def allowed(peer: PeerIdentity) -> str | None:
        return "a workstation cannot sync with itself" if peer == local else None

    for host, port in addresses:
        try:
            session = await connect(host, port, client, local, hello | {"snapshot": True},
                                    allowed=allowed)
        except MedireteError as error:
            say(f"copy of the record: {host}:{port}: {error.user_message()}")
            continue
        try:
            if await _receive(session, staging, say):
                return session.peer.workstation
        except (MedireteError, OSError, TimeoutError) as error:
            text = error.user_message() if isinstance(error, MedireteError) else str(error)
            say(f"copy of the record from {session.peer.workstation} not kept: {text}")
        finally:
            await session.close()
        for name in FILES:
            (staging / name).unlink(missing_ok=True)
    return None


async def _next(session: Session) -> dict[str, Any]:
    async with asyncio.timeout(MESSAGE_TIMEOUT):
        return await session.receive()


async def _receive(session: Session, staging: Path, say: Say) -> bool:
    first = await _next(session)
    if first.get("type") != "snapshot":
        raise ProtocolError(detail=f"expected a snapshot, got {first.get('type')!r:.40}")
    if "refused" in first:
        say(f"{session.peer.workstation} gives no copy of its record: {first['refused']}")
        return False
    sizes = first.get("files")
    if not isinstance(sizes, dict) or not set(sizes) <= set(FILES) or "record.db" not in sizes:
        raise ProtocolError(detail="a snapshot naming unknown files")
    say(f"copy of the record from {session.peer.workstation}: "
        f"{sum(int(s) for s in sizes.values()) / 2**20:,.0f} MiB")
    digests = {name: hashlib.sha256() for name in sizes}
    handles = {name: open_private(staging / name) for name in sizes}
    try:
        while (message := await _next(session)).get("type") == "part":
            name, data = message.get("name"), message.get("data")
            if name not in handles or not isinstance(data, bytes):
                raise ProtocolError(detail="a snapshot part of no file")
            handles[name].write(data)
            digests[name].update(data)
    finally:
        for handle in handles.values():
            handle.close()
    if message.get("type") != "snapshot-end":
        raise ProtocolError(detail=f"expected the snapshot's end, got {message.get('type')!r:.40}")
    sums = message.get("sha256")
    for name, size in sizes.items():
        if (staging / name).stat().st_size != size or not isinstance(sums, dict) or (
                sums.get(name) != digests[name].hexdigest()):
            raise SnapshotUnusable(peer=session.peer.workstation,
                                   reason=f"{name} did not arrive whole")
    return True


@dataclass(frozen=True)
class Keys:
    """The center's keys, which open both the copy and this record."""

    db: bytes
    clinical: bytes


def install(paths: CenterPaths, keys: Keys, staging: Path, peer: str) -> float:
    """Make the copy in ``staging`` this record (closed by the caller), or raise
    SnapshotUnusable leaving the record as it was; returns the seconds its checks took."""
    lock = CenterLock(paths.root)
    try:
        if not lock.try_exclusive(LOCK_WAIT_SECONDS):
            raise SnapshotUnusable(peer=peer, reason="another program has the record open")
        try:
            with _attached(staging, paths, keys) as conn:
                if conn.execute("SELECT count(*) FROM old.change_log").fetchone()[0] or (
                        conn.execute("SELECT count(*) FROM oldclin.clinical_change")
                        .fetchone()[0]):
                    raise SnapshotUnusable(peer=peer, reason="this record holds entries by now")
                _carry_own(conn)
            checking = time.monotonic()
            _check(staging, keys, peer)
            checked = time.monotonic() - checking
        except (sqlcipher3.Error, DBAPIError) as error:  # a damaged copy
            raise SnapshotUnusable(peer=peer, reason=str(error).splitlines()[0]) from error
        for name in ("record.db-wal", "record.db-shm", "clinical.db-wal", "clinical.db-shm"):
            (paths.root / name).unlink(missing_ok=True)  # none after a clean close
        # The clinical file first: a crash between the two moves leaves an empty record
        # beside the copied clinical file, whose record entries are then pulled one by one.
        if any((staging / f"{name}-wal").exists() for name in ("record.db", "clinical.db")):
            raise SnapshotUnusable(peer=peer, reason="the copy was not closed cleanly")
        os.replace(staging / "clinical.db", paths.clinical_db)
        os.replace(staging / "record.db", paths.db)
        fsync_dir(paths.root)
        return checked
    finally:
        lock.close()


@contextlib.contextmanager
def _attached(staging: Path, paths: CenterPaths, keys: Keys) -> Iterator[sqlcipher3.Connection]:
    conn = sqlcipher3.connect(str(staging / "record.db"), isolation_level=None)
    try:
        conn.execute(f'PRAGMA key = "{raw_key_pragma_value(keys.db)}"').fetchall()
        for path, name, key in ((paths.db, "old", keys.db),
                                (staging / "clinical.db", "clinical", keys.clinical),
                                (paths.clinical_db, "oldclin", keys.clinical)):
            conn.execute(f"ATTACH DATABASE ? AS {name} KEY ?",
                         (str(path), raw_key_pragma_value(key)))
        yield conn
        conn.execute("PRAGMA journal_mode = WAL").fetchall()
    finally:
        conn.close()


def _ranges(conn: sqlcipher3.Connection, schema: str) -> list[Range]:
    """As ``app.sync.audit.own_ranges``: the origins a record's own chain was written under."""
    meta = dict(conn.execute(f"SELECT key, value FROM {schema}.meta WHERE key IN (?, ?)",
                             ("node_id", EPOCHS_KEY)).fetchall())
    ranges: list[Range] = []
    first = 1
    for epoch in json.loads(meta.get(EPOCHS_KEY) or "[]"):
        until = epoch.get("audit_until") if isinstance(epoch, dict) else None
        if isinstance(until, int) and until >= first:
            ranges.append((str(epoch["origin"]), first, until))
            first = until + 1
    ranges.append((str(meta.get("node_id") or ""), first, None))
    return ranges


def _carry_own(conn: sqlcipher3.Connection) -> None:
    """Into the copy (main, clinical), in one transaction: what is this workstation's."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        for origin, first, last in _ranges(conn, "main"):  # the peer's chain: a peer's now
            conn.execute(f"INSERT OR IGNORE INTO peer_audit_event (origin, {AUDIT_COLUMNS}) "
                         f"SELECT ?, {AUDIT_COLUMNS} FROM audit_event WHERE seq >= ? "
                         "AND (? IS NULL OR seq <= ?)", (origin, first, last, last))
        mine = [origin for origin, _first, _last in _ranges(conn, "old")]
        conn.execute(f"DELETE FROM peer_audit_event WHERE origin IN "
                     f"({', '.join('?' * len(mine))})", mine)
        # The peer's own chain out, this workstation's in: the trigger that keeps the
        # trail append-only is lifted for this one statement inside the transaction.
        guard = conn.execute("SELECT sql FROM main.sqlite_master WHERE type = 'trigger' "
                             "AND name = 'audit_event_append_only_delete'").fetchone()
        if guard is not None:
            conn.execute("DROP TRIGGER audit_event_append_only_delete")
        conn.execute("DELETE FROM audit_event")
        if guard is not None:
            conn.execute(guard[0])
        conn.execute(f"INSERT INTO audit_event ({AUDIT_COLUMNS}) "
                     f"SELECT {AUDIT_COLUMNS} FROM old.audit_event")
        conn.execute(f"INSERT OR IGNORE INTO peer_audit_event (origin, {AUDIT_COLUMNS}) "
                     f"SELECT origin, {AUDIT_COLUMNS} FROM old.peer_audit_event")
        conn.execute("DELETE FROM sync_journal")
        conn.execute("INSERT INTO sync_journal (seq, at, event, peer, detail) "
                     "SELECT seq, at, event, peer, detail FROM old.sync_journal")
        for key in OWN_META:
            conn.execute("DELETE FROM meta WHERE key = ?", (key,))
            conn.execute("INSERT INTO meta (key, value) SELECT key, value FROM old.meta "
                         "WHERE key = ?", (key,))
        conn.execute("DELETE FROM clinical.encounter_draft")
        conn.execute("INSERT INTO clinical.encounter_draft SELECT * FROM oldclin.encounter_draft")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _check(staging: Path, keys: Keys, peer: str) -> None:
    """``verify``'s checks of the copy as it will be opened (both files)."""
    problems = check_copy(staging, keys.db, keys.clinical)
    if problems:
        raise SnapshotUnusable(peer=peer, reason="; ".join(problems[:3]))
