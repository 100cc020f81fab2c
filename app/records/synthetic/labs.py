"""The lab side of a history: tests ordered on the ricetta, drawn, and their results;
specialist referrals when they are due."""

from __future__ import annotations

import random
from datetime import date, datetime

from app.records.synthetic.chart import ChartBuilder
from app.records.synthetic.orders import LAB_ORDERS, LAB_QUESTIONS, REFERRALS, ROUTINE_QUESTION
from app.records.synthetic.timeline import HistoryProfile, PatientFacts, Script, Written, lab_time
from app.records.synthetic.trends import Trend, creatinine_for_egfr, egfr_ckd_epi


class LabBench:
    """Orders, draws and remembers one patient's tests (what is due, the last values)."""

    def __init__(self, chart: ChartBuilder, facts: PatientFacts, profile: HistoryProfile,
                 trends: dict[str, Trend], out: Written, *, script: Script | None,
                 income: str | None) -> None:
        self.chart = chart
        self.rng: random.Random = chart.rng
        self.facts = facts
        self.profile = profile
        self.trends = trends
        self.out = out
        self.script = script
        self.income = income
        self.last_lab: dict[str, date] = {}
        self.last_order: dict[tuple[str, str], date] = {}
        self.last_values: dict[str, float] = {}


    def due(self, kind: str, day: date, months: int) -> bool:
        """Whether ``kind`` was last drawn at least ``months`` ago (or never)."""
        last = self.last_lab.get(kind)
        return last is None or (day - last).days >= months * 30 - 20

    def order(self, at: datetime, lab_day: date, wanted: list[str],
              keys: list[str]) -> list[str]:
        """The ricetta for each test (issued at ``at``); returns what it names."""
        if lab_day > self.facts.as_of or not self.profile.orders:
            return []
        key = next((k for k in keys if k in LAB_QUESTIONS), None)
        question = LAB_QUESTIONS[key] if key else ROUTINE_QUESTION
        problem = self.out.problem_ids[key][0] if key else None
        esenzione = self.out.esenzioni.get(key or "", self.income)
        names = []
        for kind in wanted:
            if kind in LAB_ORDERS:
                code, name = LAB_ORDERS[kind]
                self.chart.order("lab", code, name, at, priority="P", question=question,
                                 esenzione=esenzione, problem_id=problem)
                names.append(name.lower() if name[1:].islower() else name)
        return names

    def draw(self, day: date, wanted: list[str]) -> None:
        """The blood draw on ``day`` and its results (forced ones for a scripted patient)."""
        if day > self.facts.as_of:
            return
        at = lab_time(self.rng, day)
        values = self.values(wanted, at.date())
        forced = self.script.forced_on(day) if self.script else {}
        values.update(forced)
        if "eGFR" in forced:
            values["Creatinina"] = creatinine_for_egfr(values["eGFR"], self.facts.age_on(day),
                                                       self.facts.female)
        for kind in wanted:
            self.last_lab[kind] = day
            self.chart.observation(kind, values[kind], at,
                                   source="device" if kind == "FEV1" else "lab")
        self.last_values.update(values)
        self.out.lab_results.append((at, {k: values[k] for k in wanted}))

    def values(self, wanted: list[str], day: date) -> dict[str, float]:
        """Values on ``day`` from the trends; creatinine and eGFR agree (CKD-EPI)."""
        values: dict[str, float] = {}
        age = self.facts.age_on(day)
        if {"eGFR", "Creatinina"} & set(wanted):
            if "eGFR" in self.trends:
                egfr = max(8.0, self.trends["eGFR"].value(self.rng, day))
                values["Creatinina"] = creatinine_for_egfr(egfr, age, self.facts.female)
            else:
                values["Creatinina"] = max(0.4, self.trends["Creatinina"].value(self.rng, day))
            values["eGFR"] = egfr_ckd_epi(values["Creatinina"], age, self.facts.female)
        for kind in wanted:
            if kind in values:
                continue
            if kind == "Colesterolo LDL":
                total = self.trends["Colesterolo totale"].value(self.rng, day)
                hdl = self.trends["Colesterolo HDL"].value(self.rng, day)
                values[kind] = total - hdl - self.trends["Trigliceridi"].value(self.rng, day) / 5
            elif kind == "Glicemia":
                values[kind] = (28.7 * self.trends["HbA1c"].value(self.rng, day) - 46.7
                                + self.rng.gauss(0, 12))
            else:
                values[kind] = self.trends[kind].value(self.rng, day)
        return values

    def refer(self, at: datetime, keys: list[str]) -> list[str]:
        """Specialist visits and exams now due for these conditions; returns their names."""
        names: list[str] = []
        if not self.profile.orders:
            return names
        for key in keys:
            for referral in REFERRALS.get(key, ()):
                last = self.last_order.get((key, referral.name))
                if last is not None and (at.date() - last).days < referral.months * 30 - 20:
                    continue
                if self.rng.random() >= 0.8:
                    continue
                self.last_order[(key, referral.name)] = at.date()
                recent = (at.date() - self.facts.onsets[key]).days < 365
                self.chart.order("specialist", referral.code, referral.name, at,
                                 priority="D" if recent else "P", question=referral.question,
                                 esenzione=self.out.esenzioni.get(key, self.income),
                                 problem_id=self.out.problem_ids[key][0])
                names.append(referral.name.lower())
        return names
