"""Timetables, visit types, closures and the free-slot search, on a real encrypted center."""

from __future__ import annotations

import time as clock
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import event, insert

from app.core.errors import AccessDenied, InvalidInput, NotFound
from app.records.agenda_time import local_to_utc
from app.records.model import Appointment
from app.records.services.agenda_views import ScheduleSpan, Slot

TUESDAY = date(2026, 12, 1)
MONDAY = date(2026, 11, 30)


def _staff(records) -> dict[str, str]:
    return {u.username: u.id for u in records.users.list()}


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return local_to_utc(day, time(hour, minute))


def _span(weekday: int, starts: str, ends: str, slot: int = 15, **valid) -> ScheduleSpan:
    return ScheduleSpan(weekday, time.fromisoformat(starts), time.fromisoformat(ends), slot,
                        **valid)


def _gp_week() -> list[ScheduleSpan]:
    """Mornings 08:30-12:30 Monday to Friday, afternoons 15:00-18:30 on Tuesday and Thursday."""
    return [_span(d, "08:30", "12:30") for d in range(5)] + [
        _span(d, "15:00", "18:30") for d in (1, 3)]


def _starts(found: list[Slot]) -> list[str]:
    from app.records.agenda_time import to_local

    return [to_local(s.starts_at).strftime("%H:%M") for s in found]


def test_a_timetable_is_replaced_and_read_back(open_as):
    secretary = open_as("segreteria")
    gp = _staff(secretary)["medico"]
    assert secretary.schedules.timetable(gp) == []
    secretary.schedules.set_timetable(gp, _gp_week())
    assert secretary.schedules.timetable(gp) == sorted(_gp_week(),
                                                       key=lambda s: (s.weekday, s.starts))
    summer = [_span(0, "08:00", "12:00", 20, valid_from=date(2027, 7, 1),
                    valid_to=date(2027, 8, 31))]
    with secretary.feed.collect() as collected:
        secretary.schedules.set_timetable(gp, summer)
    assert collected.changes.kinds == {"work_schedule"}
    assert secretary.schedules.timetable(gp) == summer


@pytest.mark.parametrize("spans, message", [
    ([_span(7, "08:00", "12:00")], "weekday"),
    ([_span(0, "12:00", "08:00")], "end after it starts"),
    ([_span(0, "08:00", "08:10", 15)], "at least one slot"),
    ([_span(0, "08:00", "12:00"), _span(0, "11:00", "13:00")], "overlap"),
    ([_span(0, "08:00", "12:00", valid_from=date(2027, 2, 1), valid_to=date(2027, 1, 1))],
     "validity"),
    ([ScheduleSpan(0, time(8, 0, 30), time(12), 15)], "whole minutes"),
])
def test_an_unsound_timetable_is_refused(open_as, spans, message):
    secretary = open_as("segreteria")
    gp = _staff(secretary)["medico"]
    with pytest.raises(InvalidInput, match=message):
        secretary.schedules.set_timetable(gp, spans)


def test_spans_valid_at_different_times_may_share_hours(open_as):
    secretary = open_as("segreteria")
    gp = _staff(secretary)["medico"]
    winter = _span(0, "08:30", "12:30", valid_to=date(2027, 5, 31))
    summer = _span(0, "08:00", "12:00", 20, valid_from=date(2027, 6, 1))
    secretary.schedules.set_timetable(gp, [winter, summer])
    assert _starts(secretary.schedules.free_slots(gp, date(2027, 5, 31)))[0] == "08:30"
    assert _starts(secretary.schedules.free_slots(gp, date(2027, 6, 7)))[:2] == [
        "08:00", "08:20"]
    with pytest.raises(InvalidInput, match="active GP or nurse"):
        secretary.schedules.set_timetable(_staff(secretary)["segreteria"], [winter])


def test_visit_types_start_with_the_built_in_ones_and_can_be_changed(open_as):
    secretary = open_as("segreteria")
    built_in = {v.code: (v.minutes, v.role) for v in secretary.schedules.visit_types()}
    assert built_in == {
        "visita": (15, None), "prima visita": (30, None), "controllo": (15, None),
        "ricetta": (5, None), "medicazione": (20, "nurse"), "prelievo": (10, "nurse"),
        "ecg": (20, None), "spirometria": (30, None)}
    assert secretary.schedules.visit_types()[0].label == "Visit"  # MEDIRETE_LANG=en
    secretary.schedules.save_visit_type("visita", "Visita ambulatoriale", 20)
    secretary.schedules.save_visit_type("vaccino", "Vaccinazione", 10, "nurse")
    secretary.schedules.save_visit_type("ricetta", "Ricetta", 5, active=False)
    found = {v.code: v for v in secretary.schedules.visit_types()}
    assert (found["visita"].label, found["visita"].minutes) == ("Visita ambulatoriale", 20)
    assert not found["visita"].id.startswith("builtin-")
    assert found["vaccino"].role == "nurse" and not found["ricetta"].active
    assert [v.code for v in secretary.schedules.visit_types()][-1] == "vaccino"
    for bad in ({"code": ""}, {"minutes": 0}, {"role": "secretary"}, {"label": " "}):
        args = {"code": "x", "label": "X", "minutes": 10, "role": None} | bad
        with pytest.raises(InvalidInput):
            secretary.schedules.save_visit_type(**args)


