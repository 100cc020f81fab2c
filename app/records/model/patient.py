"""Anagrafica: the patient, exemptions and consents."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.records.model.base import Base, UTCDateTime, id_column


class Patient(Base):
    """A person registered with the center (demographics only; no clinical content)."""

    __tablename__ = "patient"
    __table_args__ = (
        # Covering: a surname-prefix search reads the index alone, never the table
        # pages (each table page costs a decryption; see docs/benchmarks.md).
        Index(
            "ix_patient_name_cover",
            "surname_key",
            "given_key",
            "id",
            "codice_fiscale",
            "surname",
            "given_name",
            "sex",
            "birth_date",
            "birth_place",
            "gp_id",
        ),
        Index("ix_patient_cf", "codice_fiscale", unique=True),
        Index("ix_patient_birth_date", "birth_date"),
        Index("ix_patient_phone_key", "phone_key"),
        Index("ix_patient_mobile_key", "mobile_key"),
    )

    id: Mapped[str] = id_column()
    codice_fiscale: Mapped[str] = mapped_column(String(16))
    tessera_sanitaria: Mapped[str | None] = mapped_column(String(20), default=None)
    surname: Mapped[str] = mapped_column(String(80))
    given_name: Mapped[str] = mapped_column(String(80))
    # Upper-case, accent-free search keys so a prefix search uses the index.
    surname_key: Mapped[str] = mapped_column(String(80))
    given_key: Mapped[str] = mapped_column(String(80))
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date] = mapped_column(Date)
    birth_place: Mapped[str] = mapped_column(String(80))
    birth_place_code: Mapped[str] = mapped_column(String(4))
    birth_province: Mapped[str | None] = mapped_column(String(2), default=None)  # "EE" abroad
    residence_address: Mapped[str | None] = mapped_column(String(200), default=None)
    residence_city: Mapped[str | None] = mapped_column(String(80), default=None)
    residence_postcode: Mapped[str | None] = mapped_column(String(5), default=None)
    domicile_address: Mapped[str | None] = mapped_column(String(200), default=None)
    domicile_city: Mapped[str | None] = mapped_column(String(80), default=None)
    domicile_postcode: Mapped[str | None] = mapped_column(String(5), default=None)
    phone: Mapped[str | None] = mapped_column(String(40), default=None)
    mobile: Mapped[str | None] = mapped_column(String(40), default=None)
    email: Mapped[str | None] = mapped_column(String(120), default=None)
    # Digits only (no +39, spaces or dashes), so a phone search is an indexed prefix.
    phone_key: Mapped[str | None] = mapped_column(String(20), default=None)
    mobile_key: Mapped[str | None] = mapped_column(String(20), default=None)
    gp_id: Mapped[str | None] = mapped_column(ForeignKey("user.id"), default=None)
    ats_code: Mapped[str | None] = mapped_column(String(6), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Esenzione(Base):
    """A co-payment exemption (e.g. 013 diabetes, E01 income) with its validity."""

    __tablename__ = "esenzione"

    id: Mapped[str] = id_column()
    patient_id: Mapped[str] = mapped_column(String(36), index=True)  # clinical file: no FK
    code: Mapped[str] = mapped_column(String(10))
    description: Mapped[str | None] = mapped_column(Text, default=None)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, default=None)
    # Oscuramento: a disease code reveals the diagnosis, so an exemption can be hidden
    # from everybody but the clinician who recorded it (None: recorded before 0004).
    hidden: Mapped[bool | None] = mapped_column(default=None)
    author_id: Mapped[str | None] = mapped_column(String(36), default=None)


class Consent(Base):
    """A consent given or revoked (care, shared dossier within the group, ...)."""

    __tablename__ = "consent"

    id: Mapped[str] = id_column()
    patient_id: Mapped[str] = mapped_column(ForeignKey("patient.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # "care" | "dossier" | "fse"
    granted: Mapped[bool] = mapped_column()
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(36))


class PatientHistory(Base):
    """One change of a patient's demographics: who, when, each field before and after.

    Written in the same transaction as the change (register counts as version 1), so
    the front desk can show the history of an anagrafica.
    """

    __tablename__ = "patient_history"

    id: Mapped[str] = id_column()
    patient_id: Mapped[str] = mapped_column(ForeignKey("patient.id"), index=True)
    version: Mapped[int] = mapped_column()
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(60))
    changes: Mapped[str] = mapped_column(Text)  # JSON {field: [before, after]}
