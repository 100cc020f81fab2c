"""One registry of what the record holds: every table, what it is and who may touch it.

Every other list (the chart's kinds, the write permissions, the content digest, the
change log's entities, the chart order, the synthetic loader's insert order) is derived
from ``KINDS``. Adding a table means adding one ``Kind`` here; a test fails on a table
of the model that is not registered (see docs/decisions/0008-entry-kinds.md).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import MetaData, Table

from app.core.errors import InvalidInput
from app.records import model as m
from app.records.permissions import CLINICAL, Permission

# The clinical file's own machinery (its change log and facts), kept beside the content.
CLINICAL_MACHINERY = frozenset({"clinical_change", "clinical_meta", "clinical_sync_conflict"})


class Shape(enum.Enum):
    """How rows of a kind live."""

    ENTRY = "entry"  # a signed clinical entry: immutable versions of one lineage
    RECORD = "record"  # a row updated in place (demographics, appointments, staff)
    SYSTEM = "system"  # the record's own machinery (audit, change log, codes, meta)


@dataclass(frozen=True)
class Kind:
    """One table of the record and the rules that come with it."""

    name: str
    model: type[m.Base]
    shape: Shape
    label: str  # English msgid of the chart section; translated where shown
    read: Permission | None = None
    write: Permission | None = None
    content: bool = True  # the content digest and the backup check cover it
    logged: bool = True  # every write enters the change log
    clinical_time: str | None = "recorded_at"  # the column the chart orders by (newest first)
    summary_fields: tuple[str, ...] = ()  # what a one-line description shows

    @property
    def table(self) -> Table:
        """The SQLAlchemy table."""
        table = self.model.__table__
        assert isinstance(table, Table)
        return table

    @property
    def clinical(self) -> bool:
        """Clinical content: readable by clinical roles only."""
        return self.read in CLINICAL

    @property
    def in_clinical_file(self) -> bool:
        """Kept in the clinical file, under the clinical key (clinical content and its log)."""
        return self.clinical or self.name in CLINICAL_MACHINERY

    @property
    def per_patient(self) -> bool:
        """Rows belong to one patient (the patient row itself included)."""
        return self.name == "patient" or "patient_id" in self.table.c


def _entry(
    name: str,
    model: type[m.Base],
    label: str,
    clinical_time: str = "recorded_at",
    *,
    write: Permission = Permission.WRITE_CLINICAL,
    summary: tuple[str, ...] = (),
) -> Kind:
    return Kind(name, model, Shape.ENTRY, label, Permission.READ_CHART, write,
                clinical_time=clinical_time, summary_fields=summary)


# Order matters twice: foreign keys (a row's parents come before it, for bulk loads)
# and the chart (kinds are shown in this order).
KINDS: tuple[Kind, ...] = (
    Kind("role", m.Role, Shape.RECORD, "Roles", None, Permission.MANAGE_USERS,
         logged=False, clinical_time=None),  # fixed at center creation; the sync issue will log it
    Kind("user", m.User, Shape.RECORD, "Staff", Permission.READ_AGENDA, Permission.MANAGE_USERS,
         clinical_time="created_at"),
    Kind("patient", m.Patient, Shape.RECORD, "Patients", Permission.READ_DEMOGRAPHICS,
         Permission.WRITE_DEMOGRAPHICS, clinical_time="created_at"),
    Kind("patient_history", m.PatientHistory, Shape.RECORD, "Demographic history",
         Permission.READ_DEMOGRAPHICS, Permission.WRITE_DEMOGRAPHICS),
    Kind("consent", m.Consent, Shape.RECORD, "Consents", Permission.READ_DEMOGRAPHICS,
         Permission.WRITE_DEMOGRAPHICS),
    Kind("esenzione", m.Esenzione, Shape.RECORD, "Exemptions", Permission.READ_CHART,
         Permission.WRITE_CLINICAL, clinical_time="valid_from",
         summary_fields=("code", "description")),
    _entry("allergy", m.Allergy, "Allergies and intolerances",
           summary=("substance", "kind", "reaction", "criticality")),
    _entry("problem", m.Problem, "Problems", summary=("description", "icd9_code")),
    _entry("medication", m.Medication, "Therapy", summary=("name", "dosage")),
    # A nurse writes visits of her own kind ("nursing"); the records layer refuses her
    # any other (EntryWriter._check_rules).
    _entry("encounter", m.Encounter, "Visits", "started_at",
           write=Permission.WRITE_OBSERVATION, summary=("kind", "assessment")),
    _entry("observation", m.Observation, "Results", "effective_at",
           write=Permission.WRITE_OBSERVATION, summary=("display", "value_num", "unit")),
    _entry("prescription", m.Prescription, "Prescriptions", "issued_at",
           summary=("name", "dosage", "quantity")),
    _entry("vaccination", m.Vaccination, "Vaccinations", "administered_at",
           write=Permission.WRITE_VACCINATION, summary=("name", "dose_number")),
    _entry("document", m.Document, "Documents", summary=("title", "kind")),
    _entry("device_recording", m.DeviceRecording, "Device recordings", "acquired_at",
           write=Permission.WRITE_OBSERVATION, summary=("device_kind", "format")),
    _entry("care_plan", m.CarePlan, "Care plans (PAI)", summary=("title", "start_date")),
    _entry("care_plan_activity", m.CarePlanActivity, "Planned activities",
           summary=("description", "next_due")),
    _entry("certificate", m.Certificate, "Certificates", summary=("kind", "start_date")),
    _entry("family_history", m.FamilyHistory, "Family history",
           summary=("relationship", "description", "age_at_onset")),
    # A clinician's unsigned working copy of a visit: the author's alone, not content,
    # not replicated (docs/decisions/0017-the-gp-chart.md).
    Kind("encounter_draft", m.EncounterDraft, Shape.RECORD, "Visit drafts",
         Permission.READ_CHART, Permission.WRITE_OBSERVATION, content=False, logged=False,
         clinical_time="updated_at"),
    Kind("visit_type", m.VisitType, Shape.RECORD, "Visit types", Permission.READ_AGENDA,
         Permission.WRITE_AGENDA, clinical_time=None),
    Kind("work_schedule", m.WorkSchedule, Shape.RECORD, "Timetables", Permission.READ_AGENDA,
         Permission.WRITE_AGENDA, clinical_time=None),
    Kind("closure", m.Closure, Shape.RECORD, "Closures", Permission.READ_AGENDA,
         Permission.WRITE_AGENDA, clinical_time="starts_on"),
    Kind("center_setting", m.CenterSetting, Shape.RECORD, "Center settings", None,
         Permission.MANAGE_USERS, clinical_time="updated_at"),
    Kind("appointment", m.Appointment, Shape.RECORD, "Appointments", Permission.READ_AGENDA,
         Permission.WRITE_AGENDA, clinical_time="starts_at"),
    Kind("appointment_note", m.AppointmentNote, Shape.RECORD, "Appointment reasons",
         Permission.READ_CHART, Permission.WRITE_CLINICAL, clinical_time=None),
    Kind("device_message", m.DeviceMessageRow, Shape.RECORD, "Device messages",
         Permission.READ_CHART, Permission.WRITE_OBSERVATION, clinical_time="received_at"),
    Kind("device_result", m.DeviceResultRow, Shape.RECORD, "Results inbox",
         Permission.READ_CHART, Permission.WRITE_OBSERVATION, clinical_time="observed_at"),
    Kind("code_entry", m.CodeEntry, Shape.SYSTEM, "Code lists", Permission.READ_CODES,
         Permission.MANAGE_CODES, content=False, logged=False, clinical_time=None),
    # The official files behind them: logged, so every workstation imports them too.
    Kind("code_import", m.CodeImport, Shape.RECORD, "Code list imports", Permission.READ_CODES,
         Permission.MANAGE_CODES, clinical_time="imported_at"),
    Kind("code_transcoding", m.CodeTranscoding, Shape.SYSTEM,
         "ICD-9-CM to ICD-10-IM transcoding", Permission.READ_CODES, Permission.MANAGE_CODES,
         content=False, logged=False, clinical_time=None),
    Kind("drug_entry", m.DrugEntry, Shape.SYSTEM, "AIFA list of medicines",
         Permission.READ_CODES, Permission.MANAGE_CODES, content=False, logged=False,
         clinical_time=None),
    Kind("audit_event", m.AuditEvent, Shape.SYSTEM, "Audit trail", Permission.READ_AUDIT,
         content=False, logged=False, clinical_time="at"),
    Kind("change_log", m.ChangeLogEntry, Shape.SYSTEM, "Change log", content=False,
         logged=False, clinical_time=None),
    Kind("clinical_change", m.ClinicalChange, Shape.SYSTEM, "Clinical change log",
         content=False, logged=False, clinical_time=None),
    Kind("clinical_meta", m.ClinicalMeta, Shape.SYSTEM, "Clinical file facts", content=False,
         logged=False, clinical_time=None),
    Kind("meta", m.Meta, Shape.SYSTEM, "Record facts", content=False, logged=False,
         clinical_time=None),
    # Center sync (docs/decisions/0024-center-sync.md): who is paired is shared data.
    Kind("workstation", m.Workstation, Shape.RECORD, "Workstations", None,
         Permission.MANAGE_USERS, clinical_time="paired_at"),
    Kind("sync_journal", m.SyncJournalEvent, Shape.SYSTEM, "Sync journal", content=False,
         logged=False, clinical_time="at"),
    Kind("sync_deferred", m.SyncDeferred, Shape.SYSTEM, "Sync: kept, not applied yet",
         content=False, logged=False, clinical_time=None),
    Kind("peer_audit_event", m.PeerAuditEvent, Shape.SYSTEM, "Audit trail of other workstations",
         Permission.READ_AUDIT, content=False, logged=False, clinical_time="at"),
    Kind("sync_conflict", m.SyncConflict, Shape.SYSTEM, "Sync conflicts", content=False,
         logged=False, clinical_time="detected_at"),
    Kind("clinical_sync_conflict", m.ClinicalSyncConflict, Shape.SYSTEM,
         "Sync conflicts (clinical)", content=False, logged=False, clinical_time="detected_at"),
)

BY_NAME: dict[str, Kind] = {kind.name: kind for kind in KINDS}
ENTRY_KINDS: tuple[Kind, ...] = tuple(k for k in KINDS if k.shape is Shape.ENTRY)
ENTRY_NAMES: tuple[str, ...] = tuple(k.name for k in ENTRY_KINDS)
CONTENT_TABLES: tuple[str, ...] = tuple(k.name for k in KINDS if k.content)
LOGGED: frozenset[str] = frozenset(k.name for k in KINDS if k.logged)
# Bulk loads insert per-patient rows in registry order, the patient first.
PATIENT_TABLE_ORDER: tuple[str, ...] = tuple(k.name for k in KINDS if k.per_patient)
# Tables of each file of the record (docs/decisions/0011-clinical-key.md).
CLINICAL_FILE_TABLES: tuple[str, ...] = tuple(k.name for k in KINDS if k.in_clinical_file)
MAIN_FILE_TABLES: tuple[str, ...] = tuple(k.name for k in KINDS if not k.in_clinical_file)
# Tables the migrations own but the model does not describe.
UNMODELLED_TABLES = frozenset({"alembic_version"})


def kind(name: str) -> Kind:
    """The registered kind called ``name``, or InvalidInput."""
    found = BY_NAME.get(name)
    if found is None:
        raise InvalidInput(detail=f"unknown entry kind {name!r}")
    return found


def entry_kind(name: str) -> Kind:
    """A clinical entry kind (versioned), or InvalidInput."""
    found = kind(name)
    if found.shape is not Shape.ENTRY:
        raise InvalidInput(detail=f"unknown entry kind {name!r}")
    return found


def unregistered_tables(metadata: MetaData, registered: Iterable[Kind] = KINDS) -> set[str]:
    """Tables of ``metadata`` that no kind declares (a test keeps this empty)."""
    known = {k.name for k in registered} | UNMODELLED_TABLES
    return set(metadata.tables) - known
