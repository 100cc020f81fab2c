"""The shape of a synthetic history: how much of it, about whom, and when things happen."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from app.records.synthetic.catalog import LIPIDS
from app.records.synthetic.coding import Coded
from app.records.synthetic.conditions import MIN_ONSET_AGE
from app.records.synthetic.drugs import Drug
from app.records.synthetic.places import rome_to_utc
from app.records.synthetic.regimens import TherapyPlan


@dataclass(frozen=True)
class HistoryProfile:
    """How much history to write: window length, visit spacing, what each visit measures."""

    window_days: int
    visit_days: tuple[int, int]
    acute_per_year: float
    all_vitals: bool = False  # every visit measures every vital sign (heavy charts)
    lab_days: int | None = None  # fixed lab spacing overriding each condition's period
    renew_days: int = 55  # chronic prescriptions are renewed at most this often
    # Repeat prescriptions asked for at the desk between visits (None: at visits only).
    renew_every: tuple[int, int] | None = (80, 120)
    # Lab tests and referrals on the ricetta (not in the benchmark's centers, for volume).
    orders: bool = True
    height: bool = True  # measured at the first visit of the window (BMI needs it)


# The benchmark's 200,000 patients: one year; drugs renewed at visits; no orders; the
# height measured before the year.
LIGHT = HistoryProfile(window_days=365, visit_days=(120, 200), acute_per_year=0.3,
                       renew_every=None, orders=False, height=False)
FULL = HistoryProfile(window_days=3650, visit_days=(75, 130), acute_per_year=0.5)
HEAVY = HistoryProfile(window_days=7305, visit_days=(7, 11), acute_per_year=0.0,
                       all_vitals=True, lab_days=61, renew_days=90)
YEARLY_LABS = frozenset({*LIPIDS, "Microalbuminuria", "FEV1", "TSH", "Emoglobina"})
# What a lab computes from another result: never ordered, reported with it.
DERIVED = {"eGFR": "Creatinina", "Colesterolo LDL": "Colesterolo totale"}
ROUTINE_LABS = ("Glicemia", "Creatinina", "eGFR", *LIPIDS)


@dataclass
class PatientFacts:
    """What the history generator needs to know about the person."""

    birth_date: date
    female: bool
    as_of: date
    onsets: dict[str, date]
    registered: date | None = None

    def age_on(self, day: date) -> float:
        """Age in years on ``day``."""
        return (day - self.birth_date).days / 365.25


@dataclass(frozen=True)
class Script:
    """A history written to order (a named demo patient): coding, therapies, last labs."""

    coded: tuple[Coded, ...]
    therapies: tuple[TherapyPlan, ...]
    ckd_egfr: float | None = None
    egfr_decline: float | None = None  # mL/min/1.73 m2 a year
    last_labs: tuple[date, dict[str, float]] | None = None  # the day and forced values

    def forced_on(self, day: date) -> dict[str, float]:
        """The lab values forced on ``day`` (none on other days)."""
        return self.last_labs[1] if self.last_labs and self.last_labs[0] == day else {}


@dataclass
class Therapy:
    """A therapy as written: what, since when, until when, for which problem."""

    drug: Drug
    key: str
    start: date
    end: date | None
    lineage: str
    problem_id: str | None
    esenzione: str | None

    def current_on(self, day: date) -> bool:
        """Taken on ``day``."""
        return self.start <= day and (self.end is None or self.end > day)


@dataclass
class Written:
    """What the history wrote that other parts (PAI, documents) build on."""

    coded: list[Coded] = field(default_factory=list)
    problem_ids: dict[str, list[str]] = field(default_factory=dict)
    esenzioni: dict[str, str] = field(default_factory=dict)  # condition -> code
    therapies: list[Therapy] = field(default_factory=list)
    lab_results: list[tuple[datetime, dict[str, float]]] = field(default_factory=list)


def pick_onset(rng: random.Random, birth: date, as_of: date, condition: str = "") -> date:
    """A diagnosis date: years ago exponentially distributed, after the condition's usual age."""
    years = min(rng.expovariate(1 / 7.0), 40.0)
    onset = as_of - timedelta(days=int(years * 365.25) + 1)
    floor = birth + timedelta(days=int(MIN_ONSET_AGE.get(condition, 25) * 365.25))
    if onset >= floor:
        return onset
    if floor >= as_of:
        # Younger than usual: a recent diagnosis rather than one on a birthday.
        return max(as_of - timedelta(days=rng.randint(30, 365)), birth + timedelta(days=1))
    return floor + timedelta(days=rng.randint(0, (as_of - floor).days - 1))


def weekday_on_or_before(day: date) -> date:
    """``day``, or the Friday before it when it falls on a weekend (never after ``day``,
    so nothing generated lands after the center's "today")."""
    return day - timedelta(days=max(day.weekday() - 4, 0))


def visit_time(rng: random.Random, day: date) -> datetime:
    """An office-hours time on ``day``, or the Friday before a weekend (Italian time, UTC)."""
    hour = rng.choice((9, 10, 11, 12, 15, 16, 17, 18))
    return rome_to_utc(weekday_on_or_before(day), hour, rng.choice((0, 15, 30, 45)))


def lab_time(rng: random.Random, day: date) -> datetime:
    """A morning blood-draw time on ``day``, or the Friday before a weekend."""
    return rome_to_utc(weekday_on_or_before(day), rng.choice((7, 8, 9)),
                       rng.choice((0, 10, 20, 30, 40, 50)))
