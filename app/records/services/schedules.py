"""The agenda's frame: clinicians' timetables, visit types, closures and free slots."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from app.core.clock import new_id
from app.core.errors import InvalidInput, NotFound
from app.core.i18n import _
from app.records import slots
from app.records.agenda_time import format_clock, local_day, local_day_bounds, parse_clock
from app.records.model import Closure, VisitType, WorkSchedule
from app.records.services.access import Permission, requires
from app.records.services.agenda import busy_query, check_clinician, closure_query
from app.records.services.agenda_views import ClosureView, ScheduleSpan, Slot, VisitTypeView
from app.records.services.base import Service

VISIT_ROLES = (None, "gp", "nurse")


def builtin_visit_types() -> list[VisitTypeView]:
    """The visit types every center starts with (labels in the current language)."""

    def builtin(code: str, label: str, minutes: int, role: str | None = None) -> VisitTypeView:
        return VisitTypeView(f"builtin-{code}", code, label, minutes, role, True)

    return [
        builtin("visita", _("Visit"), 15),
        builtin("prima visita", _("First visit"), 30),
        builtin("controllo", _("Follow-up"), 15),
        builtin("ricetta", _("Prescription"), 5),
        builtin("medicazione", _("Dressing"), 20, "nurse"),
        builtin("prelievo", _("Blood draw"), 10, "nurse"),
        builtin("ecg", _("ECG"), 20),
        builtin("spirometria", _("Spirometry"), 30),
    ]


def _span(row: Any) -> ScheduleSpan:
    return ScheduleSpan(row.weekday, parse_clock(row.starts), parse_clock(row.ends),
                        row.slot_minutes, row.valid_from, row.valid_to)


def _closure(row: Any) -> ClosureView:
    return ClosureView(row.id, row.clinician_id, row.starts_on, row.ends_on, row.description)


def _whole_minutes(at: time) -> bool:
    return at.second == 0 and at.microsecond == 0


def _check_span(span: ScheduleSpan) -> None:
    if not 0 <= span.weekday <= 6:
        raise InvalidInput(detail="a weekday is 0 (Monday) to 6 (Sunday)")
    if not (_whole_minutes(span.starts) and _whole_minutes(span.ends)):
        raise InvalidInput(detail="a timetable runs in whole minutes")
    if span.starts >= span.ends:
        raise InvalidInput(detail="a timetable span must end after it starts")
    length = (span.ends.hour * 60 + span.ends.minute) - (span.starts.hour * 60
                                                         + span.starts.minute)
    if not 1 <= span.slot_minutes <= length:
        raise InvalidInput(detail="a span must hold at least one slot")
    if span.valid_from and span.valid_to and span.valid_from > span.valid_to:
        raise InvalidInput(detail="a timetable's validity ends before it starts")


def _valid_together(a: ScheduleSpan, b: ScheduleSpan) -> bool:
    """Whether two spans' validity periods share a day."""
    return (a.valid_to is None or b.valid_from is None or b.valid_from <= a.valid_to) and (
        b.valid_to is None or a.valid_from is None or a.valid_from <= b.valid_to)


def check_timetable(spans: Sequence[ScheduleSpan]) -> None:
    """Each span sound, and no two spans of one weekday overlapping while both apply."""
    for span in spans:
        _check_span(span)
    ordered = sorted(spans, key=lambda s: (s.weekday, s.starts))
    for index, span in enumerate(ordered):
        for other in ordered[index + 1:]:
            if other.weekday != span.weekday or other.starts >= span.ends:
                break
            if _valid_together(span, other):
                raise InvalidInput(detail="two spans of the timetable overlap")


