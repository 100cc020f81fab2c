"""Documents filed in the chart: import, classify, full-text search."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

from sqlalchemy import select

from app.core.clock import utc_now
from app.core.errors import InvalidInput
from app.core.formats import format_decimal, local_time
from app.core.i18n import _
from app.records import documents_text
from app.records.documents_text import PDF
from app.records.model import EntryStatus
from app.records.services import entries
from app.records.services.access import Permission, requires
from app.records.services.base import AuditNote
from app.records.services.versions import EntryWriter
from app.records.services.views import EntryView

# How a document is classified: the stored codes (labels are English msgids, kind_label).
LAB, DISCHARGE, SPECIALIST, RADIOLOGY, OTHER = (
    "laboratorio", "dimissione", "specialistica", "radiologia", "altro")
DOCUMENT_KINDS = (LAB, DISCHARGE, SPECIALIST, RADIOLOGY, OTHER)
# English names accepted as input for the same codes.
KIND_ALIASES = {"lab": LAB, "discharge": DISCHARGE, "specialist": SPECIALIST,
                "radiology": RADIOLOGY, "other": OTHER}
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
MAX_TEXT_FIELD = 200  # title and source columns
_MB = 1024 * 1024
HEADER_BYTES = documents_text.PDF_HEADER_WINDOW  # what file_type needs to read


def kind_label(kind: str | None) -> str:
    """A document kind in words, in the language in force (an unknown code as stored)."""
    labels = {LAB: _("lab report"), DISCHARGE: _("discharge letter"),
              SPECIALIST: _("specialist visit"), RADIOLOGY: _("radiology report"),
              OTHER: _("other document"), "referto": _("report")}
    code = kind or ""
    return labels.get(KIND_ALIASES.get(code, code), code)


def document_kind(kind: str) -> str:
    """The stored code of a kind given by its code or its English name."""
    code = kind.strip().lower()
    code = KIND_ALIASES.get(code, code)
    if code not in DOCUMENT_KINDS:
        raise InvalidInput("Unknown document type: {kind}", kind=kind)
    return code


@dataclass(frozen=True)
class DocumentView:
    """A filed document as lists show it (never its bytes)."""

    id: str
    lineage_id: str
    title: str
    kind: str
    mime_type: str
    size: int
    sha256: str
    document_date: date | None
    source: str
    recorded_at: datetime
    author_id: str
    hidden: bool = False
    excerpt: str = ""  # search results: the text around the first word found

    @property
    def is_pdf(self) -> bool:
        """A PDF (else an image)."""
        return self.mime_type == PDF

    @property
    def day(self) -> date:
        """The document's date, else the day it was filed (center time)."""
        return self.document_date or local_time(self.recorded_at).date()

    @classmethod
    def from_entry(cls, entry: EntryView) -> DocumentView:
        """The view of a chart's document entry."""
        return cls.from_row({**entry.fields, "id": entry.id, "lineage_id": entry.lineage_id,
                             "recorded_at": entry.recorded_at, "author_id": entry.author_id,
                             "hidden": entry.hidden})

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> DocumentView:
        """The view from a document's columns (version columns included)."""
        return cls(row["id"], row["lineage_id"], str(row.get("title") or ""),
                   str(row.get("kind") or ""), str(row.get("mime_type") or PDF),
                   int(row.get("size") or 0), str(row.get("sha256") or ""),
                   row.get("document_date"), str(row.get("source") or ""),
                   row["recorded_at"], row["author_id"], bool(row["hidden"]))


def newest_first(documents: Iterable[DocumentView]) -> list[DocumentView]:
    """Documents by their date, newest first (then the latest filed)."""
    return sorted(documents, key=lambda d: (d.day, d.recorded_at), reverse=True)


