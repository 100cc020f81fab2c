"""The chart summary keeps only what is current."""

from __future__ import annotations

from datetime import UTC, date, datetime

from app.core import i18n
from app.records.services.views import EntryView, PatientInput, PatientSummary
from app.records.summary import (
    allergy_line,
    observation_line,
    patient_facts,
    summarise,
    summary_sections,
)


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


def _written(open_as, lang, monkeypatch):
    """Lia Orsenigo's first page, written for people in ``lang``."""
    monkeypatch.setattr(i18n, "_current", lang)
    gp = open_as("medico")
    patient = gp.patients.register(PatientInput("Orsenigo", "Lia", "F", date(1947, 2, 2), "Como"))
    gp.clinical.add_allergy(patient.id, "Lattosio", kind="intolerance", reaction="Meteorismo",
                            criticality="low")
    gp.clinical.add_allergy(patient.id, "Amoxicillina", reaction="Orticaria", criticality="high")
    gp.clinical.add_allergy(patient.id, "Nichel", criticality="unable-to-assess")
    gp.clinical.add_problem(patient.id, "401.9", "Ipertensione", clinical_status="chronic",
                            onset=date(2010, 4, 1))
    gp.clinical.add_medication(patient.id, "C09AA05", "Ramipril 5 mg", dosage="1 cp",
                               chronic=True)
    at = datetime(2026, 10, 31, 23, 30, tzinfo=UTC)  # 1 November on the center's clock
    gp.clinical.record_observation(patient.id, "2160-0", at, value_num=0.72, unit="mg/dL",
                                   display="Creatinina")
    gp.clinical.record_observation(patient.id, "8480-6", at, value_num=135.0, unit="mm[Hg]",
                                   display="PA sistolica")
    gp.clinical.record_observation(patient.id, "33914-3", at, value_num=58.0,
                                   unit="mL/min/{1.73_m2}", display="eGFR")
    gp.clinical.record_observation(patient.id, "8867-4", at, value_num=72.0, unit="/min",
                                   display="Frequenza cardiaca")
    gp.clinical.record_observation(patient.id, "4548-4", at, value_num=7.25, unit="%",
                                   display="HbA1c")
    gp.clinical.add_esenzione(patient.id, "031", date(2020, 1, 1), description="Ipertensione")
    gp.clinical.add_family_history(patient.id, "mth", "Diabete mellito tipo 2", icd9_code="250.00",
                                   age_at_onset=60)
    summary = summarise(gp.chart.open(patient.id), date(2026, 11, 24))
    sections = {s.key: s for s in summary_sections(summary)}
    return summary, sections


def _lines(section) -> list[str]:
    return [" · ".join(line) for line in section.lines]


def test_the_written_summary_is_italian_with_italian_formats(open_as, monkeypatch):
    summary, sections = _written(open_as, "it", monkeypatch)
    assert patient_facts(summary.patient, date(2026, 11, 24)) == "F, nata il 02/02/1947 (79 anni)"
    assert [s.title for s in sections.values()] == [
        "Allergie e intolleranze", "Problemi attivi", "Terapia in corso", "Ultimi risultati",
        "Esenzioni", "Anamnesi familiare"]
    assert sorted(_lines(sections["allergies"])) == [
        "Amoxicillina · allergia · Orticaria · criticità alta",
        "Lattosio · intolleranza · Meteorismo · criticità bassa",
        "Nichel · allergia · criticità non valutabile",
    ]
    assert _lines(sections["problems"]) == [
        "Ipertensione · ICD-9-CM 401.9 · cronico · dal 01/04/2010"]
    assert _lines(sections["therapy"]) == ["Ramipril 5 mg · 1 cp · continuativa · ATC C09AA05"]
    assert sorted(_lines(sections["results"])) == [
        "Creatinina · 0,72 mg/dL · 01/11/2026",
        "Frequenza cardiaca · 72 bpm · 01/11/2026",
        "HbA1c · 7,25% · 01/11/2026",
        "PA sistolica · 135 mmHg · 01/11/2026",
        "eGFR · 58 mL/min/1,73 m² · 01/11/2026",
    ]
    assert _lines(sections["esenzioni"]) == ["031 · Ipertensione"]
    assert _lines(sections["family"]) == [
        "madre · Diabete mellito tipo 2 · ICD-9-CM 250.00 · dall'età di 60 anni"]
    words = " ".join(" ".join(_lines(s)) + " " + s.title for s in sections.values())
    for english in ("low", "high", "unable", "allergy", "chronic", "mother", "long-term",
                    "mm[Hg]", "/min", "0.72"):
        assert english not in words.split(" "), english


def test_the_written_summary_in_english(open_as, monkeypatch):
    summary, sections = _written(open_as, "en", monkeypatch)
    assert patient_facts(summary.patient, date(2026, 11, 24)) == "F, born on 02/02/1947 (79 years)"
    assert "Amoxicillina · allergy · Orticaria · high criticality" in _lines(sections["allergies"])
    assert "Creatinina · 0.72 mg/dL · 01/11/2026" in _lines(sections["results"])
    assert _lines(sections["problems"]) == [
        "Ipertensione · ICD-9-CM 401.9 · chronic · since 01/04/2010"]


def _entry(entry_kind: str, **fields) -> EntryView:
    return EntryView(entry_kind, "id", "id", 1, "final", "author",
                     datetime(2026, 1, 1, tzinfo=UTC), fields)


def test_a_code_without_words_is_shown_as_stored_and_never_dropped(monkeypatch):
    monkeypatch.setattr(i18n, "_current", "it")
    assert allergy_line(_entry("allergy", substance="Lattice", kind="allergy",
                               criticality="moderate")) == ("Lattice", "allergia", "moderate")
    assert observation_line(_entry("observation", code="X-1", value_text="positivo",
                                   effective_at=datetime(2026, 5, 1, 10, tzinfo=UTC))) == (
        "X-1", "positivo", "01/05/2026")


def test_facts_of_a_newborn_and_of_a_man(monkeypatch):
    monkeypatch.setattr(i18n, "_current", "it")
    baby = PatientSummary("p", "CF", "Rossi", "Leo", "M", date(2026, 3, 20), "Milano")
    assert patient_facts(baby, date(2026, 11, 24)) == "M, nato il 20/03/2026 (8 mesi)"
    assert patient_facts(baby, date(2026, 3, 1)) == "M, nato il 20/03/2026"  # clock wrong
