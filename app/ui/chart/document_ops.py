"""Operations of the documents tab: look at a file, file it, list, search, read one.

Files are read on the workers, never on the GUI thread (a file on a slow share must not
freeze the window); images are decoded there too (a QImage may be built off the GUI).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import ClassVar

from app.core.errors import InvalidInput
from app.records.services.documents import HEADER_BYTES, DocumentView, file_type
from app.ui.lanes import Backend, Lane
from app.ui.qt import (
    QImage,
)


@dataclass(frozen=True)
class ProbedFile:
    """A file the user chose, looked at before the classify dialog opens."""

    path: Path
    mime_type: str
    size: int


@dataclass(frozen=True)
class ProbeFile:
    """Its size and type from its first bytes: a file that cannot be filed is refused
    before the user classifies it (the records layer checks again on import)."""

    path: Path
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, _backend: Backend) -> ProbedFile:
        name = self.path.name
        try:
            size = self.path.stat().st_size
            with self.path.open("rb") as handle:
                head = handle.read(HEADER_BYTES)
        except OSError as exc:
            raise InvalidInput("The file {name} cannot be read ({reason})", name=name,
                               reason=exc.strerror or type(exc).__name__) from exc
        return ProbedFile(self.path, file_type(head, size, name), size)


@dataclass(frozen=True)
class ImportDocument:
    """File a document, classified (the file is read here, on the writer)."""

    patient_id: str
    path: Path
    kind: str
    document_date: date | None
    source: str
    title: str
    lane: ClassVar[Lane] = Lane.WRITE

    def __call__(self, backend: Backend) -> str:
        try:
            content = self.path.read_bytes()
        except OSError as exc:
            raise InvalidInput("The file {name} cannot be read ({reason})", name=self.path.name,
                               reason=exc.strerror or type(exc).__name__) from exc
        return backend.require().documents.import_document(
            self.patient_id, content, self.path.name, kind=self.kind,
            document_date=self.document_date, source=self.source, title=self.title)


@dataclass(frozen=True)
class DocumentList:
    """A patient's documents, or those a search found."""

    patient_id: str
    text: str  # "" for the whole list
    documents: tuple[DocumentView, ...]


@dataclass(frozen=True)
class ReadDocuments:
    """Every document of a patient (after an import: the list without the whole chart)."""

    patient_id: str
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> DocumentList:
        found = backend.require().documents.for_patient(self.patient_id)
        return DocumentList(self.patient_id, "", tuple(found))


@dataclass(frozen=True)
class SearchDocuments:
    """Documents whose text, title or source hold every word (audited)."""

    patient_id: str
    text: str
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> DocumentList:
        found = backend.require().documents.search(self.patient_id, self.text)
        return DocumentList(self.patient_id, self.text, tuple(found))


@dataclass(frozen=True)
class LoadedDocument:
    """A document's bytes, and the decoded picture when it is an image."""

    document: DocumentView
    content: bytes
    image: QImage | None  # None for a PDF, or an image Qt cannot decode (null)


@dataclass(frozen=True)
class ReadDocumentContent:
    """One document's bytes (audited by the records layer), images decoded here."""

    document: DocumentView
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> LoadedDocument:
        content = backend.require().chart.document_content("document", self.document.id)
        image = None
        if not self.document.is_pdf:
            image = QImage.fromData(content)
        return LoadedDocument(self.document, content, image)