class ScheduleService(Service):
    """Timetables, visit types and closures (front desk and admin); free-slot search."""

    @requires(Permission.READ_AGENDA)
    def timetable(self, clinician_id: str) -> list[ScheduleSpan]:
        """A clinician's weekly timetable, by weekday and time."""
        with self._read() as conn:
            return _timetable(conn, clinician_id)

    @requires(Permission.WRITE_AGENDA)
    def set_timetable(self, clinician_id: str, spans: list[ScheduleSpan]) -> None:
        """Replace a clinician's timetable (bookings already made stay as they are)."""
        check_timetable(spans)
        with self._writing() as batch:
            conn = batch.conn
            check_clinician(conn, clinician_id)
            old = conn.execute(select(WorkSchedule.id).where(
                WorkSchedule.clinician_id == clinician_id)).scalars().all()
            conn.execute(delete(WorkSchedule).where(WorkSchedule.clinician_id == clinician_id))
            for old_id in old:
                batch.record("work_schedule", old_id, "delete", {"id": old_id},
                             patient_id=None, action="timetable.remove")
            for span in sorted(spans, key=lambda s: (s.weekday, s.starts)):
                row: dict[str, Any] = {
                    "id": new_id(), "clinician_id": clinician_id, "weekday": span.weekday,
                    "starts": format_clock(span.starts), "ends": format_clock(span.ends),
                    "slot_minutes": span.slot_minutes, "valid_from": span.valid_from,
                    "valid_to": span.valid_to}
                conn.execute(insert(WorkSchedule).values(**row))
                batch.record("work_schedule", row["id"], "create", row, patient_id=None,
                             action="timetable.set")

    @requires(Permission.READ_AGENDA)
    def visit_types(self) -> list[VisitTypeView]:
        """The center's visit types: the built-in ones (as the center changed them), then
        its own by label."""
        with self._read() as conn:
            return _visit_types(conn)

    @requires(Permission.WRITE_AGENDA)
    def save_visit_type(self, code: str, label: str, minutes: int, role: str | None = None,
                        active: bool = True) -> None:
        """Add a visit type, or change the one with this code (a built-in one too)."""
        code, label = code.strip(), label.strip()
        if not code or len(code) > 30:
            raise InvalidInput(detail="a visit type is required (30 characters at most)")
        if not label or len(label) > 80:
            raise InvalidInput(detail="a visit type needs a name (80 characters at most)")
        if not 1 <= minutes <= 720:
            raise InvalidInput(detail="a visit lasts 1 to 720 minutes")
        if role not in VISIT_ROLES:
            raise InvalidInput(detail="a visit type is for a GP, a nurse or anyone")
        values = {"label": label, "minutes": minutes, "role": role, "active": active}
        with self._writing() as batch:
            conn = batch.conn
            found = conn.execute(select(VisitType.id).where(VisitType.code == code)).scalar()
            if found is None:
                row: dict[str, Any] = {"id": new_id(), "code": code, **values}
                conn.execute(insert(VisitType).values(**row))
                batch.record("visit_type", row["id"], "create", row, patient_id=None)
            else:
                conn.execute(update(VisitType).where(VisitType.id == found).values(**values))
                batch.record("visit_type", found, "update", values, patient_id=None)

    @requires(Permission.READ_AGENDA)
    def closures(self, start: date, end: date) -> list[ClosureView]:
        """The closures touching local days [start, end), the center's and each clinician's."""
        query = select(Closure).where(Closure.starts_on < end, Closure.ends_on >= start)
        with self._read() as conn:
            rows = conn.execute(query.order_by(Closure.starts_on, Closure.id)).all()
        return [_closure(row) for row in rows]

    @requires(Permission.WRITE_AGENDA)
    def add_closure(self, clinician_id: str | None, starts_on: date, ends_on: date,
                    description: str) -> str:
        """Close days (inclusive) to bookings: the whole center (None) or one clinician."""
        description = description.strip()
        if not description or len(description) > 120:
            raise InvalidInput(detail="a closure needs a description (120 characters at most)")
        if ends_on < starts_on:
            raise InvalidInput(detail="a closure ends before it starts")
        closure_id = new_id()
        row = {"id": closure_id, "clinician_id": clinician_id, "starts_on": starts_on,
               "ends_on": ends_on, "description": description}
        with self._writing() as batch:
            if clinician_id is not None:
                check_clinician(batch.conn, clinician_id)
            batch.conn.execute(insert(Closure).values(**row))
            batch.record("closure", closure_id, "create", row, patient_id=None)
        return closure_id

    @requires(Permission.WRITE_AGENDA)
    def remove_closure(self, closure_id: str) -> None:
        """Open the days of a closure again."""
        with self._writing() as batch:
            done = batch.conn.execute(delete(Closure).where(Closure.id == closure_id))
            if done.rowcount == 0:
                raise NotFound(what=f"closure {closure_id}")
            batch.record("closure", closure_id, "delete", {"id": closure_id}, patient_id=None)

    @requires(Permission.READ_AGENDA)
    def free_slots(self, clinician_id: str, day: date,
                   minutes: int | None = None) -> list[Slot]:
        """A local day's free slots: the timetable minus bookings and closures.

        With ``minutes``, the slots where a booking that long can start (over contiguous
        free slots), each ending ``minutes`` after its start.
        """
        with self._read() as conn:
            free = _free(conn, clinician_id, day, day + timedelta(days=1))
        found = free if minutes is None else slots.fitting(free, minutes)
        return [Slot(clinician_id, start, end) for start, end in found]

    @requires(Permission.READ_AGENDA)
    def first_free(self, clinician_id: str, kind: str, after: datetime,
                   days: int = 60) -> Slot | None:
        """The first time from ``after`` on, within ``days`` local days, with enough
        contiguous free slots for a visit of type ``kind`` (the Slot spans that visit)."""
        if after.tzinfo is None:
            raise ValueError("naive datetime: the agenda takes aware datetimes")
        with self._read() as conn:
            minutes = {v.code: v.minutes for v in _visit_types(conn)}.get(kind)
            if minutes is None:
                raise InvalidInput(detail="unknown visit type")
            first = local_day(after)
            free = _free(conn, clinician_id, first, first + timedelta(days=days))
        for start, end in slots.fitting(free, minutes):
            if start >= after:
                return Slot(clinician_id, start, end)
        return None


