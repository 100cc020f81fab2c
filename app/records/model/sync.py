"""What center sync keeps beside the record: paired workstations, its journal, conflicts.

``workstation`` is shared data (every peer must know who is paired and who is revoked),
so its rows travel in the change log like any other. The journal, the conflicts found on
apply and the entries kept but not applied yet are this workstation's own view of sync
and are not replicated (each peer writes its own, about what it did).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.records.model.base import Base, UTCDateTime, id_column


class Workstation(Base):
    """A workstation paired to the center (its certificate's fingerprint), or revoked."""

    __tablename__ = "workstation"

    id: Mapped[str] = id_column()
    name: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[str] = mapped_column(String(20))  # "full" or "front-desk"
    fingerprint: Mapped[str] = mapped_column(String(100))
    paired_at: Mapped[datetime] = mapped_column(UTCDateTime)
    paired_by: Mapped[str] = mapped_column(String(60))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # The revocation signed with the center CA's key (JSON), checked by every peer.
    revocation: Mapped[str | None] = mapped_column(Text, default=None)


class SyncJournalEvent(Base):
    """One thing sync did or decided on this workstation, for the admin to read."""

    __tablename__ = "sync_journal"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    event: Mapped[str] = mapped_column(String(40))
    peer: Mapped[str] = mapped_column(String(80), default="")
    detail: Mapped[str] = mapped_column(Text, default="")


class SyncDeferred(Base):
    """A change-log entry kept and forwarded but not applied yet (newer schema, blob)."""

    __tablename__ = "sync_deferred"

    stream: Mapped[str] = mapped_column(String(10), primary_key=True)
    origin: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    reason: Mapped[str] = mapped_column(String(40))


class PeerAuditEvent(Base):
    """An audit event of another workstation, held so that the patient's access list
    covers the whole center and each chain is anchored on the other workstations: one
    hash chain per origin, each row checked against the one before it on arrival."""

    __tablename__ = "peer_audit_event"
    __table_args__ = (Index("ix_peer_audit_patient", "patient_id"),)

    origin: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    id: Mapped[str] = mapped_column(String(36))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[str | None] = mapped_column(String(36))
    username: Mapped[str] = mapped_column(String(60))
    workstation: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str | None] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(36))
    patient_id: Mapped[str | None] = mapped_column(String(36))
    detail: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class _ConflictColumns:
    """Two writes that no rule may settle alone: both kept, listed for a person."""

    id: Mapped[str] = id_column()
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(30))  # demographics, amendment, booking, unique
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(36))
    patient_id: Mapped[str | None] = mapped_column(String(36), default=None)
    entries: Mapped[str] = mapped_column(Text)  # JSON [[origin, seq], ...]
    detail: Mapped[str] = mapped_column(Text)  # JSON: the values kept on each side
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    resolved_by: Mapped[str | None] = mapped_column(String(60), default=None)


class SyncConflict(_ConflictColumns, Base):
    """A conflict about shared, non-clinical data (demographics, agenda)."""

    __tablename__ = "sync_conflict"


class ClinicalSyncConflict(_ConflictColumns, Base):
    """A conflict about clinical content: kept in the clinical file, under its key."""

    __tablename__ = "clinical_sync_conflict"
