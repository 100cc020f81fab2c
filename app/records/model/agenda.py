"""The center's multi-doctor agenda."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.records.model.base import Base, UTCDateTime, id_column


class Appointment(Base):
    """A booked slot: clinician, patient, time, type and status.

    What the front desk needs (``desk_note``) is kept here; why the patient comes is
    clinical content and lives in the clinical file (``AppointmentNote``).
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
    created_by: Mapped[str] = mapped_column(String(36))
    desk_note: Mapped[str | None] = mapped_column(String(200), default=None)


class AppointmentNote(Base):
    """Why the patient comes, kept in the clinical file (clinical roles only).

    ``note`` is the single free text of records before schema 0005, moved here by the
    clinical split since it may hold a clinical reason; it is shown as a reason.
    """

    __tablename__ = "appointment_note"

    appointment_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    patient_id: Mapped[str | None] = mapped_column(String(36), default=None, index=True)
    note: Mapped[str | None] = mapped_column(String(200), default=None)
    clinical_reason: Mapped[str | None] = mapped_column(Text, default=None)
