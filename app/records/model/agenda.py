"""The center's multi-doctor agenda."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.records.model.base import Base, UTCDateTime, id_column


class Appointment(Base):
    """A booked slot: clinician, patient, time, type and status.

    What the front desk needs (``desk_note``) is kept apart from why the patient comes
    (``clinical_reason``), which only clinical roles read. ``note`` is the single free
    text of records before schema 0005: it may hold either, so it is shown as a reason.
    """

    __tablename__ = "appointment"
    __table_args__ = (Index("ix_appointment_clinician_start", "clinician_id", "starts_at"),)

    id: Mapped[str] = id_column()
    clinician_id: Mapped[str] = mapped_column(ForeignKey("user.id"))
    patient_id: Mapped[str | None] = mapped_column(ForeignKey("patient.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(30), default="visita")
    status: Mapped[str] = mapped_column(String(12), default="booked")
    note: Mapped[str | None] = mapped_column(String(200), default=None)
    created_by: Mapped[str] = mapped_column(String(36))
    desk_note: Mapped[str | None] = mapped_column(String(200), default=None)
    clinical_reason: Mapped[str | None] = mapped_column(Text, default=None)
