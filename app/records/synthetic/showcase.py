"""The demo's named patient, whose story the documentation and the tests tell.

Maggi Emilia, 84, type 2 diabetes and hypertension for decades, chronic kidney disease
for eight years. Her metformin was halved when her eGFR fell below 45; her last eGFR,
five weeks ago, is 27 mL/min/1.73 m², and metformin is still in her current therapy:
exactly what the metformin/eGFR safety warning is for. Dates are relative to the demo's
"today", so her story is the same whenever the demo is built.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from app.records.synthetic import drugs as d
from app.records.synthetic.coding import Coded
from app.records.synthetic.history import Script
from app.records.synthetic.regimens import TherapyPlan

SURNAME, GIVEN_NAME = "Maggi", "Emilia"
LAST_EGFR = 27.0
LAST_LAB_DAYS_AGO = 38
METFORMIN_HALVED = "Dose ridotta: eGFR inferiore a 45 mL/min/1,73 m²"
# years before "today" of each diagnosis
ONSET_YEARS = {"hypertension": 25.3, "diabetes": 18.1, "dyslipidemia": 17.9, "ckd": 8.2,
               "osteoarthritis": 11.5}


@dataclass(frozen=True)
class Showcase:
    """Who the named patient is and the history written for her."""

    surname: str
    given_name: str
    birth_date: date
    onsets: dict[str, date]
    script: Script
    allergy: tuple[str, str, str, str]  # substance, ATC, reaction, criticality


def _days(years: float) -> int:
    return int(years * 365.25)


def maggi_emilia(as_of: date) -> Showcase:
    """Maggi Emilia's demographics and history, relative to ``as_of``."""
    onsets = {key: as_of - timedelta(days=_days(years)) for key, years in ONSET_YEARS.items()}
    halved = _days(ONSET_YEARS["diabetes"] - 6.0)  # days after her diabetes diagnosis
    coded = (
        Coded("hypertension", "403.90", "Nefropatia ipertensiva con malattia renale cronica "
              "stadio I-IV", "", "031", 1.0),
        Coded("diabetes", "250.40", "Diabete mellito tipo 2 con complicanze renali", "", "013",
              1.0),
        Coded("dyslipidemia", "272.0", "Ipercolesterolemia pura"),
        Coded("ckd", "585.3", "Malattia renale cronica, stadio III (moderata)", "stadio 3b",
              "023", 1.0),
        Coded("osteoarthritis", "715.16", "Artrosi localizzata primaria, ginocchio",
              "bilaterale"),
    )
    therapies = (
        TherapyPlan(d.RAMIPRIL_5[0], "hypertension", 35),
        TherapyPlan(d.AMLODIPINE[0], "hypertension", _days(12.0)),
        TherapyPlan(d.METFORMIN[0], "diabetes", 20, halved - 20, METFORMIN_HALVED),
        TherapyPlan(d.METFORMIN_RENAL, "diabetes", halved),
        TherapyPlan(d.DPP4[1], "diabetes", _days(ONSET_YEARS["diabetes"] - 5.2)),
        TherapyPlan(d.ATORVASTATIN_20[0], "dyslipidemia", 60),
        TherapyPlan(d.PARACETAMOL, "osteoarthritis", 40),
    )
    last_lab = as_of - timedelta(days=LAST_LAB_DAYS_AGO)
    script = Script(coded, therapies, ckd_egfr=52.0, egfr_decline=2.3,
                    last_labs=(last_lab, {"eGFR": LAST_EGFR}))
    birth = as_of - timedelta(days=_days(84.0) + 131)
    return Showcase(SURNAME, GIVEN_NAME, birth, onsets, script,
                    ("Amoxicillina", "J01CA04", "Orticaria generalizzata", "high"))