def file_type(head: bytes, size: int, filename: str) -> str:
    """The media type of a file that may be filed, from its first bytes (``head``, at
    least 1 KiB when the file has it) and its size; InvalidInput says why not."""
    name = PurePath(filename).name
    if size == 0:
        raise InvalidInput("The file {name} is empty: there is nothing to file", name=name)
    if size > MAX_DOCUMENT_BYTES:
        raise InvalidInput(
            "The file {name} is too large ({size} MB): the limit is {limit} MB", name=name,
            size=format_decimal(size / _MB, 1), limit=MAX_DOCUMENT_BYTES // _MB)
    mime = documents_text.sniff_mime(head)
    if documents_text.extension_type(name) == PDF and mime != PDF:
        raise InvalidInput("The file {name} is named as a PDF but is not one: it cannot be "
                           "filed", name=name)
    if mime is None:
        raise InvalidInput("The file {name} is neither a PDF nor an image (PNG, JPEG, TIFF, "
                           "GIF, BMP, WebP): it cannot be filed", name=name)
    return mime


def _clean_source(value: str | None) -> str | None:
    text = " ".join((value or "").split())
    if len(text) > MAX_TEXT_FIELD:
        raise InvalidInput("The source of the document is too long (at most {limit} "
                           "characters)", limit=MAX_TEXT_FIELD)
    return text or None


class DocumentService(EntryWriter):
    """PDFs and images filed in a patient's chart, stored inside the encrypted record."""

    @requires(Permission.WRITE_CLINICAL)
    def import_document(
        self,
        patient_id: str,
        content: bytes,
        filename: str,
        *,
        kind: str,
        document_date: date | None,
        source: str,
        title: str | None = None,
    ) -> str:
        """File a PDF or an image, classified; its type is read from its bytes. A PDF's
        text is kept for search. Returns the new entry's id."""
        code = document_kind(kind)
        mime = file_type(content[:HEADER_BYTES], len(content), filename)
        if document_date is not None and document_date > local_time(utc_now()).date():
            raise InvalidInput("The date of the document is in the future")
        origin = _clean_source(source)
        name = PurePath(filename).name
        heading = " ".join((title or "").split()) or PurePath(name).stem or name
        if not heading:
            raise InvalidInput("A document needs a title")
        digest = hashlib.sha256(content).hexdigest()
        self._refuse_duplicate(patient_id, digest)
        fields = {
            "title": heading[:MAX_TEXT_FIELD],
            "kind": code,
            "mime_type": mime,
            "content": content,
            "sha256": digest,
            "size": len(content),
            "document_date": document_date,
            "source": origin,
            "text_content": documents_text.pdf_text(content) if mime == PDF else "",
        }
        return self._create("document", patient_id, fields)

    @requires(Permission.READ_CHART)
    def for_patient(self, patient_id: str) -> list[DocumentView]:
        """The patient's documents, newest first (the read is audited)."""
        found = [view for view, _text in self._current(patient_id, with_text=False)]
        self._audit(AuditNote("document.list", "patient", patient_id, patient_id))
        return newest_first(found)

    @requires(Permission.READ_CHART)
    def search(self, patient_id: str, text: str) -> list[DocumentView]:
        """Documents whose text, title or source hold every word of ``text`` (each word
        begins a word there; accents and case ignored), newest first; audited."""
        words = documents_text.query_words(text)
        found = []
        for view, content in self._current(patient_id, with_text=bool(words)):
            if documents_text.matches(words, content, view.title, view.source):
                piece = documents_text.excerpt(content, words)
                found.append(replace(view, excerpt=piece) if piece else view)
        # The words searched are clinical data: the trail keeps how many were found.
        self._audit(AuditNote("document.search", "patient", patient_id, patient_id,
                              detail=f"{len(found)} found"))
        return newest_first(found)

    def _current(self, patient_id: str, *, with_text: bool
                 ) -> list[tuple[DocumentView, str | None]]:
        """The current, visible, valid documents of a patient, with their text if asked."""
        table = entries.table_of("document")
        skipped = {"content"} if with_text else {"content", "text_content"}
        columns = [c for c in table.columns if c.key not in skipped]
        with self._read() as conn:
            rows = conn.execute(
                select(*columns).where(table.c.patient_id == patient_id)).mappings().all()
        user = self._actor.user_id
        error = EntryStatus.ENTERED_IN_ERROR.value
        return [
            (DocumentView.from_row(row), row.get("text_content"))
            for row in entries.current_rows(rows)
            if entries.visible_to(row, user) and row["status"] != error
        ]

    def _refuse_duplicate(self, patient_id: str, digest: str) -> None:
        """The same bytes filed twice for one patient are a slip (a second drop)."""
        for view, _text in self._current(patient_id, with_text=False):
            if view.sha256 == digest:
                raise InvalidInput("This file is already in the chart as \"{title}\"",
                                   title=view.title)
