"""Operations of the center's agenda and waiting room, run on the records worker.

Reads (a day, a week, the waiting room, a patient's appointments, the first free slot,
the day list to print) run on the READ lane; bookings and status changes are writes on
the writer lane, whose Changes (kind "appointment") the executor broadcasts. The
records layer refuses overlaps and closures inside its write transaction: the UI never
decides that a slot is free.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import ClassVar

from app.core.clock import utc_now
from app.records.services import Records
from app.records.services.agenda_views import (
    ClinicianView,
    ClosureView,
    ScheduleSpan,
    Slot,
    VisitTypeView,
)
from app.records.services.views import AppointmentView
from app.ui.lanes import Backend, Lane

WEEK_DAYS = 6  # Monday to Saturday


@dataclass(frozen=True)
class ColumnData:
    """One clinician on one day: the timetable that applies and any closure."""

    clinician: ClinicianView
    day: date
    spans: tuple[ScheduleSpan, ...]
    closure: str | None


@dataclass(frozen=True)
class AgendaData:
    """What the grid shows: its columns and their appointments (cancelled ones too)."""

    start: date
    days: int
    clinicians: tuple[ClinicianView, ...]
    visit_types: tuple[VisitTypeView, ...]
    columns: tuple[ColumnData, ...]
    appointments: tuple[AppointmentView, ...]


def spans_on(spans: list[ScheduleSpan], day: date) -> tuple[ScheduleSpan, ...]:
    """The spans of a timetable that apply on ``day`` (weekday and validity)."""
    return tuple(s for s in spans if s.applies_on(day))


def closure_on(closures: list[ClosureView], clinician_id: str, day: date) -> str | None:
    """Why nobody books ``clinician_id`` on ``day`` (whole-center or own closure), if so."""
    return next((c.description for c in closures if c.covers(day, clinician_id)), None)


def _agenda(records: Records, start: date, days: int,
            clinician_id: str | None) -> AgendaData:
    clinicians = tuple(records.agenda.clinicians())
    shown = [c for c in clinicians if clinician_id in (None, c.id)]
    end = start + timedelta(days=days)
    closures = records.schedules.closures(start, end)
    columns: list[ColumnData] = []
    for clinician in shown:
        timetable = records.schedules.timetable(clinician.id)
        for offset in range(days):
            day = start + timedelta(days=offset)
            columns.append(ColumnData(clinician, day, spans_on(timetable, day),
                                      closure_on(closures, clinician.id, day)))
    if days == 1:
        appointments = records.agenda.day(start, clinician_id)
    else:
        appointments = records.agenda.between(start, end, clinician_id)
    return AgendaData(start, days, clinicians, tuple(records.schedules.visit_types()),
                      tuple(columns), tuple(appointments))


@dataclass(frozen=True)
class LoadDay:
    """Every active GP and nurse on one day."""

    day: date
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> AgendaData:
        return _agenda(backend.require(), self.day, 1, None)


@dataclass(frozen=True)
class LoadWeek:
    """One clinician from Monday to Saturday of the week holding ``day``."""

    clinician_id: str
    day: date
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> AgendaData:
        monday = self.day - timedelta(days=self.day.weekday())
        return _agenda(backend.require(), monday, WEEK_DAYS, self.clinician_id)


@dataclass(frozen=True)
class BookAppointment:
    """Book a patient; the records layer refuses an overlap or a closed day."""

    clinician_id: str
    patient_id: str
    starts_at: datetime
    minutes: int
    kind: str
    note: str | None = None
    reason: str | None = None

    def __call__(self, backend: Backend) -> str:
        return backend.require().agenda.book(
            self.clinician_id, self.patient_id, self.starts_at, self.minutes,
            kind=self.kind, note=self.note, reason=self.reason)


@dataclass(frozen=True)
class MoveAppointment:
    """Move an appointment (keeping its length), to another clinician if given."""

    appointment_id: str
    starts_at: datetime
    clinician_id: str | None = None

    def __call__(self, backend: Backend) -> None:
        backend.require().agenda.move(self.appointment_id, self.starts_at, self.clinician_id)


@dataclass(frozen=True)
class ResizeAppointment:
    """Lengthen or shorten an appointment."""

    appointment_id: str
    minutes: int

    def __call__(self, backend: Backend) -> None:
        backend.require().agenda.resize(self.appointment_id, self.minutes)


@dataclass(frozen=True)
class CancelAppointment:
    """Cancel, with the reason the front desk gives."""

    appointment_id: str
    reason: str

    def __call__(self, backend: Backend) -> None:
        backend.require().agenda.cancel(self.appointment_id, self.reason)


@dataclass(frozen=True)
class ChangeStatus:
    """Arrived (check-in), in visit (called), seen or no-show."""

    appointment_id: str
    status: str

    def __call__(self, backend: Backend) -> None:
        agenda = backend.require().agenda
        if self.status == "arrived":
            agenda.check_in(self.appointment_id)
        elif self.status == "in-visit":
            agenda.call(self.appointment_id)
        else:
            agenda.set_status(self.appointment_id, self.status)


@dataclass(frozen=True)
class FindFirstFree:
    """The first slot long enough for a visit type, from ``after`` on."""

    clinician_id: str
    kind: str
    after: datetime
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> Slot | None:
        return backend.require().schedules.first_free(self.clinician_id, self.kind, self.after)


@dataclass(frozen=True)
class PatientAgenda:
    """A patient's appointments split into upcoming and past (newest past first)."""

    patient_id: str
    upcoming: tuple[AppointmentView, ...]
    past: tuple[AppointmentView, ...]
    clinicians: dict[str, str]  # clinician id -> full name
    labels: dict[str, str]  # visit type code -> label


