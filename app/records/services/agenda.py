"""The center's multi-doctor agenda (front desk and clinicians)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Select, insert, or_, select, update

from app.core.clock import new_id, utc_now
from app.core.errors import InvalidInput, NotFound, SlotTaken
from app.records.agenda_time import local_day, local_day_bounds, to_local
from app.records.model import Appointment, AppointmentNote, Closure, Patient, User
from app.records.permissions import ROLE_PERMISSIONS
from app.records.services.access import Permission, requires
from app.records.services.agenda_views import ClinicianView
from app.records.services.base import Service, WriteBatch
from app.records.services.views import AppointmentView

log = logging.getLogger(__name__)
AnySelect = Select[*tuple[Any, ...]]
STATUSES = ("booked", "arrived", "in-visit", "seen", "no-show", "cancelled")
CLINICIAN_ROLES = ("gp", "nurse")
# The longest appointment: also bounds the index range an overlap check reads.
MAX_MINUTES = 12 * 60
MAX_LENGTH = timedelta(minutes=MAX_MINUTES)
# Which statuses ``set_status`` reaches from which: (allowed from, refusal detail).
# Going back (to "booked", to "arrived") undoes a check-in, a no-show or a call by mistake.
_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "arrived": (frozenset({"booked", "in-visit"}),
                "only a booked appointment can be checked in"),
    "in-visit": (frozenset({"arrived"}), "only a patient in the waiting room can be called in"),
    "seen": (frozenset({"arrived", "in-visit"}),
             "only a patient who arrived can be marked as seen"),
    "no-show": (frozenset({"booked"}), "only a booked appointment can be marked as a no-show"),
    "booked": (frozenset({"arrived", "no-show"}), "only a check-in or a no-show can be undone"),
}
_CANCELLABLE = frozenset({"booked", "arrived"})
_MOVABLE = frozenset({"booked", "arrived"})
_RESIZABLE = frozenset({"booked", "arrived", "in-visit"})


def _view(row: Any, note: Any | None) -> AppointmentView:
    # Before schema 0005 the one free-text note could hold a clinical reason: it moved to
    # the clinical file with the reason, and is shown to clinical roles only, as a reason.
    reasons = [text for text in (note.clinical_reason, note.note) if text] if note else []
    name = f"{row.surname} {row.given_name}" if row.surname is not None else None
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
        patient_name=name,
        arrived_at=row.arrived_at,
        called_at=row.called_at,
        cancel_reason=row.cancel_reason,
    )


def _clock(at: datetime) -> str:
    return to_local(at).strftime("%H:%M")


def _clinician_name(conn: Connection, clinician_id: str) -> str:
    name = conn.execute(select(User.full_name).where(User.id == clinician_id)).scalar()
    return str(name) if name is not None else clinician_id


def busy_query(clinician_id: str, start: datetime, end: datetime) -> AnySelect:
    """The non-cancelled appointments of a clinician overlapping [start, end), by start.

    ``starts_at`` is bounded on both sides so the (clinician, start) index reads only the
    range, however long the clinician's history.
    """
    return select(Appointment.starts_at, Appointment.ends_at).where(
        Appointment.clinician_id == clinician_id,
        Appointment.starts_at < end,
        Appointment.starts_at > start - MAX_LENGTH,
        Appointment.ends_at > start,
        Appointment.status != "cancelled",
    ).order_by(Appointment.starts_at)


def _check_free(
    conn: Connection,
    clinician_id: str,
    starts: datetime,
    ends: datetime,
    ignore_id: str | None = None,
) -> None:
    """The records layer's rule: one (non-cancelled) appointment at a time per clinician.

    It runs inside the write transaction (BEGIN IMMEDIATE): two workstations booking one
    slot are serialised, and the second is refused here whatever its screen showed.
    """
    clash = conn.execute(
        busy_query(clinician_id, starts, ends)
        .where(Appointment.id != (ignore_id or ""))
        .limit(1)
    ).first()
    if clash is not None:
        raise SlotTaken(clinician=_clinician_name(conn, clinician_id),
                        starts=_clock(clash.starts_at), ends=_clock(clash.ends_at))


def closure_query(clinician_id: str, first: date, last: date) -> AnySelect:
    """The closures (the center's or the clinician's) touching local days [first, last]."""
    return select(Closure).where(
        or_(Closure.clinician_id.is_(None), Closure.clinician_id == clinician_id),
        Closure.starts_on <= last,
        Closure.ends_on >= first,
    ).order_by(Closure.starts_on)


def _check_open(conn: Connection, clinician_id: str, starts: datetime, ends: datetime) -> None:
    """No booking on a closure day of the center or of the clinician."""
    first, last = local_day(starts), local_day(ends - timedelta(microseconds=1))
    closed = conn.execute(closure_query(clinician_id, first, last).limit(1)).first()
    if closed is not None:
        day = max(first, closed.starts_on)
        raise InvalidInput("{clinician} cannot be booked on {day}: {closure}",
                           clinician=_clinician_name(conn, clinician_id),
                           day=day.strftime("%d/%m/%Y"), closure=closed.description)


def check_clinician(conn: Connection, clinician_id: str) -> None:
    """Only an active GP or nurse has an agenda (and a timetable, and closures)."""
    found = conn.execute(
        select(User.role, User.active).where(User.id == clinician_id)).first()
    if found is None:
        raise NotFound(what=f"clinician {clinician_id}")
    if found.role not in CLINICIAN_ROLES or not found.active:
        raise InvalidInput(detail="only an active GP or nurse has an agenda")


def _check_minutes(minutes: int) -> None:
    if minutes <= 0:
        raise InvalidInput(detail="an appointment must last at least one minute")
    if minutes > MAX_MINUTES:
        raise InvalidInput(detail="an appointment cannot last more than 12 hours")


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None:  # a bug in the caller, not a user's mistake
        raise ValueError("naive datetime: the agenda takes aware datetimes")
    return at


def _current(conn: Connection, appointment_id: str) -> Any:
    row = conn.execute(select(Appointment).where(Appointment.id == appointment_id)).first()
    if row is None:
        raise NotFound(what=f"appointment {appointment_id}")
    return row


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
        _check_minutes(minutes)
        if not kind.strip() or len(kind) > 30:
            raise InvalidInput(detail="a visit type is required (30 characters at most)")
        if note is not None and len(note) > 200:
            raise InvalidInput(detail="the desk note is too long (200 characters at most)")
        ends_at = _aware(starts_at) + timedelta(minutes=minutes)
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
            check_clinician(conn, clinician_id)
            if patient_id is not None and conn.execute(
                    select(Patient.id).where(Patient.id == patient_id)).first() is None:
                raise NotFound(what=f"patient {patient_id}")
            _check_open(conn, clinician_id, starts_at, ends_at)
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
        # Ids only (no patient data in the log); end-to-end tests wait on this line.
        log.info("appointment booked: %s", row["id"])
        return str(row["id"])

    @requires(Permission.WRITE_AGENDA)
    def move(self, appointment_id: str, starts_at: datetime,
             clinician_id: str | None = None) -> None:
        """Move an appointment, keeping its length, to another clinician if given."""
        with self._writing() as batch:
            conn = batch.conn
            current = _current(conn, appointment_id)
            if current.status not in _MOVABLE:
                raise InvalidInput(detail="only an appointment still to come can be moved")
            target = clinician_id or current.clinician_id
            if target != current.clinician_id:
                check_clinician(conn, target)
            ends_at = _aware(starts_at) + (current.ends_at - current.starts_at)
            _check_open(conn, target, starts_at, ends_at)
            _check_free(conn, target, starts_at, ends_at, ignore_id=appointment_id)
            changes: dict[str, Any] = {"starts_at": starts_at, "ends_at": ends_at}
            if target != current.clinician_id:
                changes["clinician_id"] = target
            self._update(batch, current, changes, "appointment.move")

    @requires(Permission.WRITE_AGENDA)
    def resize(self, appointment_id: str, minutes: int) -> None:
        """Lengthen or shorten an appointment (its start stays)."""
        _check_minutes(minutes)
        with self._writing() as batch:
            conn = batch.conn
            current = _current(conn, appointment_id)
            if current.status not in _RESIZABLE:
                raise InvalidInput(detail="a past or cancelled appointment cannot be resized")
            ends_at = current.starts_at + timedelta(minutes=minutes)
            _check_open(conn, current.clinician_id, current.starts_at, ends_at)
            _check_free(conn, current.clinician_id, current.starts_at, ends_at,
                        ignore_id=appointment_id)
            self._update(batch, current, {"ends_at": ends_at}, "appointment.resize")

    @requires(Permission.WRITE_AGENDA)
    def cancel(self, appointment_id: str, reason: str) -> None:
        """Cancel, saying why (the desk's reason, not clinical): the slot becomes free."""
        reason = (reason or "").strip()
        if not reason:
            raise InvalidInput(detail="a cancellation needs a reason")
        if len(reason) > 200:
            raise InvalidInput(detail="the reason is too long (200 characters at most)")
        with self._writing() as batch:
            current = _current(batch.conn, appointment_id)
            if current.status not in _CANCELLABLE:
                raise InvalidInput(detail="only an appointment not yet seen can be cancelled")
            self._update(batch, current, {"status": "cancelled", "cancel_reason": reason},
                         "appointment.cancel", detail="cancelled")

    @requires(Permission.WRITE_AGENDA)
    def check_in(self, appointment_id: str) -> None:
        """The patient arrived (booked -> arrived): into the waiting room."""
        self._set(appointment_id, "arrived", allowed=frozenset({"booked"}))

    @requires(Permission.WRITE_AGENDA)
    def call(self, appointment_id: str) -> None:
        """The clinician calls the patient in (arrived -> in-visit)."""
        self._set(appointment_id, "in-visit")

    @requires(Permission.WRITE_AGENDA)
    def set_status(self, appointment_id: str, status: str) -> None:
        """Arrived, in visit, seen, no-show, or back to booked; cancelling needs ``cancel``."""
        if status not in STATUSES:
            raise InvalidInput(detail=f"status must be one of {', '.join(STATUSES)}")
        if status == "cancelled":
            raise InvalidInput(detail="cancel the appointment with a reason")
        self._set(appointment_id, status)

    def _set(self, appointment_id: str, status: str,
             allowed: frozenset[str] | None = None) -> None:
        sources, refusal = _TRANSITIONS[status]
        with self._writing() as batch:
            current = _current(batch.conn, appointment_id)
            if current.status not in (allowed or sources):
                raise InvalidInput(detail=refusal)
            changes: dict[str, Any] = {"status": status}
            if status == "arrived" and current.status == "booked":
                changes["arrived_at"] = utc_now()
            elif status == "arrived":  # sent back to the waiting room
                changes["called_at"] = None
            elif status == "in-visit":
                changes["called_at"] = utc_now()
            elif status == "booked":  # a check-in or a no-show undone
                changes |= {"arrived_at": None, "called_at": None}
            self._update(batch, current, changes, "appointment.status", detail=status)

    def _update(self, batch: WriteBatch, current: Any, changes: Mapping[str, Any], action: str,
                detail: str = "") -> None:
        batch.conn.execute(
            update(Appointment).where(Appointment.id == current.id).values(**changes))
        batch.record("appointment", current.id, "update", changes,
                     patient_id=current.patient_id, action=action, detail=detail)

    @requires(Permission.READ_AGENDA)
    def day(self, day: date, clinician_id: str | None = None) -> list[AppointmentView]:
        """The appointments of one local (Europe/Rome) day, for one clinician or all."""
        start, end = local_day_bounds(day)
        return self._between(start, end, clinician_id)

    @requires(Permission.READ_AGENDA)
    def between(self, start: date, end: date,
                clinician_id: str | None = None) -> list[AppointmentView]:
        """The appointments of local days [start, end) (a week view), ordered by start."""
        return self._between(local_day_bounds(start)[0], local_day_bounds(end)[0],
                             clinician_id)

    @requires(Permission.READ_AGENDA)
    def for_patient(self, patient_id: str) -> list[AppointmentView]:
        """Every appointment of one patient, newest first."""
        query = _listing().where(Appointment.patient_id == patient_id)
        return self._views(query.order_by(Appointment.starts_at.desc()))

    @requires(Permission.READ_AGENDA)
    def waiting_room(self, day: date) -> list[AppointmentView]:
        """Who is waiting or in a visit on a local day, in order of arrival."""
        start, end = local_day_bounds(day)
        query = _listing().where(
            Appointment.starts_at >= start, Appointment.starts_at < end,
            Appointment.status.in_(("arrived", "in-visit")))
        found = self._views(query.order_by(Appointment.starts_at))
        return sorted(found, key=lambda a: (a.arrived_at or a.starts_at, a.starts_at))

    @requires(Permission.READ_AGENDA)
    def clinicians(self) -> list[ClinicianView]:
        """The active GPs and nurses, by full name."""
        query = select(User.id, User.username, User.full_name, User.role).where(
            User.active.is_(True), User.role.in_(CLINICIAN_ROLES)).order_by(User.full_name)
        with self._read() as conn:
            rows = conn.execute(query).all()
        return [ClinicianView(row.id, row.username, row.full_name, row.role) for row in rows]

    def _between(self, start: datetime, end: datetime,
                 clinician_id: str | None) -> list[AppointmentView]:
        query = _listing().where(Appointment.starts_at >= start, Appointment.starts_at < end)
        if clinician_id is not None:
            query = query.where(Appointment.clinician_id == clinician_id)
        return self._views(query.order_by(Appointment.starts_at, Appointment.clinician_id))

    def _views(self, query: AnySelect) -> list[AppointmentView]:
        with self._read() as conn:
            rows = conn.execute(query).all()
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


def _listing() -> AnySelect:
    """Appointments with their patient's name (the agenda's cells)."""
    return select(Appointment, Patient.surname, Patient.given_name).outerjoin(
        Patient, Patient.id == Appointment.patient_id)
