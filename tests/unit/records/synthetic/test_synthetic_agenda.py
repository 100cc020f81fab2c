"""The synthetic agenda: timetables, holidays, a plausible month of bookings, the demo's."""

from __future__ import annotations

from collections import Counter
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.records.agenda_time import easter_sunday, italian_holidays, local_day, local_to_utc
from app.records.services.schedules import check_timetable
from app.records.slots import day_slots, free
from app.records.synthetic import CenterGenerator, CenterSpec
from app.records.synthetic.agenda import (
    GP_VISITS,
    NURSE_VISITS,
    AgendaPlanner,
    AgendaRows,
    AgendaSpec,
    gp_timetable,
    nurse_timetable,
)

AS_OF = date(2026, 12, 9)  # a Wednesday; the 8th is a holiday
GPS = ("gp-1", "gp-2")
NURSES = ("nurse-1",)
PATIENTS = {gp: [f"{gp}-patient-{i:03d}" for i in range(150)] for gp in GPS}


def _plan(seed: int = 1, as_of: date = AS_OF) -> AgendaRows:
    return AgendaPlanner(AgendaSpec(GPS, NURSES, as_of, seed), PATIENTS).plan()


@pytest.fixture(scope="module")
def rows() -> dict[str, list[dict[str, Any]]]:
    return _plan().tables


def test_easter_and_the_italian_public_holidays():
    assert [easter_sunday(y) for y in (2024, 2025, 2026, 2027, 2038)] == [
        date(2024, 3, 31), date(2025, 4, 20), date(2026, 4, 5), date(2027, 3, 28),
        date(2038, 4, 25)]
    holidays = italian_holidays(2025)
    assert holidays[date(2025, 4, 21)] == "Lunedì dell'Angelo"
    assert len(holidays) == 12
    assert {d.strftime("%m-%d") for d in holidays} >= {
        "01-01", "01-06", "04-25", "05-01", "06-02", "08-15", "11-01", "12-08", "12-25",
        "12-26"}
    assert list(holidays) == sorted(holidays)


def test_timetables_are_sound_and_differ_between_people():
    first = gp_timetable(0)
    assert [(s.weekday, str(s.starts), str(s.ends), s.slot_minutes) for s in first] == [
        (0, "08:30:00", "12:30:00", 15), (1, "08:30:00", "12:30:00", 15),
        (1, "15:00:00", "18:30:00", 15), (2, "08:30:00", "12:30:00", 15),
        (3, "08:30:00", "12:30:00", 15), (3, "15:00:00", "18:30:00", 15),
        (4, "08:30:00", "12:30:00", 15)]
    assert {s.slot_minutes for s in nurse_timetable(0) if s.starts < time(12)} == {10}
    tables = [gp_timetable(i) for i in range(20)] + [nurse_timetable(i) for i in range(4)]
    for spans in tables:
        check_timetable(spans)
    assert len({tuple(t) for t in tables}) >= 10


def test_the_same_seed_plans_the_same_agenda(rows):
    again = _plan().tables
    assert again == rows
    assert _plan(seed=2).tables["appointment"] != rows["appointment"]
    ids = [r["id"] for table in ("work_schedule", "closure", "appointment") for r in rows[table]]
    assert len(set(ids)) == len(ids)


def test_holidays_and_a_leave_day_are_closed_and_never_booked(rows):
    closed = {(c["clinician_id"], c["starts_on"]): c["description"] for c in rows["closure"]}
    assert closed[(None, date(2026, 12, 8))] == "Immacolata Concezione"
    assert closed[(None, date(2027, 3, 29))] == "Lunedì dell'Angelo"
    (leave,) = [day for who, day in closed if who == "gp-2"]
    assert leave.weekday() < 5 and AS_OF < leave <= AS_OF + timedelta(days=14)
    for appointment in rows["appointment"]:
        day = local_day(appointment["starts_at"])
        assert (None, day) not in closed
        assert (appointment["clinician_id"], day) not in closed


def test_bookings_fill_the_timetables_without_overlapping(rows):
    timetables = {"gp-1": gp_timetable(0), "gp-2": gp_timetable(1),
                  "nurse-1": nurse_timetable(0)}
    slots_total = slots_free = 0
    for clinician, spans in timetables.items():
        mine = sorted((a["starts_at"], a["ends_at"]) for a in rows["appointment"]
                      if a["clinician_id"] == clinician and a["status"] != "cancelled")
        assert all(a[1] <= b[0] for a, b in zip(mine, mine[1:], strict=False)), clinician
        by_day: dict[date, list] = {}
        for interval in mine:
            by_day.setdefault(local_day(interval[0]), []).append(interval)
        for day, booked in by_day.items():
            starts = {s for s, _e in day_slots(spans, day)}
            assert all(s in starts for s, _e in booked), (clinician, day)
            slots = day_slots(spans, day)
            slots_total += len(slots)
            slots_free += len(free(slots, booked))
    assert 0.60 <= 1 - slots_free / slots_total <= 0.85