def _timetable(conn: Connection, clinician_id: str) -> list[ScheduleSpan]:
    rows = conn.execute(select(WorkSchedule).where(
        WorkSchedule.clinician_id == clinician_id).order_by(
        WorkSchedule.weekday, WorkSchedule.starts)).all()
    return [_span(row) for row in rows]


def _visit_types(conn: Connection) -> list[VisitTypeView]:
    stored = {row.code: VisitTypeView(row.id, row.code, row.label, row.minutes, row.role,
                                      row.active)
              for row in conn.execute(select(VisitType)).all()}
    builtins = builtin_visit_types()
    listed = [stored.pop(b.code, b) for b in builtins]
    return listed + sorted(stored.values(), key=lambda v: (v.label.casefold(), v.code))


def _free(conn: Connection, clinician_id: str, first: date, end: date) -> list[slots.Interval]:
    """Free slots of local days [first, end): three queries, then arithmetic."""
    spans = _timetable(conn, clinician_id)
    if not spans:
        return []
    closed = [_closure(row) for row in conn.execute(
        closure_query(clinician_id, first, end - timedelta(days=1))).all()]
    timetable: list[slots.Interval] = []
    day = first
    while day < end:
        if not any(c.covers(day, clinician_id) for c in closed):
            timetable.extend(slots.day_slots(spans, day))
        day += timedelta(days=1)
    if not timetable:
        return []
    start, stop = local_day_bounds(first)[0], local_day_bounds(end)[0]
    busy = conn.execute(busy_query(clinician_id, start, stop)).all()
    return slots.free(timetable, ((row.starts_at, row.ends_at) for row in busy))
