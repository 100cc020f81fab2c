"""Code lists loaded into the record: ICD-9-CM, ATC, ICD-10-IM, the ICD-9-CM -> ICD-10-IM
transcoding and the AIFA list of medicines. None of them is content: each is replaced
whole by a newer official file (docs/decisions/0016-icd10im-and-aifa.md)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.records.model.base import Base, UTCDateTime, id_column


class CodeEntry(Base):
    """One code of a code system with its (repaired) Italian description."""

    __tablename__ = "code_entry"

    system: Mapped[str] = mapped_column(String(10), primary_key=True)  # icd9cm | atc | icd10im
    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    description: Mapped[str] = mapped_column(Text)
    release: Mapped[str] = mapped_column(String(40), default="")
    # ICD-10-IM only (NULL for the other systems): the level in the classification
    # (chapter, block, cat3, cat4, cat5), the code above it, and whether a diagnosis may
    # carry this code (a non-terminal code such as I21.0 is a heading, never picked).
    kind: Mapped[str | None] = mapped_column(String(10), default=None)
    parent: Mapped[str | None] = mapped_column(String(12), default=None)
    terminal: Mapped[bool | None] = mapped_column(Boolean, default=None)


class CodeTranscoding(Base):
    """One ICD-9-CM -> ICD-10-IM correspondence (many to many), as the Ministry lists it.

    ``origin`` says where it comes from: ``table`` (the transcoding table) or ``list``
    (column Q of the systematic list, used only while no table is loaded).
    """

    __tablename__ = "code_transcoding"
    __table_args__ = (Index("ix_code_transcoding_icd10im", "icd10im_code"),)

    origin: Mapped[str] = mapped_column(String(5), primary_key=True)
    icd9_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    icd10im_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    icd9_description: Mapped[str] = mapped_column(Text, default="")
    icd10im_description: Mapped[str] = mapped_column(Text, default="")
    release: Mapped[str] = mapped_column(String(40), default="")


class DrugEntry(Base):
    """One pack of the AIFA list of medicines (lista dei farmaci equivalenti)."""

    __tablename__ = "drug_entry"
    __table_args__ = (
        Index("ix_drug_entry_atc", "atc"),
        Index("ix_drug_entry_equivalence_group", "equivalence_group"),
    )

    aic: Mapped[str] = mapped_column(String(9), primary_key=True)  # nine digits
    name: Mapped[str] = mapped_column(String(120))
    atc: Mapped[str] = mapped_column(String(7))
    equivalence_group: Mapped[str] = mapped_column(String(10))
    release: Mapped[str] = mapped_column(String(40), default="")


class CodeImport(Base):
    """An official file a center imported, kept whole: it travels to the other
    workstations in the change log (its bytes beside it, as a blob), and each of them
    imports it again, so a replica's code lists follow from the log (ADR 0024)."""

    __tablename__ = "code_import"

    id: Mapped[str] = id_column()
    system: Mapped[str] = mapped_column(String(20))
    file_name: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    sha256: Mapped[str] = mapped_column(String(64))
    count: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    imported_by: Mapped[str] = mapped_column(String(60))
