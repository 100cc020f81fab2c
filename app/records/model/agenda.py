"""The center's multi-doctor agenda."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
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
    arrived_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # Why the front desk cancelled (e.g. "il paziente ha telefonato"): not clinical.
    cancel_reason: Mapped[str | None] = mapped_column(String(200), default=None)


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


class WorkSchedule(Base):
    """When a clinician sees patients: one span of one weekday (several per day allowed).

    Times are local wall-clock times ("08:30") in the center's time zone; the span is
    cut into slots of ``slot_minutes``. ``valid_from``/``valid_to`` bound a timetable
    (e.g. a summer timetable), both inclusive, either open.
    """

    __tablename__ = "work_schedule"
    __table_args__ = (Index("ix_work_schedule_clinician", "clinician_id", "weekday"),)

    id: Mapped[str] = id_column()
    clinician_id: Mapped[str] = mapped_column(ForeignKey("user.id"))
    weekday: Mapped[int] = mapped_column()  # 0 Monday ... 6 Sunday
    starts: Mapped[str] = mapped_column(String(5))  # "HH:MM", local time
    ends: Mapped[str] = mapped_column(String(5))
    slot_minutes: Mapped[int] = mapped_column(default=15)
    valid_from: Mapped[date | None] = mapped_column(Date, default=None)
    valid_to: Mapped[date | None] = mapped_column(Date, default=None)


class VisitType(Base):
    """A kind of appointment the center books, with its usual length."""

    __tablename__ = "visit_type"

    id: Mapped[str] = id_column()
    code: Mapped[str] = mapped_column(String(30), unique=True)  # Appointment.kind
    label: Mapped[str] = mapped_column(String(80))  # as the center names it (Italian)
    minutes: Mapped[int] = mapped_column()
    role: Mapped[str | None] = mapped_column(String(20), default=None)  # gp/nurse/None: any
    active: Mapped[bool] = mapped_column(default=True)


class Closure(Base):
    """Days nobody (``clinician_id`` None) or one clinician can be booked: holidays, leave."""

    __tablename__ = "closure"

    id: Mapped[str] = id_column()
    clinician_id: Mapped[str | None] = mapped_column(ForeignKey("user.id"), default=None)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)  # inclusive
    description: Mapped[str] = mapped_column(String(120))


class CenterSetting(Base):
    """One setting of the center chosen by its admin (e.g. the minutes before a lock)."""

    __tablename__ = "center_setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(60))
