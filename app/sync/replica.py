"""One workstation's record as sync sees it: what it holds, what it lacks, applying more.

Every batch from a peer is applied in one write transaction: the entries join the log,
the rows follow, the clock merges the peer's, an audit event says who sent what, and
the version vector (which is read from the log itself) moves with them. A batch cut
short by a crash is rolled back whole; pulled again, it applies once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, select

from app.core.clock import utc_now
from app.core.hlc import Timestamp, receive
from app.records.changes import Changes, Origin
from app.records.integrity import content_digest
from app.records.journal import HLC_KEY, append_audit, get_meta, last_timestamp, set_meta
from app.records.model import AuditEvent, SyncConflict, SyncDeferred, SyncJournalEvent
from app.records.services import Records
from app.records.storage.anchor import read_head, write_anchor
from app.records.storage.engine import CLINICAL_SCHEMA
from app.records.storage.migrate import known_revisions
from app.records.storage.sqlerrors import translating_db_errors
from app.sync.apply import Applied, Applier, journal
from app.sync.audit import AUDIT, apply_audit, audit_batch, audit_vector, check_heads
from app.sync.key_file import follow_users
from app.sync.log import (
    CLINICAL,
    RECORD,
    STREAMS,
    Entry,
    Stream,
    Vector,
    blobs_for,
    entries_after,
    vector,
)
from app.sync.settle import settle

FORKED_KEY = "sync_forked"  # JSON {stream: [origin, ...]}: origins stopped by a fork
PEERS_KEY = "sync_peers"  # JSON {workstation: {...}}: what serve last knew of each peer
AHEAD_KEY = "sync_clock_ahead"  # JSON {origin: ms}: peers whose clock ran far ahead


@dataclass(frozen=True)
class JournalLine:
    """One line of the sync journal."""

    at: datetime
    event: str
    peer: str
    detail: str


@dataclass(frozen=True)
class ConflictLine:
    """One conflict kept for a person to reconcile."""

    detected_at: datetime
    kind: str  # demographics, record, amendment, booking, duplicate-person, unique
    entity: str
    entity_id: str
    patient_id: str | None
    detail: str  # JSON: the values kept on each side
    id: str = ""


@dataclass(frozen=True)
class Status:
    """What ``sync status`` and the sync panel show."""

    origin: str
    vectors: dict[str, Vector]
    conflicts: int
    deferred: int
    forked: dict[str, list[str]]
    peers: dict[str, dict[str, object]]
    clock_ahead: dict[str, int]
    audit_alarms: tuple[str, ...] = ()  # audit chains found cut short (the journal's)


class Replica:
    """Sync's handle on an unlocked record (opened by a user of this workstation)."""

    def __init__(self, records: Records, peer_name: str = "") -> None:
        self.records = records
        self.db = records.db
        self.name = peer_name
        self._known = known_revisions()

    @property
    def streams(self) -> tuple[str, ...]:
        """The logs this workstation holds: the clinical one only with the clinical file."""
        return (RECORD, CLINICAL) if self.db.clinical else (RECORD,)

    @property
    def offered(self) -> tuple[str, ...]:
        """What this workstation exchanges: its logs and its audit trail."""
        return (*self.streams, AUDIT)

    # -- the audit trail (app.sync.audit) -------------------------------------------------
    def audit_vector(self) -> dict[str, int]:
        """{origin: highest audit seq held}, own chain and peers' chains."""
        with self._reading() as conn:
            return audit_vector(conn)

    def audit_batch(self, theirs: Mapping[str, int], limit: int) -> list[list[object]]:
        """Audit events the peer lacks."""
        with self._reading() as conn:
            return audit_batch(conn, theirs, limit)

    def apply_audit(self, rows: Sequence[object], peer: str) -> int:
        """Keep a peer's audit events (one transaction); how many were new."""
        with translating_db_errors(), self.db.write_engine.begin() as conn:
            kept = apply_audit(conn, rows, peer)
            if kept:
                journal(conn, "audit", peer, f"{kept} audit events kept")
            return kept

    def check_audit_heads(self, their_origin: object, theirs: Mapping[str, object],
                          peer: str) -> list[str]:
        """Audit chains cut short, here or at the peer (journaled)."""
        with translating_db_errors(), self.db.write_engine.begin() as conn:
            return check_heads(conn, their_origin, theirs, peer)

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        with translating_db_errors(), self.db.read_engine.connect() as conn, conn.begin():
            yield conn

    def origin(self) -> str:
        """This record's origin id."""
        with self._reading() as conn:
            return get_meta(conn, "node_id") or ""

    def vectors(self) -> dict[str, Vector]:
        """The version vector of each stream held."""
        with self._reading() as conn:
            return {name: vector(conn, STREAMS[name]) for name in self.streams}

    def local_mark(self) -> tuple[int, ...]:
        """Numbers that grow with every write made here, by any process: the own
        sequences of each log, then the last audit event of this workstation's own
        (a chart read; the ``sync.*`` events that applying a peer's batch writes do not
        count, or every batch would be announced back to everyone)."""
        with self._reading() as conn:
            origin = get_meta(conn, "node_id") or ""
            logs = tuple(
                int(conn.execute(select(func.max(STREAMS[name].table.seq))
                                 .where(STREAMS[name].table.origin == origin)).scalar() or 0)
                for name in self.streams)
            audit = conn.execute(select(AuditEvent.seq).where(
                ~AuditEvent.action.startswith("sync.")).order_by(AuditEvent.seq.desc())
                .limit(1)).scalar()
            return (*logs, int(audit or 0))

    def batch_for(self, stream: str, theirs: Mapping[str, int], limit: int, *,
                  mine: Mapping[str, int] | None = None,
                  ) -> tuple[list[Entry], dict[str, bytes]]:
        """Up to ``limit`` entries of ``stream`` the peer lacks, with the blobs they name;
        none beyond ``mine`` (this log's vector, read from it when not given)."""
        spec = STREAMS[stream]
        with self._reading() as conn:
            if mine is None:
                mine = vector(conn, spec)
            stopped = self._forked(conn).get(stream, [])
            entries = entries_after(conn, spec, theirs, mine, limit=limit, stopped=stopped)
            return entries, blobs_for(conn, entries)

    def apply(self, stream: str, entries: Sequence[Entry], blobs: Mapping[str, bytes],
              peer: str) -> Applied:
        """Apply one batch in one transaction; the screens hear of it as SYNC changes."""
        spec: Stream = STREAMS[stream]
        with (translating_db_errors(), self.db.writing_clinical(),
              self.db.write_engine.begin() as conn):
            origin = get_meta(conn, "node_id") or ""
            applier = Applier(conn, spec, origin, self._known)
            result = applier.apply(entries, blobs, peer)
            if result.forks:
                self._stop(conn, stream, result.forks)
            if "user" in result.kinds:
                follow_users(conn, self.db.paths, peer)
            if result.highest_hlc:
                self._merge_clock(conn, result.highest_hlc,
                                  max(entries, key=lambda e: e.hlc).origin, peer)
            if result.applied or result.retried:
                settle(conn, (stream,))
            if result.applied or result.deferred or result.retried or result.forks:
                append_audit(conn, self.records.actor, "sync.apply", entity=stream,
                             detail=f"{peer}: {result.applied} applied, "
                                    f"{result.deferred} kept, {result.conflicts} conflicts")
                journal(conn, "batch", peer,
                        f"{stream}: {result.applied} applied, {result.duplicates} already "
                        f"held, {result.deferred} kept, {result.retried} kept before now "
                        f"applied, {result.conflicts} conflicts")
            head = read_head(conn)
        write_anchor(self.db.paths.root, self.db.db_key, head)
        if result.kinds:
            self.records.feed.publish(Changes(frozenset(result.kinds),
                                              frozenset(result.patients),
                                              frozenset({Origin.SYNC})))
        return result

    def adopt_copy(self, peer: str, detail: str) -> None:
        """A copy of ``peer``'s record became this one (``app.sync.snapshot``): the key
        file follows its users, the anchor its audit head, the journal says so."""
        with translating_db_errors(), self.db.write_engine.begin() as conn:
            follow_users(conn, self.db.paths, peer)
            # This workstation's clock kept its own; each origin's newest change is merged
            # into it as a batch's would be (a clock far ahead flagged, not followed).
            for name in self.streams:
                table = STREAMS[name].table
                for origin, highest in conn.execute(select(table.origin, func.max(table.hlc))
                                                    .group_by(table.origin)).all():
                    self._merge_clock(conn, int(highest), str(origin), peer)
            journal(conn, "snapshot", peer, detail)
            now = utc_now().isoformat()  # the peer seen, this record in step with it
            self._remember(conn, peer, {"online": False, "last_seen": now, "last_sync": now,
                                        "vectors": {name: vector(conn, STREAMS[name])
                                                    for name in self.streams}})
            head = read_head(conn)
        write_anchor(self.db.paths.root, self.db.db_key, head)

    def _merge_clock(self, conn: Connection, highest: int, origin: str, peer: str) -> None:
        wall = int(utc_now().timestamp() * 1000)
        merged = receive(last_timestamp(conn), Timestamp.unpack(highest), wall)
        set_meta(conn, HLC_KEY, str(merged.last.packed))
        if merged.flagged:
            ahead = self._json(conn, AHEAD_KEY)
            ahead[origin] = merged.peer_ahead_ms
            set_meta(conn, AHEAD_KEY, json.dumps(ahead, sort_keys=True))
            journal(conn, "clock.ahead", peer,
                    f"{origin}: {merged.peer_ahead_ms // 1000} s ahead of this workstation")

    def _stop(self, conn: Connection, stream: str, origins: Sequence[str]) -> None:
        forked = self._forked(conn)
        forked[stream] = sorted(set(forked.get(stream, [])) | set(origins))
        set_meta(conn, FORKED_KEY, json.dumps(forked, sort_keys=True))

    def _forked(self, conn: Connection) -> dict[str, list[str]]:
        return {k: [str(o) for o in v] for k, v in self._json(conn, FORKED_KEY).items()
                if isinstance(v, list)}

    @staticmethod
    def _json(conn: Connection, key: str) -> dict[str, object]:
        stored = get_meta(conn, key)
        data = json.loads(stored) if stored else {}
        return data if isinstance(data, dict) else {}

    def note(self, event: str, peer: str = "", detail: str = "") -> None:
        """Write one line to the sync journal."""
        with (translating_db_errors(), self.db.writing_clinical(),
              self.db.write_engine.begin() as conn):
            journal(conn, event, peer, detail)

    def retry_kept(self) -> int:
        """Apply the entries kept earlier that this program can apply now (after an
        upgrade, say); how many were applied. Called when sync starts."""
        applied = 0
        for stream in self.streams:
            with (translating_db_errors(), self.db.writing_clinical(),
                  self.db.write_engine.begin() as conn):
                applier = Applier(conn, STREAMS[stream], get_meta(conn, "node_id") or "",
                                  self._known)
                applier.retry_deferred({})
                if applier.result.retried:
                    journal(conn, "batch", "", f"{stream}: {applier.result.retried} kept "
                            "before now applied")
                applied += applier.result.retried
        return applied

    def settle_conflicts(self) -> int:
        """Mark settled the open conflicts a write made here settled (``app.sync.settle``);
        how many. Nothing is written while no conflict is open."""
        with self._reading() as conn:
            if not any(conn.execute(select(STREAMS[name].conflicts.id).where(
                    STREAMS[name].conflicts.resolved_at.is_(None)).limit(1)).first()
                       for name in self.streams):
                return 0
        with (translating_db_errors(), self.db.writing_clinical(),
              self.db.write_engine.begin() as conn):
            return settle(conn, self.streams)

    def remember_peer(self, name: str, facts: Mapping[str, object]) -> None:
        """Keep what serve knows of a peer (last seen, last sync, its vectors)."""
        with (translating_db_errors(), self.db.writing_clinical(),
              self.db.write_engine.begin() as conn):
            self._remember(conn, name, facts)

    def _remember(self, conn: Connection, name: str, facts: Mapping[str, object]) -> None:
        peers = self._json(conn, PEERS_KEY)
        known = peers.get(name)
        peers[name] = (dict(known) if isinstance(known, dict) else {}) | dict(facts)
        set_meta(conn, PEERS_KEY, json.dumps(peers, sort_keys=True, default=str))

    def status(self) -> Status:
        """Vectors, conflicts, entries kept, forks, peers, clocks."""
        with self._reading() as conn:
            conflicts = int(conn.execute(select(func.count()).select_from(SyncConflict)
                                         .where(SyncConflict.resolved_at.is_(None))).scalar_one())
            if self.db.clinical:
                conflicts += int(conn.execute(
                    select(func.count()).select_from(STREAMS[CLINICAL].conflicts)
                    .where(STREAMS[CLINICAL].conflicts.resolved_at.is_(None))).scalar_one())
            deferred = int(conn.execute(select(func.count()).select_from(SyncDeferred)
                                        ).scalar_one())
            peers = {k: dict(v) for k, v in self._json(conn, PEERS_KEY).items()
                     if isinstance(v, dict)}
            ahead = {k: int(v) for k, v in self._json(conn, AHEAD_KEY).items()
                     if isinstance(v, int)}
            alarms = tuple(conn.execute(
                select(SyncJournalEvent.detail).where(
                    SyncJournalEvent.event == "audit.tail-missing")
                .group_by(SyncJournalEvent.detail)
                .order_by(func.min(SyncJournalEvent.seq))).scalars())
            return Status(get_meta(conn, "node_id") or "",
                          {n: vector(conn, STREAMS[n]) for n in self.streams},
                          conflicts, deferred, self._forked(conn), peers, ahead, alarms)

    def conflicts(self, limit: int = 100) -> list[ConflictLine]:
        """The conflicts not reconciled yet, newest first (the clinical ones when held)."""
        tables = [STREAMS[name].conflicts for name in self.streams]
        found: list[ConflictLine] = []
        with self._reading() as conn:
            for table in tables:
                found.extend(ConflictLine(*row) for row in conn.execute(
                    select(table.detected_at, table.kind, table.entity, table.entity_id,
                           table.patient_id, table.detail, table.id)
                    .where(table.resolved_at.is_(None))
                    .order_by(table.detected_at.desc()).limit(limit)).all())
        return sorted(found, key=lambda c: c.detected_at, reverse=True)[:limit]

    def journal_lines(self, limit: int | None = 50,
                      events: Sequence[str] = ()) -> list[JournalLine]:
        """The newest lines of the sync journal, newest first (``limit`` None: all;
        ``events``: only lines of these events)."""
        query = select(SyncJournalEvent.at, SyncJournalEvent.event, SyncJournalEvent.peer,
                       SyncJournalEvent.detail).order_by(SyncJournalEvent.seq.desc())
        if events:
            query = query.where(SyncJournalEvent.event.in_(events))
        with self._reading() as conn:
            rows = conn.execute(query.limit(limit)).all()
        return [JournalLine(*row) for row in rows]

    def digests(self) -> tuple[str, str | None]:
        """The content digests of the record file and (when held) the clinical file."""
        with self._reading() as conn:
            main = content_digest(conn, "main")
            clinical = content_digest(conn, CLINICAL_SCHEMA) if self.db.clinical else None
            return main, clinical
