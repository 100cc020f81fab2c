"""Consents, allergies, vaccinations and the PAI (care plan) of a synthetic patient."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from app.records.synthetic.catalog import ALLERGIES, OBSERVATION_KINDS, Condition
from app.records.synthetic.chart import ChartBuilder, at_noon
from app.records.synthetic.history import PatientFacts, visit_time

FLU = ("J07BB02", "Vaccino influenzale quadrivalente")
PNEUMO = ("J07AL02", "Vaccino pneumococcico coniugato")
CONSENT_SHARES = (("care", 1.0), ("dossier", 0.92), ("fse", 0.8))
_EXTRA_ACTIVITIES: dict[str, tuple[str, str | None, int]] = {
    "diabetes": ("Fundus oculi", None, 12),
    "copd": ("Spirometria", "20150-9", 12),
    "heart_failure": ("ECG", None, 12),
}


def consents(chart: ChartBuilder, at: datetime) -> None:
    """Consent to care, to the shared dossier and to the FSE, given or refused at enrolment."""
    for kind, share in CONSENT_SHARES:
        chart.add("consent", {
            "id": chart.ids.next_id(), "patient_id": chart.patient_id, "kind": kind,
            "granted": chart.rng.random() < share, "recorded_at": at,
            "recorded_by": chart.author_id,
        })


def allergies(chart: ChartBuilder, since: date, as_of: date) -> None:
    """None for most people, one or two for some."""
    roll = chart.rng.random()
    count = 2 if roll < 0.02 else 1 if roll < 0.10 else 0
    span = max(1, (as_of - since).days)
    for substance, atc, kind, reaction, criticality in chart.rng.sample(ALLERGIES, count):
        day = since + timedelta(days=chart.rng.randint(0, span - 1))
        chart.allergy(substance, atc, kind, reaction, criticality, at=at_noon(day))


# Conditions GPs ask about in relatives (ICD-9-CM), and the relatives they are told of.
FAMILY_CONDITIONS = (
    ("250.00", "Diabete mellito tipo 2"),
    ("401.9", "Ipertensione essenziale"),
    ("410.9", "Infarto miocardico acuto"),
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


def vaccinations(chart: ChartBuilder, facts: PatientFacts, since: date) -> None:
    """Seasonal influenza from 65 (each person with their own habit), pneumococcus once."""
    rng = chart.rng
    acceptance = rng.choice((0.1, 0.6, 0.9))
    pneumo_given = rng.random() > 0.5
    for year in range(since.year, facts.as_of.year + 1):
        day = date(year, 10, 15) + timedelta(days=rng.randint(0, 55))
        if day < since or day > facts.as_of or facts.age_on(day) < 65:
            continue
        if rng.random() < acceptance:
            chart.vaccination(*FLU, visit_time(rng, day), dose=1)
            if not pneumo_given:
                pneumo_given = True
                chart.vaccination(*PNEUMO, visit_time(rng, day), dose=1)


def _months_later(day: date, months: int) -> date:
    total = day.month - 1 + months
    return date(day.year + total // 12, total % 12 + 1, min(day.day, 28))


def care_plan(chart: ChartBuilder, conditions: list[Condition], as_of: date,
              case_manager_id: str) -> None:
    """A PAI (presa in carico): level by number of conditions, planned checks with periods."""
    rng = chart.rng
    start = as_of - timedelta(days=rng.randint(30, 700))
    count = len(conditions)
    level = 1 if count >= 4 else 2 if count >= 2 else 3
    plan = chart.entry(datetime.combine(start, datetime.min.time(), tzinfo=UTC)
                       + timedelta(hours=rng.randint(8, 16)))
    plan.update(title="PAI - presa in carico del paziente cronico", level=level,
                goals="\n".join(c.pai_goal for c in conditions), start_date=start,
                end_date=None, case_manager_id=case_manager_id)
    chart.add("care_plan", plan)
    items: dict[str, tuple[str | None, int]] = {"Visita di controllo MMG": (None, 6)}
    for condition in conditions:
        for kind in condition.labs:
            months = condition.lab_months if kind == "HbA1c" else 12
            items.setdefault(kind, (OBSERVATION_KINDS[kind].code, months))
        extra = _EXTRA_ACTIVITIES.get(condition.key)
        if extra:
            items.setdefault(extra[0], (extra[1], extra[2]))
    for description, (code, months) in items.items():
        due = _months_later(start, months)
        while due < as_of - timedelta(days=rng.randint(0, 90)):
            due = _months_later(due, months)
        row = chart.entry(plan["recorded_at"])
        row.update(care_plan_lineage_id=plan["lineage_id"], description=description, code=code,
                   period_months=months, next_due=due)
        chart.add("care_plan_activity", row)
