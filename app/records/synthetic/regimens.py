"""Therapies that vary within the guidelines, one patient at a time.

Hypertension (ESC/ESH, SIIA): an ACE inhibitor or a sartan (a calcium-channel blocker for
a young woman), then a thiazide or amlodipine, often as a fixed combination, then both;
a beta-blocker only with heart disease. Type 2 diabetes (SID-AMD 2022): metformin first
unless the eGFR is below 30 (halved below 45), an SGLT2 inhibitor or a GLP-1 agonist with
heart or kidney disease, otherwise a DPP-4 inhibitor, an SGLT2 inhibitor or a GLP-1
agonist; a statin for the high-risk. Never two drugs of one class, never ACE inhibitor
and sartan together, never a drug of a class the patient is allergic to.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from app.records.synthetic import drugs as d
from app.records.synthetic.drugs import Drug

ACE_COUGH = "Tosse secca persistente da ACE-inibitore"
SWITCH_TO_COMBINATION = "Sostituito dall'associazione precostituita"


def _groups(atc: str) -> frozenset[str]:
    """The therapeutic groups a drug occupies (one drug per group and patient)."""
    for combination, parts in d.COMBINATIONS:
        if combination.atc == atc:
            return frozenset().union(*(_groups(part) for part in parts))
    for prefix, group in (("C09", "RAS"), ("C07", "BB"), ("C10AA", "STATIN"),
                          ("C10BA", "STATIN"), ("B01AF", "OAC"), ("C03AA", "THIAZIDE"),
                          ("C03BA", "THIAZIDE"), ("C08CA", "CCB"), ("A10BK", "SGLT2"),
                          ("A10BJ", "GLP1"), ("A10BH", "DPP4"), ("C03DA", "MRA"),
                          ("R03AC", "SABA"), ("N06AB", "SSRI"), ("M04AA", "XO")):
        if atc.startswith(prefix):
            return frozenset({group})
    return frozenset({atc[:5]})


@dataclass(frozen=True)
class TherapyPlan:
    """A drug for a condition, started some days after its diagnosis, maybe stopped."""

    drug: Drug
    key: str  # the condition it treats
    start_after: int  # days after the diagnosis
    stop_after: int | None = None  # days after its start
    stop_reason: str = ""


@dataclass
class PatientContext:
    """What the choice of a therapy depends on."""

    keys: set[str]
    age: float
    female: bool
    allergy_classes: frozenset[str] = frozenset()  # ATC level 4 of recorded allergies
    egfr: float | None = None  # chronic kidney disease only
    qualifiers: dict[str, str] = field(default_factory=dict)  # condition -> qualifier
    years: dict[str, float] = field(default_factory=dict)  # condition -> years since onset


class RegimenBuilder:
    """Collects a patient's therapies, refusing duplicates and allergies."""

    def __init__(self, rng: random.Random, context: PatientContext) -> None:
        self.rng = rng
        self.ctx = context
        self.groups: set[str] = set()
        self.plans: list[TherapyPlan] = []

    def has(self, group: str) -> bool:
        """Whether a drug of ``group`` (e.g. "RAS", "STATIN") is already planned."""
        return group in self.groups

    def add(self, drug: Drug, key: str, start_after: int = 0, *, share: float = 1.0,
            stop_after: int | None = None, stop_reason: str = "") -> bool:
        """Plan ``drug`` (with probability ``share``) unless it duplicates or is refused."""
        if share < 1.0 and self.rng.random() >= share:
            return False
        groups = _groups(drug.atc)
        if groups & self.groups or drug.atc_class in self.ctx.allergy_classes:
            return False
        if stop_after is None:
            self.groups |= groups
        self.plans.append(TherapyPlan(drug, key, start_after, stop_after, stop_reason))
        return True

    def plan(self, drug: Drug, key: str, start_after: int = 0) -> TherapyPlan | None:
        """Plan ``drug`` and return its plan (None when refused)."""
        return self.plans[-1] if self.add(drug, key, start_after) else None

    def switch(self, old: TherapyPlan, new: Drug, after: int, reason: str) -> TherapyPlan | None:
        """Stop ``old`` ``after`` days after the diagnosis and start ``new`` that day."""
        stopped = TherapyPlan(old.drug, old.key, old.start_after,
                              max(after - old.start_after, 1), reason)
        self.plans[self.plans.index(old)] = stopped
        self.groups -= _groups(old.drug.atc)
        return self.plan(new, old.key, max(after, old.start_after + 1))

    def later(self, low: int = 180, high: int = 1500) -> int:
        """Days after the diagnosis at which an add-on was started."""
        return self.rng.randint(low, high)


def _ras(b: RegimenBuilder, key: str, start: int = 0) -> TherapyPlan | None:
    """An ACE inhibitor or a sartan; some patients switched for the ACE-inhibitor cough."""
    rng = b.rng
    if rng.random() < 0.55:
        ace = b.plan(rng.choice(d.ACE_INHIBITORS), key, start)
        if ace and rng.random() < 0.08:  # the dry cough: stopped, replaced by a sartan
            return b.switch(ace, rng.choice(d.SARTANS), rng.randint(30, 240), ACE_COUGH)
        return ace
    return b.plan(rng.choice(d.SARTANS), key, start)


