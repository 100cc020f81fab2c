"""Code lists (ICD-9-CM, ATC) loaded into the record."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.records.model.base import Base


class CodeEntry(Base):
    """One code of a code system with its (repaired) Italian description."""

    __tablename__ = "code_entry"

    system: Mapped[str] = mapped_column(String(10), primary_key=True)  # icd9cm | atc
    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    description: Mapped[str] = mapped_column(Text)
    release: Mapped[str] = mapped_column(String(40), default="")
