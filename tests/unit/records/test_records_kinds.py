"""The registry of kinds is complete, and every list derived from it holds in practice."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from sqlalchemy import MetaData, String, Table, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.core import i18n
from app.core.errors import AccessDenied
from app.records import integrity, kinds
from app.records.journal import change_table
from app.records.model import AuditEvent, Base, ChangeLogEntry, ClinicalChange
from app.records.permissions import CLINICAL_ROLES, ROLE_PERMISSIONS
from app.records.services import entries
from app.records.services.agenda_views import ScheduleSpan
from app.records.services.inbox import IncomingMessage, IncomingResult
from app.records.services.views import PatientInput
from tests.unit.records.codes.icd10im_workbooks import systematic_list


def test_every_table_of_the_model_is_registered_under_its_own_name():
    assert kinds.unregistered_tables(Base.metadata) == set()
    for kind in kinds.KINDS:
        assert kind.table.name == kind.name
        assert kind.table is Base.metadata.tables[kind.name]


def test_a_model_added_without_registering_it_is_reported():
    class Scratch(DeclarativeBase):
        metadata = MetaData()

    for table in Base.metadata.tables.values():
        table.to_metadata(Scratch.metadata)

    class SocialHistory(Scratch):
        __tablename__ = "social_history"
        id: Mapped[str] = mapped_column(String(36), primary_key=True)

    assert kinds.unregistered_tables(Scratch.metadata) == {"social_history"}


def test_the_content_digest_covers_every_content_kind():
    assert set(integrity.CONTENT_TABLES) == {k.name for k in kinds.KINDS if k.content}
    assert {"patient", "family_history", "appointment", "user"} <= set(integrity.CONTENT_TABLES)
    assert "audit_event" not in integrity.CONTENT_TABLES


def test_clinical_kinds_are_readable_by_clinical_roles_only():
    for kind in kinds.KINDS:
        if kind.read is None:
            continue
        readers = {role for role, held in ROLE_PERMISSIONS.items() if kind.read in held}
        if kind.clinical:
            assert readers <= CLINICAL_ROLES, kind.name
    # The front desk needs demographics and the agenda, nothing clinical.
    secretary = ROLE_PERMISSIONS["secretary"]
    assert {k.name for k in kinds.KINDS if k.read in secretary} == {
        "user", "patient", "patient_history", "consent", "appointment", "visit_type",
        "work_schedule", "closure"}


def test_every_entry_kind_has_a_write_permission_and_a_translated_label():
    for kind in kinds.KINDS:
        assert kind.label in i18n.catalog("it"), kind.label
        for column in kind.summary_fields:
            assert column in kind.table.c, (kind.name, column)
        assert kind.clinical_time is None or kind.clinical_time in kind.table.c, kind.name
    for kind in kinds.ENTRY_KINDS:
        assert kind.write is not None and kind.read is not None


def _sample(column: Any) -> Any:
    samples = {datetime: datetime(2026, 1, 2, 9, 30, tzinfo=UTC), date: date(2026, 1, 2),
               int: 3, float: 1.5, bool: False, bytes: b"%PDF-1.4 sample"}
    value = samples.get(getattr(column.type, "impl_instance", column.type).python_type)
    if value is not None:
        return value
    return "MTH" if column.key == "relationship" else "x"


def _minimal_fields(kind: str) -> dict[str, Any]:
    table: Table = entries.table_of(kind)
    return {c.key: _sample(c) for c in table.columns if c.key not in entries.COMMON}


@pytest.mark.parametrize("kind", kinds.ENTRY_NAMES)
def test_a_write_of_every_entry_kind_is_audited_logged_and_announced(open_as, kind):
    gp = open_as("medico")
    patient = gp.patients.register(
        PatientInput("Ferri", "Elena", "F", date(1970, 2, 3), "Milano")).id
    with gp.feed.collect() as collected:
        entry_id = gp.clinical._create(kind, patient, _minimal_fields(kind))
    assert collected.changes.kinds == {kind}
    assert collected.changes.patients == {patient}
    with gp.db.read_engine.connect() as conn:
        log = change_table(kind)
        assert log is ClinicalChange  # clinical content is logged in the clinical file
        logged = conn.execute(
            select(log.op).where(log.entity == kind, log.entity_id == entry_id)).all()
        audited = conn.execute(
            select(AuditEvent.action).where(AuditEvent.entity_id == entry_id)).all()
    assert [row.op for row in logged] == ["create"]
    assert [row.action for row in audited] == [f"{kind}.create"]
    shown = gp.chart.open(patient).of(kind)
    assert [view.id for view in shown] == [entry_id]


@pytest.mark.parametrize("role_user", ["segreteria"])
@pytest.mark.parametrize("kind", kinds.ENTRY_NAMES)
def test_the_front_desk_cannot_read_any_entry_kind(open_as, kind, role_user):
    gp = open_as("medico")
    patient = gp.patients.register(
        PatientInput("Galli", "Marco", "M", date(1960, 5, 6), "Pavia")).id
    entry_id = gp.clinical._create(kind, patient, _minimal_fields(kind))
    secretary = open_as(role_user)
    with pytest.raises(AccessDenied):
        secretary.chart.history(kind, entry_id)
    with pytest.raises(AccessDenied):
        secretary.chart.open(patient)


def test_every_logged_kind_reaches_the_change_log_through_the_services(open_as, tmp_path):
    admin, gp = open_as("admin"), open_as("medico")
    admin.users.add("medico3", "Dott. Terzo", "gp", "another-horse-44")
    patient = gp.patients.register(
        PatientInput("Conti", "Rita", "F", date(1966, 9, 9), "Varese")).id
    gp.patients.record_consent(patient, "dossier", True)
    gp.clinical.add_esenzione(patient, "013", date(2020, 1, 1))
    gp.agenda.book(gp.actor.user_id, patient, datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
                   reason="controllo")
    gp.schedules.set_timetable(gp.actor.user_id, [ScheduleSpan(0, time(8, 30), time(12, 30), 15)])
    gp.schedules.save_visit_type("vaccino", "Vaccinazione", 10, "nurse")
    gp.schedules.add_closure(None, date(2026, 12, 8), date(2026, 12, 8), "Immacolata")
    admin.settings.set_lock_minutes(5)
    admin.workstations.pair("studio-2", "full", "AB12 CD34")
    admin.codes.import_file("icd10im", systematic_list(tmp_path))
    for kind in kinds.ENTRY_NAMES:
        gp.clinical._create(kind, patient, _minimal_fields(kind))
    gp.inbox.receive(IncomingMessage("astm", b"raw", (IncomingResult("4548-4", value_num=6.1),),
                                     patient_identifier=patient))
    with gp.db.read_engine.connect() as conn:
        record = {row.entity for row in conn.execute(select(ChangeLogEntry.entity).distinct())}
        clinical = {row.entity for row in conn.execute(select(ClinicalChange.entity).distinct())}
    # Each kind is logged in the change log of the file that holds it.
    assert record == {k for k in kinds.LOGGED if not kinds.BY_NAME[k].in_clinical_file}
    assert clinical == {k for k in kinds.LOGGED if kinds.BY_NAME[k].in_clinical_file}
    logged = record | clinical
    assert kinds.LOGGED <= logged
    assert logged <= {k.name for k in kinds.KINDS}
