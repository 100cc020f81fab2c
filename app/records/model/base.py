"""Declarative base, common column types and the immutable clinical-entry mixin."""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Integer, String, Text, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from app.core.clock import new_id


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as naive UTC and returns them aware (UTC)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:  # noqa: ARG002
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: use app.core.clock.utc_now()")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:  # noqa: ARG002
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], Any]:
        """One flat function per value: a heavy chart reads tens of thousands of these."""
        parse = self.impl_instance.result_processor(dialect, coltype)
        utc = UTC

        if parse is None:

            def aware(value: Any) -> Any:
                return None if value is None else value.replace(tzinfo=utc)

            return aware

        parse_value: Callable[[Any], Any] = parse

        def parse_aware(value: Any) -> Any:
            return None if value is None else parse_value(value).replace(tzinfo=utc)

        return parse_aware


class Base(DeclarativeBase):
    """Root of every table."""


def id_column() -> Mapped[str]:
    """A UUIDv7 primary key stored as its canonical text."""
    return mapped_column(String(36), primary_key=True, default=new_id)


class EntryStatus(enum.StrEnum):
    """Life cycle of a clinical entry."""

    DRAFT = "draft"
    SIGNED = "signed"
    ENTERED_IN_ERROR = "entered-in-error"


class ClinicalEntry:
    """Columns shared by every clinical entry.

    An entry is a chain of versions sharing ``lineage_id``; ``version`` counts up.
    A signed row is never updated (a database trigger enforces it): a correction is
    a new row with ``version + 1``, ``supersedes_id`` and a ``correction_reason``;
    "entered in error" is such a new version whose status says so.
    """

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    lineage_id: Mapped[str] = mapped_column(String(36), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    supersedes_id: Mapped[str | None] = mapped_column(String(36), default=None)
    correction_reason: Mapped[str | None] = mapped_column(Text, default=None)
    status: Mapped[str] = mapped_column(String(20), default=EntryStatus.SIGNED.value)
    # Oscuramento: hidden from everybody but the author, without a trace.
    hidden: Mapped[bool] = mapped_column(default=False)
    author_id: Mapped[str] = mapped_column(String(36))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    @declared_attr
    def patient_id(cls) -> Mapped[str]:  # noqa: N805 - SQLAlchemy declared_attr
        # The patient lives in the record file, the entry in the clinical file: SQLite
        # cannot enforce a foreign key across files (ADR 0011), the services check it.
        return mapped_column(String(36), index=True)
