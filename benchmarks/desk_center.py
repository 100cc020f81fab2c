"""The front desk of a 20-GP center, added to the benchmark center as the desk would.

The benchmark center has one GP (``medico``) and one nurse (``infermiere``); this adds
19 GPs and 3 nurses (20 + 4), two secretaries, a weekly timetable for each clinician,
and a full day of appointments: the secretary books every free slot of that day
(``records.schedules.free_slots``, then ``records.agenda.book``, one write each, as
clicks on free slots do), except one slot per clinician kept free for the move.

One secretary's key is wrapped with the real scrypt cost (the program's default), the
other's with the cheap test cost, so login can be timed both ways.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.records.model import User
from app.records.services import Records
from benchmarks.build import PASSWORD, SEED

GPS = 20
NURSES = 4
SECRETARY = "segreteria"  # real scrypt cost
SECRETARY_CHEAP = "segreteria14"  # MEDIRETE_SCRYPT_LOG_N=14
GP_SLOT, NURSE_SLOT = 15, 10
SURNAMES = ("Bassi", "Colombo", "Ferrari", "Galli", "Lombardi", "Mancini", "Marino",
            "Moretti", "Neri", "Orlando", "Pellegrini", "Ricci", "Rinaldi", "Sala",
            "Testa", "Valentini", "Vitale", "Zanetti", "Conte", "Fontana", "Greco",
            "Monti", "Villa")


@dataclass
class DeskCenter:
    """What the desk benchmarks need to know about the center they run on."""

    root: Path
    day: date  # the fully booked day
    other_day: date  # same timetables, no bookings
    clinicians: int
    appointments: int
    free_slot: dict[str, Any] = field(default_factory=dict)  # clinician id -> Slot left free
    seconds: dict[str, float] = field(default_factory=dict)


@contextmanager
def _real_scrypt_cost() -> Iterator[None]:
    """New keys wrapped with the program's own scrypt cost, whatever the run set."""
    saved = os.environ.pop("MEDIRETE_SCRYPT_LOG_N", None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ["MEDIRETE_SCRYPT_LOG_N"] = saved


def booked_day(today: date | None = None) -> date:
    """A Wednesday at least two days ahead: every timetable below works that day."""
    start = (today or date.today()) + timedelta(days=2)
    return start + timedelta(days=(2 - start.weekday()) % 7)


def _timetable(number: int, nurse: bool) -> list[Any]:
    """Monday to Friday; GPs morning and afternoon (starting times differ), nurses mornings."""
    from app.records.services.agenda_views import ScheduleSpan

    if nurse:
        hours = [(clock(7, 30), clock(12, 30), NURSE_SLOT)]
    else:
        first = 8 * 60 + 30 * (number % 3)
        hours = [(clock(first // 60, first % 60), clock(first // 60 + 4, first % 60), GP_SLOT),
                 (clock(15 + number % 2, 0), clock(18 + number % 2, 30), GP_SLOT)]
    return [ScheduleSpan(weekday, starts, ends, slot)
            for weekday in range(5) for starts, ends, slot in hours]


def _add_staff(root: Path) -> None:
    admin = Records.open(root, "admin", PASSWORD)
    try:
        for n in range(1, GPS):
            admin.users.add(f"medico{n:02d}", f"Dott. {SURNAMES[n - 1]}", "gp", PASSWORD)
        for n in range(1, NURSES):
            admin.users.add(f"infermiere{n:02d}", f"Inf. {SURNAMES[GPS + n - 2]}", "nurse",
                            PASSWORD)
        admin.users.add(SECRETARY_CHEAP, "Segreteria (scrypt 2^14)", "secretary", PASSWORD)
        with _real_scrypt_cost():
            admin.users.add(SECRETARY, "Segreteria", "secretary", PASSWORD)
    finally:
        admin.close()


def _roles(desk: Records) -> dict[str, str]:
    with desk.db.read_engine.connect() as conn:
        rows = conn.execute(select(User.id, User.role).where(User.role.in_(("gp", "nurse"))))
        return {str(uid): str(role) for uid, role in rows}


def _patient_ids(desk: Records) -> list[str]:
    with desk.db.read_engine.connect() as conn:
        return [str(r[0]) for r in conn.exec_driver_sql("SELECT id FROM patient ORDER BY id")]


def _book_day(desk: Records, center: DeskCenter, roles: dict[str, str]) -> None:
    rng = random.Random(SEED)
    patients = _patient_ids(desk)
    for clinician_id, role in sorted(roles.items()):
        slots = desk.schedules.free_slots(clinician_id, center.day)
        if not slots:
            raise RuntimeError(f"no free slot for clinician {clinician_id} on {center.day}")
        keep = len(slots) // 2  # one free slot mid-day, where the move goes
        center.free_slot[clinician_id] = slots[keep]
        kind = "prelievo" if role == "nurse" else rng.choice(("visita", "visita", "controllo"))
        for i, slot in enumerate(slots):
            if i == keep:
                continue
            minutes = round((slot.ends_at - slot.starts_at).total_seconds() / 60)
            desk.agenda.book(clinician_id, rng.choice(patients), slot.starts_at, minutes,
                             kind=kind)
            center.appointments += 1


def build_desk_center(root: Path) -> DeskCenter:
    """Staff, timetables and a fully booked day; times each step."""
    day = booked_day()
    center = DeskCenter(root, day, day + timedelta(days=1), 0, 0)
    start = time.perf_counter()
    _add_staff(root)
    center.seconds["staff"] = time.perf_counter() - start
    desk = Records.open(root, SECRETARY_CHEAP, PASSWORD)
    try:
        roles = _roles(desk)
        center.clinicians = len(roles)
        start = time.perf_counter()
        for number, (clinician_id, role) in enumerate(sorted(roles.items())):
            desk.schedules.set_timetable(clinician_id, _timetable(number, role == "nurse"))
        center.seconds["timetables"] = time.perf_counter() - start
        start = time.perf_counter()
        _book_day(desk, center, roles)
        center.seconds["bookings"] = time.perf_counter() - start
    finally:
        desk.close()
    return center