def test_closures_are_listed_by_range_and_removed(open_as):
    secretary = open_as("segreteria")
    gp = _staff(secretary)["medico"]
    christmas = secretary.schedules.add_closure(None, date(2026, 12, 25), date(2026, 12, 26),
                                                "Natale e Santo Stefano")
    leave = secretary.schedules.add_closure(gp, date(2026, 12, 28), date(2027, 1, 8), "Ferie")
    assert [c.id for c in secretary.schedules.closures(date(2026, 12, 21),
                                                      date(2026, 12, 28))] == [christmas]
    assert [c.id for c in secretary.schedules.closures(date(2027, 1, 1),
                                                      date(2027, 1, 2))] == [leave]
    with pytest.raises(InvalidInput, match="ends before it starts"):
        secretary.schedules.add_closure(None, date(2027, 1, 2), date(2027, 1, 1), "x")
    with pytest.raises(InvalidInput, match="description"):
        secretary.schedules.add_closure(None, date(2027, 1, 2), date(2027, 1, 2), "  ")
    secretary.schedules.remove_closure(leave)
    assert secretary.schedules.closures(date(2027, 1, 1), date(2027, 1, 2)) == []
    with pytest.raises(NotFound):
        secretary.schedules.remove_closure(leave)


def test_free_slots_are_the_timetable_minus_bookings_and_closures(open_as):
    secretary = open_as("segreteria")
    staff = _staff(secretary)
    gp, gp2 = staff["medico"], staff["medico2"]
    secretary.schedules.set_timetable(gp, [_span(1, "09:00", "10:00"), _span(1, "15:00", "15:40")])
    assert _starts(secretary.schedules.free_slots(gp, TUESDAY)) == [
        "09:00", "09:15", "09:30", "09:45", "15:00", "15:15"]  # 15:30-15:40 is no slot
    assert secretary.schedules.free_slots(gp, MONDAY) == []
    secretary.agenda.book(gp, None, _at(TUESDAY, 9, 15), 5, kind="ricetta")
    cancelled = secretary.agenda.book(gp, None, _at(TUESDAY, 9, 30), 15)
    secretary.agenda.cancel(cancelled, "telefonato")
    secretary.agenda.book(gp2, None, _at(TUESDAY, 9, 45), 15)  # another clinician's
    assert _starts(secretary.schedules.free_slots(gp, TUESDAY)) == [
        "09:00", "09:30", "09:45", "15:00", "15:15"]
    # Where a 30-minute visit can start: two contiguous free slots.
    long = secretary.schedules.free_slots(gp, TUESDAY, 30)
    assert _starts(long) == ["09:30", "15:00"]
    assert all(s.ends_at - s.starts_at == timedelta(minutes=30) for s in long)
    secretary.schedules.add_closure(gp2, TUESDAY, TUESDAY, "Formazione")
    assert len(secretary.schedules.free_slots(gp, TUESDAY)) == 5
    secretary.schedules.add_closure(None, TUESDAY, TUESDAY, "Chiuso")
    assert secretary.schedules.free_slots(gp, TUESDAY) == []


def test_free_slots_follow_the_local_clock_across_the_summer_time_change(open_as):
    secretary = open_as("segreteria")
    gp = _staff(secretary)["medico"]
    secretary.schedules.set_timetable(gp, [_span(0, "08:30", "09:00")])
    before, after = date(2027, 3, 22), date(2027, 3, 29)  # Mondays around 28 March
    assert [s.starts_at.hour for s in secretary.schedules.free_slots(gp, before)] == [7, 7]
    assert [s.starts_at.hour for s in secretary.schedules.free_slots(gp, after)] == [6, 6]
    assert _starts(secretary.schedules.free_slots(gp, after)) == ["08:30", "08:45"]
    autumn = date(2026, 10, 26)  # the Monday after the clocks went back
    assert _starts(secretary.schedules.free_slots(gp, autumn)) == ["08:30", "08:45"]


