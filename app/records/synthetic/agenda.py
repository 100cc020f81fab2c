"""A synthetic center's agenda: weekly timetables, public holidays, four weeks of bookings.

The clinicians' timetables depend only on their place in the staff list, so the patient
generator (``center.py``) places its own appointments inside the same slots. The agenda
written here covers the two weeks before and after the center's "today": most past
visits seen, some no-shows and cancellations, today's morning under way (a waiting room
with people in it at the demo's clock), and the coming days booked. Everything follows
from the seed and the day.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import Connection, insert, select

from app.records.agenda_time import (
    format_clock,
    italian_holidays,
    local_day_bounds,
    local_to_utc,
)
from app.records.journal import append_changes
from app.records.model import Appointment, Base, Patient
from app.records.services.agenda_views import ScheduleSpan
from app.records.slots import Interval, day_slots, fitting, free
from app.records.synthetic.ids import IdClock

Row = dict[str, object]
# (code, minutes, weight): what a GP's and a nurse's days are made of.
GP_VISITS = (("visita", 15, 45), ("controllo", 15, 27), ("ricetta", 5, 14),
             ("prima visita", 30, 7), ("ecg", 20, 4), ("spirometria", 30, 3))
NURSE_VISITS = (("prelievo", 10, 55), ("medicazione", 20, 35), ("ecg", 20, 10))
_GP_MORNINGS = (("08:30", "12:30"), ("09:00", "12:30"), ("08:00", "12:00"), ("09:00", "13:00"))
# The first two GPs between them cover every weekday afternoon (the center is open all
# day), so the demo's waiting room is under way whenever it is built on a weekday.
_GP_AFTERNOON_DAYS = ((1, 3), (0, 2, 4), (2, 4), (0, 3), (1, 4))
_GP_AFTERNOONS = (("15:00", "18:30"), ("15:30", "19:00"), ("14:30", "18:00"))
_NURSE_MORNINGS = (("08:00", "11:00"), ("07:30", "10:30"))
_REASONS = {
    "visita": ("Tosse e febbre da tre giorni", "Dolore lombare", "Cefalea ricorrente",
               "Dolore al ginocchio destro", "Vertigini", "Mal di gola", "Stanchezza"),
    "controllo": ("Controllo pressione arteriosa", "Controllo glicemia ed emoglobina glicata",
                  "Rivalutazione della terapia", "Esiti degli esami del sangue",
                  "Controllo dopo il ricovero"),
    "prima visita": ("Nuovo assistito: anamnesi e terapia in corso",),
    "medicazione": ("Medicazione ferita chirurgica", "Medicazione ulcera venosa",
                    "Rimozione punti di sutura"),
    "ecg": ("ECG di controllo",),
    "spirometria": ("Spirometria di controllo (BPCO)",),
}
_DESK_NOTES = ("portare gli esami recenti", "chiede un certificato", "accompagnata dalla figlia",
               "portare la tessera sanitaria", "ricetta dei farmaci abituali")
_CANCEL_REASONS = ("Il paziente ha disdetto per telefono", "Paziente con influenza",
                   "Impegno di lavoro del paziente", "Spostato su richiesta del paziente",
                   "Disdetto via email")


def _span(weekday: int, hours: tuple[str, str], slot_minutes: int) -> ScheduleSpan:
    starts, ends = (time.fromisoformat(h) for h in hours)
    return ScheduleSpan(weekday, starts, ends, slot_minutes)


def gp_timetable(index: int) -> list[ScheduleSpan]:
    """The weekly timetable of the center's ``index``-th GP: five mornings, two or three
    afternoons."""
    slot = 20 if index % 4 == 3 else 15
    spans = [_span(day, _GP_MORNINGS[index % 4], slot) for day in range(5)]
    spans += [_span(day, _GP_AFTERNOONS[index % 3], slot)
              for day in _GP_AFTERNOON_DAYS[index % 5]]
    return sorted(spans, key=lambda s: (s.weekday, s.starts))


def nurse_timetable(index: int) -> list[ScheduleSpan]:
    """The ``index``-th nurse: blood draws on weekday mornings, one afternoon of dressings."""
    spans = [_span(day, _NURSE_MORNINGS[index % 2], 10) for day in range(5)]
    spans.append(_span(2 if index % 2 == 0 else 1, ("14:00", "16:00"), 20))
    return sorted(spans, key=lambda s: (s.weekday, s.starts))


@dataclass(frozen=True)
class AgendaSpec:
    """Whose agenda, around which day, from which seed."""

    gp_ids: tuple[str, ...]
    nurse_ids: tuple[str, ...]
    as_of: date  # the center's "today" (local)
    seed: int
    booked_by: str = "segreteria"  # the appointments' created_by
    days_before: int = 14
    days_after: int = 14
    clock: time = time(10, 20)  # the demo's "now" on as_of: the morning is under way

    def timetables(self) -> dict[str, list[ScheduleSpan]]:
        """Each clinician's weekly timetable."""
        found = {gp: gp_timetable(i) for i, gp in enumerate(self.gp_ids)}
        return found | {nurse: nurse_timetable(i) for i, nurse in enumerate(self.nurse_ids)}


