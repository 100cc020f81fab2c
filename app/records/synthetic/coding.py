"""How a synthetic patient's conditions are coded (ICD-9-CM) and which esenzioni follow.

An esenzione per patologia is granted for a diagnosis, so each one here names the
ICD-9-CM codes it can stand on (DM 329/1999 and its updates, as reissued by the LEA
decree of 2017): 031 only with organ damage (hypertensive heart or kidney disease,
402-404), 0A31 for essential hypertension without it (401), 021 only in NYHA class III
or IV, 023 from stage III of chronic kidney disease, 024 for chronic respiratory
failure, not for every COPD. Only codes whose meaning is certain are used.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class EsenzioneRule:
    """A disease exemption and the problems it can be granted for."""

    code: str
    description: str
    icd9_prefixes: tuple[str, ...]
    qualifiers: tuple[str, ...] = ()  # one must appear in the problem's qualifier

    def fits(self, icd9: str, qualifier: str | None) -> bool:
        """Whether a problem so coded (and qualified) supports this exemption."""
        if not icd9.startswith(self.icd9_prefixes):
            return False
        return not self.qualifiers or any(q in (qualifier or "") for q in self.qualifiers)


ESENZIONI: dict[str, EsenzioneRule] = {r.code: r for r in (
    EsenzioneRule("013", "Diabete mellito", ("250.",)),
    EsenzioneRule("031", "Ipertensione arteriosa con danno d'organo", ("402.", "403.", "404.")),
    EsenzioneRule("0A31", "Ipertensione arteriosa senza danno d'organo", ("401.",)),
    EsenzioneRule("021", "Insufficienza cardiaca (N.Y.H.A. classe III e IV)",
                  ("428.", "402.", "404."), ("NYHA III", "NYHA IV")),
    EsenzioneRule("023", "Insufficienza renale cronica", ("585.3", "585.4", "585.5", "585.6")),
    EsenzioneRule("024", "Insufficienza respiratoria cronica", ("518.83",)),
    EsenzioneRule("048", "Soggetti affetti da patologie neoplastiche maligne e da tumori di "
                  "comportamento incerto", ("174.", "185")),
)}
INCOME_ESENZIONI = frozenset({"E01", "E02", "E03", "E04"})
# Problems only one sex can have (the sex check of the demo).
MALE_ONLY_PREFIXES = ("185", "600.", "601.", "602.")
FEMALE_ONLY_PREFIXES = ("174.", "V22.", "627.", "V72.3", "V76.2")


def esenzione_fits(code: str, problems: list[tuple[str, str | None]]) -> bool:
    """Whether an exemption agrees with some (icd9, qualifier) problem of the patient."""
    if code in INCOME_ESENZIONI:
        return True
    rule = ESENZIONI.get(code)
    return rule is not None and any(rule.fits(icd9, q) for icd9, q in problems)


@dataclass(frozen=True)
class Coded:
    """One problem as the GP codes it, and the exemption it may bring."""

    key: str  # the condition it belongs to
    icd9: str
    description: str
    qualifier: str = ""
    esenzione: str | None = None  # granted if the patient applied (see ``apply_share``)
    apply_share: float = 0.0  # the share of patients who hold the exemption


@dataclass(frozen=True)
class _Who:
    keys: frozenset[str]
    age: float
    female: bool
    egfr: float | None


def _hypertension(who: _Who, rng: random.Random) -> list[Coded]:
    keys = who.keys
    ckd = "ckd" in keys and ("diabetes" not in keys or rng.random() < 0.5)
    if ckd and "heart_failure" in keys:
        return [Coded("hypertension", "404.91", "Cardionefropatia ipertensiva con insufficienza "
                      "cardiaca e malattia renale cronica stadio I-IV", "", "031", 0.8)]
    if ckd:
        return [Coded("hypertension", "403.90", "Nefropatia ipertensiva con malattia renale "
                      "cronica stadio I-IV", "", "031", 0.75)]
    if "heart_failure" in keys:
        return [Coded("hypertension", "402.91", "Cardiopatia ipertensiva con insufficienza "
                      "cardiaca", "", "031", 0.8)]
    if rng.random() < 0.15:
        return [Coded("hypertension", "402.10", "Cardiopatia ipertensiva benigna senza "
                      "insufficienza cardiaca", "ipertrofia ventricolare sinistra "
                      "all'ecocardiogramma", "031", 0.7)]
    if rng.random() < 0.75:
        return [Coded("hypertension", "401.9", "Ipertensione essenziale non specificata",
                      "", "0A31", 0.5)]
    return [Coded("hypertension", "401.1", "Ipertensione essenziale benigna", "", "0A31", 0.5)]


def _diabetes(who: _Who, rng: random.Random) -> list[Coded]:
    if "ckd" in who.keys and rng.random() < 0.6:
        return [Coded("diabetes", "250.40", "Diabete mellito tipo 2 con complicanze renali", "",
                      "013", 1.0)]
    return [Coded("diabetes", "250.00", "Diabete mellito tipo 2 senza complicanze", "", "013",
                  1.0)]


def ckd_stage(egfr: float) -> tuple[str, str, str]:
    """(ICD-9-CM code, description, qualifier) of chronic kidney disease at ``egfr``."""
    if egfr >= 60:
        return "585.2", "Malattia renale cronica, stadio II (lieve)", "con albuminuria"
    if egfr >= 30:
        sub = "stadio 3a" if egfr >= 45 else "stadio 3b"
        return "585.3", "Malattia renale cronica, stadio III (moderata)", sub
    return "585.4", "Malattia renale cronica, stadio IV (grave)", ""


def _ckd(who: _Who, _rng: random.Random) -> list[Coded]:
    code, text, qualifier = ckd_stage(who.egfr if who.egfr is not None else 45.0)
    return [Coded("ckd", code, text, qualifier, "023" if code != "585.2" else None, 0.7)]


def _copd(who: _Who, rng: random.Random) -> list[Coded]:
    code, text = (("496", "Ostruzioni croniche delle vie respiratorie, non classificate "
                   "altrove") if rng.random() < 0.5 else
                  ("491.20", "Bronchite cronica ostruttiva, senza esacerbazione"))
    severe = who.age >= 70 and rng.random() < 0.2
    gold = "GOLD 3" if severe else rng.choice(("GOLD 1", "GOLD 2", "GOLD 2"))
    coded = [Coded("copd", code, text, gold)]
    if severe:
        coded.append(Coded("copd", "518.83", "Insufficienza respiratoria cronica",
                           "in ossigenoterapia domiciliare", "024", 0.9))
    return coded


def _heart_failure(_who: _Who, rng: random.Random) -> list[Coded]:
    nyha = "NYHA III" if rng.random() < 0.4 else "NYHA II"
    code, text = rng.choice((
        ("428.0", "Scompenso cardiaco congestizio non specificato"),
        ("428.22", "Insufficienza cardiaca sistolica cronica"),
        ("428.32", "Insufficienza cardiaca diastolica cronica")))
    return [Coded("heart_failure", code, text, nyha, "021" if nyha == "NYHA III" else None, 0.8)]


def _breast_cancer(_who: _Who, rng: random.Random) -> list[Coded]:
    side = rng.choice(("sinistra", "destra"))
    return [Coded("breast_cancer", "174.4", "Tumore maligno del quadrante supero-esterno della "
                  "mammella", f"{side}, quadrantectomia e radioterapia", "048", 0.9)]


def _prostate_cancer(_who: _Who, _rng: random.Random) -> list[Coded]:
    return [Coded("prostate_cancer", "185", "Tumore maligno della prostata",
                  "in follow-up urologico", "048", 0.9)]


def _osteoporosis(who: _Who, _rng: random.Random) -> list[Coded]:
    if who.age >= 65:
        return [Coded("osteoporosis", "733.01", "Osteoporosi senile")]
    qualifier = "postmenopausale" if who.female else ""
    return [Coded("osteoporosis", "733.00", "Osteoporosi non specificata", qualifier)]


_CODERS: dict[str, Callable[[_Who, random.Random], list[Coded]]] = {
    "hypertension": _hypertension,
    "diabetes": _diabetes,
    "ckd": _ckd,
    "copd": _copd,
    "heart_failure": _heart_failure,
    "breast_cancer": _breast_cancer,
    "prostate_cancer": _prostate_cancer,
    "osteoporosis": _osteoporosis,
}


_SIMPLE: dict[str, tuple[tuple[float, str, str, str], ...]] = {
    # key: (cumulative share, code, description, qualifier) alternatives
    "dyslipidemia": ((0.6, "272.0", "Ipercolesterolemia pura", ""),
                     (0.85, "272.2", "Iperlipidemia mista", ""),
                     (1.0, "272.4", "Altre e non specificate iperlipidemie", "")),
    "hypothyroidism": ((0.5, "244.9", "Ipotiroidismo non specificato", "tiroidite di Hashimoto"),
                       (1.0, "244.9", "Ipotiroidismo non specificato", "")),
    "gerd": ((1.0, "530.81", "Reflusso esofageo", ""),),
    "bph": ((0.6, "600.00", "Ipertrofia prostatica benigna senza ostruzione urinaria", ""),
            (1.0, "600.01", "Ipertrofia prostatica benigna con sintomi delle basse vie urinarie "
             "(LUTS)", "")),
    "osteoarthritis": ((0.5, "715.16", "Artrosi localizzata primaria, ginocchio", "bilaterale"),
                       (0.75, "715.16", "Artrosi localizzata primaria, ginocchio", "destro"),
                       (1.0, "715.16", "Artrosi localizzata primaria, ginocchio", "sinistro")),
    "atrial_fibrillation": ((0.5, "427.31", "Fibrillazione atriale", "permanente"),
                            (0.75, "427.31", "Fibrillazione atriale", "persistente"),
                            (1.0, "427.31", "Fibrillazione atriale", "parossistica")),
    "ihd": ((0.5, "414.01", "Aterosclerosi coronarica di arteria coronarica nativa",
             "pregresso infarto, angioplastica con stent"),
            (1.0, "414.01", "Aterosclerosi coronarica di arteria coronarica nativa",
             "angina stabile")),
    "depression": ((1.0, "311", "Disturbo depressivo, non classificato altrove", ""),),
    "anxiety": ((1.0, "300.02", "Disturbo ansioso generalizzato", ""),),
    "asthma": ((0.7, "493.00", "Asma estrinseca", "lieve persistente"),
               (1.0, "493.00", "Asma estrinseca", "moderata persistente")),
    "migraine": ((1.0, "346.10", "Emicrania comune senza aura", ""),),
    "allergic_rhinitis": ((1.0, "477.0", "Rinite allergica da pollini", "graminacee"),),
    "gout": ((1.0, "274.9", "Gotta non specificata", ""),),
    "obesity": ((1.0, "278.00", "Obesità non specificata", ""),),
}


def _pick(key: str, rng: random.Random) -> Coded:
    roll = rng.random()
    _share, code, text, qualifier = next(a for a in _SIMPLE[key] if roll < a[0])
    return Coded(key, code, text, qualifier)


def code_conditions(keys: list[str], rng: random.Random, *, age: float, female: bool,
                    ckd_egfr: float | None = None) -> list[Coded]:
    """The coded problems of a patient with these conditions (one or two per condition)."""
    who = _Who(frozenset(keys), age, female, ckd_egfr)
    coded: list[Coded] = []
    for key in keys:
        coder = _CODERS.get(key)
        coded.extend(coder(who, rng) if coder else [_pick(key, rng)])
    return coded
