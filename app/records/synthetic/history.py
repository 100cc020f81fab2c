"""A patient's clinical history: chronic conditions, therapies, visits, labs and acute episodes."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.records.synthetic.catalog import (
    ACUTE_EPISODES,
    CONDITIONS,
    FOLLOW_UP_PHRASES,
    LIPIDS,
    PLAN_PHRASES,
    AcuteEpisode,
    Condition,
    Drug,
)
from app.records.synthetic.chart import ChartBuilder
from app.records.synthetic.places import rome_to_utc
from app.records.synthetic.trends import Trend, egfr_ckd_epi, patient_trends


@dataclass(frozen=True)
class HistoryProfile:
    """How much history to write: window length, visit spacing, what each visit measures."""

    window_days: int
    visit_days: tuple[int, int]
    acute_per_year: float
    all_vitals: bool = False  # every visit measures every vital sign (heavy charts)
    lab_days: int | None = None  # fixed lab spacing overriding each condition's period
    renew_days: int = 55  # chronic prescriptions are renewed at most this often


LIGHT = HistoryProfile(window_days=365, visit_days=(120, 200), acute_per_year=0.3)
FULL = HistoryProfile(window_days=3650, visit_days=(75, 130), acute_per_year=0.5)
HEAVY = HistoryProfile(window_days=7305, visit_days=(7, 11), acute_per_year=0.0,
                       all_vitals=True, lab_days=61)


@dataclass
class PatientFacts:
    """What the history generator needs to know about the person."""

    birth_date: date
    female: bool
    as_of: date
    onsets: dict[str, date]

    def age_on(self, day: date) -> float:
        """Age in years on ``day``."""
        return (day - self.birth_date).days / 365.25


def pick_conditions(rng: random.Random, age: float) -> list[Condition]:
    """The chronic conditions of someone of ``age``, by Italian age-specific prevalence."""
    chosen: list[Condition] = []
    keys: set[str] = set()
    for condition in CONDITIONS:
        share = next(p for low, p in reversed(condition.prevalence) if age >= low)
        if condition.key == "ckd" and keys & {"diabetes", "hypertension"}:
            share *= 2.0
        if condition.key == "heart_failure" and "hypertension" in keys:
            share *= 1.5
        if rng.random() < share:
            chosen.append(condition)
            keys.add(condition.key)
    return chosen


# The youngest plausible age at diagnosis: COPD before 40 or heart failure before 45
# would be a rarity in a GP's list, not the norm.
MIN_ONSET_AGE = {"hypertension": 30, "diabetes": 30, "copd": 40, "heart_failure": 45, "ckd": 40}


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


def _weekday(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def visit_time(rng: random.Random, day: date) -> datetime:
    """An office-hours time on the first working day from ``day`` (Italian time, as UTC)."""
    hour = rng.choice((9, 10, 11, 12, 15, 16, 17, 18))
    return rome_to_utc(_weekday(day), hour, rng.choice((0, 15, 30, 45)))


def lab_time(rng: random.Random, day: date) -> datetime:
    """A morning blood-draw time on the first working day from ``day``."""
    return rome_to_utc(_weekday(day), rng.choice((7, 8, 9)), rng.choice((0, 10, 20, 30, 40, 50)))


class HistoryWriter:
    """Writes one patient's history into a ChartBuilder, in chronological order."""

    def __init__(self, chart: ChartBuilder, facts: PatientFacts, conditions: list[Condition],
                 profile: HistoryProfile, nurse_ids: list[str]) -> None:
        self.chart = chart
        self.rng = chart.rng
        self.facts = facts
        self.conditions = conditions
        self.profile = profile
        self.nurse_ids = nurse_ids
        self.window_start = facts.as_of - timedelta(days=profile.window_days)
        self.trends: dict[str, Trend] = patient_trends(
            self.rng, facts.female, facts.onsets, self.window_start)
        self.therapy: list[tuple[Drug, date, str | None]] = []  # drug, start, esenzione
        self.esenzioni: set[str] = set()
        self.last_lab: dict[str, date] = {}
        self.last_renewal = date.min

    def write(self) -> None:
        """Problems and therapies, then visits, labs and acute episodes in the window."""
        for condition in self.conditions:
            self._start_condition(condition)
        events: list[tuple[date, int]] = []
        if self.conditions:
            events += [(d, 0) for d in self._spaced(self.profile.visit_days)]
            lab_spacing = self.profile.lab_days or min(c.lab_months for c in self.conditions) * 30
            events += [(d, 1) for d in self._spaced((lab_spacing - 10, lab_spacing + 10))]
        years = self.profile.window_days / 365.25
        for _ in range(self._poisson(self.profile.acute_per_year * years)):
            day = self.window_start + timedelta(days=self.rng.randint(1, self.profile.window_days))
            events.append((day, 2))
        for day, kind in sorted(events):
            if kind == 0:
                self._follow_up(day)
            elif kind == 1:
                self._labs(day)
            else:
                self._acute(day, self.rng.choice(ACUTE_EPISODES))

    def _poisson(self, mean: float) -> int:
        count, total = 0, self.rng.expovariate(1.0) if mean > 0 else float("inf")
        while total < mean:
            count += 1
            total += self.rng.expovariate(1.0)
        return count

    def _spaced(self, spacing: tuple[int, int]) -> list[date]:
        start = max(self.window_start, min(self.facts.onsets.values()))
        day = start + timedelta(days=self.rng.randint(1, spacing[1]))
        days = []
        while day < self.facts.as_of:
            days.append(day)
            day += timedelta(days=self.rng.randint(*spacing))
        return days

    def _start_condition(self, condition: Condition) -> None:
        onset = self.facts.onsets[condition.key]
        self.chart.problem(condition.icd9, condition.description, onset)
        esenzione: str | None = None
        if condition.key == "diabetes" or self.rng.random() < 0.6:
            self.chart.esenzione(condition, onset + timedelta(days=self.rng.randint(20, 120)))
            esenzione = condition.esenzione
        therapy_start = onset + timedelta(days=self.rng.randint(0, 60))
        drugs = list(condition.first_line)
        later = [d for d in condition.add_on if self.rng.random() < 0.4]
        taken = {d.atc for d, _, _ in self.therapy}
        for i, drug in enumerate(drugs + later):
            start = therapy_start if i < len(drugs) else therapy_start + timedelta(
                days=self.rng.randint(180, 1800))
            if drug.atc in taken or start >= self.facts.as_of:
                continue
            taken.add(drug.atc)
            self.chart.medication(drug, start, chronic=True)
            self.therapy.append((drug, start, esenzione))

    def _vitals(self, day: date) -> dict[str, float]:
        keys = {"PA sistolica", "PA diastolica"}
        condition_keys = {c.key for c in self.conditions}
        if self.profile.all_vitals:
            keys |= {"Frequenza cardiaca", "Peso", "SpO2"}
        else:
            if condition_keys & {"diabetes", "heart_failure"} or self.rng.random() < 0.4:
                keys.add("Peso")
            if "heart_failure" in condition_keys:
                keys.add("Frequenza cardiaca")
            if "copd" in condition_keys:
                keys.add("SpO2")
        values = {k: self.trends[k].value(self.rng, day) for k in sorted(keys)}
        if self.profile.all_vitals:
            values["Glicemia"] = 28.7 * self.trends["HbA1c"].value(self.rng, day) - 46.7
        values["PA diastolica"] = min(values["PA diastolica"], values["PA sistolica"] - 25)
        return values

    def _follow_up(self, day: date) -> None:
        at = visit_time(self.rng, day)
        values = self._vitals(at.date())
        objective = f"PA {values['PA sistolica']:.0f}/{values['PA diastolica']:.0f} mmHg"
        if "Peso" in values:
            objective += f", peso {values['Peso']:.1f} kg".replace(".", ",")
        if "Frequenza cardiaca" in values:
            objective += f", FC {values['Frequenza cardiaca']:.0f} bpm"
        assessment = "; ".join(c.description.split(",")[0] for c in self.conditions)
        controlled = values["PA sistolica"] < 140 and values["PA diastolica"] < 90
        assessment += ". Buon compenso." if controlled else ". Compenso non ottimale."
        kind = "home" if self.facts.age_on(day) >= 85 and self.rng.random() < 0.3 else "ambulatory"
        encounter = self.chart.encounter(at, self.rng.choice(FOLLOW_UP_PHRASES), objective + ".",
                                         assessment, self.rng.choice(PLAN_PHRASES),
                                         kind=kind)
        author = None
        if self.nurse_ids and self.rng.random() < 0.3:
            author = self.rng.choice(self.nurse_ids)
        for key, value in values.items():
            self.chart.observation(key, value, at, encounter_id=encounter["id"], author_id=author)
        if (day - self.last_renewal).days >= self.profile.renew_days:
            self.last_renewal = day
            for drug, start, esenzione in self.therapy:
                if start <= day:
                    self.chart.prescription(drug, at, esenzione)

    def _due(self, kind: str, day: date, months: int) -> bool:
        last = self.last_lab.get(kind)
        return last is None or (day - last).days >= months * 30 - 20

    def _labs(self, day: date) -> None:
        at = lab_time(self.rng, day)
        wanted: list[str] = []
        for condition in self.conditions:
            for kind in condition.labs:
                yearly = kind in LIPIDS or kind in ("Microalbuminuria", "FEV1")
                months = 12 if yearly else condition.lab_months
                if self.profile.lab_days and kind != "FEV1":
                    months = 0  # heavy charts: the whole panel every time
                if kind not in wanted and self._due(kind, day, months):
                    wanted.append(kind)
        for kind in wanted:
            self.last_lab[kind] = day
            self.chart.observation(kind, self._lab_value(kind, at.date()), at,
                                   source="device" if kind == "FEV1" else "lab")

    def _lab_value(self, kind: str, day: date) -> float:
        if kind == "eGFR":
            creatinine = max(0.4, self.trends["Creatinina"].value(self.rng, day))
            return egfr_ckd_epi(creatinine, self.facts.age_on(day), self.facts.female)
        if kind == "Colesterolo LDL":
            total = self.trends["Colesterolo totale"].value(self.rng, day)
            hdl = self.trends["Colesterolo HDL"].value(self.rng, day)
            return total - hdl - self.trends["Trigliceridi"].value(self.rng, day) / 5
        if kind == "Glicemia":
            return 28.7 * self.trends["HbA1c"].value(self.rng, day) - 46.7 + self.rng.gauss(0, 12)
        return self.trends[kind].value(self.rng, day)

    def _acute(self, day: date, episode: AcuteEpisode) -> None:
        at = visit_time(self.rng, day)
        plan = "Rivalutazione se persistenza dei sintomi."
        if episode.drug:
            plan = f"{episode.drug.name}, {episode.drug.dosage}. {plan}"
        self.chart.encounter(at, episode.subjective, episode.objective, episode.description, plan)
        if self.rng.random() < 0.5:
            self.chart.problem(episode.icd9, episode.description, at.date(),
                               resolved_on=at.date() + timedelta(days=self.rng.randint(5, 20)))
        if episode.drug:
            self.chart.medication(episode.drug, at.date(), chronic=False,
                                  end=at.date() + timedelta(days=7))
            self.chart.prescription(episode.drug, at, None, quantity=1)
