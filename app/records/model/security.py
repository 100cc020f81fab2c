"""Users, roles, the hash-chained audit trail, the change log and metadata."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from app.records.log_codec import PackedText
from app.records.model.base import Base, UTCDateTime, id_column


class Role(Base):
    """A role: gp, nurse, secretary, admin."""

    __tablename__ = "role"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    description: Mapped[str] = mapped_column(String(120))


class User(Base):
    """A member of staff who can log in."""

    __tablename__ = "user"

    id: Mapped[str] = id_column()
    username: Mapped[str] = mapped_column(String(60), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(ForeignKey("role.name"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The user's entry of keys.json (JSON), so that it travels to the other workstations
    # with the row; None for users whose entry predates schema 0011 (ADR 0024).
    key_entry: Mapped[str | None] = mapped_column(Text, default=None)


class AuditEvent(Base):
    """One audited action; ``hash`` chains every row to the one before it."""

    __tablename__ = "audit_event"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[str | None] = mapped_column(String(36))
    username: Mapped[str] = mapped_column(String(60))
    workstation: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str | None] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(36))
    patient_id: Mapped[str | None] = mapped_column(String(36), index=True)
    detail: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class _ChangeColumns:
    """The columns of a change log (one in each file of the record).

    Sync folds every change of one row in clock order when a peer's change arrives
    (docs/decisions/0024-center-sync.md): hence the index on (entity, entity_id).
    """

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Index, ...]:  # noqa: N805 - SQLAlchemy declared_attr
        return (Index(f"ix_{cls.__tablename__}_entity", "entity", "entity_id"),)  # type: ignore[attr-defined]

    origin: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    hlc: Mapped[int] = mapped_column(Integer)
    schema_version: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(36))
    op: Mapped[str] = mapped_column(String(10))
    payload: Mapped[str] = mapped_column(PackedText)  # deflated (app.records.log_codec)
    hash: Mapped[str] = mapped_column(String(64))


class ChangeLogEntry(_ChangeColumns, Base):
    """A change to shared data, identified by (origin node, origin sequence) for sync."""

    __tablename__ = "change_log"


class ClinicalChange(_ChangeColumns, Base):
    """A change to clinical content: the change log of the clinical file."""

    __tablename__ = "clinical_change"


class ClinicalMeta(Base):
    """Key-value facts about the clinical file (which record it belongs to)."""

    __tablename__ = "clinical_meta"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Meta(Base):
    """Key-value facts about this record (center name, node id, schema and program version)."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
