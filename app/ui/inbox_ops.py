"""Operations of the results inbox: list, read the raw bytes, accept, reject, re-match.

Reads run on the READ lane, decisions on the writer; each returns plain dataclasses.
The raw bytes are made readable on the worker (an ECG file can be hundreds of KB).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from app.records.services import Records
from app.records.services.inbox import InboxItem
from app.records.services.patients import SEARCH_LIMIT
from app.ui.lanes import Backend, Lane
from app.ui.operations import SearchPatients, SearchResult

RAW_SHOWN_BYTES = 256 * 1024  # a raw view longer than this shows its beginning only
# Control characters as the ASTM/LIS2-A2 and GDT manuals name them.
CONTROL_NAMES = (
    "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF",
    "CR", "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM",
    "SUB", "ESC", "FS", "GS", "RS", "US",
)
_CR, _LF = 0x0D, 0x0A


@dataclass(frozen=True)
class InboxRow:
    """One result with the name of the patient it is matched to ("" when unmatched)."""

    item: InboxItem
    patient_name: str = ""


@dataclass(frozen=True)
class InboxList:
    """The results asked for (``state`` None: every state), newest first."""

    state: str | None
    rows: tuple[InboxRow, ...]


NAME_BATCH = 500  # patient ids per query (well under SQLite's variable limit)


def _names(records: Records, items: Iterable[InboxItem]) -> dict[str, str]:
    """Patient id -> "Surname Given name" of every matched result (list rows: not audited).

    One query per 500 patients: at 12,800 pending results one search per patient took
    1.3 s (docs/benchmarks.md, issue 9).
    """
    ids = list(dict.fromkeys(item.patient_id for item in items if item.patient_id))
    names: dict[str, str] = {}
    for start in range(0, len(ids), NAME_BATCH):
        for patient in records.patients.summaries(ids[start:start + NAME_BATCH]):
            names[patient.id] = f"{patient.surname} {patient.given_name}"
    return names


@dataclass(frozen=True)
class ListInbox:
    """The inbox's results in one state ("pending") or all (None)."""

    state: str | None = "pending"
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> InboxList:
        records = backend.require()
        items = records.inbox.items(self.state)
        names = _names(records, items)
        rows = tuple(InboxRow(item, names.get(item.patient_id or "", "")) for item in items)
        return InboxList(self.state, rows)


@dataclass(frozen=True)
class AcceptResults:
    """A clinician accepts pending, matched results into the chart; returns the entry ids."""

    result_ids: tuple[str, ...]
    lane: ClassVar[Lane] = Lane.WRITE

    def __call__(self, backend: Backend) -> list[str]:
        return backend.require().inbox.accept(self.result_ids)


@dataclass(frozen=True)
class RejectResults:
    """A clinician rejects pending results, saying why."""

    result_ids: tuple[str, ...]
    reason: str
    lane: ClassVar[Lane] = Lane.WRITE

    def __call__(self, backend: Backend) -> None:
        backend.require().inbox.reject(self.result_ids, self.reason)


@dataclass(frozen=True)
class RematchMessage:
    """Give every pending result of one message to the patient a clinician chose."""

    message_id: str
    patient_id: str
    lane: ClassVar[Lane] = Lane.WRITE

    def __call__(self, backend: Backend) -> None:
        backend.require().inbox.rematch(self.message_id, self.patient_id)


@dataclass(frozen=True)
class RawView:
    """A message's bytes made readable, and whether only the beginning is shown."""

    message_id: str
    size: int
    text: str
    truncated: bool


def _utf8_char(raw: bytes, at: int) -> tuple[str, int] | None:
    """The printable character of a valid UTF-8 sequence starting at ``at``, and its length."""
    lead = raw[at]
    length = 2 if 0xC2 <= lead <= 0xDF else 3 if 0xE0 <= lead <= 0xEF else (
        4 if 0xF0 <= lead <= 0xF4 else 0)
    if not length:
        return None
    try:
        char = raw[at:at + length].decode("utf-8")
    except UnicodeDecodeError:
        return None
    return (char, length) if char.isprintable() else None


def readable(raw: bytes) -> str:
    """Bytes as text: control characters as <STX>, <CR>..., other unprintable bytes as \\xNN.

    A line break follows each <LF> (and each <CR> not followed by <LF>), so records and
    frames read one per line. A backslash stays as it is (ASTM's repeat delimiter).
    """
    out: list[str] = []
    at = 0
    while at < len(raw):
        byte = raw[at]
        if byte < 0x20:
            out.append(f"<{CONTROL_NAMES[byte]}>")
            next_is_lf = at + 1 < len(raw) and raw[at + 1] == _LF
            if byte == _LF or (byte == _CR and not next_is_lf):
                out.append("\n")
        elif byte == 0x7F:
            out.append("<DEL>")
        elif byte < 0x80:
            out.append(chr(byte))
        elif (found := _utf8_char(raw, at)) is not None:
            out.append(found[0])
            at += found[1]
            continue
        else:
            out.append(f"\\x{byte:02X}")
        at += 1
    return "".join(out)


@dataclass(frozen=True)
class RawMessage:
    """The bytes of one message exactly as received, made readable."""

    message_id: str
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> RawView:
        raw = backend.require().inbox.raw(self.message_id)
        shown = raw[:RAW_SHOWN_BYTES]
        return RawView(self.message_id, len(raw), readable(shown), len(raw) > len(shown))


@dataclass(frozen=True)
class SearchPatientsForMatch:
    """Patients to match a result to, by surname [given name] or codice fiscale."""

    text: str
    limit: int = SEARCH_LIMIT
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> SearchResult:
        return SearchPatients(self.text, self.limit)(backend)
