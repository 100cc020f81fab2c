"""The results inbox: what devices sent, kept until a clinician accepts or rejects it.

Clinical content (a result names a patient and a value): it lives in the clinical file.
A message is kept with its raw bytes exactly as received; each of its results is one
row that becomes an observation only when a clinician accepts it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.records.model.base import Base, UTCDateTime, id_column


class DeviceMessageRow(Base):
    """One complete message from a device or an imported file, with its raw bytes."""

    __tablename__ = "device_message"

    id: Mapped[str] = id_column()
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    driver: Mapped[str] = mapped_column(String(20))
    device: Mapped[str] = mapped_column(String(120), default="")
    workstation: Mapped[str] = mapped_column(String(60), default="")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    patient_identifier: Mapped[str] = mapped_column(String(60), default="")
    patient_name: Mapped[str] = mapped_column(String(120), default="")
    patient_birth: Mapped[str] = mapped_column(String(10), default="")
    comments: Mapped[str] = mapped_column(Text, default="")
    raw: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    attachment_name: Mapped[str | None] = mapped_column(String(80), default=None)
    attachment: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True, default=None)


class DeviceResultRow(Base):
    """One result of a message: pending, accepted (an observation) or rejected."""

    __tablename__ = "device_result"
    __table_args__ = (Index("ix_device_result_state", "state", "message_id"),)

    id: Mapped[str] = id_column()
    message_id: Mapped[str] = mapped_column(String(36), index=True)
    patient_id: Mapped[str | None] = mapped_column(String(36), default=None, index=True)
    matched_by: Mapped[str | None] = mapped_column(String(20), default=None)
    code: Mapped[str] = mapped_column(String(40))
    code_system: Mapped[str] = mapped_column(String(40), default="LOINC")
    display: Mapped[str] = mapped_column(String(120), default="")
    value_num: Mapped[float | None] = mapped_column(Float, default=None)
    value_text: Mapped[str | None] = mapped_column(String(200), default=None)
    unit: Mapped[str | None] = mapped_column(String(20), default=None)
    abnormal: Mapped[str] = mapped_column(String(10), default="")
    reference_range: Mapped[str] = mapped_column(String(60), default="")
    result_status: Mapped[str] = mapped_column(String(12), default="final")
    observed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    state: Mapped[str] = mapped_column(String(10), default="pending")
    decided_by: Mapped[str | None] = mapped_column(String(36), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    entry_id: Mapped[str | None] = mapped_column(String(36), default=None)
