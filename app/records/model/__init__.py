"""ORM model of the clinical record (SQLAlchemy 2, typed)."""

from app.records.model.agenda import (
    Appointment,
    AppointmentNote,
    CenterSetting,
    Closure,
    VisitType,
    WorkSchedule,
)
from app.records.model.base import Base, ClinicalEntry, EntryStatus
from app.records.model.clinical import (
    Allergy,
    CarePlan,
    CarePlanActivity,
    Certificate,
    DeviceRecording,
    Document,
    Encounter,
    EncounterDraft,
    FamilyHistory,
    Medication,
    Observation,
    Prescription,
    Problem,
    Vaccination,
)
from app.records.model.codes import CodeEntry
from app.records.model.inbox import DeviceMessageRow, DeviceResultRow
from app.records.model.patient import Consent, Esenzione, Patient, PatientHistory
from app.records.model.security import (
    AuditEvent,
    ChangeLogEntry,
    ClinicalChange,
    ClinicalMeta,
    Meta,
    Role,
    User,
)

__all__ = [
    "Allergy",
    "Appointment",
    "AppointmentNote",
    "AuditEvent",
    "Base",
    "CarePlan",
    "CenterSetting",
    "CarePlanActivity",
    "Certificate",
    "ChangeLogEntry",
    "ClinicalChange",
    "ClinicalEntry",
    "ClinicalMeta",
    "Closure",
    "CodeEntry",
    "Consent",
    "DeviceMessageRow",
    "DeviceRecording",
    "DeviceResultRow",
    "Document",
    "Encounter",
    "EncounterDraft",
    "EntryStatus",
    "Esenzione",
    "FamilyHistory",
    "Medication",
    "Meta",
    "Observation",
    "Patient",
    "PatientHistory",
    "Prescription",
    "Problem",
    "Role",
    "User",
    "Vaccination",
    "VisitType",
    "WorkSchedule",
]
