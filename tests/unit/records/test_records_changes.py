"""The one write path: each write reports what changed; reads never wait for the write lock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from app.core.errors import InvalidInput
from app.records.changes import Changes, Origin
from app.records.model import AuditEvent
from app.records.services.views import PatientInput


def _register(records, surname="Bruni", given="Carla"):
    return records.patients.register(PatientInput(surname, given, "F", date(1958, 4, 9), "Lodi"))


def test_each_write_reports_its_kinds_patients_and_origin(open_as):
    gp = open_as("medico")
    with gp.feed.collect() as registered:
        patient = _register(gp).id
    assert registered.changes == Changes(frozenset({"patient", "patient_history"}),
                                         frozenset({patient}), frozenset({Origin.LOCAL}))
    with gp.feed.collect() as both:
        gp.clinical.add_allergy(patient, "Penicillina")
        gp.clinical.add_family_history(patient, "mth", "Diabete mellito tipo 2",
                                       icd9_code="250.00", age_at_onset=55)
    assert both.changes.kinds == {"allergy", "family_history"}
    assert both.changes.touches({"allergy"}, patient)
    assert not both.changes.touches({"allergy"}, "another-patient")
    assert not both.changes.touches({"appointment"})


def test_reads_audit_only_and_failed_writes_report_nothing(open_as):
    gp = open_as("medico")
    patient = _register(gp).id
    with gp.feed.collect() as collected:
        gp.chart.open(patient)
        gp.patients.get(patient)
        with pytest.raises(InvalidInput):
            _register(gp)  # the same codice fiscale again: rolled back
        with pytest.raises(InvalidInput):
            gp.clinical.add_family_history(patient, "neighbour", "Asma")
    assert not collected.changes
    # A password change writes the user's row (its keys travel to the other workstations).
    with gp.feed.collect() as collected:
        gp.users.change_own_password("correct-horse-42", "another-horse-43")
    assert collected.changes.kinds == {"user"}


def test_writes_outside_a_collector_wait_unclaimed_for_scripts(open_as):
    gp = open_as("medico")
    patient = _register(gp).id
    assert gp.feed.drain_unclaimed().patients == {patient}
    assert not gp.feed.drain_unclaimed()


def _audit_count(records, action: str) -> int:
    with records.db.read_engine.connect() as conn:
        return conn.execute(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
        ).scalar_one()


def test_a_chart_read_does_not_wait_for_a_writer_and_is_still_audited(open_as):
    gp = open_as("medico")
    patient = _register(gp).id
    gp.clinical.add_problem(patient, "401.9", "Ipertensione essenziale")
    scheduled: list[Callable[[], None]] = []
    gp.defer_read_audits(scheduled.append)
    before = _audit_count(gp, "chart.read")
    # Another program holds the write lock for the whole read.
    with gp.db.write_engine.begin() as blocker:  # BEGIN IMMEDIATE: the write lock
        blocker.exec_driver_sql("UPDATE meta SET value = value WHERE key = 'center_name'")
        chart = gp.chart.open(patient)
        details = gp.patients.get(patient)
        history = gp.chart.history("problem", chart.of("problem")[0].lineage_id)
    assert [p.fields["icd9_code"] for p in chart.of("problem")] == ["401.9"]
    assert details.summary.id == patient and len(history) == 1
    assert len(scheduled) == 3
    for write in scheduled:  # the writer lane runs them once it has the lock
        write()
    assert _audit_count(gp, "chart.read") == before + 1
    assert _audit_count(gp, "patient.read") >= 1


def test_a_family_history_entry_is_versioned_like_any_entry(open_as):
    gp = open_as("medico")
    patient = _register(gp).id
    entry = gp.clinical.add_family_history(patient, "FTH", "Infarto miocardico acuto",
                                           icd9_code="410.9", age_at_onset=61, deceased=True)
    fixed = gp.clinical.correct("family_history", entry, {"age_at_onset": 58},
                                "età riferita dal paziente")
    shown = gp.chart.open(patient).of("family_history")
    assert [v.id for v in shown] == [fixed]
    assert shown[0].fields["age_at_onset"] == 58 and shown[0].fields["relationship"] == "FTH"
    versions = gp.chart.history("family_history", shown[0].lineage_id)
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].recorded_at <= datetime.now(UTC)
