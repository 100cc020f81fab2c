"""The center's multi-doctor agenda (front desk and clinicians)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, update

from app.core.clock import new_id
from app.core.errors import InvalidInput, NotFound
from app.records.model import Appointment, AppointmentNote, User
from app.records.permissions import ROLE_PERMISSIONS
from app.records.services.access import Permission, requires
from app.records.services.base import Service
from app.records.services.views import AppointmentView

STATUSES = ("booked", "arrived", "seen", "no-show", "cancelled")


def _view(row: Any, note: Any | None) -> AppointmentView:
    # Before schema 0005 the one free-text note could hold a clinical reason: it moved to
    # the clinical file with the reason, and is shown to clinical roles only, as a reason.
    reasons = [text for text in (note.clinical_reason, note.note) if text] if note else []
    return AppointmentView(
        row.id,
        row.clinician_id,
        row.patient_id,
        row.starts_at,
        row.ends_at,
        row.kind,
        row.status,
        row.desk_note,
        " / ".join(reasons) if reasons else None,
    )


def _check_free(
    conn: Connection,
    clinician_id: str,
    starts: datetime,
    ends: datetime,
    ignore_id: str | None = None,
) -> None:
    clash = conn.execute(
        select(Appointment.id).where(
            Appointment.clinician_id == clinician_id,
            Appointment.status != "cancelled",
            Appointment.starts_at < ends,
            Appointment.ends_at > starts,
            Appointment.id != (ignore_id or ""),
        )
    ).first()
    if clash is not None:
        raise InvalidInput(detail="the clinician already has an appointment at that time")


class AgendaService(Service):
    """Book, move and check in appointments; no clinical content passes through here."""

    @requires(Permission.WRITE_AGENDA)
    def book(
        self,
        clinician_id: str,
        patient_id: str | None,
        starts_at: datetime,
        minutes: int = 15,
        *,
        kind: str = "visita",
        note: str | None = None,
        reason: str | None = None,
    ) -> str:
        """Book a slot (``note`` for the desk, ``reason`` clinical); no double booking."""
        if reason:  # only a clinician may write why the patient comes
            self._authorize(Permission.READ_CHART, "write an appointment's clinical reason")
        if minutes <= 0:
            raise InvalidInput(detail="an appointment must last at least one minute")
        ends_at = starts_at + timedelta(minutes=minutes)
        row: dict[str, Any] = {
            "id": new_id(),
            "clinician_id": clinician_id,
            "patient_id": patient_id,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "kind": kind,
            "status": "booked",
            "desk_note": note,
            "created_by": self._actor.username,
        }
        with self._writing() as batch:
            conn = batch.conn
            if conn.execute(select(User.id).where(User.id == clinician_id)).first() is None:
                raise NotFound(what=f"clinician {clinician_id}")
            _check_free(conn, clinician_id, starts_at, ends_at)
            conn.execute(insert(Appointment).values(**row))
            batch.record("appointment", row["id"], "create", row, patient_id=patient_id,
                         action="appointment.book")
            if reason:  # in the clinical file, with its own change-log entry
                reason_row = {"appointment_id": row["id"], "patient_id": patient_id,
                              "clinical_reason": reason}
                conn.execute(insert(AppointmentNote).values(**reason_row))
                batch.record("appointment_note", row["id"], "create", reason_row,
                             patient_id=patient_id, action="appointment.reason")
        return str(row["id"])

    @requires(Permission.WRITE_AGENDA)
    def move(self, appointment_id: str, starts_at: datetime) -> None:
        """Move an appointment, keeping its length."""
        with self._writing() as batch:
            conn = batch.conn
            current = conn.execute(
                select(Appointment).where(Appointment.id == appointment_id)
            ).first()
            if current is None:
                raise NotFound(what=f"appointment {appointment_id}")
            ends_at = starts_at + (current.ends_at - current.starts_at)
            _check_free(conn, current.clinician_id, starts_at, ends_at, ignore_id=appointment_id)
            changes = {"starts_at": starts_at, "ends_at": ends_at}
            conn.execute(
                update(Appointment).where(Appointment.id == appointment_id).values(**changes)
            )
            batch.record("appointment", appointment_id, "update", changes,
                         patient_id=current.patient_id, action="appointment.move")

    @requires(Permission.WRITE_AGENDA)
    def set_status(self, appointment_id: str, status: str) -> None:
        """Check in (arrived), seen, no-show or cancelled."""
        if status not in STATUSES:
            raise InvalidInput(detail=f"status must be one of {', '.join(STATUSES)}")
        with self._writing() as batch:
            conn = batch.conn
            patient_id = conn.execute(
                select(Appointment.patient_id).where(Appointment.id == appointment_id)
            ).first()
            if patient_id is None:
                raise NotFound(what=f"appointment {appointment_id}")
            conn.execute(
                update(Appointment).where(Appointment.id == appointment_id).values(status=status)
            )
            batch.record("appointment", appointment_id, "update", {"status": status},
                         patient_id=patient_id[0], action="appointment.status", detail=status)

    @requires(Permission.READ_AGENDA)
    def day(self, day: date, clinician_id: str | None = None) -> list[AppointmentView]:
        """The appointments of one day (UTC), for one clinician or all."""
        start = datetime.combine(day, time(0), tzinfo=UTC)
        query = select(Appointment).where(
            Appointment.starts_at >= start, Appointment.starts_at < start + timedelta(days=1)
        )
        if clinician_id is not None:
            query = query.where(Appointment.clinician_id == clinician_id)
        with self._read() as conn:
            rows = conn.execute(query.order_by(Appointment.starts_at)).all()
            notes = self._notes(conn, [row.id for row in rows])
        return [_view(row, notes.get(row.id)) for row in rows]

    def _notes(self, conn: Connection, ids: list[str]) -> dict[str, Any]:
        """The clinical notes of these appointments; none unless the clinical file is open."""
        clinical = Permission.READ_CHART in ROLE_PERMISSIONS.get(self._actor.role, frozenset())
        if not (clinical and self._db.clinical and ids):
            return {}
        found = conn.execute(
            select(AppointmentNote).where(AppointmentNote.appointment_id.in_(ids))
        ).all()
        return {row.appointment_id: row for row in found}
