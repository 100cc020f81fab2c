"""Visits: drafts kept for their author, signing with vitals, amending, the nurse's limits."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, text

from app.core.errors import AccessDenied, InvalidInput
from app.records.model import AuditEvent, EncounterDraft
from app.records.services.therapy import PrescriptionInput, TherapyInput
from app.records.services.views import PatientInput
from app.records.services.visits import VisitDraft

WHEN = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


@pytest.fixture
def gp(open_as):
    return open_as("medico")


@pytest.fixture
def patient(gp):
    return gp.patients.register(PatientInput("Valtellina", "Bruno", "M", date(1951, 7, 9), "Lecco"))


def _draft(patient_id: str, **fields) -> VisitDraft:
    return VisitDraft(patient_id=patient_id, started_at=WHEN, **fields)


def test_a_draft_is_saved_updated_and_seen_only_by_its_author(gp, open_as, patient):
    saved = gp.visits.save_draft(_draft(patient.id, subjective="cefalea da 3 giorni"))
    assert saved.draft_id is not None
    again = gp.visits.save_draft(saved.__class__(**{**saved.__dict__, "objective": "PA 150/95"}))
    assert again.draft_id == saved.draft_id
    [kept] = gp.visits.drafts(patient.id)
    assert (kept.subjective, kept.objective) == ("cefalea da 3 giorni", "PA 150/95")
    other = open_as("medico2")
    assert other.visits.drafts(patient.id) == []
    other.visits.discard_draft(saved.draft_id)  # not hers: nothing happens
    assert len(gp.visits.drafts(patient.id)) == 1
    # Drafts are not clinical entries: nothing in the chart, nothing logged.
    assert gp.chart.open(patient.id).of("encounter") == []


def test_signing_writes_the_visit_and_its_vitals_and_deletes_the_draft(gp, patient):
    problem = gp.clinical.add_problem(patient.id, "401.9", "Ipertensione essenziale")
    draft = gp.visits.save_draft(_draft(
        patient.id, subjective="controllo", assessment="ipertensione non controllata",
        plan="aumento ramipril", problem_ids=(problem,),
        vitals=(("systolic", 152.0), ("diastolic", 96.0), ("weight", 81.5))))
    signed = gp.visits.sign(draft)
    assert gp.visits.drafts(patient.id) == []
    chart = gp.chart.open(patient.id)
    [visit] = chart.of("encounter")
    assert visit.id == signed.encounter_id and visit.fields["problem_ids"] == problem
    observations = {o.fields["code"]: o for o in chart.of("observation")}
    assert observations["8480-6"].fields["value_num"] == 152.0
    assert observations["29463-7"].fields["encounter_id"] == signed.lineage_id
    assert len(signed.observation_ids) == 3
    with pytest.raises(Exception, match="immutable"), gp.db.write_engine.begin() as conn:
        conn.execute(text("UPDATE encounter SET plan = 'x' WHERE id = :id"), {"id": visit.id})


def test_an_amendment_needs_a_reason_and_keeps_both_versions(gp, patient):
    first = gp.visits.sign(_draft(patient.id, assessment="faringite"))
    draft = gp.visits.amend_draft(first.encounter_id)
    assert draft.assessment == "faringite" and draft.amends_id == first.encounter_id
    changed = draft.__class__(**{**draft.__dict__, "assessment": "tonsillite batterica"})
    with pytest.raises(InvalidInput):
        gp.visits.sign(changed)
    second = gp.visits.sign(changed.__class__(**{**changed.__dict__,
                                                 "amend_reason": "esito tampone"}))
    assert second.lineage_id == first.lineage_id and second.version == 2
    history = gp.chart.history("encounter", first.lineage_id)
    assert [(v.version, v.fields["assessment"], v.correction_reason) for v in history] == [
        (1, "faringite", None), (2, "tonsillite batterica", "esito tampone")]


def test_an_empty_visit_or_an_impossible_vital_is_refused(gp, patient):
    with pytest.raises(InvalidInput, match="empty"):
        gp.visits.sign(_draft(patient.id))
    with pytest.raises(InvalidInput, match="outside"):
        gp.visits.save_draft(_draft(patient.id, vitals=(("systolic", 1500.0),)))
    with pytest.raises(InvalidInput):
        gp.visits.save_draft(_draft(patient.id, vitals=(("systolic", float("nan")),)))


def test_the_nurse_writes_nursing_visits_and_vitals_but_no_diagnosis_or_prescription(
        open_as, gp, patient):
    nurse = open_as("infermiere")
    signed = nurse.visits.sign(_draft(patient.id, kind="nursing", objective="medicazione",
                                      vitals=(("systolic", 130.0),)))
    assert gp.chart.open(patient.id).of("encounter")[0].id == signed.encounter_id
    with pytest.raises(AccessDenied):
        nurse.visits.sign(_draft(patient.id, kind="ambulatory", assessment="polmonite"))
    with pytest.raises(AccessDenied):
        nurse.visits.save_draft(_draft(patient.id, kind="ambulatory"))
    with pytest.raises(AccessDenied):
        nurse.clinical.add_problem(patient.id, "486", "Polmonite")
    with pytest.raises(AccessDenied):
        nurse.therapy.prescribe(patient.id, [PrescriptionInput("drug", "Augmentin",
                                                               atc_code="J01CR02")])
    # Nor may she turn the GP's visit into hers by amending it.
    gp_visit = gp.visits.sign(_draft(patient.id, assessment="bronchite"))
    with pytest.raises(AccessDenied):
        nurse.clinical.correct("encounter", gp_visit.encounter_id, {"kind": "nursing"}, "x")


def test_a_killed_draft_is_on_disk_at_once(gp, patient):
    saved = gp.visits.save_draft(_draft(patient.id, plan="rivalutare tra 7 giorni"))
    # Committed: another connection (another process, after a crash) reads it.
    with gp.db.read_engine.connect() as conn:
        row = conn.execute(select(EncounterDraft).where(EncounterDraft.id == saved.draft_id)
                           ).first()
    assert row is not None and "rivalutare" in row.content


def test_therapy_start_repeat_stop_and_history(gp, patient):
    chronic = gp.therapy.start(patient.id, TherapyInput(
        "C09AA05", "RAMIPRIL DOC 5 MG", dosage="5 mg", frequency="1 volta al giorno",
        chronic=True, start_date=date(2025, 1, 1), aic_code="036718019"))
    [prescription] = gp.therapy.repeat([chronic])
    chart = gp.chart.open(patient.id)
    [issued] = chart.of("prescription")
    assert issued.id == prescription and issued.fields["medication_id"] == chronic
    assert issued.fields["nre"] is None  # never invented
    assert "1 volta al giorno" in issued.fields["dosage"]
    stopped = gp.therapy.stop(chronic, "tosse secca da ACE-inibitore", date(2026, 11, 1))
    assert gp.therapy.current(patient.id, date(2026, 12, 1)) == []
    history = gp.therapy.history(patient.id)
    assert {v.id for v in history} >= {chronic, stopped}
    assert next(v for v in history if v.id == stopped).fields["stop_reason"] == (
        "tosse secca da ACE-inibitore")
    with pytest.raises(InvalidInput, match="stopped"):
        gp.therapy.repeat([stopped])
    with pytest.raises(InvalidInput):
        gp.therapy.stop(stopped, " ")


def test_lab_and_specialist_prescriptions_keep_priority_and_question(gp, patient):
    ids = gp.therapy.prescribe(patient.id, [
        PrescriptionInput("lab", "Emoglobina glicata", code="90.28.1", priority="P",
                          clinical_question="controllo diabete", esenzione_code="013"),
        PrescriptionInput("specialist", "Visita cardiologica", code="89.7A.3", priority="B",
                          clinical_question="dolore toracico atipico"),
    ])
    rows = {v.id: v.fields for v in gp.chart.open(patient.id).of("prescription")}
    assert rows[ids[0]]["item_kind"] == "lab" and rows[ids[0]]["priority"] == "P"
    assert rows[ids[1]]["clinical_question"] == "dolore toracico atipico"
    with pytest.raises(InvalidInput):
        gp.therapy.prescribe(patient.id, [PrescriptionInput("lab", "x", priority="Z")])


def test_acknowledged_warnings_are_audited(gp, patient):
    gp.therapy.acknowledge_warnings(patient.id, "METFORMINA", ["metformin-egfr"])
    with gp.db.read_engine.connect() as conn:
        actions = [r.detail for r in conn.execute(
            select(AuditEvent).where(AuditEvent.action == "safety.acknowledged"))]
    assert actions == ["METFORMINA: metformin-egfr"]


def test_problem_status_and_dates_must_agree(gp, patient):
    problem = gp.clinical.add_problem(patient.id, "724.2", "Lombalgia", qualifier="destra",
                                      onset=date(2026, 10, 1))
    resolved = gp.clinical.update_problem(
        problem, {"clinical_status": "resolved", "resolved_on": date(2026, 11, 2)}, "guarito")
    [view] = gp.chart.open(patient.id).of("problem")
    assert view.id == resolved and view.fields["qualifier"] == "destra"
    with pytest.raises(InvalidInput):
        gp.clinical.update_problem(resolved, {"resolved_on": date(2026, 9, 1)}, "x")
    with pytest.raises(InvalidInput):
        gp.clinical.add_problem(patient.id, "724.2", "x", resolved_on=date(2026, 1, 1))


def test_metformin_with_a_low_recent_egfr_warns_and_a_duplicate_class_too(gp, patient):
    from datetime import timedelta

    recent = datetime.now(UTC) - timedelta(days=40)
    gp.clinical.record_observation(patient.id, "33914-3", recent, value_num=24.0,
                                   unit="mL/min/1.73m2", display="eGFR")
    warnings = gp.therapy.safety_warnings(patient.id, "A10BA02", "METFORMINA DOC")
    assert [w.kind for w in warnings] == ["lab"]
    assert "24" in warnings[0].detail
    ramipril = gp.therapy.start(patient.id, TherapyInput("C09AA05", "RAMIPRIL", chronic=True))
    duplicate = gp.therapy.safety_warnings(patient.id, "C09AA02", "ENALAPRIL")
    assert [w.kind for w in duplicate] == ["duplicate"]
    # Repeating the same therapy is not a duplicate of itself.
    assert gp.therapy.safety_warnings(patient.id, "C09AA05", "RAMIPRIL",
                                      replacing=ramipril) == []


def test_a_broken_center_rules_file_still_checks_and_says_so(gp, patient):
    gp.clinical.add_allergy(patient.id, "Amoxicillina", atc_code="J01CA04")
    (gp.db.paths.root / "safety-rules.json").write_text("{not json", encoding="utf-8")
    warnings = gp.therapy.safety_warnings(patient.id, "J01CR02", "AUGMENTIN")
    assert {w.kind for w in warnings} == {"allergy", "rules"}
