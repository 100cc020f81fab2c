"""ORM model of the clinical record (SQLAlchemy 2, typed)."""

from app.records.model.agenda import Appointment
from app.records.model.base import Base, ClinicalEntry, EntryStatus
from app.records.model.clinical import (
    Allergy,
    CarePlan,
    CarePlanActivity,
    Certificate,
    DeviceRecording,
    Document,
    Encounter,
    Medication,
    Observation,
    Prescription,
    Problem,
    Vaccination,
)
from app.records.model.codes import CodeEntry
from app.records.model.patient import Consent, Esenzione, Patient
from app.records.model.security import AuditEvent, ChangeLogEntry, Meta, Role, User

CLINICAL_ENTRY_TYPES: tuple[type[ClinicalEntry], ...] = (
    Encounter,
    Problem,
    Allergy,
    Medication,
    Prescription,
    Observation,
    Vaccination,
    Document,
    DeviceRecording,
    CarePlan,
    CarePlanActivity,
    Certificate,
)

__all__ = [
    "CLINICAL_ENTRY_TYPES",
    "Allergy",
    "Appointment",
    "AuditEvent",
    "Base",
    "CarePlan",
    "CarePlanActivity",
    "Certificate",
    "ChangeLogEntry",
    "ClinicalEntry",
    "CodeEntry",
    "Consent",
    "DeviceRecording",
    "Document",
    "Encounter",
    "EntryStatus",
    "Esenzione",
    "Medication",
    "Meta",
    "Observation",
    "Patient",
    "Prescription",
    "Problem",
    "Role",
    "User",
    "Vaccination",
]
