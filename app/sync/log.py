"""The change log seen by sync: streams, version vectors, entries and the blobs beside them.

A record has two logs: the record file's (demographics, agenda, users, workstations)
and the clinical file's (clinical content, under the clinical key). Sync carries each
as a *stream*; a workstation without the clinical file (the front desk) has only the
first. An entry travels as the tuple of its stored columns, its hash included, so the
receiver checks the very seal the writer made (docs/decisions/0024-center-sync.md).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, LargeBinary, Text, func, select, type_coerce

from app.core.errors import IntegrityFailure
from app.records.journal import change_hash
from app.records.kinds import BY_NAME, Kind
from app.records.log_codec import unpack
from app.records.model import ChangeLogEntry, ClinicalChange, ClinicalSyncConflict, SyncConflict

RECORD, CLINICAL = "record", "clinical"
STREAM_NAMES = (RECORD, CLINICAL)
# The columns of an entry on the wire, in this order.
ENTRY_FIELDS = ("origin", "seq", "hlc", "schema_version", "entity", "entity_id", "op",
                "payload", "hash")
_PAYLOAD = ENTRY_FIELDS.index("payload")
MAX_TEXT = 64 * 1024 * 1024  # a payload larger than a frame cannot be genuine

Vector = dict[str, int]


class BadEntry(ValueError):
    """An entry a peer sent that is malformed or does not match its seal."""


@dataclass(frozen=True)
class Stream:
    """One change log and where the conflicts about its content are kept."""

    name: str
    table: type[ChangeLogEntry] | type[ClinicalChange]
    conflicts: type[SyncConflict] | type[ClinicalSyncConflict]


STREAMS = {
    RECORD: Stream(RECORD, ChangeLogEntry, SyncConflict),
    CLINICAL: Stream(CLINICAL, ClinicalChange, ClinicalSyncConflict),
}


@dataclass(frozen=True)
class Entry:
    """One change-log entry as stored and as sent."""

    origin: str
    seq: int
    hlc: int
    schema_version: str
    entity: str
    entity_id: str
    op: str
    payload: str
    hash: str
    # The payload as the log stores it (deflated, ADR 0025), when read from a log or
    # received so: sent to a peer that reads that encoding, stored as it came.
    stored: bytes | None = field(default=None, compare=False, repr=False)

    def as_row(self) -> dict[str, Any]:
        """The columns to insert."""
        return {name: getattr(self, name) for name in ENTRY_FIELDS}

    def as_wire(self, encodings: Collection[int] = ()) -> list[Any]:
        """The compact form sent to a peer: the payload as stored when the peer reads
        its encoding (``encodings``, from its hello), else as text."""
        wire = [getattr(self, name) for name in ENTRY_FIELDS]
        if self.stored and self.stored[0] in encodings:
            wire[_PAYLOAD] = self.stored
        return wire

    @classmethod
    def from_wire(cls, value: object) -> Entry:
        """An entry a peer sent, checked for shape and seal; BadEntry otherwise."""
        if not isinstance(value, list | tuple) or len(value) != len(ENTRY_FIELDS):
            raise BadEntry("an entry is not a list of nine fields")
        origin, seq, hlc, schema, entity, entity_id, op, payload, sealed = value
        stored = None
        if isinstance(payload, bytes) and len(payload) <= MAX_TEXT:
            try:
                stored, payload = payload, unpack(payload)
            except IntegrityFailure as error:
                raise BadEntry(f"change log entry {origin!r}/{seq!r}: "
                               f"{error.user_message()}") from None
        texts = (origin, schema, entity, entity_id, op, payload, sealed)
        if not all(isinstance(v, str) for v in texts) or any(len(v) > MAX_TEXT for v in texts):
            raise BadEntry("an entry field is not text")
        if type(seq) is not int or type(hlc) is not int or seq < 1 or hlc < 0:
            raise BadEntry("an entry's sequence or clock is not a positive integer")
        entry = cls(origin, seq, hlc, schema, entity, entity_id, op, payload, sealed, stored)
        if change_hash(entry.as_row()) != sealed:
            raise BadEntry(f"change log entry {origin}/{seq} does not match its hash")
        return entry

    def fields(self) -> dict[str, Any]:
        """The payload as a mapping (BadEntry when it is not a JSON object)."""
        try:
            data = json.loads(self.payload)
        except ValueError:
            raise BadEntry(f"entry {self.origin}/{self.seq}: payload is not JSON") from None
        if not isinstance(data, dict):
            raise BadEntry(f"entry {self.origin}/{self.seq}: payload is not an object")
        return data


def encodings_read_by(hello: Mapping[str, Any]) -> frozenset[int]:
    """The payload encodings a peer reads (ADR 0025), from its hello: none for a peer of
    an earlier version, which says nothing of them and is sent text."""
    told = hello.get("payloads")
    return frozenset(v for v in told if type(v) is int) if isinstance(told, list) else frozenset()


def vector(conn: Connection, stream: Stream) -> Vector:
    """{origin: highest sequence held with none missing below it}."""
    table = stream.table
    rows = conn.execute(
        select(table.origin, func.max(table.seq), func.count()).group_by(table.origin)
    ).all()
    found: Vector = {}
    for origin, highest, count in rows:
        found[origin] = highest if highest == count else _contiguous(conn, stream, origin)
    return found


def _contiguous(conn: Connection, stream: Stream, origin: str) -> int:
    """The highest sequence of ``origin`` below its first gap (rare: a damaged log)."""
    expected = 0
    for (seq,) in conn.execute(select(stream.table.seq).where(stream.table.origin == origin)
                               .order_by(stream.table.seq)):
        if seq != expected + 1:
            break
        expected = seq
    return expected


def entries_after(conn: Connection, stream: Stream, theirs: Mapping[str, int],
                  mine: Mapping[str, int], *, limit: int, stopped: Iterable[str] = (),
                  ) -> list[Entry]:
    """Up to ``limit`` entries the peer lacks, each origin's in sequence order.

    Origins are served in a stable order, so a peer pulling in batches walks each
    origin to its end before the next; ``stopped`` origins (a fork) are never sent.
    """
    table = stream.table
    out: list[Entry] = []
    skip = set(stopped)
    for origin in sorted(mine):
        if origin in skip:
            continue
        since, upto = int(theirs.get(origin, 0)), mine[origin]
        if upto <= since:
            continue
        columns = [getattr(table, name) for name in ENTRY_FIELDS]
        columns[_PAYLOAD] = type_coerce(table.payload, Text)  # as stored: text or bytes
        rows = conn.execute(
            select(*columns)
            .where(table.origin == origin, table.seq > since, table.seq <= upto)
            .order_by(table.seq).limit(limit - len(out))
        ).all()
        for origin_, seq, hlc, schema, entity, entity_id, op, stored, sealed in rows:
            out.append(Entry(origin_, seq, hlc, schema, entity, entity_id, op, unpack(stored),
                             sealed, stored if isinstance(stored, bytes) else None))
        if len(out) >= limit:
            break
    return out


def missing(theirs: Mapping[str, int], mine: Mapping[str, int]) -> int:
    """How many entries ``mine`` holds that ``theirs`` lacks."""
    return sum(max(0, seq - int(theirs.get(origin, 0))) for origin, seq in mine.items())


def binary_columns(kind: Kind) -> tuple[str, ...]:
    """The columns of a kind that hold bytes (sent as blobs beside the log)."""
    return tuple(c.name for c in kind.table.columns if isinstance(c.type, LargeBinary))


def blob_hash(data: bytes) -> str:
    """How the change log names bytes: their SHA-256, hex (as ``canonical_json`` does)."""
    return hashlib.sha256(data).hexdigest()


def blobs_for(conn: Connection, entries: Sequence[Entry]) -> dict[str, bytes]:
    """The bytes the entries name, read from the rows that hold them (checked by hash)."""
    out: dict[str, bytes] = {}
    for entry in entries:
        kind = BY_NAME.get(entry.entity)
        if kind is None:
            continue
        columns = binary_columns(kind)
        if not columns:
            continue
        wanted = {c: h for c, h in entry.fields().items() if c in columns and isinstance(h, str)}
        if not wanted:
            continue
        key = primary_key(kind)
        row = conn.execute(select(*(kind.table.c[c] for c in wanted))
                           .where(kind.table.c[key] == entry.entity_id)).first()
        if row is None:
            continue
        for column, data in zip(wanted, row, strict=True):
            if isinstance(data, bytes) and blob_hash(data) == wanted[column]:
                out[wanted[column]] = data
    return out


def primary_key(kind: Kind) -> str:
    """The one primary-key column of a logged kind."""
    columns = list(kind.table.primary_key.columns)
    if len(columns) != 1:
        raise BadEntry(f"{kind.name} has no single primary key")
    return columns[0].name
