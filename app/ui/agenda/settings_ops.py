"""Operations of the agenda's frame: timetables, visit types and closures.

The dialog only gathers what the front desk typed; every rule (a span ending before it
starts, two spans of one day overlapping, a visit of no minutes, a closure ending before
it starts) is the records layer's, which refuses the write. Each write reads back what
the record now holds, so the dialog shows the stored frame, not what it sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import ClassVar

from app.core.errors import MedireteError
from app.records.agenda_time import local_today
from app.records.services import Records
from app.records.services.agenda_views import (
    ClinicianView,
    ClosureView,
    ScheduleSpan,
    VisitTypeView,
)
from app.ui.lanes import Backend, Lane

CLOSURE_DAYS = 366  # the closures listed: today and the next twelve months


def closure_window(today: date | None = None) -> tuple[date, date]:
    """The local days [start, end) whose closures the dialog lists."""
    start = today or local_today()
    return start, start + timedelta(days=CLOSURE_DAYS)


def _closures(records: Records) -> tuple[ClosureView, ...]:
    return tuple(records.schedules.closures(*closure_window()))


@dataclass(frozen=True)
class AgendaFrame:
    """What the dialog shows: every clinician's timetable, the visit types, the closures."""

    clinicians: tuple[ClinicianView, ...]
    timetables: dict[str, tuple[ScheduleSpan, ...]]  # clinician id -> spans
    visit_types: tuple[VisitTypeView, ...]
    closures: tuple[ClosureView, ...]


@dataclass(frozen=True)
class LoadAgendaFrame:
    """The active GPs and nurses with their timetables, the visit types, the closures."""

    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> AgendaFrame:
        records = backend.require()
        clinicians = tuple(records.agenda.clinicians())
        timetables = {c.id: tuple(records.schedules.timetable(c.id)) for c in clinicians}
        return AgendaFrame(clinicians, timetables, tuple(records.schedules.visit_types()),
                           _closures(records))


@dataclass(frozen=True)
class SaveTimetable:
    """Replace a clinician's weekly timetable; returns it as stored."""

    clinician_id: str
    spans: tuple[ScheduleSpan, ...]

    def __call__(self, backend: Backend) -> tuple[ScheduleSpan, ...]:
        schedules = backend.require().schedules
        schedules.set_timetable(self.clinician_id, list(self.spans))
        return tuple(schedules.timetable(self.clinician_id))


@dataclass(frozen=True)
class VisitTypeEdit:
    """One visit type as typed: a new code, or a change to an existing one."""

    code: str
    label: str
    minutes: int
    role: str | None
    active: bool


@dataclass(frozen=True)
class VisitTypesSaved:
    """What a save of visit types did: the codes stored, the first one refused, if any."""

    saved: tuple[str, ...]
    visit_types: tuple[VisitTypeView, ...]
    refused: str | None = None  # the code of the row the record refused
    error: MedireteError | None = None


@dataclass(frozen=True)
class SaveVisitTypes:
    """Store each changed visit type in turn, stopping at the first the record refuses.

    The rows stored before it stay stored (each is its own write, broadcast as such);
    the refusal comes back as a result, so those writes still reach the other screens.
    """

    edits: tuple[VisitTypeEdit, ...]

    def __call__(self, backend: Backend) -> VisitTypesSaved:
        schedules = backend.require().schedules
        saved: list[str] = []
        for edit in self.edits:
            try:
                schedules.save_visit_type(edit.code, edit.label, edit.minutes, edit.role,
                                          edit.active)
            except MedireteError as exc:
                return VisitTypesSaved(tuple(saved), tuple(schedules.visit_types()),
                                       edit.code, exc)
            saved.append(edit.code)
        return VisitTypesSaved(tuple(saved), tuple(schedules.visit_types()))


@dataclass(frozen=True)
class AddClosure:
    """Close days to bookings (whole center when ``clinician_id`` is None); returns the
    new closure's id and the closures listed afterwards."""

    clinician_id: str | None
    starts_on: date
    ends_on: date
    description: str

    def __call__(self, backend: Backend) -> tuple[str, tuple[ClosureView, ...]]:
        records = backend.require()
        closure_id = records.schedules.add_closure(self.clinician_id, self.starts_on,
                                                   self.ends_on, self.description)
        return closure_id, _closures(records)


@dataclass(frozen=True)
class RemoveClosure:
    """Open a closure's days again; returns the closures listed afterwards."""

    closure_id: str

    def __call__(self, backend: Backend) -> tuple[ClosureView, ...]:
        records = backend.require()
        records.schedules.remove_closure(self.closure_id)
        return _closures(records)
