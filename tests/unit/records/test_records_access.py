"""The records layer itself refuses clinical services to the secretary and the admin."""

from __future__ import annotations

import inspect

import pytest

from app.core.errors import AccessDenied
from app.records.services.access import CLINICAL, ROLE_PERMISSIONS, permission_of


def public_methods(service: object) -> list[tuple[str, object]]:
    return [
        (name, member)
        for name, member in inspect.getmembers(service, inspect.ismethod)
        if not name.startswith("_")
    ]


def dummy_arguments(method: object) -> list[None]:
    signature = inspect.signature(method)  # type: ignore[arg-type]
    return [
        None
        for p in signature.parameters.values()
        if p.default is inspect.Parameter.empty
        and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]


def test_every_public_service_method_declares_a_permission(open_as):
    records = open_as("medico")
    services = records.services()
    assert {"patients", "chart", "clinical", "agenda", "users", "audit", "codes"} <= set(services)
    for service_name, service in services.items():
        for name, method in public_methods(service):
            if name == "actor":
                continue
            assert permission_of(method) is not None, f"{service_name}.{name} is unguarded"


@pytest.mark.parametrize("role_user", ["segreteria", "admin"])
def test_non_clinical_roles_are_refused_every_clinical_method(open_as, role_user):
    records = open_as(role_user)
    refused = []
    for service_name, service in records.services().items():
        for name, method in public_methods(service):
            if permission_of(method) not in CLINICAL:
                continue
            with pytest.raises(AccessDenied):
                method(*dummy_arguments(method))
            refused.append(f"{service_name}.{name}")
    # The chart and the clinical writers are all among them.
    assert "chart.open" in refused
    assert "clinical.record_encounter" in refused
    assert len(refused) >= 18


def test_secretary_and_admin_hold_no_clinical_permission():
    assert not ROLE_PERMISSIONS["secretary"] & CLINICAL
    assert not ROLE_PERMISSIONS["admin"] & CLINICAL


def test_refusal_is_audited(open_as, center):
    secretary = open_as("segreteria")
    with pytest.raises(AccessDenied):
        secretary.chart.open("no-such-patient")
    admin = open_as("admin")
    from sqlalchemy import select

    from app.records.model import AuditEvent

    with admin.db.read_engine.connect() as conn:
        actions = conn.execute(
            select(AuditEvent.action, AuditEvent.username).order_by(AuditEvent.seq.desc())
        ).all()
    assert ("access.denied", "segreteria") in actions


def test_nurse_records_vitals_but_not_problems(open_as):
    from datetime import UTC, date, datetime

    from app.records.services.views import PatientInput

    nurse = open_as("infermiere")
    patient = nurse.patients.register(
        PatientInput("Quercioli", "Ada", "F", date(1948, 5, 1), "Monza")
    )
    nurse.clinical.record_observation(
        patient.id, "8480-6", datetime.now(UTC), value_num=135, unit="mm[Hg]"
    )
    with pytest.raises(AccessDenied):
        nurse.clinical.add_problem(patient.id, "401.9", "Ipertensione essenziale")
    assert len(nurse.chart.open(patient.id).of("observation")) == 1
