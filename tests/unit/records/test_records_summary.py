"""The chart summary keeps only what is current."""

from __future__ import annotations

from datetime import UTC, date, datetime

from app.records.services.views import PatientInput
from app.records.summary import summarise


def test_summary_keeps_current_items_and_the_latest_value_per_code(open_as):
    gp = open_as("medico")
    patient = gp.patients.register(PatientInput("Orsenigo", "Lia", "F", date(1947, 2, 2), "Como"))
    gp.clinical.add_problem(patient.id, "401.9", "Ipertensione", clinical_status="chronic")
    gp.clinical.add_problem(patient.id, "466.0", "Bronchite acuta", clinical_status="resolved")
    gp.clinical.add_medication(patient.id, "C09AA05", "Ramipril 5 mg", chronic=True)
    gp.clinical.add_medication(
        patient.id,
        "J01CA04",
        "Amoxicillina",
        start_date=date(2026, 1, 1),
        end_date=date(2026, 1, 7),
    )
    for day, value in ((1, 150.0), (20, 135.0)):
        gp.clinical.record_observation(
            patient.id, "8480-6", datetime(2026, 10, day, tzinfo=UTC), value_num=value
        )
    summary = summarise(gp.chart.open(patient.id), date(2026, 11, 24))
    assert [p.fields["icd9_code"] for p in summary.problems] == ["401.9"]
    assert [m.fields["name"] for m in summary.therapy] == ["Ramipril 5 mg"]
    assert [o.fields["value_num"] for o in summary.observations] == [135.0]
