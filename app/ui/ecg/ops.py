"""Operations of the ECG viewer: read an ECG (from the inbox or the chart), thumbnails, PDF.

Files are parsed on the workers, never on the GUI thread (a Huffman SCP-ECG takes tens
of milliseconds, a long Holter-like strip more). What comes back is the frozen
``EcgRecording`` (read-only numpy arrays: safe to hand to the GUI thread) or plain
numbers for a thumbnail.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import numpy as np
from numpy.typing import NDArray

from app.core.errors import MedireteError
from app.devices.ecg import EcgError, EcgRecording, read_ecg
from app.reports.ecg_paper import RHYTHM_LEADS
from app.reports.ecg_pdf import EcgHeading, ecg_pdf_bytes, write_ecg_pdf
from app.ui.lanes import Backend, Lane

ECG_DRIVERS = frozenset({"scp-ecg", "aecg", "dicom-ecg"})
THUMBNAIL_S = 4.0  # seconds of lead II in a thumbnail: four or five beats


class EcgUnreadable(MedireteError):
    message = "The ECG cannot be shown: {detail}"


def read_recording(data: bytes, name: str = "") -> EcgRecording:
    """An ECG file's recording; a file we cannot read is an expected failure, said so."""
    try:
        return read_ecg(data, name)
    except EcgError as exc:
        raise EcgUnreadable(detail=str(exc)) from exc


@dataclass(frozen=True)
class Thumbnail:
    """Lead II (or the first lead) of an ECG, as at most two points per pixel column:
    x and y from 0 to 1, y down (what the painter needs, nothing else)."""

    lead: str
    x: NDArray[np.float64]
    y: NDArray[np.float64]


def thumbnail_of(recording: EcgRecording, columns: int = 200,
                 seconds: float = THUMBNAIL_S) -> Thumbnail:
    """The first ``seconds`` of the rhythm lead, min/max per column, scaled to 0..1."""
    lead = next((n for n in RHYTHM_LEADS if n in recording.leads), next(iter(recording.leads)))
    data = np.asarray(recording.leads[lead][: max(2, int(seconds * recording.sampling_rate))],
                      dtype=np.float64)
    per = max(1, len(data) // columns)
    blocks = len(data) // per
    shaped = data[: blocks * per].reshape(blocks, per)
    low, high = shaped.min(axis=1), shaped.max(axis=1)
    x = np.repeat(np.arange(blocks, dtype=np.float64) / max(blocks - 1, 1), 2)
    values = np.stack([low, high], axis=1).ravel()
    floor, ceiling = float(values.min()), float(values.max())
    spread = max(ceiling - floor, 200.0)  # a flat line stays flat, not noise blown up
    y = 1.0 - (values - floor) / spread if ceiling > floor else np.full_like(values, 0.5)
    return Thumbnail(lead, x, y)


@dataclass(frozen=True)
class ReadInboxEcg:
    """The ECG of an inbox message, before anyone accepts it."""

    message_id: str
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> EcgRecording:
        return read_recording(backend.require().inbox.raw(self.message_id))


@dataclass(frozen=True)
class ReadRecordingEcg:
    """The ECG filed in a chart as a device recording (the read is audited)."""

    entry_id: str
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> EcgRecording:
        content = backend.require().chart.document_content("device_recording", self.entry_id)
        return read_recording(content)


@dataclass(frozen=True)
class EcgThumbnails:
    """Thumbnails of inbox messages (``source`` "inbox") or device recordings ("chart");
    an id whose file cannot be read maps to None (its row shows no thumbnail)."""

    source: str
    ids: tuple[str, ...]
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> dict[str, Thumbnail | None]:
        records = backend.require()
        found: dict[str, Thumbnail | None] = {}
        for ident in self.ids:
            if self.source == "inbox":
                data = records.inbox.raw(ident)
            else:
                data = records.chart.document_content("device_recording", ident)
            try:
                found[ident] = thumbnail_of(read_recording(data))
            except EcgUnreadable:
                found[ident] = None
        return found


@dataclass(frozen=True)
class WriteEcgPdf:
    """The tracing as a true-scale PDF at ``path`` (no record involved)."""

    path: Path
    recording: EcgRecording
    heading: EcgHeading
    gain_mm_mv: float = 10.0
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, _backend: Backend) -> Path:
        write_ecg_pdf(self.path, self.recording, self.heading, gain_mm_mv=self.gain_mm_mv)
        return self.path


@dataclass(frozen=True)
class EcgPdfBytes:
    """The same PDF in memory, for the printer."""

    recording: EcgRecording
    heading: EcgHeading
    gain_mm_mv: float = 10.0
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, _backend: Backend) -> bytes:
        return ecg_pdf_bytes(self.recording, self.heading, gain_mm_mv=self.gain_mm_mv)