@dataclass
class AgendaRows:
    """The rows of an agenda, by table, ready for Core inserts."""

    tables: dict[str, list[Row]] = field(default_factory=lambda: {
        "work_schedule": [], "closure": [], "appointment": [], "appointment_note": []})

    def add(self, table: str, row: Row) -> None:
        """Append one row."""
        self.tables[table].append(row)


@dataclass(frozen=True)
class _Day:
    """One clinician's local day being filled."""

    clinician_id: str
    day: date
    visits: tuple[tuple[str, int, int], ...]
    patients: Sequence[str]


class AgendaPlanner:
    """Plans the rows of the agenda; ``taken`` holds bookings already in the record."""

    def __init__(self, spec: AgendaSpec, patients_by_gp: Mapping[str, Sequence[str]],
                 taken: Mapping[str, Sequence[Interval]] | None = None) -> None:
        self.spec = spec
        self.patients_by_gp = patients_by_gp
        self.everyone = sorted({p for pool in patients_by_gp.values() for p in pool})
        self.taken = taken or {}
        self.rng = random.Random(f"agenda:{spec.seed}:{spec.as_of.isoformat()}")
        self.ids = IdClock.starting_on(random.Random(f"agenda-ids:{spec.seed}"),
                                       spec.as_of - timedelta(days=spec.days_before + 1))
        self.first = spec.as_of - timedelta(days=spec.days_before)
        self.last = spec.as_of + timedelta(days=spec.days_after)
        self.now = local_to_utc(spec.as_of, spec.clock)
        self.rows = AgendaRows()
        self.closed: dict[date, str] = {}
        self.leave: dict[str, date] = {}

    def plan(self) -> AgendaRows:
        """Timetables, closures, then each clinician's days in order."""
        spec = self.spec
        timetables = spec.timetables()
        for clinician_id, spans in timetables.items():
            for span in spans:
                self.rows.add("work_schedule", {
                    "id": self.ids.next_id(), "clinician_id": clinician_id,
                    "weekday": span.weekday, "starts": format_clock(span.starts),
                    "ends": format_clock(span.ends), "slot_minutes": span.slot_minutes,
                    "valid_from": None, "valid_to": None})
        self._closures()
        for clinician_id, spans in timetables.items():
            nurse = clinician_id in spec.nurse_ids
            pool = self.everyone if nurse else self.patients_by_gp.get(clinician_id, ())
            if not pool:
                continue
            day = self.first
            while day <= self.last:
                if day not in self.closed and self.leave.get(clinician_id) != day:
                    self._fill(_Day(clinician_id, day, NURSE_VISITS if nurse else GP_VISITS,
                                    pool), spans)
                day += timedelta(days=1)
        return self.rows

    def _closures(self) -> None:
        years = range(self.first.year, self.spec.as_of.year + 2)
        holidays = {d: name for y in years for d, name in italian_holidays(y).items()
                    if d >= self.first}
        for day in sorted(holidays):
            self._closure(None, day, holidays[day])
        self.closed = holidays
        if len(self.spec.gp_ids) > 1:  # the second GP has a training day next week
            day = self.spec.as_of + timedelta(days=8)
            while day.weekday() >= 5 or day in holidays:
                day += timedelta(days=1)
            self.leave[self.spec.gp_ids[1]] = day
            self._closure(self.spec.gp_ids[1], day, "Formazione ECM")

    def _closure(self, clinician_id: str | None, day: date, description: str) -> None:
        self.rows.add("closure", {"id": self.ids.next_id(), "clinician_id": clinician_id,
                                  "starts_on": day, "ends_on": day,
                                  "description": description})

    def _fill(self, day: _Day, spans: Sequence[ScheduleSpan]) -> None:
        slots = day_slots(spans, day.day)
        if not slots:
            return
        rng = self.rng
        ahead = (day.day - self.spec.as_of).days
        rate = rng.uniform(0.66, 0.88) - 0.012 * max(0, ahead - 3)  # later weeks emptier
        open_slots = free(slots, self.taken.get(day.clinician_id, ()))
        seen_today: set[str] = set()
        codes, weights = [v[:2] for v in day.visits], [v[2] for v in day.visits]
        for _attempt in range(len(slots) * 2):
            if len(slots) - len(open_slots) >= rate * len(slots):
                break
            code, minutes = rng.choices(codes, weights)[0]
            starts = fitting(open_slots, minutes)
            if not starts:
                continue
            at = rng.choice(starts)
            patient = rng.choice(day.patients)
            if patient in seen_today:
                continue
            seen_today.add(patient)
            if self._appointment(day.clinician_id, patient, at, code) != "cancelled":
                open_slots = free(open_slots, [at])

    def _appointment(self, clinician_id: str, patient_id: str, at: Interval,
                     code: str) -> str:
        rng = self.rng
        starts, ends = at
        row: Row = {
            "id": self.ids.next_id(), "clinician_id": clinician_id, "patient_id": patient_id,
            "starts_at": starts, "ends_at": ends, "kind": code, "status": "booked",
            "created_by": self.spec.booked_by, "arrived_at": None, "called_at": None,
            "cancel_reason": None,
            "desk_note": rng.choice(_DESK_NOTES) if rng.random() < 0.1 else None,
        }
        if code == "prelievo":
            row["desk_note"] = "a digiuno"
        row |= self._status(starts, ends)
        self.rows.add("appointment", row)
        reasons = _REASONS.get(code)
        if reasons and rng.random() < 0.5:  # why the patient comes: the clinical file
            self.rows.add("appointment_note", {
                "appointment_id": row["id"], "patient_id": patient_id, "note": None,
                "clinical_reason": rng.choice(reasons)})
        return str(row["status"])

    def _status(self, starts: datetime, ends: datetime) -> Row:
        """Where the appointment stands at the demo's "now"."""
        rng, now = self.rng, self.now
        minute = timedelta(minutes=1)
        if starts > now:
            if rng.random() < 0.04:
                return {"status": "cancelled", "cancel_reason": rng.choice(_CANCEL_REASONS)}
            if starts <= now + 45 * minute and rng.random() < 0.75:  # early, in the waiting room
                return {"status": "arrived", "arrived_at": now - rng.randint(1, 25) * minute}
            return {}
        roll = rng.random()
        if roll < 0.06:
            return {"status": "cancelled", "cancel_reason": rng.choice(_CANCEL_REASONS)}
        if roll < 0.13 and ends <= now:
            return {"status": "no-show"}
        arrived = starts - rng.randint(2, 20) * minute
        called = min(starts + rng.randint(0, 10) * minute, now)
        status = "seen" if ends <= now else "in-visit"
        return {"status": status, "arrived_at": arrived, "called_at": called}


