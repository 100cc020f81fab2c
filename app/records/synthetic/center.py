"""A whole synthetic center: patients with their charts, streamed one at a time."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from app.records.agenda_time import italian_holidays
from app.records.search_keys import search_key
from app.records.slots import Interval, day_slots
from app.records.synthetic.agenda import gp_timetable, nurse_timetable
from app.records.synthetic.care import allergies, care_plan, consents, family_history
from app.records.synthetic.chart import ChartBuilder, Rows, at_noon
from app.records.synthetic.conditions import CONDITION_BY_KEY, Condition, pick_conditions
from app.records.synthetic.history import (
    FULL,
    HEAVY,
    LIGHT,
    HistoryProfile,
    HistoryWriter,
    PatientFacts,
    Script,
    Written,
    pick_onset,
    weekday_on_or_before,
)
from app.records.synthetic.ids import IdClock
from app.records.synthetic.people import Person, PersonFactory
from app.records.synthetic.showcase import Showcase, maggi_emilia
from app.records.synthetic.vaccines import vaccinations

History = Literal["full", "light", "none"]
ATS_MILANO = "030321"
PROFILES: dict[str, HistoryProfile] = {"full": FULL, "light": LIGHT}
# Heavy charts: a multimorbid elderly patient, conditions diagnosed this many years ago.
HEAVY_ONSET_YEARS = {"hypertension": 22, "diabetes": 20, "copd": 15, "ckd": 10,
                     "heart_failure": 8}
# Chronic conditions that bring the seasonal influenza vaccine before 65.
AT_RISK = frozenset({"diabetes", "copd", "heart_failure", "ckd", "ihd", "asthma"})


@dataclass(frozen=True)
class CenterSpec:
    """What to generate: how many patients, for which staff, how much history."""

    patients: int
    seed: int
    gp_ids: tuple[str, ...]
    nurse_ids: tuple[str, ...] = ()
    history: History = "full"
    heavy_charts: int = 0
    as_of: date = date(2025, 1, 15)
    # The demo's extras: small PDFs filed in charts, and the named patient (Maggi Emilia)
    # right after the heavy charts.
    documents: bool = False
    showcase: bool = False


@dataclass(frozen=True)
class PatientChart:
    """One generated patient: its id, every row by table, and whether it is a heavy chart."""

    patient_id: str
    rows: Rows
    heavy: bool


class _Agenda:
    """Free slots of each clinician's timetable over the next four weeks; no double booking.

    The timetables are the synthetic agenda's (``synthetic/agenda.py``), so these bookings
    fit the slots the agenda shows, never on a public holiday.
    """

    def __init__(self, as_of: date, gp_ids: tuple[str, ...], nurse_ids: tuple[str, ...]) -> None:
        self.as_of = as_of
        self.timetables = {gp: gp_timetable(i) for i, gp in enumerate(gp_ids)}
        self.timetables |= {nurse: nurse_timetable(i) for i, nurse in enumerate(nurse_ids)}
        years = {as_of.year, (as_of + timedelta(days=28)).year}
        self.holidays = {d for year in years for d in italian_holidays(year)}
        self.slots: dict[tuple[str, date], list[Interval]] = {}
        self.taken: set[tuple[str, datetime]] = set()

    def book(self, rng: random.Random, clinician: str) -> datetime | None:
        for _ in range(6):
            day = self.as_of + timedelta(days=rng.randint(1, 28))
            if day.weekday() >= 5 or day in self.holidays:
                continue
            key = (clinician, day)
            if key not in self.slots:
                self.slots[key] = day_slots(self.timetables[clinician], day)
            if not self.slots[key]:
                continue
            starts, _ends = rng.choice(self.slots[key])
            if (clinician, starts) not in self.taken:
                self.taken.add((clinician, starts))
                return starts
        return None


class CenterGenerator:
    """Generates the patients of one center deterministically from the seed."""

    def __init__(self, spec: CenterSpec) -> None:
        if not spec.gp_ids:
            raise ValueError("a center needs at least one GP id")
        self.spec = spec
        self.ids = IdClock.starting_on(random.Random(f"ids:{spec.seed}"),
                                       spec.as_of - timedelta(days=1))
        self.showcase = maggi_emilia(spec.as_of) if spec.showcase else None
        reserved = frozenset({(self.showcase.surname, self.showcase.given_name)}) \
            if self.showcase else frozenset()
        self.people = PersonFactory(spec.seed, spec.as_of, reserved)
        self.agenda = _Agenda(spec.as_of, spec.gp_ids, spec.nurse_ids)

    def __iter__(self) -> Iterator[PatientChart]:
        for index in range(self.spec.patients):
            yield self.patient(index)

    def patient(self, index: int) -> PatientChart:
        """The chart of the patient at ``index`` (call in index order: ids follow calls)."""
        spec = self.spec
        rng = random.Random(f"{spec.seed}:{index}")
        heavy = index < spec.heavy_charts
        named = self.showcase if index == spec.heavy_charts else None
        if named:
            person = self.people.make_named(rng, index, (named.surname, named.given_name, "F"),
                                            named.birth_date)
        else:
            person = self.people.make(rng, index, min_age=72 if heavy else None)
        gp_id = spec.gp_ids[index % len(spec.gp_ids)]
        chart = ChartBuilder(self.ids, rng, self.ids.next_id(), gp_id)
        registered = self._registered(rng, person, heavy or named is not None)
        chart.add("patient", _patient_row(chart.patient_id, person, gp_id, registered))
        consents(chart, registered)
        if spec.history != "none" or heavy or named:
            family_history(chart, registered)
            conditions = self._history(chart, person, registered, heavy, named)
            self._appointment(chart, gp_id, bool(conditions), certain=named is not None)
        return PatientChart(chart.patient_id, chart.rows, heavy)

    def _registered(self, rng: random.Random, person: Person, long_ago: bool) -> datetime:
        earliest = person.birth_date + timedelta(days=14 * 366)
        back = 7400 if long_ago else rng.randint(1, 15 * 365)
        day = max(earliest, self.spec.as_of - timedelta(days=back))
        # Never on or after "today" (someone who turns 14 tomorrow registered yesterday).
        day = weekday_on_or_before(min(day, self.spec.as_of - timedelta(days=1)))
        return datetime.combine(day, time(9, 0), tzinfo=UTC) + timedelta(
            minutes=rng.randint(0, 540))

    def _history(self, chart: ChartBuilder, person: Person, registered: datetime, heavy: bool,
                 named: Showcase | None) -> list[Condition]:
        spec, rng = self.spec, chart.rng
        female = person.sex == "F"
        age = (spec.as_of - person.birth_date).days / 365.25
        script: Script | None = None
        if heavy:
            conditions = [CONDITION_BY_KEY[k] for k in HEAVY_ONSET_YEARS]
            onsets = {k: spec.as_of - timedelta(days=int(y * 365.25) + rng.randint(1, 60))
                      for k, y in HEAVY_ONSET_YEARS.items()}
            profile = HEAVY
        elif named:
            conditions = [CONDITION_BY_KEY[k] for k in named.onsets]
            onsets, script, profile = dict(named.onsets), named.script, FULL
        else:
            conditions = pick_conditions(rng, age, female)
            onsets = {
                c.key: pick_onset(rng, person.birth_date, spec.as_of, c.key) for c in conditions
            }
            profile = PROFILES[spec.history]
        facts = PatientFacts(person.birth_date, female, spec.as_of, onsets,
                             registered.date())
        window_start = spec.as_of - timedelta(days=profile.window_days)
        if named:
            substance, atc, reaction, criticality = named.allergy
            chart.allergy(substance, atc, "allergy", reaction, criticality,
                          at=at_noon(registered.date()))
            avoid = frozenset({atc[:5]})
        else:
            avoid = allergies(chart, max(window_start, person.birth_date), spec.as_of)
        income = None
        if age >= 65 and rng.random() < 0.2:
            income = "E01"
            chart.income_esenzione(date(spec.as_of.year - rng.randint(0, 5), 4, 1), None)
        written = HistoryWriter(chart, facts, conditions, profile, list(spec.nurse_ids),
                                allergy_classes=avoid, income=income, script=script).write()
        at_risk = any(c.key in AT_RISK for c in conditions)
        vaccinations(chart, facts, window_start, list(spec.nurse_ids), at_risk=at_risk)
        if conditions and (heavy or named or rng.random() < 0.5):
            manager = rng.choice(spec.nurse_ids) if spec.nurse_ids else chart.author_id
            care_plan(chart, conditions, spec.as_of, manager)
        if spec.documents:
            self._documents(chart, person, written, onsets)
        return conditions

    def _documents(self, chart: ChartBuilder, person: Person, written: Written,
                   onsets: dict[str, date]) -> None:
        from app.records.synthetic.documents import file_documents  # reportlab: demo only

        file_documents(chart, person, written, onsets, self.spec.as_of)

    def _appointment(self, chart: ChartBuilder, gp_id: str, chronic: bool, *,
                     certain: bool = False) -> None:
        rng = chart.rng
        if rng.random() >= (0.15 if chronic else 0.04) and not certain:
            return
        nurse = chronic and bool(self.spec.nurse_ids) and rng.random() < 0.4
        clinician = rng.choice(self.spec.nurse_ids) if nurse else gp_id
        starts = self.agenda.book(rng, clinician)
        if starts is None:
            return
        # One slot each: a nurse's slots last 10 or 20 minutes, a GP's 15 or 20.
        kind, minutes = ("prelievo", 10) if nurse else ("visita", 15)
        appointment_id = self.ids.next_id()
        chart.add("appointment", {
            "id": appointment_id, "clinician_id": clinician, "patient_id": chart.patient_id,
            "starts_at": starts, "ends_at": starts + timedelta(minutes=minutes), "kind": kind,
            "status": "booked", "desk_note": None, "created_by": clinician,
        })
        if chronic:  # why the patient comes: clinical content, in the clinical file
            chart.add("appointment_note", {
                "appointment_id": appointment_id, "patient_id": chart.patient_id,
                "note": None, "clinical_reason": "Controllo periodico",
            })


def _patient_row(patient_id: str, person: Person, gp_id: str,
                 registered: datetime) -> dict[str, object]:
    return {
        "id": patient_id, "codice_fiscale": person.codice_fiscale,
        "tessera_sanitaria": person.tessera_sanitaria, "surname": person.surname,
        "given_name": person.given_name, "surname_key": search_key(person.surname),
        "given_key": search_key(person.given_name), "sex": person.sex,
        "birth_date": person.birth_date, "birth_place": person.birthplace.name,
        "birth_place_code": person.birthplace.code,
        "birth_province": person.birthplace.province,
        "residence_address": person.address.street, "residence_city": person.address.city,
        "residence_postcode": person.address.postcode, "domicile_address": None,
        "domicile_city": None, "domicile_postcode": None,
        "phone": person.phone, "mobile": person.mobile, "email": person.email,
        "phone_key": person.phone_key, "mobile_key": person.mobile_key,
        "gp_id": gp_id, "ats_code": ATS_MILANO, "created_at": registered,
        "updated_at": registered,
    }
