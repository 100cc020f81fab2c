"""Synthetic charts: deterministic, plausible, time-aware, and a heavy chart of the right size."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from app.records.synthetic import CenterGenerator, CenterSpec, PatientChart

AS_OF = date(2025, 3, 1)
GPS = ("gp-1", "gp-2", "gp-3")
NURSES = ("nurse-1",)


def _charts(
    seed: int, history: str = "full", patients: int = 300, heavy: int = 0
) -> list[PatientChart]:
    spec = CenterSpec(
        patients=patients,
        seed=seed,
        gp_ids=GPS,
        nurse_ids=NURSES,
        history=history,
        heavy_charts=heavy,
        as_of=AS_OF,
    )  # type: ignore[arg-type]
    return list(CenterGenerator(spec))


def _digest(charts: list[PatientChart]) -> str:
    body = json.dumps([c.rows for c in charts], sort_keys=True, default=str)
    return hashlib.sha256(body.encode()).hexdigest()


def _rows(charts: list[PatientChart], table: str) -> list[dict[str, Any]]:
    return [row for c in charts for row in c.rows.get(table, [])]


@pytest.fixture(scope="module")
def full_charts() -> list[PatientChart]:
    return _charts(11)


@pytest.fixture(scope="module")
def heavy_chart() -> PatientChart:
    return _charts(5, history="none", patients=1, heavy=1)[0]


def test_same_seed_same_bytes_other_seed_other_data(full_charts: list[PatientChart]) -> None:
    assert _digest(_charts(11)) == _digest(full_charts)
    other = _charts(12)
    assert _digest(other) != _digest(full_charts)
    assert other[0].patient_id != full_charts[0].patient_id


def test_ids_are_unique_and_in_generation_order(full_charts: list[PatientChart]) -> None:
    seen: set[str] = set()
    for table in {t for c in full_charts for t in c.rows}:
        key = "appointment_id" if table == "appointment_note" else "id"
        ids = [row[key] for row in _rows(full_charts, table)]
        assert ids == sorted(ids), table
        seen.update(ids)
    notes = sum(len(c.rows.get("appointment_note", [])) for c in full_charts)
    # An appointment's clinical note shares the appointment's id.
    assert len(seen) == sum(len(v) for c in full_charts for v in c.rows.values()) - notes


def test_datetimes_are_aware_utc_and_entries_signed(full_charts: list[PatientChart]) -> None:
    for chart in full_charts:
        for table, rows in chart.rows.items():
            for row in rows:
                for value in row.values():
                    if isinstance(value, datetime):
                        assert value.tzinfo is UTC, table
                if "lineage_id" in row:
                    assert row["lineage_id"] == row["id"] and row["version"] == 1
                    assert row["status"] == "signed" and row["hidden"] is False
                    assert row["author_id"] in GPS + NURSES
                    assert row["patient_id"] == chart.patient_id


def test_values_are_plausible(full_charts: list[PatientChart]) -> None:
    bounds = {
        "4548-4": (4, 14),
        "8480-6": (90, 220),
        "8462-4": (50, 120),
        "2160-0": (0.4, 8),
        "20150-9": (0.5, 5),
        "13457-7": (30, 250),
    }
    observations = _rows(full_charts, "observation")
    assert {o["code"] for o in observations} >= set(bounds)
    for obs in observations:
        low, high = bounds.get(obs["code"], (float("-inf"), float("inf")))
        assert low <= obs["value_num"] <= high, obs
        assert obs["effective_at"].date() <= AS_OF
    by_encounter: dict[str, dict[str, float]] = {}
    for obs in observations:
        if obs["encounter_id"]:
            by_encounter.setdefault(obs["encounter_id"], {})[obs["code"]] = obs["value_num"]
    pressures = [v for v in by_encounter.values() if "8480-6" in v]
    assert len(pressures) > len(by_encounter) / 2  # acute visits may take only a temperature
    assert all(v["8462-4"] < v["8480-6"] for v in pressures)


def test_chronic_conditions_bring_therapy_exemption_and_labs(
    full_charts: list[PatientChart],
) -> None:
    settled = AS_OF - timedelta(days=200)  # diagnosed long enough ago for the paperwork
    diabetics = [c for c in full_charts
                 if any(p["icd9_code"].startswith("250.") and p["onset"] < settled
                        for p in c.rows.get("problem", []))]
    assert len(diabetics) > 10
    for chart in diabetics:
        codes = {p["icd9_code"] for p in chart.rows["problem"]}
        # Metformin first, unless the kidneys forbid it (stage IV: eGFR below 30).
        metformin = any(m["atc_code"] == "A10BA02" and m["chronic"]
                        for m in chart.rows.get("medication", []))
        assert metformin or "585.4" in codes
        assert any(e["code"] == "013" for e in chart.rows.get("esenzione", []))
        assert any(o["code"] == "4548-4" for o in chart.rows.get("observation", []))
    icd9 = Counter(p["icd9_code"] for p in _rows(full_charts, "problem"))
    assert icd9["401.9"] > icd9["250.00"] > 0


def test_flu_shots_from_65_or_with_a_chronic_disease(full_charts: list[PatientChart]) -> None:
    births = {c.patient_id: c.rows["patient"][0]["birth_date"] for c in full_charts}
    # Diabetes, COPD, heart failure, kidney disease, ischaemic heart disease, asthma.
    at_risk = {c.patient_id for c in full_charts for p in c.rows.get("problem", [])
               if p["icd9_code"].startswith(("250.", "496", "491.2", "428.", "585.", "414.",
                                             "493."))}
    shots = [v for v in _rows(full_charts, "vaccination") if v["vaccine_code"] == "J07BB02"]
    assert shots
    younger = 0
    for shot in shots:
        age_days = (shot["administered_at"].date() - births[shot["patient_id"]]).days
        if age_days < 65 * 365:
            younger += 1
            assert shot["patient_id"] in at_risk and age_days >= 18 * 365
    assert 0 < younger < len(shots) / 2


def test_appointments_are_in_the_coming_weeks_and_never_double_booked() -> None:
    appointments = _rows(_charts(2, history="light", patients=1500), "appointment")
    assert appointments
    slots = [(a["clinician_id"], a["starts_at"]) for a in appointments]
    assert len(set(slots)) == len(slots)
    for appointment in appointments:
        day = appointment["starts_at"].date()
        assert AS_OF < day <= AS_OF + timedelta(days=28) and day.weekday() < 5


def test_no_history_means_demographics_and_consents_only() -> None:
    tables = {t for c in _charts(4, history="none", patients=50) for t in c.rows}
    assert tables == {"patient", "consent"}


def test_heavy_chart_has_twenty_years_of_dense_history(heavy_chart: PatientChart) -> None:
    rows = heavy_chart.rows
    assert 700 <= len(rows["encounter"]) <= 900
    assert 5400 <= len(rows["observation"]) <= 6600
    first = min(e["started_at"] for e in rows["encounter"])
    assert first.date() < AS_OF - timedelta(days=19 * 365)
    fev1 = sorted(
        (o["effective_at"], o["value_num"]) for o in rows["observation"] if o["code"] == "20150-9"
    )
    assert len(fev1) >= 10
    assert sum(v for _, v in fev1[-3:]) < sum(v for _, v in fev1[:3])  # COPD declines


def test_diagnoses_come_at_plausible_ages_not_on_birthdays():
    from app.records.synthetic.history import MIN_ONSET_AGE

    charts = _charts(11, history="light", patients=3000)
    births = {row["id"]: row["birth_date"] for row in _rows(charts, "patient")}
    by_prefix = {
        "401.": "hypertension", "402.": "hypertension", "403.": "hypertension",
        "404.": "hypertension", "250.": "diabetes", "496": "copd", "491.2": "copd",
        "428.": "heart_failure", "585.": "ckd", "427.31": "atrial_fibrillation",
        "414.": "ihd", "600.": "bph", "733.0": "osteoporosis",
    }

    def key(code: str) -> str | None:
        return next((k for prefix, k in by_prefix.items() if code.startswith(prefix)), None)

    on_birthday = 0
    problems = [p for p in _rows(charts, "problem") if key(p["icd9_code"])]
    assert len(problems) > 800
    for problem in problems:
        birth, onset = births[problem["patient_id"]], problem["onset"]
        age = (onset - birth).days / 365.25
        recent = (AS_OF - onset).days <= 366
        assert age >= MIN_ONSET_AGE[key(problem["icd9_code"]) or ""] or recent, problem
        on_birthday += (onset.month, onset.day) == (birth.month, birth.day)
    assert on_birthday < len(problems) * 0.02


def test_the_demo_extras_are_deterministic_and_name_maggi_emilia() -> None:
    def charts() -> list[PatientChart]:
        spec = CenterSpec(patients=25, seed=8, gp_ids=GPS, nurse_ids=NURSES, history="full",
                          heavy_charts=1, as_of=AS_OF, documents=True, showcase=True)
        return list(CenterGenerator(spec))

    first, second = charts(), charts()
    documents = _rows(first, "document")
    assert documents and all(d["content"].startswith(b"%PDF-") for d in documents)
    assert [d["content"] for d in documents] == [d["content"] for d in _rows(second, "document")]
    assert _digest(first) == _digest(second)
    named = first[1].rows["patient"][0]  # right after the heavy chart
    assert (named["surname"], named["given_name"], named["sex"]) == ("Maggi", "Emilia", "F")
    others = [c.rows["patient"][0] for c in first if c is not first[1]]
    assert not [p for p in others if (p["surname"], p["given_name"]) == ("Maggi", "Emilia")]
