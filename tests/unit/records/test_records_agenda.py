"""The agenda through its service: overlaps, the local day, statuses, roles, two workstations."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from app.core.errors import AccessDenied, InvalidInput, MedireteError, NotFound, SlotTaken
from app.records.agenda_time import CENTER_TZ, local_day_bounds, local_to_utc, to_local
from app.records.model import Appointment, AuditEvent, ChangeLogEntry
from app.records.services.agenda_views import ScheduleSpan
from app.records.services.views import PatientInput

DAY = date(2026, 12, 1)  # a Tuesday


def _staff(records) -> dict[str, str]:
    return {u.username: u.id for u in records.users.list()}


def _patient(records, surname: str = "Sormani", given: str = "Rita") -> str:
    return records.patients.register(
        PatientInput(surname, given, "F", date(1980, 3, 3), "Como")).id


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return local_to_utc(day, time(hour, minute))


def _counts(records) -> tuple[int, int, int]:
    with records.db.read_engine.connect() as conn:
        return (conn.execute(select(func.count()).select_from(Appointment)).scalar_one(),
                conn.execute(select(func.count()).select_from(ChangeLogEntry)).scalar_one(),
                conn.execute(select(func.count()).select_from(AuditEvent)).scalar_one())


def test_an_overlap_is_refused_naming_the_clinician(open_as):
    secretary = open_as("segreteria")
    gp = _staff(secretary)["medico"]
    patient = _patient(secretary)
    secretary.agenda.book(gp, patient, _at(DAY, 9), 30)
    with pytest.raises(SlotTaken) as refused:
        secretary.agenda.book(gp, None, _at(DAY, 9, 15), 15)
    assert isinstance(refused.value, InvalidInput)  # callers catching InvalidInput still do
    assert refused.value.user_message("en") == (
        "That time is already booked for Medico, who already has an appointment "
        "from 09:00 to 09:30")
    assert refused.value.user_message("it") == (
        "Quell'orario è già occupato per Medico, che ha già un appuntamento dalle 09:00 "
        "alle 09:30")
    # Touching is not overlapping; another clinician is free at the same time.
    secretary.agenda.book(gp, None, _at(DAY, 9, 30), 15)
    secretary.agenda.book(_staff(secretary)["medico2"], None, _at(DAY, 9), 15)


def test_two_workstations_booking_one_slot_the_second_is_told_and_nothing_is_written(
        open_as):
    """Two sessions on one center file, each with its own connections (two workstations)."""
    front_desk, surgery = open_as("segreteria"), open_as("medico")
    gp = _staff(front_desk)["medico"]
    patient, other = _patient(front_desk), _patient(front_desk, "Bassi", "Ugo")
    when = _at(DAY, 10)
    surgery.schedules.set_timetable(gp, [ScheduleSpan(DAY.weekday(), time(9), time(12), 15)])
    # Both screens show the slot free...
    for records in (front_desk, surgery):
        assert when in {s.starts_at for s in records.schedules.free_slots(gp, DAY)}
    # ...both book it; the records layer refuses the second inside its transaction.
    front_desk.agenda.book(gp, patient, when, 15)
    before = _counts(surgery)
    with pytest.raises(SlotTaken, match="already booked for Medico"):
        surgery.agenda.book(gp, other, when, 15)
    assert _counts(surgery) == before
    assert [a.patient_id for a in surgery.agenda.day(DAY, gp)] == [patient]
    assert when not in {s.starts_at for s in surgery.schedules.free_slots(gp, DAY)}


def test_two_workstations_racing_for_one_slot_exactly_one_wins(open_as):
    first, second = open_as("segreteria"), open_as("segreteria")
    gp = _staff(first)["medico"]
    patients = [_patient(first), _patient(first, "Bassi", "Ugo")]
    start = threading.Barrier(2)
    outcomes: list[object] = []

    def book(records, patient: str) -> None:
        start.wait(timeout=10)
        try:
            outcomes.append(records.agenda.book(gp, patient, _at(DAY, 11), 15))
        except MedireteError as refused:
            outcomes.append(refused)

    threads = [threading.Thread(target=book, args=pair)
               for pair in zip((first, second), patients, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(type(o).__name__ for o in outcomes) == ["SlotTaken", "str"]
    assert len(second.agenda.day(DAY, gp)) == 1


def test_the_local_day_lasts_23_or_25_hours_when_the_clocks_change():
    start, end = local_day_bounds(DAY)
    assert start == datetime(2026, 11, 30, 23, 0, tzinfo=UTC)
    assert end - start == timedelta(hours=24)
    spring = local_day_bounds(date(2027, 3, 28))  # clocks go forward: 23 hours
    assert spring[1] - spring[0] == timedelta(hours=23)
    autumn = local_day_bounds(date(2026, 10, 25))  # clocks go back: 25 hours
    assert autumn[1] - autumn[0] == timedelta(hours=25)
    assert to_local(datetime(2026, 7, 1, 6, 30, tzinfo=UTC)).hour == 8
    assert to_local(datetime(2026, 12, 1, 6, 30, tzinfo=UTC)).tzinfo == CENTER_TZ


@pytest.mark.parametrize("day", [DAY, date(2027, 3, 28), date(2026, 10, 25)])
def test_day_and_between_take_local_days_across_the_summer_time_change(open_as, day):
    """Failed before issue 7: day() read the UTC day, so 00:30 in Rome fell on the day before."""
    secretary = open_as("segreteria")
    gp = _staff(secretary)["medico"]
    just_after_midnight = secretary.agenda.book(gp, None, _at(day, 0, 30), 15)
    late_evening = secretary.agenda.book(gp, None, _at(day, 23, 30), 15)
    before = secretary.agenda.book(gp, None, _at(day - timedelta(days=1), 23, 30), 15)
    after = secretary.agenda.book(gp, None, _at(day + timedelta(days=1), 0, 10), 15)
    assert [a.id for a in secretary.agenda.day(day)] == [just_after_midnight, late_evening]
    assert [a.id for a in secretary.agenda.day(day + timedelta(days=1), gp)] == [after]
    week = secretary.agenda.between(day - timedelta(days=1), day + timedelta(days=2), gp)
    assert [a.id for a in week] == [before, just_after_midnight, late_evening, after]


def test_the_statuses_of_a_visit(open_as):
    secretary, gp_session = open_as("segreteria"), open_as("medico")
    gp = _staff(secretary)["medico"]
    patient = _patient(secretary)
    visit = secretary.agenda.book(gp, patient, _at(DAY, 9), 15)
    with pytest.raises(InvalidInput, match="arrived can be marked as seen"):
        secretary.agenda.set_status(visit, "seen")
    with pytest.raises(InvalidInput, match="waiting room can be called"):
        gp_session.agenda.call(visit)
    secretary.agenda.check_in(visit)
    (arrived,) = secretary.agenda.day(DAY)
    assert arrived.status == "arrived" and arrived.arrived_at is not None
    with pytest.raises(InvalidInput, match="only a booked appointment can be checked in"):
        secretary.agenda.check_in(visit)
    with pytest.raises(InvalidInput, match="no-show"):
        secretary.agenda.set_status(visit, "no-show")
    gp_session.agenda.call(visit)
    (called,) = gp_session.agenda.day(DAY)
    assert called.status == "in-visit" and called.called_at is not None
    assert called.arrived_at == arrived.arrived_at
    gp_session.agenda.set_status(visit, "seen")
    for refused in ("booked", "arrived", "in-visit", "no-show"):
        with pytest.raises(InvalidInput):
            secretary.agenda.set_status(visit, refused)
    with pytest.raises(InvalidInput, match="not yet seen can be cancelled"):
        secretary.agenda.cancel(visit, "telefonato")
    assert [a.status for a in secretary.agenda.day(DAY)] == ["seen"]


def test_no_show_undo_and_the_statuses_set_status_keeps(open_as):
    secretary = open_as("segreteria")
    gp = _staff(secretary)["medico"]
    missed = secretary.agenda.book(gp, None, _at(DAY, 9), 15)
    secretary.agenda.set_status(missed, "no-show")
    secretary.agenda.set_status(missed, "booked")  # marked by mistake: the patient came
    secretary.agenda.set_status(missed, "arrived")  # the old callers' check-in still works
    secretary.agenda.set_status(missed, "booked")  # check-in undone
    (back,) = secretary.agenda.day(DAY)
    assert back.status == "booked" and back.arrived_at is None
    with pytest.raises(InvalidInput, match="with a reason"):
        secretary.agenda.set_status(missed, "cancelled")
    with pytest.raises(InvalidInput, match="status must be one of"):
        secretary.agenda.set_status(missed, "teleported")
    with pytest.raises(NotFound):
        secretary.agenda.check_in("no-such-appointment")


def test_cancel_needs_a_reason_and_frees_the_slot(open_as):
    secretary = open_as("segreteria")
    gp = _staff(secretary)["medico"]
    patient = _patient(secretary)
    visit = secretary.agenda.book(gp, patient, _at(DAY, 9), 15)
    for empty in ("", "   "):
        with pytest.raises(InvalidInput, match="needs a reason"):
            secretary.agenda.cancel(visit, empty)
    with secretary.feed.collect() as collected:
        secretary.agenda.cancel(visit, "Il paziente ha telefonato")
    assert collected.changes.kinds == {"appointment"}
    assert collected.changes.patients == {patient}
    (cancelled,) = secretary.agenda.day(DAY)
    assert (cancelled.status, cancelled.cancel_reason) == (
        "cancelled", "Il paziente ha telefonato")
    again = secretary.agenda.book(gp, None, _at(DAY, 9), 15)
    with pytest.raises(InvalidInput, match="still to come can be moved"):
        secretary.agenda.move(visit, _at(DAY, 12))
    with pytest.raises(InvalidInput, match="cannot be resized"):
        secretary.agenda.resize(visit, 30)
    assert [a.id for a in secretary.agenda.for_patient(patient)] == [visit]
    assert {a.id for a in secretary.agenda.day(DAY)} == {visit, again}


def test_move_to_another_clinician_and_resize(open_as):
    secretary = open_as("segreteria")
    staff = _staff(secretary)
    gp, gp2 = staff["medico"], staff["medico2"]
    visit = secretary.agenda.book(gp, None, _at(DAY, 9), 15)
    secretary.agenda.book(gp2, None, _at(DAY, 9), 15)
    with pytest.raises(SlotTaken, match="Medico2"):
        secretary.agenda.move(visit, _at(DAY, 9, 10), gp2)
    secretary.agenda.move(visit, _at(DAY, 9, 15), gp2)
    (moved,) = [a for a in secretary.agenda.day(DAY, gp2) if a.id == visit]
    assert moved.ends_at - moved.starts_at == timedelta(minutes=15)
    assert secretary.agenda.day(DAY, gp) == []
    secretary.agenda.book(gp2, None, _at(DAY, 10), 15)
    with pytest.raises(SlotTaken):
        secretary.agenda.resize(visit, 60)
    secretary.agenda.resize(visit, 45)
    (longer,) = [a for a in secretary.agenda.day(DAY, gp2) if a.id == visit]
    assert longer.ends_at == _at(DAY, 10)
    for minutes in (0, 12 * 60 + 1):
        with pytest.raises(InvalidInput):
            secretary.agenda.resize(visit, minutes)
    with pytest.raises(InvalidInput, match="active GP or nurse"):
        secretary.agenda.move(visit, _at(DAY, 15), staff["segreteria"])
    with pytest.raises(NotFound):
        secretary.agenda.book("no-such-clinician", None, _at(DAY, 15))
    with pytest.raises(NotFound):
        secretary.agenda.book(gp, "no-such-patient", _at(DAY, 15))


def test_no_booking_on_a_closed_day(open_as):
    secretary = open_as("segreteria")
    staff = _staff(secretary)
    gp, gp2 = staff["medico"], staff["medico2"]
    secretary.schedules.add_closure(None, date(2026, 12, 8), date(2026, 12, 8),
                                    "Immacolata Concezione")
    secretary.schedules.add_closure(gp, date(2026, 12, 14), date(2026, 12, 18), "Ferie")
    with pytest.raises(InvalidInput) as refused:
        secretary.agenda.book(gp2, None, _at(date(2026, 12, 8), 9))
    assert refused.value.user_message("en") == (
        "Medico2 cannot be booked on 08/12/2026: Immacolata Concezione")
    with pytest.raises(InvalidInput, match="Ferie"):
        secretary.agenda.book(gp, None, _at(date(2026, 12, 16), 9))
    secretary.agenda.book(gp2, None, _at(date(2026, 12, 16), 9))  # only the GP is away
    visit = secretary.agenda.book(gp, None, _at(date(2026, 12, 11), 9))
    with pytest.raises(InvalidInput, match="cannot be booked on 14/12/2026"):
        secretary.agenda.move(visit, _at(date(2026, 12, 14), 9))


def test_reads_patient_names_waiting_room_and_clinicians(open_as):
    secretary, admin = open_as("segreteria"), open_as("admin")
    staff = _staff(secretary)
    gp, nurse = staff["medico"], staff["infermiere"]
    rita, ugo = _patient(secretary), _patient(secretary, "Bassi", "Ugo")
    early = secretary.agenda.book(gp, rita, _at(DAY, 9), 15)
    later = secretary.agenda.book(nurse, ugo, _at(DAY, 8), 10, kind="prelievo")
    secretary.agenda.book(gp, None, _at(DAY, 10), 15)
    secretary.agenda.check_in(early)
    secretary.agenda.check_in(later)  # arrived after Rita, though booked earlier
    waiting = admin.agenda.waiting_room(DAY)
    assert [(a.id, a.patient_name) for a in waiting] == [
        (early, "Sormani Rita"), (later, "Bassi Ugo")]
    assert [a.patient_name for a in admin.agenda.day(DAY)] == [
        "Bassi Ugo", "Sormani Rita", None]
    assert [(c.username, c.role) for c in admin.agenda.clinicians()] == [
        ("infermiere", "nurse"), ("medico", "gp"), ("medico2", "gp")]
    admin.users.deactivate("medico2")
    assert "medico2" not in {c.username for c in secretary.agenda.clinicians()}
    future = secretary.agenda.book(gp, rita, _at(DAY + timedelta(days=7), 9), 15)
    assert [a.id for a in secretary.agenda.for_patient(rita)] == [future, early]


def test_every_write_is_audited_and_logged_as_an_appointment(open_as):
    secretary = open_as("segreteria")
    gp = _staff(secretary)["medico"]
    patient = _patient(secretary)
    with secretary.feed.collect() as collected:
        visit = secretary.agenda.book(gp, patient, _at(DAY, 9), 15)
        secretary.agenda.move(visit, _at(DAY, 9, 30))
        secretary.agenda.resize(visit, 30)
        secretary.agenda.check_in(visit)
        secretary.agenda.set_status(visit, "booked")
        secretary.agenda.cancel(visit, "telefonato")
    assert collected.changes.kinds == {"appointment"}
    with secretary.db.read_engine.connect() as conn:
        ops = conn.execute(select(ChangeLogEntry.op).where(
            ChangeLogEntry.entity_id == visit).order_by(ChangeLogEntry.seq)).scalars().all()
        actions = conn.execute(select(AuditEvent.action).where(
            AuditEvent.entity_id == visit).order_by(AuditEvent.seq)).scalars().all()
    assert ops == ["create"] + ["update"] * 5
    assert actions == ["appointment.book", "appointment.move", "appointment.resize",
                       "appointment.status", "appointment.status", "appointment.cancel"]


def test_the_admin_reads_the_agenda_but_never_writes_it(open_as):
    secretary, admin = open_as("segreteria"), open_as("admin")
    gp = _staff(secretary)["medico"]
    visit = secretary.agenda.book(gp, None, _at(DAY, 9), 15)
    assert [a.id for a in admin.agenda.day(DAY)] == [visit]
    assert admin.agenda.between(DAY, DAY + timedelta(days=7)) != []
    assert admin.agenda.for_patient("nobody") == []
    writes = [
        lambda: admin.agenda.book(gp, None, _at(DAY, 10)),
        lambda: admin.agenda.move(visit, _at(DAY, 10)),
        lambda: admin.agenda.resize(visit, 30),
        lambda: admin.agenda.cancel(visit, "no"),
        lambda: admin.agenda.check_in(visit),
        lambda: admin.agenda.call(visit),
        lambda: admin.agenda.set_status(visit, "no-show"),
    ]
    for write in writes:
        with pytest.raises(AccessDenied):
            write()
    assert [a.status for a in secretary.agenda.day(DAY)] == ["booked"]


def test_the_front_desk_never_gets_the_clinical_reason(open_as):
    gp_session, secretary, nurse = open_as("medico"), open_as("segreteria"), open_as("infermiere")
    gp = gp_session.actor.user_id
    patient = _patient(secretary)
    visit = gp_session.agenda.book(gp, patient, _at(DAY, 9), 15, note="portare esami",
                                   reason="dolore toracico da sforzo")
    secretary.agenda.check_in(visit)
    reads = [secretary.agenda.day(DAY), secretary.agenda.between(DAY, DAY + timedelta(1)),
             secretary.agenda.for_patient(patient), secretary.agenda.waiting_room(DAY)]
    for (view,) in reads:
        assert view.note == "portare esami" and view.reason is None
    assert nurse.agenda.day(DAY)[0].reason == "dolore toracico da sforzo"
    with pytest.raises(AccessDenied):
        secretary.agenda.book(gp, patient, _at(DAY, 10), reason="febbre")
