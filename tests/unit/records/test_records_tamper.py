"""Issue 6, items 7 and 8: hidden means absent by every path; signed entries stay as signed.

Each test failed on main before the issue: INSERT OR REPLACE rewrote a signed problem and
``verify`` said OK; amending an older version of a hidden entry answered "already
corrected"; a hidden esenzione did not exist (esenzioni were always shown).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.core.errors import AccessDenied, NotFound
from app.records.services.views import PatientInput


@pytest.fixture
def chart(open_as):
    gp = open_as("medico")
    patient = gp.patients.register(
        PatientInput("Sala", "Bruno", "M", date(1950, 1, 30), "Lecco")).id
    problem = gp.clinical.add_problem(patient, "401.9", "Ipertensione essenziale")
    return gp, patient, problem


def _replace_problem(conn, problem_id: str) -> None:
    conn.execute(text(
        "INSERT OR REPLACE INTO problem (id, lineage_id, version, status, hidden, author_id,"
        " recorded_at, patient_id, icd9_code, description, clinical_status)"
        " SELECT id, lineage_id, version, status, hidden, author_id, recorded_at, patient_id,"
        " '042', 'Malattia da HIV', clinical_status FROM problem WHERE id = :id"),
        {"id": problem_id})


def test_insert_or_replace_cannot_rewrite_a_signed_entry(chart):
    gp, patient, problem = chart
    with pytest.raises(DBAPIError, match="cannot be replaced"), \
            gp.db.write_engine.begin() as conn:
        _replace_problem(conn, problem)
    shown = gp.chart.open(patient).of("problem")
    assert [p.fields["icd9_code"] for p in shown] == ["401.9"]
    with pytest.raises(DBAPIError, match="cannot be replaced"), \
            gp.db.write_engine.begin() as conn:
        conn.execute(text("INSERT OR REPLACE INTO audit_event SELECT * FROM audit_event"
                          " WHERE seq = 1"))


def test_verify_names_a_signed_entry_changed_behind_the_triggers(chart, open_as):
    gp, patient, problem = chart
    with gp.db.write_engine.begin() as conn:  # someone with the key drops the guards
        for name in ("problem_signed_immutable", "problem_no_replace", "problem_no_delete"):
            conn.execute(text(f"DROP TRIGGER {name}"))
        _replace_problem(conn, problem)
    # The clinical file is checked by a clinician's verify (an admin cannot read it).
    colleague = open_as("medico2")
    report = colleague.audit.verify()
    assert f"problem {problem} differs from what was signed" in report.problems
    with gp.db.write_engine.begin() as conn:
        conn.execute(text("DELETE FROM problem WHERE id = :id"), {"id": problem})
    assert f"problem {problem} was signed but is gone" in colleague.audit.verify().problems


def test_amending_an_old_version_of_a_hidden_entry_reveals_nothing(chart, open_as):
    gp, patient, problem = chart
    newer = gp.clinical.correct("problem", problem, {"description": "Ipertensione"}, "testo")
    gp.clinical.set_hidden("problem", newer, True, "richiesta del paziente")
    colleague = open_as("medico2")
    for version in (problem, newer):
        with pytest.raises(NotFound):
            colleague.clinical.correct("problem", version, {"description": "x"}, "prova")


def test_a_hidden_esenzione_is_absent_for_colleagues(chart, open_as):
    gp, patient, _problem = chart
    esenzione = gp.clinical.add_esenzione(patient, "020", date(2024, 1, 1),
                                          description="Infezione da HIV")
    gp.clinical.set_esenzione_hidden(esenzione, True, "richiesta del paziente")
    colleague = open_as("medico2")
    assert colleague.chart.open(patient).of("esenzione") == []
    with pytest.raises(NotFound):
        colleague.clinical.set_esenzione_hidden(esenzione, False, "prova")
    assert [e.fields["code"] for e in gp.chart.open(patient).of("esenzione")] == ["020"]
    with pytest.raises(AccessDenied):
        open_as("segreteria").clinical.set_esenzione_hidden(esenzione, False, "prova")
    assert open_as("admin").audit.verify().ok


def test_an_integer_in_a_float_column_still_matches_its_seal(chart, open_as):
    gp, patient, _problem = chart
    gp.clinical.record_observation(patient, "8867-4", datetime(2026, 5, 1, tzinfo=UTC),
                                   value_num=72, unit="/min")
    assert open_as("admin").audit.verify().ok
