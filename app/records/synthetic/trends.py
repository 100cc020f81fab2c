"""Plausible, slowly trending values for one patient's measurements."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Trend:
    """A value that moves from ``start`` toward ``treated`` after ``anchor``, then drifts."""

    anchor: date
    start: float
    treated: float
    response_years: float
    drift_per_year: float
    noise: float

    def value(self, rng: random.Random, day: date) -> float:
        """The value measured on ``day`` (with measurement noise)."""
        years = max(0.0, (day - self.anchor).days / 365.25)
        decay = math.exp(-years / self.response_years)
        settled = self.treated + (self.start - self.treated) * decay
        return float(settled + self.drift_per_year * years + rng.gauss(0.0, self.noise))


def egfr_ckd_epi(creatinine: float, age: float, female: bool) -> float:
    """eGFR by the CKD-EPI 2009 equation (race term omitted), mL/min/1.73 m2."""
    kappa, alpha = (0.7, -0.329) if female else (0.9, -0.411)
    ratio = creatinine / kappa
    value = 141 * min(ratio, 1.0) ** alpha * max(ratio, 1.0) ** -1.209 * 0.993**age
    return float(value * 1.018 if female else value)


def creatinine_for_egfr(egfr: float, age: float, female: bool) -> float:
    """The creatinine (mg/dL) that gives ``egfr`` by CKD-EPI 2009 (the inverse of the above)."""
    kappa, alpha = (0.7, -0.329) if female else (0.9, -0.411)
    base = 141 * 0.993**age * (1.018 if female else 1.0)
    ratio = (egfr / base) ** (1 / alpha)  # creatinine at or below kappa: the alpha branch
    if ratio > 1.0:
        ratio = (egfr / base) ** (1 / -1.209)
    return float(ratio * kappa)


def _flat(anchor: date, level: float, noise: float, drift: float = 0.0) -> Trend:
    return Trend(anchor, level, level, 1.0, drift, noise)


def patient_trends(
    rng: random.Random, female: bool, onsets: dict[str, date], window_start: date, *,
    ckd_egfr: tuple[float, float] | None = None, age: float = 50.0,
) -> dict[str, Trend]:
    """One trend per measured quantity, shaped by the patient's sex and conditions.

    With chronic kidney disease the eGFR itself trends (``ckd_egfr``: its value at the
    diagnosis and its yearly decline) and the creatinine follows from it; otherwise the
    creatinine trends and the eGFR is computed from it.
    """
    u = rng.uniform
    t: dict[str, Trend] = {}
    htn = onsets.get("hypertension")
    t["PA sistolica"] = (
        Trend(htn, u(148, 172), u(126, 142), 0.4, u(0.0, 0.8), 7.0)
        if htn else _flat(window_start, u(110, 132), 6.0, 0.4)
    )
    t["PA diastolica"] = (
        Trend(htn, u(90, 100), u(76, 86), 0.4, 0.0, 4.5)
        if htn else _flat(window_start, u(68, 80), 4.0)
    )
    hf = onsets.get("heart_failure")
    t["Frequenza cardiaca"] = Trend(hf, u(80, 95), u(60, 68), 0.3, 0.0, 4.0) if hf else (
        _flat(window_start, u(62, 80), 5.0))
    diabetes = onsets.get("diabetes")
    if age < 18:
        weight = u(45, 62) if female else u(52, 72)
    else:
        weight = (u(55, 78) if female else u(68, 92)) + (u(6, 16) if diabetes else 0.0)
    if onsets.get("obesity"):
        weight = max(weight, (u(88, 110) if female else u(100, 125)))
    t["Peso"] = _flat(window_start, weight, 1.2 if hf else 0.8, u(-0.4, 0.5))
    t["Altezza"] = _flat(window_start, u(152, 172) if female else u(164, 186), 0.0)
    copd = onsets.get("copd")
    t["SpO2"] = Trend(copd, 95.0, u(91, 95), 3.0, -0.15, 1.0) if copd else (
        _flat(window_start, u(96, 99), 0.8))
    t["HbA1c"] = (
        Trend(diabetes, u(7.4, 9.8), u(6.3, 7.4), 0.4, u(0.0, 0.05), 0.28)
        if diabetes else _flat(window_start, u(5.0, 5.8), 0.15)
    )
    ckd = onsets.get("ckd")
    base_creatinine = u(0.62, 0.9) if female else u(0.8, 1.1)
    t["Creatinina"] = _flat(window_start, base_creatinine, 0.05, 0.005)
    if ckd and ckd_egfr is not None:
        start, decline = ckd_egfr
        t["eGFR"] = Trend(ckd, start, start, 1.0, -decline, 1.5)
    statin_from = diabetes or htn
    total = u(195, 265)
    t["Colesterolo totale"] = (
        Trend(statin_from, total, u(155, 190), 0.5, 0.0, 11.0) if statin_from
        else _flat(window_start, total, 11.0, 0.8)
    )
    t["Colesterolo HDL"] = _flat(window_start, u(48, 68) if female else u(38, 55), 4.0)
    t["Trigliceridi"] = _flat(window_start, u(80, 170) + (u(20, 80) if diabetes else 0.0), 22.0)
    t["Potassio"] = _flat(window_start, u(4.4, 5.0) if ckd else u(3.9, 4.6), 0.22)
    anaemic = ckd or onsets.get("heart_failure")
    t["Emoglobina"] = _flat(window_start, (u(12.2, 14.2) if female else u(13.4, 16.0))
                            - (u(0.8, 2.0) if anaemic else 0.0), 0.35)
    hypo = onsets.get("hypothyroidism")
    t["TSH"] = (Trend(hypo, u(6.5, 12.0), u(1.2, 3.8), 0.3, 0.0, 0.5) if hypo
                else _flat(window_start, u(0.9, 3.2), 0.4))
    t["FEV1"] = (
        Trend(copd, u(1.3, 2.3) * (0.8 if female else 1.0), u(1.3, 2.3) * (0.8 if female else 1.0),
              1.0, -0.05, 0.07) if copd else _flat(window_start, u(2.6, 3.8), 0.1, -0.03)
    )
    t["Microalbuminuria"] = (
        _flat(window_start, u(60, 280), 25.0, 8.0) if ckd
        else _flat(window_start, u(8, 60), 6.0, 3.0) if diabetes
        else _flat(window_start, u(3, 15), 2.0)
    )
    return t
