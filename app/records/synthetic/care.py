"""Consents, allergies, family history and the PAI (care plan) of a synthetic patient."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from app.records.synthetic.catalog import ALLERGIES, NO_KNOWN_ALLERGY, OBSERVATION_KINDS
from app.records.synthetic.chart import ChartBuilder, at_noon
from app.records.synthetic.conditions import Condition
from app.records.synthetic.history import DERIVED, YEARLY_LABS

CONSENT_SHARES = (("care", 1.0), ("dossier", 0.92), ("fse", 0.8))
# Planned exams that are not lab tests: (description, code, months); the code is the
# LOINC of the result when the exam yields one (a spirometry's FEV1).
_EXTRA_ACTIVITIES: dict[str, tuple[str, str | None, int]] = {
    "diabetes": ("Esame del fundus oculi", None, 12),
    "copd": ("Spirometria", "20150-9", 12),
    "heart_failure": ("Elettrocardiogramma", None, 12),
    "ihd": ("Elettrocardiogramma", None, 12),
    "atrial_fibrillation": ("Elettrocardiogramma", None, 12),
}
LIFESTYLE_GOAL = ("Stile di vita: astensione dal fumo, alcol con moderazione, attività fisica "
                  "almeno 150 minuti a settimana, controllo del peso")


def consents(chart: ChartBuilder, at: datetime) -> None:
    """Consent to care, to the shared dossier and to the FSE, given or refused at enrolment."""
    for kind, share in CONSENT_SHARES:
        chart.add("consent", {
            "id": chart.ids.next_id(), "patient_id": chart.patient_id, "kind": kind,
            "granted": chart.rng.random() < share, "recorded_at": at,
            "recorded_by": chart.author_id,
        })


def allergies(chart: ChartBuilder, since: date, as_of: date) -> frozenset[str]:
    """One or two allergies for some, "nessuna allergia nota" recorded for most, nothing
    recorded for the rest; returns the ATC classes (level 4) the patient must not get."""
    roll = chart.rng.random()
    count = 2 if roll < 0.02 else 1 if roll < 0.10 else 0
    span = max(1, (as_of - since).days)
    day = since + timedelta(days=chart.rng.randint(0, span - 1))
    if count == 0:
        if roll < 0.70:
            chart.allergy(NO_KNOWN_ALLERGY, None, "none_known", None, None, at=at_noon(day))
        return frozenset()
    classes = set()
    for substance, atc, kind, reaction, criticality in chart.rng.sample(ALLERGIES, count):
        chart.allergy(substance, atc, kind, reaction, criticality, at=at_noon(day))
        if atc:
            classes.add(atc[:5])
    return frozenset(classes)


# Conditions GPs ask about in relatives (ICD-9-CM), and the relatives they are told of.
FAMILY_CONDITIONS = (
    ("250.00", "Diabete mellito tipo 2"),
    ("401.9", "Ipertensione essenziale"),
    ("410.90", "Infarto miocardico acuto"),
    ("174.9", "Tumore maligno della mammella"),
    ("153.9", "Tumore maligno del colon"),
    ("331.0", "Malattia di Alzheimer"),
    ("434.91", "Ictus ischemico"),
)
RELATIVES = ("MTH", "FTH", "MTH", "FTH", "BRO", "SIS")
FEMALE_RELATIVES = ("MTH", "SIS")


def family_history(chart: ChartBuilder, at: datetime) -> None:
    """None, one or two conditions in relatives, taken at registration.

    Drawn from a random stream of its own, so adding family history left every other
    value of the synthetic centers as it was (only the ids after it moved on).
    """
    rng = random.Random(f"family:{chart.patient_id}")
    roll = rng.random()
    count = 2 if roll < 0.15 else 1 if roll < 0.5 else 0
    for code, text in rng.sample(FAMILY_CONDITIONS, count):
        row = chart.entry(at, rng=rng)
        relatives = FEMALE_RELATIVES if code == "174.9" else RELATIVES
        row.update(relationship=rng.choice(relatives), description=text, icd9_code=code,
                   age_at_onset=rng.randint(42, 82), deceased=rng.random() < 0.3, note="")
        chart.add("family_history", row)


def _months_later(day: date, months: int) -> date:
    total = day.month - 1 + months
    return date(day.year + total // 12, total % 12 + 1, min(day.day, 28))


def care_plan(chart: ChartBuilder, conditions: list[Condition], as_of: date,
              case_manager_id: str) -> None:
    """A PAI (presa in carico): level by number of chronic conditions, goals (lifestyle
    always), planned checks with their periods."""
    eligible = [c for c in conditions if c.pai_goal]
    if not eligible:
        return
    rng = chart.rng
    start = as_of - timedelta(days=rng.randint(30, 700))
    count = len(eligible)
    level = 1 if count >= 4 else 2 if count >= 2 else 3
    plan = chart.entry(datetime.combine(start, datetime.min.time(), tzinfo=UTC)
                       + timedelta(hours=rng.randint(8, 16)))
    goals = [c.pai_goal for c in eligible] + [LIFESTYLE_GOAL]
    plan.update(title="PAI - presa in carico del paziente cronico", level=level,
                goals="\n".join(goals), start_date=start, end_date=None,
                case_manager_id=case_manager_id)
    chart.add("care_plan", plan)
    items: dict[str, tuple[str | None, int]] = {"Visita di controllo MMG": (None, 6)}
    for condition in eligible:
        for kind in condition.labs:
            if kind in DERIVED:
                continue
            months = 12 if kind in YEARLY_LABS else condition.lab_months
            items.setdefault(kind, (OBSERVATION_KINDS[kind].code, months))
        extra = _EXTRA_ACTIVITIES.get(condition.key)
        if extra:
            items.setdefault(extra[0], (extra[1], extra[2]))
    items["Vaccinazione antinfluenzale"] = (None, 12)
    for description, (code, months) in items.items():
        due = _months_later(start, months)
        while due < as_of - timedelta(days=rng.randint(0, 90)):
            due = _months_later(due, months)
        row = chart.entry(plan["recorded_at"])
        row.update(care_plan_lineage_id=plan["lineage_id"], description=description, code=code,
                   period_months=months, next_due=due)
        chart.add("care_plan_activity", row)