def _combine(first: Drug, second: Drug) -> Drug | None:
    for combination, parts in d.COMBINATIONS:
        if parts == {first.atc, second.atc}:
            return combination
    return None


def hypertension(b: RegimenBuilder) -> None:
    """Mono, dual or triple therapy; heart failure brings its own renin-angiotensin drug."""
    rng, ctx = b.rng, b.ctx
    roll = rng.random()
    steps = 1 if roll < 0.40 else 2 if roll < 0.85 else 3
    if "heart_failure" in ctx.keys or b.has("RAS"):
        b.add(rng.choice(d.AMLODIPINE[:3]), "hypertension", b.later(), share=0.3)
        return
    if ctx.female and ctx.age < 45:  # no ACE inhibitor or sartan for a possible pregnancy
        b.add(rng.choice(d.AMLODIPINE[:3]), "hypertension")
        if steps > 1:
            b.add(rng.choice(d.BETA_BLOCKERS[1:3]), "hypertension", b.later())
        return
    first = _ras(b, "hypertension")
    amlodipine_first = "ckd" in ctx.keys or rng.random() < 0.5
    pools = (d.AMLODIPINE[:3], d.THIAZIDES) if amlodipine_first else (d.THIAZIDES,
                                                                      d.AMLODIPINE[:3])
    if steps >= 2:
        second = rng.choice(pools[0])
        combination = _combine(first.drug, second) if first else None
        when = b.later()
        if first and combination and rng.random() < 0.4:
            b.switch(first, combination, when, SWITCH_TO_COMBINATION)
        else:
            b.add(second, "hypertension", when)
    if steps >= 3:
        b.add(rng.choice(pools[1]), "hypertension", b.later(400, 2000))


def diabetes(b: RegimenBuilder) -> None:
    """Metformin (by kidney function), a second drug chosen by the patient's risks."""
    rng, ctx = b.rng, b.ctx
    egfr = ctx.egfr
    if egfr is None or egfr >= 45:
        b.add(rng.choice(d.METFORMIN), "diabetes")
    elif egfr >= 30:
        b.add(d.METFORMIN_RENAL, "diabetes")
    start = 0 if egfr is not None and egfr < 30 else b.later()
    if ctx.keys & {"heart_failure", "ihd", "ckd"}:
        pool = d.SGLT2 if rng.random() < 0.7 and (egfr is None or egfr >= 25) else d.GLP1
        b.add(rng.choice(pool), "diabetes", start)
    else:
        roll = rng.random()
        second: tuple[Drug, ...] = (() if roll < 0.4 else d.DPP4 if roll < 0.65 else d.SGLT2
                                    if roll < 0.82 else d.GLP1 if roll < 0.94
                                    else (d.GLICLAZIDE,))
        if second:
            b.add(rng.choice(second), "diabetes", start)
    if ctx.years.get("diabetes", 0) > 8:
        b.add(d.INSULIN_GLARGINE, "diabetes", b.later(2000, 3000), share=0.25)
    if ctx.age >= 40 and "dyslipidemia" not in ctx.keys:
        b.add(rng.choice(d.STATINS), "diabetes", b.later(30, 400), share=0.85)


def dyslipidemia(b: RegimenBuilder) -> None:
    """A statin (high intensity with coronary disease), ezetimibe for some."""
    pool = d.HIGH_INTENSITY_STATINS if "ihd" in b.ctx.keys else d.STATINS
    if b.add(b.rng.choice(pool), "dyslipidemia", b.rng.randint(30, 200), share=0.85):
        b.add(d.EZETIMIBE, "dyslipidemia", b.later(), share=0.2)


def heart_failure(b: RegimenBuilder) -> None:
    """The four pillars and a loop diuretic, each with its usual share."""
    rng = b.rng
    roll = rng.random()
    if roll < 0.25:
        b.add(d.SACUBITRIL_VALSARTAN, "heart_failure")
    elif roll < 0.75:
        b.add(rng.choice((*d.RAMIPRIL_2_5, *d.RAMIPRIL_5)), "heart_failure")
    else:
        b.add(rng.choice(d.SARTANS[:3]), "heart_failure")
    b.add(rng.choice((*d.BETA_BLOCKERS[:3], d.CARVEDILOL)), "heart_failure", share=0.85)
    b.add(d.FUROSEMIDE, "heart_failure", share=0.9)
    mra = d.SPIRONOLACTONE if rng.random() < 0.8 else d.EPLERENONE
    b.add(mra, "heart_failure", b.later(60, 700), share=0.6)
    b.add(rng.choice(d.SGLT2), "heart_failure", b.later(), share=0.55)


