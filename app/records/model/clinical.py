"""Clinical entries: each is immutable once signed and versioned by lineage."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.records.model.base import Base, ClinicalEntry, UTCDateTime


class Encounter(ClinicalEntry, Base):
    """A visit written in SOAP form."""

    __tablename__ = "encounter"

    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(20), default="ambulatory")
    subjective: Mapped[str] = mapped_column(Text, default="")
    objective: Mapped[str] = mapped_column(Text, default="")
    assessment: Mapped[str] = mapped_column(Text, default="")
    plan: Mapped[str] = mapped_column(Text, default="")
    # Lineage ids of the problems the visit addressed, separated by spaces.
    problem_ids: Mapped[str | None] = mapped_column(Text, default="")


class Problem(ClinicalEntry, Base):
    """A problem or diagnosis coded in ICD-9-CM (Italian 2007 edition)."""

    __tablename__ = "problem"

    icd9_code: Mapped[str] = mapped_column(String(10))
    description: Mapped[str] = mapped_column(String(250))
    clinical_status: Mapped[str] = mapped_column(String(10), default="active")
    onset: Mapped[date | None] = mapped_column(Date, default=None)
    resolved_on: Mapped[date | None] = mapped_column(Date, default=None)
    icd10im_code: Mapped[str | None] = mapped_column(String(12), default=None)
    qualifier: Mapped[str | None] = mapped_column(String(200), default="")


class Allergy(ClinicalEntry, Base):
    """An allergy or intolerance."""

    __tablename__ = "allergy"

    substance: Mapped[str] = mapped_column(String(200))
    atc_code: Mapped[str | None] = mapped_column(String(10), default=None)
    kind: Mapped[str] = mapped_column(String(12), default="allergy")
    reaction: Mapped[str | None] = mapped_column(Text, default=None)
    criticality: Mapped[str | None] = mapped_column(String(10), default=None)


class Medication(ClinicalEntry, Base):
    """A therapy the patient takes: continuing ("cronica") or one-off."""

    __tablename__ = "medication"

    atc_code: Mapped[str] = mapped_column(String(10))
    aic_code: Mapped[str | None] = mapped_column(String(9), default=None)
    name: Mapped[str] = mapped_column(String(200))
    dosage: Mapped[str] = mapped_column(String(200), default="")
    chronic: Mapped[bool] = mapped_column(default=False)
    start_date: Mapped[date | None] = mapped_column(Date, default=None)
    end_date: Mapped[date | None] = mapped_column(Date, default=None)
    frequency: Mapped[str | None] = mapped_column(String(80), default="")
    route: Mapped[str | None] = mapped_column(String(40), default="")
    stop_reason: Mapped[str | None] = mapped_column(Text, default=None)
    problem_id: Mapped[str | None] = mapped_column(String(36), default=None)  # a lineage
    equivalence_group: Mapped[str | None] = mapped_column(String(10), default=None)


class Prescription(ClinicalEntry, Base):
    """A prescription prepared by the GP (a drug, a lab test or a specialist visit); the
    NRE comes only from the regional system."""

    __tablename__ = "prescription"

    # Empty for lab tests and specialist visits (their code is ``code``).
    atc_code: Mapped[str] = mapped_column(String(10), default="")
    aic_code: Mapped[str | None] = mapped_column(String(9), default=None)
    name: Mapped[str] = mapped_column(String(200))
    dosage: Mapped[str] = mapped_column(String(200), default="")
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    esenzione_code: Mapped[str | None] = mapped_column(String(10), default=None)
    nre: Mapped[str | None] = mapped_column(String(20), default=None)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    item_kind: Mapped[str | None] = mapped_column(String(12), default="drug")
    code: Mapped[str | None] = mapped_column(String(20), default="")
    priority: Mapped[str | None] = mapped_column(String(1), default=None)  # U, B, D, P
    clinical_question: Mapped[str | None] = mapped_column(Text, default="")
    problem_id: Mapped[str | None] = mapped_column(String(36), default=None)  # a lineage
    medication_id: Mapped[str | None] = mapped_column(String(36), default=None)  # a lineage


class Observation(ClinicalEntry, Base):
    """A measured value: vital sign, lab result or device result."""

    __tablename__ = "observation"

    code: Mapped[str] = mapped_column(String(20))
    code_system: Mapped[str] = mapped_column(String(20), default="LOINC")
    display: Mapped[str] = mapped_column(String(120), default="")
    value_num: Mapped[float | None] = mapped_column(Float, default=None)
    value_text: Mapped[str | None] = mapped_column(String(200), default=None)
    unit: Mapped[str | None] = mapped_column(String(20), default=None)
    effective_at: Mapped[datetime] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(String(40), default="manual")
    encounter_id: Mapped[str | None] = mapped_column(String(36), default=None)


class Vaccination(ClinicalEntry, Base):
    """A vaccine given."""

    __tablename__ = "vaccination"

    vaccine_code: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(200))
    lot: Mapped[str | None] = mapped_column(String(40), default=None)
    dose_number: Mapped[int | None] = mapped_column(Integer, default=None)
    administered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    site: Mapped[str | None] = mapped_column(String(40), default=None)


class Document(ClinicalEntry, Base):
    """A filed document (referto, letter); its bytes live inside the encrypted store."""

    __tablename__ = "document"

    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40), default="referto")
    mime_type: Mapped[str] = mapped_column(String(80), default="application/pdf")
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    document_date: Mapped[date | None] = mapped_column(Date, default=None)
    source: Mapped[str | None] = mapped_column(String(200), default="")
    # The PDF's own text, for full-text search (empty for images and scanned PDFs).
    text_content: Mapped[str | None] = mapped_column(Text, default="", deferred=True)


class DeviceRecording(ClinicalEntry, Base):
    """A raw recording from a device (ECG waveform, spirometry curve)."""

    __tablename__ = "device_recording"

    device_kind: Mapped[str] = mapped_column(String(40))
    device_serial: Mapped[str | None] = mapped_column(String(60), default=None)
    format: Mapped[str] = mapped_column(String(40))
    acquired_at: Mapped[datetime] = mapped_column(UTCDateTime)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    sha256: Mapped[str] = mapped_column(String(64))


class CarePlan(ClinicalEntry, Base):
    """A PAI (piano assistenziale individuale) for a chronic patient."""

    __tablename__ = "care_plan"

    title: Mapped[str] = mapped_column(String(200))
    level: Mapped[int | None] = mapped_column(Integer, default=None)
    goals: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date, default=None)
    case_manager_id: Mapped[str | None] = mapped_column(String(36), default=None)


class CarePlanActivity(ClinicalEntry, Base):
    """A planned exam or visit in a PAI, with its periodicity."""

    __tablename__ = "care_plan_activity"

    care_plan_lineage_id: Mapped[str] = mapped_column(String(36), index=True)
    description: Mapped[str] = mapped_column(String(200))
    code: Mapped[str | None] = mapped_column(String(20), default=None)
    period_months: Mapped[int] = mapped_column(Integer, default=12)
    next_due: Mapped[date | None] = mapped_column(Date, default=None)


class Certificate(ClinicalEntry, Base):
    """A certificate (e.g. INPS sick leave), prepared here, sent only with credentials."""

    __tablename__ = "certificate"

    kind: Mapped[str] = mapped_column(String(40))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date, default=None)
    visit_type: Mapped[str | None] = mapped_column(String(20), default=None)
    diagnosis: Mapped[str] = mapped_column(Text, default="")
    stay_address: Mapped[str | None] = mapped_column(String(200), default=None)
    protocol_number: Mapped[str | None] = mapped_column(String(40), default=None)


class FamilyHistory(ClinicalEntry, Base):
    """A condition in a blood relative (anamnesi familiare; a Patient Summary section)."""

    __tablename__ = "family_history"

    # HL7 v3 RoleCode, as the Patient Summary codes it: MTH, FTH, SIB, CHILD, GRPRN...
    relationship: Mapped[str] = mapped_column(String(10))
    description: Mapped[str] = mapped_column(String(250))
    icd9_code: Mapped[str | None] = mapped_column(String(10), default=None)
    age_at_onset: Mapped[int | None] = mapped_column(Integer, default=None)
    deceased: Mapped[bool | None] = mapped_column(default=None)
    note: Mapped[str] = mapped_column(Text, default="")


class EncounterDraft(Base):
    """What a clinician is typing in a visit, saved every few seconds: never signed, never
    logged, seen only by its author, deleted when the visit is signed."""

    __tablename__ = "encounter_draft"
    __table_args__ = (Index("ix_encounter_draft_author", "author_id", "patient_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    patient_id: Mapped[str] = mapped_column(String(36))
    author_id: Mapped[str] = mapped_column(String(36))
    amends_id: Mapped[str | None] = mapped_column(String(36), default=None)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    content: Mapped[str] = mapped_column(Text)  # JSON: the SOAP fields, vitals, links