def test_first_free_finds_a_run_long_enough_for_the_visit_type(open_as):
    secretary = open_as("segreteria")
    gp = _staff(secretary)["medico"]
    secretary.schedules.set_timetable(gp, [_span(1, "09:00", "10:00"), _span(2, "09:00", "10:00")])
    secretary.agenda.book(gp, None, _at(TUESDAY, 9, 15), 15)
    secretary.agenda.book(gp, None, _at(TUESDAY, 9, 45), 15)
    after = _at(TUESDAY, 0)
    assert secretary.schedules.first_free(gp, "visita", after) == Slot(
        gp, _at(TUESDAY, 9), _at(TUESDAY, 9, 15))
    assert secretary.schedules.first_free(gp, "prima visita", after) == Slot(
        gp, _at(TUESDAY + timedelta(1), 9), _at(TUESDAY + timedelta(1), 9, 30))
    # Starting after a given time: not a slot already begun.
    assert secretary.schedules.first_free(gp, "visita", _at(TUESDAY, 9, 1)).starts_at == (
        _at(TUESDAY, 9, 30))
    secretary.schedules.add_closure(None, TUESDAY + timedelta(1), TUESDAY + timedelta(1), "x")
    assert secretary.schedules.first_free(gp, "prima visita", after).starts_at == _at(
        TUESDAY + timedelta(7), 9)
    assert secretary.schedules.first_free(gp, "prima visita", after, days=7) is None
    with pytest.raises(InvalidInput, match="unknown visit type"):
        secretary.schedules.first_free(gp, "teleport", after)


def _fill(records, clinician: str, first: date, days: int) -> int:
    """Book every slot of the timetable for ``days`` days (straight into the table)."""
    rows = []
    for offset in range(days):
        for slot in records.schedules.free_slots(clinician, first + timedelta(offset)):
            rows.append({"clinician_id": clinician, "patient_id": None,
                         "starts_at": slot.starts_at, "ends_at": slot.ends_at,
                         "kind": "visita", "status": "booked", "created_by": "test"})
    with records.db.write_engine.begin() as conn:
        conn.execute(insert(Appointment), rows)
    return len(rows)


def test_first_free_over_a_full_two_month_agenda_is_a_few_queries_and_milliseconds(open_as):
    secretary = open_as("segreteria")
    gp = _staff(secretary)["medico"]
    secretary.schedules.set_timetable(gp, _gp_week())
    booked = _fill(secretary, gp, TUESDAY, 61)
    assert booked > 900
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(secretary.db.read_engine, "before_cursor_execute", seen)
    try:
        started = clock.perf_counter()
        found = secretary.schedules.first_free(gp, "prima visita", _at(TUESDAY, 0))
        elapsed = clock.perf_counter() - started
    finally:
        event.remove(secretary.db.read_engine, "before_cursor_execute", seen)
    assert found is None  # two full months, searched to the end
    assert sum("FROM appointment" in s for s in statements) == 1
    assert sum("FROM closure" in s for s in statements) == 1
    assert len(statements) <= 5
    print(f"first_free over {booked} appointments: {elapsed * 1000:.1f} ms")
    assert elapsed < 0.5  # a few ms in practice; generous for a loaded CI machine
    free_day = TUESDAY + timedelta(days=62)
    assert secretary.schedules.first_free(gp, "visita", _at(TUESDAY, 0), days=70) == Slot(
        gp, _at(free_day, 8, 30), _at(free_day, 8, 45))


def test_admin_reads_the_frame_but_does_not_change_it(open_as):
    secretary, admin = open_as("segreteria"), open_as("admin")
    gp = _staff(secretary)["medico"]
    secretary.schedules.set_timetable(gp, _gp_week())
    closure = secretary.schedules.add_closure(None, TUESDAY, TUESDAY, "Chiuso")
    assert admin.schedules.timetable(gp) != []
    assert admin.schedules.visit_types() != []
    assert [c.id for c in admin.schedules.closures(TUESDAY, TUESDAY + timedelta(1))] == [closure]
    assert admin.schedules.free_slots(gp, MONDAY) != []
    assert admin.schedules.first_free(gp, "visita", _at(MONDAY, 0)) is not None
    writes = [
        lambda: admin.schedules.set_timetable(gp, []),
        lambda: admin.schedules.save_visit_type("x", "X", 10),
        lambda: admin.schedules.add_closure(None, MONDAY, MONDAY, "x"),
        lambda: admin.schedules.remove_closure(closure),
    ]
    for write in writes:
        with pytest.raises(AccessDenied):
            write()
    nurse = open_as("infermiere")
    nurse.schedules.set_timetable(nurse.actor.user_id, [_span(0, "08:00", "11:00", 10)])
    assert len(secretary.schedules.free_slots(nurse.actor.user_id, MONDAY)) == 18