def ihd(b: RegimenBuilder) -> None:
    """Antiplatelet (none when anticoagulated), beta-blocker, statin, ACE inhibitor."""
    rng, ctx = b.rng, b.ctx
    if "atrial_fibrillation" not in ctx.keys:
        antiplatelet = d.CLOPIDOGREL if "N02BA" in ctx.allergy_classes else d.ASPIRIN
        b.add(antiplatelet, "ihd")
    b.add(rng.choice(d.BETA_BLOCKERS[:3]), "ihd", share=0.8)
    b.add(rng.choice(d.HIGH_INTENSITY_STATINS), "ihd")
    if not b.has("RAS"):
        b.add(rng.choice(d.RAMIPRIL_5), "ihd", share=0.6)


def atrial_fibrillation(b: RegimenBuilder) -> None:
    """An oral anticoagulant (reduced apixaban in the very old) and rate control."""
    drug = d.APIXABAN_LOW if b.ctx.age >= 85 else b.rng.choice(d.ANTICOAGULANTS)
    b.add(drug, "atrial_fibrillation", share=0.85)
    b.add(b.rng.choice(d.BETA_BLOCKERS[:2]), "atrial_fibrillation", share=0.7)


def ckd(b: RegimenBuilder) -> None:
    """Renin-angiotensin blockade, an SGLT2 inhibitor, paricalcitol in stage IV."""
    rng, egfr = b.rng, b.ctx.egfr or 45.0
    if not b.has("RAS"):
        b.add(rng.choice((*d.RAMIPRIL_5, *d.SARTANS[:2])), "ckd", share=0.7)
    if egfr >= 25:
        b.add(d.SGLT2[1], "ckd", b.later(90, 900), share=0.4)
    if egfr < 30:
        b.add(d.PARACALCITOL, "ckd", b.later(30, 400), share=0.4)


def copd(b: RegimenBuilder) -> None:
    """A long-acting bronchodilator, inhaled steroid when severe, salbutamol as needed."""
    b.add(b.rng.choice(d.COPD_FIRST), "copd")
    severe = "GOLD 3" in b.ctx.qualifiers.get("copd", "")
    b.add(d.COPD_ADD, "copd", b.later(), share=0.8 if severe else 0.15)
    b.add(d.SALBUTAMOL, "copd", share=0.6)


def _simple(key: str, choices: tuple[Drug, ...], share: float,
            extra: tuple[Drug, float] | None = None) -> Callable[[RegimenBuilder], None]:
    def plan(b: RegimenBuilder) -> None:
        if b.add(b.rng.choice(choices), key, b.rng.randint(0, 60), share=share) and extra:
            b.add(extra[0], key, b.later(0, 200), share=extra[1])

    return plan


def migraine(b: RegimenBuilder) -> None:
    """A triptan as needed, for adults (not licensed before 18)."""
    if b.ctx.age >= 18:
        b.add(d.SUMATRIPTAN, "migraine", share=0.6)


def gout(b: RegimenBuilder) -> None:
    """Allopurinol, a lower dose with kidney disease."""
    b.add(d.ALLOPURINOL_RENAL if "ckd" in b.ctx.keys else d.ALLOPURINOL, "gout", 30, share=0.7)


def breast_cancer(b: RegimenBuilder) -> None:
    """An aromatase inhibitor for five years after surgery."""
    if b.ctx.years.get("breast_cancer", 0) < 5:
        b.add(b.rng.choice(d.AROMATASE_INHIBITORS), "breast_cancer", 60, share=0.8)


REGIMENS: dict[str, Callable[[RegimenBuilder], None]] = {
    "hypertension": hypertension,
    "diabetes": diabetes,
    "dyslipidemia": dyslipidemia,
    "heart_failure": heart_failure,
    "ihd": ihd,
    "atrial_fibrillation": atrial_fibrillation,
    "ckd": ckd,
    "copd": copd,
    "asthma": _simple("asthma", (d.SALBUTAMOL,), 0.95, (d.ASTHMA_CONTROLLER, 0.6)),
    "hypothyroidism": _simple("hypothyroidism", d.LEVOTHYROXINE, 0.9),
    "gerd": _simple("gerd", d.PPI, 0.7),
    "bph": _simple("bph", (d.TAMSULOSIN,), 0.75),
    "osteoporosis": _simple("osteoporosis", (d.ALENDRONATE,), 0.6, (d.COLECALCIFEROL, 0.9)),
    "osteoarthritis": _simple("osteoarthritis", (d.PARACETAMOL,), 0.6),
    "depression": _simple("depression", d.SSRI, 0.75),
    "anxiety": _simple("anxiety", d.SSRI, 0.5),
    "migraine": migraine,
    "allergic_rhinitis": _simple("allergic_rhinitis", (d.CETIRIZINE, d.NASAL_STEROID), 0.6),
    "gout": gout,
    "breast_cancer": breast_cancer,
    "prostate_cancer": _simple("prostate_cancer", (d.LEUPRORELIN,), 0.5),
}


def plan_therapies(rng: random.Random, keys: list[str], context: PatientContext) -> list[
        TherapyPlan]:
    """The therapies of a patient with these conditions (in the conditions' order)."""
    builder = RegimenBuilder(rng, context)
    for key in keys:
        regimen = REGIMENS.get(key)
        if regimen:
            regimen(builder)
    return builder.plans