@dataclass(frozen=True)
class LoadPatientAgenda:
    """Every appointment of one patient."""

    patient_id: str
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> PatientAgenda:
        records = backend.require()
        now = utc_now()
        found = records.agenda.for_patient(self.patient_id)
        upcoming = sorted((a for a in found if a.ends_at > now), key=lambda a: a.starts_at)
        past = sorted((a for a in found if a.ends_at <= now), key=lambda a: a.starts_at,
                      reverse=True)
        names = {c.id: c.full_name for c in records.agenda.clinicians()}
        labels = {v.code: v.label for v in records.schedules.visit_types()}
        return PatientAgenda(self.patient_id, tuple(upcoming), tuple(past), names, labels)


@dataclass(frozen=True)
class WaitingRoomData:
    """Today's arrivals (arrived or in visit, by arrival) and the bookings still to come."""

    day: date
    clinicians: tuple[ClinicianView, ...]
    waiting: tuple[AppointmentView, ...]
    expected: tuple[AppointmentView, ...]
    labels: dict[str, str]  # visit type code -> label


@dataclass(frozen=True)
class LoadWaitingRoom:
    """The waiting room of one day."""

    day: date
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> WaitingRoomData:
        records = backend.require()
        agenda = records.agenda
        waiting = agenda.waiting_room(self.day)
        expected = [a for a in agenda.day(self.day) if a.status == "booked"]
        labels = {v.code: v.label for v in records.schedules.visit_types()}
        return WaitingRoomData(self.day, tuple(agenda.clinicians()), tuple(waiting),
                               tuple(expected), labels)


@dataclass(frozen=True)
class CallNext:
    """A clinician calls the next arrived patient of their own list in; None if nobody waits."""

    clinician_id: str
    day: date

    def __call__(self, backend: Backend) -> AppointmentView | None:
        agenda = backend.require().agenda
        arrived = [a for a in agenda.waiting_room(self.day)
                   if a.clinician_id == self.clinician_id and a.status == "arrived"]
        if not arrived:
            return None
        agenda.call(arrived[0].id)
        return arrived[0]


@dataclass(frozen=True)
class DayListRow:
    """One line of a printed day list."""

    starts_at: datetime
    patient: str
    age: int | None
    visit_type: str
    note: str
    phone: str


@dataclass(frozen=True)
class DayListSection:
    """One clinician's page of the day list."""

    clinician: ClinicianView
    rows: tuple[DayListRow, ...]


@dataclass(frozen=True)
class DayList:
    """The day list to print: one section per clinician."""

    day: date
    sections: tuple[DayListSection, ...]


def _phones(fields: dict[str, object]) -> str:
    return ", ".join(str(fields[k]) for k in ("phone", "mobile") if fields.get(k))


@dataclass(frozen=True)
class LoadDayList:
    """The appointments of a day (not cancelled) per clinician, with age and phone.

    Reading each patient's anagrafica is audited by the records layer: printing a list
    of names and phone numbers is a read of personal data like any other.
    """

    day: date
    clinician_ids: tuple[str, ...]
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> DayList:
        records = backend.require()
        labels = {v.code: v.label for v in records.schedules.visit_types()}
        clinicians = {c.id: c for c in records.agenda.clinicians()}
        details: dict[str, tuple[int | None, str]] = {}
        sections: list[DayListSection] = []
        for clinician_id in self.clinician_ids:
            rows: list[DayListRow] = []
            for item in records.agenda.day(self.day, clinician_id):
                if item.status == "cancelled":
                    continue
                if item.patient_id and item.patient_id not in details:
                    found = records.patients.get(item.patient_id)
                    details[item.patient_id] = (found.summary.age(self.day),
                                                _phones(found.fields))
                age, phone = details.get(item.patient_id or "", (None, ""))
                rows.append(DayListRow(item.starts_at, item.patient_name or "", age,
                                       labels.get(item.kind, item.kind), item.note or "", phone))
            sections.append(DayListSection(clinicians[clinician_id], tuple(rows)))
        return DayList(self.day, tuple(sections))
