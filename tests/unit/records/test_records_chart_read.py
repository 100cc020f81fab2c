"""The chart's fast path returns exactly what the ORM path returns, entry for entry."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from app.records import kinds
from app.records.model import User
from app.records.services import entries
from app.records.services.chart_read import chart_views
from app.records.services.views import EntryView, PatientInput
from app.records.synthetic.loader import write_center_data


def _reference(conn, kind: str, patient_id: str, user_id: str | None) -> list[EntryView]:
    """The plain path: every row as a dict, newest version, visible, not in error."""
    rows = entries.current_rows(entries.chart_rows(conn, kind, patient_id))
    return [entries.to_view(kind, row) for row in rows
            if entries.visible_to(row, user_id) and row["status"] != "entered-in-error"]


def _same(records, patient_id: str, user_id: str | None) -> int:
    shown = 0
    with records.db.read_engine.connect() as conn, conn.begin():
        for kind in kinds.ENTRY_NAMES:
            fast = sorted(chart_views(conn, kind, patient_id, user_id), key=lambda v: v.id)
            slow = sorted(_reference(conn, kind, patient_id, user_id), key=lambda v: v.id)
            assert fast == slow, kind
            shown += len(fast)
    return shown


def test_versions_oscuramento_and_errors_match_the_plain_path(open_as):
    gp = open_as("medico")
    colleague = open_as("medico2")
    patient = gp.patients.register(
        PatientInput("Neri", "Ada", "F", date(1944, 6, 1), "Cremona")).id
    allergy = gp.clinical.add_allergy(patient, "Penicillina", criticality="high")
    gp.clinical.correct("allergy", allergy, {"reaction": "orticaria"}, "reazione riferita")
    problem = gp.clinical.add_problem(patient, "401.9", "Ipertensione essenziale")
    gp.clinical.set_hidden("problem", problem, True, "richiesta della paziente")
    wrong = gp.clinical.record_observation(patient, "8480-6", datetime(2026, 3, 1, tzinfo=UTC),
                                           value_num=150.0, unit="mm[Hg]")
    gp.clinical.mark_entered_in_error("observation", wrong, "paziente sbagliata")
    gp.clinical.add_family_history(patient, "MTH", "Diabete mellito", age_at_onset=60)
    gp.clinical.attach_document(patient, "Referto", b"%PDF-1.4 synthetic")
    assert _same(gp, patient, gp.actor.user_id) == 4  # allergy, problem, history, document
    assert _same(colleague, patient, colleague.actor.user_id) == 3  # the problem is hidden


def test_a_synthetic_heavy_chart_matches_the_plain_path(open_as):
    gp = open_as("medico")
    with gp.db.write_engine.begin() as conn:
        gp_id = conn.execute(select(User.id).where(User.username == "medico")).scalar_one()
        nurse = conn.execute(select(User.id).where(User.username == "infermiere")).scalar_one()
        summary = write_center_data(conn, patients=3, seed=7, gp_ids=[gp_id],
                                    nurse_ids=[nurse], history="full", heavy_charts=1,
                                    as_of=date(2026, 11, 1))
    heavy = summary.heavy_patient_ids[0]
    assert _same(gp, heavy, gp_id) > 1000


def test_a_refresh_reads_only_what_changed_and_merges_it_by_lineage(open_as):
    from datetime import date, timedelta

    from app.core.clock import utc_now
    from app.records.services.views import PatientInput

    gp = open_as("medico")
    patient = gp.patients.register(PatientInput("Refresh", "Rita", "F", date(1960, 1, 2),
                                                "Lodi")).id
    kept = gp.clinical.add_problem(patient, "401.9", "Ipertensione essenziale")
    wrong = gp.clinical.add_allergy(patient, "Penicillina")
    fixed = gp.clinical.add_problem(patient, "250.00", "Diabete")
    before = gp.chart.open(patient)
    since = utc_now() - timedelta(seconds=1)
    corrected = gp.clinical.correct("problem", fixed, {"description": "Diabete tipo 2"}, "x")
    gp.clinical.mark_entered_in_error("allergy", wrong, "paziente sbagliato")
    added = gp.clinical.add_problem(patient, "272.0", "Ipercolesterolemia")
    refreshed = gp.chart.changes_since(before, {"problem", "allergy"}, since)
    assert refreshed.entries.keys() == before.entries.keys()
    assert refreshed.of("allergy") == []
    problems = {p.lineage_id: (p.id, p.fields["description"]) for p in refreshed.of("problem")}
    assert problems == {kept: (kept, "Ipertensione essenziale"),
                        fixed: (corrected, "Diabete tipo 2"),
                        added: (added, "Ipercolesterolemia")}
    # Exactly what a whole read gives.
    whole = gp.chart.open(patient)
    for kind in whole.entries:
        assert [v.id for v in refreshed.of(kind)] == [v.id for v in whole.of(kind)], kind