@dataclass
class AgendaSummary:
    """Rows written, by table."""

    counts: dict[str, int]

    @property
    def total_rows(self) -> int:
        """Every row written."""
        return sum(self.counts.values())


def write_agenda(conn: Connection, spec: AgendaSpec, *, change_log: bool = True) -> AgendaSummary:
    """Plan and insert the agenda inside the caller's transaction (clinical file attached).

    Patients are booked with their own GP (any patient with a nurse); the bookings the
    patient generator already made are kept and counted in each day's fill.
    """
    everyone = set(spec.gp_ids) | set(spec.nurse_ids)
    by_gp: dict[str, list[str]] = {}
    for patient_id, gp_id in conn.execute(
            select(Patient.id, Patient.gp_id).order_by(Patient.id)):
        by_gp.setdefault(gp_id or "", []).append(patient_id)
    start = local_day_bounds(spec.as_of - timedelta(days=spec.days_before))[0]
    taken: dict[str, list[Interval]] = {}
    for row in conn.execute(select(
            Appointment.clinician_id, Appointment.starts_at, Appointment.ends_at).where(
            Appointment.starts_at >= start, Appointment.status != "cancelled")):
        if row.clinician_id in everyone:
            taken.setdefault(row.clinician_id, []).append((row.starts_at, row.ends_at))
    rows = AgendaPlanner(spec, by_gp, taken).plan()
    counts: dict[str, int] = {}
    for table, table_rows in rows.tables.items():
        if not table_rows:
            continue
        conn.execute(insert(Base.metadata.tables[table]), table_rows)
        if change_log:
            key = "appointment_id" if table == "appointment_note" else "id"
            append_changes(conn, [(table, str(r[key]), "create", r) for r in table_rows])
        counts[table] = len(table_rows)
    return AgendaSummary(counts)
