"""Agenda, users and demographics through the services."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.core.errors import AccessDenied, InvalidInput, NotFound
from app.records.services.views import PatientInput


def test_secretary_books_moves_and_checks_in(open_as):
    secretary = open_as("segreteria")
    gp = next(u for u in secretary.users.list() if u.username == "medico")
    patient = secretary.patients.register(
        PatientInput("Sormani", "Rita", "F", date(1980, 3, 3), "Como")
    )
    start = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
    first = secretary.agenda.book(gp.id, patient.id, start, 15)
    with pytest.raises(InvalidInput, match="already has an appointment"):
        secretary.agenda.book(gp.id, None, start + timedelta(minutes=10), 15)
    second = secretary.agenda.book(gp.id, None, start + timedelta(minutes=15), 15)
    with pytest.raises(InvalidInput):
        secretary.agenda.move(second, start + timedelta(minutes=5))
    secretary.agenda.move(second, start + timedelta(hours=1))
    secretary.agenda.set_status(first, "arrived")
    day = secretary.agenda.day(date(2026, 12, 1), gp.id)
    assert [(a.id, a.status) for a in day] == [(first, "arrived"), (second, "booked")]
    assert day[1].starts_at == start + timedelta(hours=1)
    with pytest.raises(InvalidInput):
        secretary.agenda.set_status(first, "teleported")


def test_demographics_read_is_audited_and_contacts_update(open_as):
    secretary = open_as("segreteria")
    patient = secretary.patients.register(
        PatientInput("Tagliabue", "Elsa", "F", date(1990, 9, 9), "Lodi", mobile="399 000 0000")
    )
    secretary.patients.update_contacts(patient.id, {"email": "elsa@example.com"})
    details = secretary.patients.get(patient.id)
    assert details.fields["email"] == "elsa@example.com"
    assert details.fields["mobile"] == "399 000 0000"
    with pytest.raises(InvalidInput):
        secretary.patients.update_contacts(patient.id, {"surname": "Other"})
    with pytest.raises(NotFound):
        secretary.patients.get("missing")
    secretary.patients.record_consent(patient.id, "dossier", True)
    secretary.patients.record_consent(patient.id, "dossier", False)
    assert secretary.patients.consents(patient.id) == {"dossier": False}
    admin = open_as("admin")
    actions = [e.action for e in admin.audit.access_log(patient.id)]
    assert actions[:4] == ["patient.create", "patient_history.create", "patient.update",
                           "patient_history.create"]
    assert "patient.read" in actions


def test_user_management(open_as, center):
    from app.core.errors import WrongPassword
    from app.records.services import Records

    admin = open_as("admin")
    admin.users.add("nuova.gp", "Dott.ssa Nuova", "gp", "password-nuova")
    with pytest.raises(InvalidInput):
        admin.users.add("nuova.gp", "Again", "gp", "password-nuova")
    with pytest.raises(InvalidInput):
        admin.users.add("x y", "Bad", "gp", "password-nuova")
    with pytest.raises(InvalidInput):
        admin.users.add("chef", "Bad", "chef", "password-nuova")
    Records.open(center, "nuova.gp", "password-nuova").close()
    admin.users.reset_password("nuova.gp", "password-reset")
    Records.open(center, "nuova.gp", "password-reset").close()
    admin.users.deactivate("nuova.gp")
    with pytest.raises(WrongPassword):
        Records.open(center, "nuova.gp", "password-reset")
    assert not next(u for u in admin.users.list() if u.username == "nuova.gp").active


def test_esenzioni_are_clinical_and_shown_in_the_chart(open_as):
    gp = open_as("medico")
    patient = gp.patients.register(PatientInput("Colombo", "Ivo", "M", date(1950, 1, 1), "Milano"))
    gp.clinical.add_esenzione(patient.id, "013", date(2020, 1, 1), description="Diabete")
    [row] = gp.chart.open(patient.id).of("esenzione")
    assert row.fields["code"] == "013"


def test_the_last_active_admin_cannot_be_deactivated(open_as):
    """Failed on main before issue 6: the admin deactivated itself and nobody could back up."""
    admin = open_as("admin")
    with pytest.raises(InvalidInput, match="last active administrator"):
        admin.users.deactivate("admin")
    admin.users.add("admin2", "Seconda Amministratrice", "admin", "another-horse-45")
    admin.users.deactivate("admin")  # another admin remains
    with pytest.raises(InvalidInput, match="last active administrator"):
        admin.users.deactivate("admin2")
    assert {u.username for u in admin.users.list() if u.active and u.role == "admin"} == {
        "admin2"}


def test_the_reason_for_a_visit_never_reaches_the_front_desk(open_as):
    """Failed on main before issue 6 (item 11): the one free-text note was shown to all."""
    gp, secretary = open_as("medico"), open_as("segreteria")
    patient = gp.patients.register(PatientInput("Riva", "Teo", "M", date(1979, 2, 2), "Lodi"))
    start = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    gp.agenda.book(gp.actor.user_id, patient.id, start, 20, note="portare esami",
                   reason="controllo terapia antiretrovirale HIV")
    with gp.db.write_engine.begin() as conn:  # a record from before schema 0005, split
        conn.exec_driver_sql(
            "UPDATE appointment_note SET note = 'controllo carica virale'")
    (at_desk,) = secretary.agenda.day(start.date())
    assert at_desk.note == "portare esami" and at_desk.reason is None
    (at_gp,) = gp.agenda.day(start.date())
    assert at_gp.reason == "controllo terapia antiretrovirale HIV / controllo carica virale"
    with pytest.raises(AccessDenied):
        secretary.agenda.book(gp.actor.user_id, patient.id, start + timedelta(hours=1),
                              reason="dolore toracico")


def test_unlocking_checks_the_users_own_password_and_audits_both_outcomes(open_as):
    from sqlalchemy import select

    from app.core.errors import WrongPassword
    from app.records.model import AuditEvent
    from tests.conftest import PASSWORD

    secretary = open_as("segreteria")
    with pytest.raises(WrongPassword):
        secretary.users.check_own_password("not-her-password")
    secretary.users.check_own_password(PASSWORD)
    with secretary.db.read_engine.connect() as conn:
        actions = [row.action for row in conn.execute(
            select(AuditEvent.action).where(AuditEvent.action.like("session.unlock%"))
            .order_by(AuditEvent.seq))]
    assert actions == ["session.unlock_failed", "session.unlock"]