def test_visit_types_patients_and_reasons_are_plausible(rows):
    appointments = rows["appointment"]
    for appointment in appointments:
        visits = NURSE_VISITS if appointment["clinician_id"] in NURSES else GP_VISITS
        assert (appointment["kind"], appointment["ends_at"] - appointment["starts_at"]) in {
            (code, timedelta(minutes=m)) for code, m, _w in visits}
        if appointment["clinician_id"] in GPS:  # the GP's own patients
            assert appointment["patient_id"] in PATIENTS[appointment["clinician_id"]]
    kinds = Counter(a["kind"] for a in appointments)
    assert kinds["visita"] > kinds["controllo"] > kinds["prima visita"] > 0
    assert kinds["prelievo"] > 0 and kinds["medicazione"] > 0
    notes = rows["appointment_note"]
    assert 0.2 < len(notes) / len(appointments) < 0.6
    ids = {a["id"] for a in appointments}
    assert all(n["appointment_id"] in ids and n["clinical_reason"] for n in notes)


def test_statuses_follow_the_demo_clock(rows):
    now = local_to_utc(AS_OF, time(10, 20))
    past = [a for a in rows["appointment"] if local_day(a["starts_at"]) < AS_OF]
    statuses = Counter(a["status"] for a in past)
    assert statuses["seen"] > 0.75 * len(past)
    assert 0 < statuses["no-show"] < 0.15 * len(past)
    assert 0 < statuses["cancelled"] < 0.15 * len(past)
    assert all(a["cancel_reason"] for a in rows["appointment"] if a["status"] == "cancelled")
    future = [a for a in rows["appointment"] if local_day(a["starts_at"]) > AS_OF]
    assert {a["status"] for a in future} == {"booked", "cancelled"}
    today = [a for a in rows["appointment"] if local_day(a["starts_at"]) == AS_OF]
    by_status = Counter(a["status"] for a in today)
    assert by_status["seen"] and by_status["in-visit"] and by_status["arrived"] >= 2
    for appointment in today:
        if appointment["status"] in ("seen", "in-visit"):
            assert appointment["starts_at"] <= now and appointment["called_at"] <= now
        if appointment["status"] == "arrived":
            assert appointment["starts_at"] > now >= appointment["arrived_at"]
        if appointment["status"] == "booked":
            assert appointment["starts_at"] > now
    in_visit = Counter(a["clinician_id"] for a in today if a["status"] == "in-visit")
    assert max(in_visit.values()) == 1


def test_the_patient_generator_books_inside_the_timetables_and_never_on_holidays():
    as_of = date(2026, 12, 20)  # the coming four weeks hold Christmas and New Year
    spec = CenterSpec(patients=800, seed=3, gp_ids=GPS, nurse_ids=NURSES, history="light",
                      as_of=as_of)
    appointments = [row for chart in CenterGenerator(spec)
                    for row in chart.rows.get("appointment", [])]
    assert len(appointments) > 20
    timetables = {"gp-1": gp_timetable(0), "gp-2": gp_timetable(1),
                  "nurse-1": nurse_timetable(0)}
    holidays = italian_holidays(2026) | italian_holidays(2027)
    for appointment in appointments:
        day = local_day(appointment["starts_at"])
        assert day not in holidays
        slots = dict(day_slots(timetables[appointment["clinician_id"]], day))
        assert appointment["ends_at"] <= slots[appointment["starts_at"]]


def test_the_demo_center_has_its_agenda(tmp_path: Path):
    from app.records.demo import create_demo_center
    from app.records.services import Records

    root = tmp_path / "demo"
    create_demo_center(root, "demo-password-1", patients=60, seed=4, as_of=AS_OF)
    secretary = Records.open(root, "segreteria", "demo-password-1")
    try:
        clinicians = secretary.agenda.clinicians()
        assert {c.username for c in clinicians} == {"medico", "medico2", "infermiere"}
        for clinician in clinicians:
            assert secretary.schedules.timetable(clinician.id)
            assert secretary.agenda.day(AS_OF, clinician.id)
        assert secretary.schedules.free_slots(clinicians[0].id, date(2026, 12, 8)) == []
        waiting = secretary.agenda.waiting_room(AS_OF)
        assert waiting and all(a.patient_name and a.reason is None for a in waiting)
        week = secretary.agenda.between(AS_OF - timedelta(days=14), AS_OF + timedelta(days=15))
        assert len(week) > 200
        gps = {c.id for c in clinicians if c.role == "gp"}
        for appointment in week[:50]:
            if appointment.clinician_id in gps:
                found = secretary.patients.get(appointment.patient_id)
                assert found.summary.gp_id == appointment.clinician_id
    finally:
        secretary.close()
    admin = Records.open(root, "admin", "demo-password-1")
    try:
        assert admin.audit.verify().ok
    finally:
        admin.close()
