"""Vaccinations of a synthetic patient, as the national plan (PNPV) offers them.

Influenza every season from 65 or with a chronic disease; pneumococcus once and herpes
zoster (two doses) from 65; the dTpa booster every ten years; HPV at eleven (girls born
from 1996, boys from 2006); COVID-19 from 2021 (two doses and a booster, then autumn
boosters from 60). Each person has a habit: some accept everything, some little.
"""

from __future__ import annotations

from datetime import date, timedelta

from app.records.synthetic.chart import ChartBuilder
from app.records.synthetic.history import PatientFacts, visit_time

FLU = ("J07BB02", "Vaccino influenzale inattivato")
PNEUMO = ("J07AL02", "Vaccino pneumococcico coniugato")
ZOSTER = ("J07BK03", "Vaccino herpes zoster ricombinante adiuvato")
COVID = ("J07BX03", "Vaccino COVID-19 a mRNA")
DTPA = ("J07AJ52", "Vaccino difterite-tetano-pertosse acellulare (dTpa)")
HPV = ("J07BM03", "Vaccino papillomavirus 9-valente")
SITES = ("deltoide sinistro", "deltoide destro")


class _Giver:
    """Writes the doses of one patient, inside the window, by the nurse when there is one."""

    def __init__(self, chart: ChartBuilder, facts: PatientFacts, since: date,
                 nurse_ids: list[str]) -> None:
        self.chart = chart
        self.facts = facts
        self.since = since
        self.nurse_ids = nurse_ids

    def give(self, vaccine: tuple[str, str], day: date, dose: int) -> bool:
        if not self.since <= day <= self.facts.as_of or day < self.facts.birth_date:
            return False
        rng = self.chart.rng
        author = rng.choice(self.nurse_ids) if self.nurse_ids else None
        self.chart.vaccination(*vaccine, visit_time(rng, day), dose=dose,
                               site=rng.choice(SITES), author_id=author)
        return True


def vaccinations(chart: ChartBuilder, facts: PatientFacts, since: date, nurse_ids: list[str],
                 *, at_risk: bool = False) -> None:
    """Every vaccination the patient had in the window, in the order of the plan."""
    rng = chart.rng
    giver = _Giver(chart, facts, since, nurse_ids)
    acceptance = rng.choice((0.1, 0.6, 0.9))
    pneumo_given = rng.random() > 0.5
    for year in range(since.year, facts.as_of.year + 1):
        day = date(year, 10, 15) + timedelta(days=rng.randint(0, 55))
        if facts.age_on(day) < 65 and not (at_risk and facts.age_on(day) >= 18):
            continue
        if rng.random() < acceptance and giver.give(FLU, day, 1) and not pneumo_given \
                and facts.age_on(day) >= 65:
            pneumo_given = giver.give(PNEUMO, day, 1)
    _zoster(giver, acceptance)
    _covid(giver, acceptance)
    _dtpa(giver)
    _hpv(giver)


def _zoster(giver: _Giver, acceptance: float) -> None:
    rng, facts = giver.chart.rng, giver.facts
    day = date(2022, 1, 10) + timedelta(days=rng.randint(0, 1400))
    if facts.age_on(day) >= 65 and rng.random() < acceptance * 0.5 and \
            giver.give(ZOSTER, day, 1):
        giver.give(ZOSTER, day + timedelta(days=rng.randint(60, 120)), 2)


def _covid(giver: _Giver, acceptance: float) -> None:
    rng, facts = giver.chart.rng, giver.facts
    if giver.since > date(2025, 12, 31) or facts.as_of < date(2021, 3, 1):
        return
    first = date(2021, 3, 1) + timedelta(days=rng.randint(0, 150))
    if facts.age_on(first) < 12 or rng.random() >= max(acceptance, 0.8):
        return
    giver.give(COVID, first, 1)
    giver.give(COVID, first + timedelta(days=rng.randint(21, 42)), 2)
    dose = 2
    if rng.random() < 0.8:
        dose = 3
        giver.give(COVID, date(2021, 12, 1) + timedelta(days=rng.randint(0, 75)), dose)
    for year in (2022, 2023, 2024, 2025):
        day = date(year, 10, 1) + timedelta(days=rng.randint(0, 60))
        if facts.age_on(day) >= 60 and rng.random() < acceptance * 0.5:
            dose += 1
            giver.give(COVID, day, dose)


def _dtpa(giver: _Giver) -> None:
    rng, facts = giver.chart.rng, giver.facts
    due = facts.birth_date + timedelta(days=int(rng.uniform(14, 24) * 365.25))
    while due < giver.since:
        due += timedelta(days=3652)
    if rng.random() < 0.35:
        giver.give(DTPA, due, 1)


def _hpv(giver: _Giver) -> None:
    facts = giver.facts
    born = facts.birth_date.year
    if born < (1996 if facts.female else 2006) or giver.chart.rng.random() >= 0.7:
        return
    first = facts.birth_date + timedelta(days=int(11.5 * 365.25))
    if giver.give(HPV, first, 1):
        giver.give(HPV, first + timedelta(days=183), 2)
