"""Long-term conditions of synthetic patients: who has them, and what follows from them.

Prevalences are rough Italian age-specific figures (ISTAT, Health Search): what a GP's
list looks like, not epidemiology. A condition "managed" in chronic care brings regular
visits, labs and, where the region lists it, a PAI; the others are treated and seen at
the visits the patient has anyway.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

LIPIDS = ("Colesterolo totale", "Colesterolo HDL", "Colesterolo LDL", "Trigliceridi")


@dataclass(frozen=True)
class Condition:
    """A long-term condition: prevalence by age and sex, checks, and chronic-care goals."""

    key: str
    label: str  # how an assessment names it
    # Prevalence by age band: (minimum age, share of people of that age or older).
    prevalence: tuple[tuple[int, float], ...]
    min_onset_age: int  # the youngest plausible age at diagnosis
    female_factor: float = 1.0  # prevalence multiplier for women
    male_factor: float = 1.0  # and for men (0: that sex never has it)
    managed: bool = False  # regular follow-up visits and labs
    labs: tuple[str, ...] = ()  # observation kinds checked periodically
    lab_months: int = 12
    pai_goal: str = ""  # empty: not one of the region's chronic-care conditions

    def share(self, age: float, female: bool) -> float:
        """The chance that someone of ``age`` and sex has the condition."""
        factor = self.female_factor if female else self.male_factor
        if age < self.prevalence[0][0] or not factor:
            return 0.0
        share = self.prevalence[0][1]
        for low, band_share in self.prevalence:
            if age < low:
                break
            share = band_share
        return share * factor


CONDITIONS: tuple[Condition, ...] = (
    Condition("hypertension", "Ipertensione arteriosa",
              ((18, 0.02), (40, 0.12), (50, 0.25), (60, 0.42), (70, 0.55), (80, 0.62)), 30,
              managed=True, labs=("Creatinina", "eGFR", "Potassio", *LIPIDS), lab_months=12,
              pai_goal="PA < 140/90 mmHg; riduzione del sale; attività fisica regolare"),
    Condition("diabetes", "Diabete mellito tipo 2",
              ((18, 0.004), (40, 0.03), (50, 0.07), (60, 0.12), (70, 0.17), (80, 0.19)), 30,
              managed=True,
              labs=("HbA1c", "Glicemia", "Creatinina", "eGFR", "Microalbuminuria", *LIPIDS),
              lab_months=6,
              pai_goal="HbA1c <= 7% (53 mmol/mol); fundus oculi annuale; controllo del peso"),
    Condition("copd", "BPCO",
              ((40, 0.01), (50, 0.03), (60, 0.06), (70, 0.10), (80, 0.13)), 40,
              managed=True, labs=("FEV1",), lab_months=12,
              pai_goal="Cessazione del fumo; riduzione delle riacutizzazioni; spirometria "
                       "annuale"),
    Condition("heart_failure", "Scompenso cardiaco",
              ((50, 0.005), (60, 0.015), (70, 0.04), (80, 0.09)), 45,
              managed=True, labs=("Creatinina", "eGFR", "Potassio", "Emoglobina"),
              lab_months=6,
              pai_goal="Controllo del peso e dei sintomi; aderenza alla terapia; ECG annuale"),
    Condition("ckd", "Malattia renale cronica",
              ((50, 0.01), (60, 0.03), (70, 0.07), (80, 0.12)), 40,
              managed=True,
              labs=("Creatinina", "eGFR", "Potassio", "Microalbuminuria", "Emoglobina"),
              lab_months=6,
              pai_goal="Rallentare la progressione; evitare farmaci nefrotossici"),
    Condition("dyslipidemia", "Dislipidemia",
              ((30, 0.04), (45, 0.12), (55, 0.20), (65, 0.25), (80, 0.20)), 30,
              labs=LIPIDS, lab_months=12),
    Condition("ihd", "Cardiopatia ischemica",
              ((45, 0.01), (55, 0.03), (65, 0.06), (75, 0.09)), 45, female_factor=0.5,
              managed=True, labs=("Creatinina", "eGFR", *LIPIDS), lab_months=12,
              pai_goal="LDL < 55 mg/dL; aderenza alla doppia prevenzione; ECG annuale"),
    Condition("atrial_fibrillation", "Fibrillazione atriale",
              ((55, 0.01), (65, 0.03), (75, 0.06), (85, 0.10)), 55,
              managed=True, labs=("Creatinina", "eGFR", "Emoglobina"), lab_months=12,
              pai_goal="Aderenza alla terapia anticoagulante; controllo della frequenza"),
    Condition("hypothyroidism", "Ipotiroidismo",
              ((18, 0.02), (40, 0.05), (60, 0.08)), 18, male_factor=0.25,
              labs=("TSH",), lab_months=12),
    Condition("gerd", "Malattia da reflusso gastroesofageo",
              ((18, 0.03), (40, 0.06), (60, 0.08)), 18),
    Condition("bph", "Ipertrofia prostatica benigna",
              ((50, 0.12), (60, 0.22), (70, 0.32)), 50, female_factor=0.0),
    Condition("osteoporosis", "Osteoporosi",
              ((55, 0.07), (65, 0.16), (75, 0.26)), 55, male_factor=0.15),
    Condition("osteoarthritis", "Gonartrosi",
              ((50, 0.05), (65, 0.13), (75, 0.20)), 50),
    Condition("depression", "Disturbo depressivo",
              ((18, 0.03), (40, 0.05), (65, 0.06)), 18, female_factor=1.4, male_factor=0.6),
    Condition("anxiety", "Disturbo d'ansia",
              ((18, 0.04), (65, 0.03)), 18, female_factor=1.3, male_factor=0.7),
    Condition("asthma", "Asma bronchiale", ((14, 0.05), (40, 0.04), (65, 0.03)), 14),
    Condition("migraine", "Emicrania", ((14, 0.07), (50, 0.03)), 14, male_factor=0.35),
    Condition("allergic_rhinitis", "Rinite allergica",
              ((14, 0.08), (40, 0.05), (65, 0.02)), 14),
    Condition("gout", "Gotta", ((45, 0.02), (65, 0.04)), 45, female_factor=0.25),
    Condition("breast_cancer", "Pregressa neoplasia mammaria",
              ((45, 0.01), (55, 0.02), (70, 0.03)), 40, male_factor=0.0),
    Condition("prostate_cancer", "Neoplasia prostatica",
              ((60, 0.015), (70, 0.03)), 55, female_factor=0.0),
    Condition("obesity", "Obesità",
              ((18, 0.05), (40, 0.09), (60, 0.11), (80, 0.07)), 18),
)
CONDITION_BY_KEY: dict[str, Condition] = {c.key: c for c in CONDITIONS}
MIN_ONSET_AGE: dict[str, int] = {c.key: c.min_onset_age for c in CONDITIONS}
# The five conditions the chronic-care generator has always had (heavy charts have them all).
CORE = ("hypertension", "diabetes", "copd", "heart_failure", "ckd")

# (condition, conditions that make it likelier, multiplier)
_COMORBIDITY_LIST: tuple[tuple[str, frozenset[str], float], ...] = (
    ("ckd", frozenset({"diabetes", "hypertension"}), 2.0),
    ("heart_failure", frozenset({"hypertension", "ihd"}), 1.5),
    ("dyslipidemia", frozenset({"diabetes", "hypertension"}), 1.5),
    ("ihd", frozenset({"diabetes", "hypertension", "dyslipidemia"}), 1.5),
    ("atrial_fibrillation", frozenset({"hypertension", "heart_failure"}), 1.5),
    ("obesity", frozenset({"diabetes"}), 2.5),
    ("gout", frozenset({"ckd", "hypertension"}), 1.5),
    ("anxiety", frozenset({"depression"}), 1.5),
)


_COMORBIDITY = {key: (with_, factor) for key, with_, factor in _COMORBIDITY_LIST}


def pick_conditions(rng: random.Random, age: float, female: bool = False) -> list[Condition]:
    """The long-term conditions of someone of ``age`` and sex, in catalogue order."""
    chosen: list[Condition] = []
    keys: set[str] = set()
    for condition in CONDITIONS:
        share = condition.share(age, female)
        if not share:
            continue
        comorbidity = _COMORBIDITY.get(condition.key)
        if comorbidity and keys & comorbidity[0]:
            share *= comorbidity[1]
        if rng.random() < share:
            chosen.append(condition)
            keys.add(condition.key)
    return chosen
