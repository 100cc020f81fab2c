"""Plain, immutable results the services return (safe to pass across threads)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from app.core.formats import age_in_years


@dataclass(frozen=True)
class PatientSummary:
    """One row of a patient list."""

    id: str
    codice_fiscale: str
    surname: str
    given_name: str
    sex: str
    birth_date: date
    birth_place: str
    gp_id: str | None = None  # the GP of choice
    gp_name: str | None = None  # filled where the list shows it (search results)

    def age(self, on: date) -> int:
        """Age in whole years on ``on``."""
        return age_in_years(self.birth_date, on)


@dataclass(frozen=True)
class PatientInput:
    """Demographics as entered at the front desk."""

    surname: str
    given_name: str
    sex: str
    birth_date: date
    birth_place: str
    codice_fiscale: str = ""
    tessera_sanitaria: str | None = None
    residence_address: str | None = None
    residence_city: str | None = None
    residence_postcode: str | None = None
    domicile_address: str | None = None
    phone: str | None = None
    mobile: str | None = None
    email: str | None = None
    gp_id: str | None = None
    ats_code: str | None = None
    domicile_city: str | None = None
    domicile_postcode: str | None = None
    birth_province: str | None = None  # "MI"; "EE" abroad (filled from the birthplace)


@dataclass(frozen=True)
class PatientDetails:
    """The full anagrafica of one patient."""

    summary: PatientSummary
    fields: dict[str, Any]


@dataclass(frozen=True)
class EntryView:
    """One version of a clinical entry."""

    kind: str
    id: str
    lineage_id: str
    version: int
    status: str
    author_id: str
    recorded_at: datetime
    fields: dict[str, Any]
    correction_reason: str | None = None
    hidden: bool = False


@dataclass(frozen=True)
class Chart:
    """The current version of every entry of one patient's chart, by kind."""

    patient: PatientSummary
    entries: dict[str, list[EntryView]] = field(default_factory=dict)

    def of(self, kind: str) -> list[EntryView]:
        """Entries of one kind (e.g. "problem"), newest first."""
        return self.entries.get(kind, [])


@dataclass(frozen=True)
class AppointmentView:
    """An appointment as the agenda shows it."""

    id: str
    clinician_id: str
    patient_id: str | None
    starts_at: datetime
    ends_at: datetime
    kind: str
    status: str
    note: str | None  # the desk note: what the front desk needs
    reason: str | None = None  # why the patient comes: None for non-clinical roles
    patient_name: str | None = None  # "Surname Given name", for the agenda's cells
    arrived_at: datetime | None = None  # checked in at the desk (waiting room)
    called_at: datetime | None = None  # called in by the clinician
    cancel_reason: str | None = None  # why the front desk cancelled (not clinical)


@dataclass(frozen=True)
class UserView:
    """A member of staff."""

    id: str
    username: str
    full_name: str
    role: str
    active: bool


@dataclass(frozen=True)
class AuditView:
    """One audit row as a person reads it."""

    seq: int
    at: datetime
    username: str
    workstation: str
    action: str
    entity: str | None
    patient_id: str | None
    detail: str


@dataclass(frozen=True)
class AccountNotice:
    """An admin's action on a clinical account, shown to clinicians at their next login."""

    at: datetime
    admin: str
    action: str  # "user.add" or "user.reset_password"
    account: str
