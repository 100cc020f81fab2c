"""Clinical entries: signed and immutable, corrected by versions, hidden by oscuramento."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from app.core.errors import InvalidCodiceFiscale, InvalidInput, NotFound
from app.records.model import AuditEvent, ChangeLogEntry, ClinicalChange
from app.records.services.views import PatientInput


@pytest.fixture
def gp(open_as):
    return open_as("medico")


@pytest.fixture
def patient(gp):
    return gp.patients.register(PatientInput("Valtellina", "Bruno", "M", date(1951, 7, 9), "Lecco"))


def test_signed_entry_cannot_be_updated_even_with_raw_sql(gp, patient):
    entry = gp.clinical.add_problem(patient.id, "250.00", "Diabete mellito tipo 2")
    with pytest.raises(IntegrityError, match="immutable"), gp.db.write_engine.begin() as conn:
        conn.execute(text("UPDATE problem SET description = 'x' WHERE id = :id"), {"id": entry})
    with pytest.raises(IntegrityError, match="cannot be deleted"):
        with gp.db.write_engine.begin() as conn:
            conn.execute(text("DELETE FROM problem WHERE id = :id"), {"id": entry})


def test_correction_is_a_new_version_with_reason_and_history(gp, patient):
    first = gp.clinical.record_observation(
        patient.id, "4548-4", datetime(2026, 1, 10, 9, tzinfo=UTC), value_num=7.9, unit="%"
    )
    second = gp.clinical.correct("observation", first, {"value_num": 6.9}, "transcription error")
    chart = gp.chart.open(patient.id)
    [current] = chart.of("observation")
    assert current.id == second and current.version == 2
    assert current.fields["value_num"] == 6.9
    history = gp.chart.history("observation", current.lineage_id)
    assert [(v.version, v.fields["value_num"], v.correction_reason) for v in history] == [
        (1, 7.9, None),
        (2, 6.9, "transcription error"),
    ]
    with pytest.raises(InvalidInput):
        gp.clinical.correct("observation", first, {"value_num": 5.0}, "stale")
    with pytest.raises(InvalidInput):
        gp.clinical.correct("observation", second, {"value_num": 5.0}, "  ")


def test_entered_in_error_leaves_the_chart_but_stays_in_history(gp, patient):
    entry = gp.clinical.add_allergy(patient.id, "Penicillina", reaction="orticaria")
    gp.clinical.mark_entered_in_error("allergy", entry, "wrong patient")
    assert gp.chart.open(patient.id).of("allergy") == []
    lineage = gp.chart.history("allergy", entry)
    assert [v.status for v in lineage] == ["signed", "entered-in-error"]


def test_oscuramento_hides_the_entry_and_the_hiding_from_colleagues(open_as, gp, patient):
    entry = gp.clinical.add_problem(patient.id, "042", "Malattia da HIV")
    gp.clinical.add_problem(patient.id, "401.9", "Ipertensione essenziale")
    gp.clinical.set_hidden("problem", entry, True, "richiesta del paziente")
    colleague = open_as("medico2")
    seen = colleague.chart.open(patient.id).of("problem")
    assert [p.fields["icd9_code"] for p in seen] == ["401.9"]
    assert all(not p.hidden for p in seen)
    with pytest.raises(NotFound):
        colleague.chart.history("problem", entry)
    assert {p.fields["icd9_code"] for p in gp.chart.open(patient.id).of("problem")} == {
        "042",
        "401.9",
    }


def test_every_write_and_chart_read_is_audited_and_logged_in_the_same_transaction(gp, patient):
    gp.clinical.record_encounter(
        patient.id, datetime.now(UTC), subjective="Controllo", assessment="Stabile"
    )
    gp.chart.open(patient.id)
    with gp.db.read_engine.connect() as conn:
        actions = [
            a
            for (a,) in conn.execute(
                select(AuditEvent.action).where(AuditEvent.patient_id == patient.id)
            )
        ]
        changes = conn.execute(
            select(ChangeLogEntry.entity).where(ChangeLogEntry.entity.in_(["patient", "encounter"]))
        ).all()
        clinical = conn.execute(select(ClinicalChange.entity)).all()
    assert actions == ["patient.create", "patient_history.create", "encounter.create",
                       "chart.read"]
    assert [row.entity for row in changes] == ["patient"]
    assert [row.entity for row in clinical] == ["encounter"]  # in the clinical file's log


def test_codice_fiscale_is_derived_checked_and_unique(gp):
    derived = gp.patients.register(PatientInput("Rossi", "Mario", "M", date(1956, 4, 3), "Milano"))
    assert derived.codice_fiscale == "RSSMRA56D03F205K"
    with pytest.raises(InvalidCodiceFiscale):
        gp.patients.register(
            PatientInput("Rossi", "Maria", "F", date(1960, 1, 1), "Milano", "RSSMRA56D03F205X")
        )
    with pytest.raises(InvalidCodiceFiscale):  # valid check letter, wrong birth date
        gp.patients.register(
            PatientInput("Rossi", "Mario", "M", date(1957, 4, 3), "Milano", "RSSMRA56D03F205K")
        )
    with pytest.raises(InvalidInput, match="already registered"):
        gp.patients.register(PatientInput("Rossi", "Mario", "M", date(1956, 4, 3), "Milano"))
    omocode = gp.patients.register(
        PatientInput("Rossi", "Mario", "M", date(1956, 4, 3), "Milano", "RSSMRA56D03F20RF")
    )
    assert omocode.codice_fiscale == "RSSMRA56D03F20RF"


def test_search_by_prefix_full_name_and_codice_fiscale(gp):
    for surname, given in [("De Luca", "Anna"), ("Deluchi", "Marco"), ("D'Alò", "Piero")]:
        gp.patients.register(
            PatientInput(
                surname, given, "M" if given != "Anna" else "F", date(1970, 2, 2), "Bergamo"
            )
        )
    assert [p.surname for p in gp.patients.search("del")] == ["De Luca", "Deluchi"]
    assert [p.given_name for p in gp.patients.search("de luca an")] == ["Anna"]
    assert [p.surname for p in gp.patients.search("dalo")] == ["D'Alò"]
    anna = gp.patients.search("de luca")[0]
    assert gp.patients.search(anna.codice_fiscale.lower()) == [anna]
    assert gp.patients.search(anna.codice_fiscale[:9]) == [anna]
    assert gp.patients.search("   ") == []
