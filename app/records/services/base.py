"""What every service shares: the unlocked record, the actor, the one write path, the guard."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from app.core.errors import AccessDenied
from app.core.formats import role_msgid
from app.records import kinds
from app.records.changes import ChangeFeed, Changes, Origin
from app.records.journal import Actor, append_audit, append_change
from app.records.permissions import CLINICAL, ROLE_PERMISSIONS, Permission
from app.records.storage.anchor import Head, read_head, write_anchor
from app.records.storage.center import Database
from app.records.storage.clinical import ClinicalAccessPending
from app.records.storage.sqlerrors import translating_db_errors

# Runs an audit write later, on whatever thread owns writes (the UI's writer lane).
AuditScheduler = Callable[[Callable[[], None]], None]


@dataclass(frozen=True)
class AuditNote:
    """One audit event that changes no data (a read, a login, a refusal)."""

    action: str
    entity: str | None = None
    entity_id: str | None = None
    patient_id: str | None = None
    detail: str = ""


@dataclass
class RecordContext:
    """The unlocked record as one user sees it; shared by every service of a ``Records``."""

    db: Database
    actor: Actor
    feed: ChangeFeed = field(default_factory=ChangeFeed)
    # None: audit reads at once, in their own transaction. Set by the UI so that a read
    # never waits for the write lock: the audit event goes to the writer lane instead.
    schedule_audit: AuditScheduler | None = None


class WriteBatch:
    """The writes of one transaction: each appends its audit event and change-log entry."""

    def __init__(self, conn: Connection, actor: Actor) -> None:
        self.conn = conn
        self._actor = actor
        self._kinds: set[str] = set()
        self._patients: set[str] = set()

    def record(
        self,
        kind: str,
        entity_id: str,
        op: str,
        payload: Mapping[str, Any],
        *,
        patient_id: str | None,
        action: str | None = None,
        detail: str = "",
    ) -> None:
        """Log one written row: audit event, change-log entry (if the kind is logged)."""
        spec = kinds.kind(kind)
        self.audit(action or f"{kind}.{op}", entity=kind, entity_id=entity_id,
                   patient_id=patient_id, detail=detail)
        if spec.logged:
            append_change(self.conn, kind, entity_id, op, payload)
        self._kinds.add(kind)
        if patient_id is not None:
            self._patients.add(patient_id)

    def audit(
        self,
        action: str,
        *,
        entity: str | None = None,
        entity_id: str | None = None,
        patient_id: str | None = None,
        detail: str = "",
    ) -> None:
        """An audit event in this transaction that changes no data (key edits, refusals)."""
        append_audit(self.conn, self._actor, action, entity=entity, entity_id=entity_id,
                     patient_id=patient_id, detail=detail)

    def changes(self, origin: Origin) -> Changes:
        """What this transaction changed."""
        return Changes(frozenset(self._kinds), frozenset(self._patients), frozenset({origin}))


class Service:
    """Base of the service facade: one per feature, all sharing one record context."""

    origin = Origin.LOCAL

    def __init__(self, context: RecordContext) -> None:
        self._context = context
        self._db = context.db
        self._actor = context.actor

    @property
    def actor(self) -> Actor:
        """Who is acting."""
        return self._actor

    def _authorize(self, permission: Permission, action: str) -> None:
        if permission in ROLE_PERMISSIONS.get(self._actor.role, frozenset()):
            if permission in CLINICAL and not self._db.clinical:
                # A clinical role without the clinical key (not granted yet, or reset).
                raise ClinicalAccessPending()
            return
        # A refused attempt is itself worth auditing (who tried what).
        self._audit(AuditNote("access.denied", detail=action))
        # The role's msgid ("GP"), translated when the message is shown (user_message).
        raise AccessDenied(role=role_msgid(self._actor.role), action=action)

    @contextmanager
    def _writing(self) -> Iterator[WriteBatch]:
        """The one write path: a transaction whose writes are audited and logged together.

        The ``Changes`` of the batch reach the record's feed once the transaction commits.
        """
        with self._write() as conn:
            batch = WriteBatch(conn, self._actor)
            yield batch
            head = read_head(conn)
        self._anchor(head)
        self._context.feed.publish(batch.changes(self.origin))

    def _anchor(self, head: Head) -> None:
        """The write committed: move the anchor outside the database to its head."""
        write_anchor(self._db.paths.root, self._db.db_key, head)

    def _audit(self, note: AuditNote) -> None:
        """Audit something that changes no data, now or on the writer lane."""

        def write() -> None:
            with self._write() as conn:
                append_audit(conn, self._actor, note.action, entity=note.entity,
                             entity_id=note.entity_id, patient_id=note.patient_id,
                             detail=note.detail)
                head = read_head(conn)
            self._anchor(head)

        schedule = self._context.schedule_audit
        if schedule is None:
            write()
        else:
            schedule(write)

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction (BEGIN IMMEDIATE); known SQLite failures become messages."""
        with (
            translating_db_errors(),
            self._db.writing_clinical(),
            self._db.write_engine.begin() as conn,
        ):
            yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        """A read-only snapshot on a reader connection (never waits for a writer)."""
        with translating_db_errors(), self._db.read_engine.connect() as conn, conn.begin():
            yield conn
