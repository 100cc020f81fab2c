"""Applying a peer's entries: into the log, then into the tables, nothing lost silently.

Inside the caller's one write transaction, each entry is checked against what is held:
- held with the same hash: a duplicate, skipped (re-applying a batch is harmless);
- held with another hash: a fork (two different changes under one identity); the origin
  is stopped, nothing of it is applied and the journal says so;
- not the next of its origin: skipped, it will come again in order;
- of a newer schema or an entity this program does not know: kept in the log (and
  forwarded) but not applied, listed in ``sync_deferred``.

The rows follow from the log. A signed clinical entry is immutable: its row is inserted
once. A row updated in place (demographics, appointments, users) is the fold of all of
its entries in clock order (HLC, then origin): every replica holding the same entries
holds the same row, whatever order they arrived in. Field by field the last writer wins;
an entry that arrives to find a later write of another origin on the same field lost a
race it could not see: both values are kept in a conflict for a person to settle.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Date, DateTime, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.core.clock import new_id, utc_now
from app.core.errors import MedireteError
from app.records.codes.imports import import_list
from app.records.kinds import BY_NAME, Kind, Shape
from app.records.model import SyncDeferred, SyncJournalEvent
from app.sync.log import Entry, Stream, binary_columns, blob_hash, primary_key

ENTRY_OPS = ("create", "amend")  # the ops that insert a version of a signed entry
# Why an entry is kept unapplied, among those tried again after every batch.
RETRIED = ("waiting-parent", "newer-schema", "unknown-entity", "blob-missing")


@dataclass
class Applied:
    """What one batch did."""

    applied: int = 0
    duplicates: int = 0
    out_of_order: int = 0
    deferred: int = 0
    conflicts: int = 0
    retried: int = 0  # entries kept by an earlier batch, applied now
    forks: list[str] = field(default_factory=list)
    kinds: set[str] = field(default_factory=set)
    patients: set[str] = field(default_factory=set)
    highest_hlc: int = 0


def journal(conn: Connection, event: str, peer: str = "", detail: str = "") -> None:
    """One line of the sync journal (in the caller's transaction)."""
    conn.execute(insert(SyncJournalEvent).values(at=utc_now(), event=event, peer=peer,
                                                 detail=detail))


class Applier:
    """Applies batches of one stream to a record (one instance per batch or session)."""

    def __init__(self, conn: Connection, stream: Stream, own_origin: str,
                 known_schemas: frozenset[str]) -> None:
        self.conn = conn
        self.stream = stream
        self.own_origin = own_origin
        self.known_schemas = known_schemas
        self.result = Applied()
        self._next: dict[str, int] = {}
        self._kept_now: set[tuple[str, int]] = set()  # (origin, seq) kept by this batch

    def apply(self, entries: Sequence[Entry], blobs: Mapping[str, bytes], peer: str) -> Applied:
        """Apply ``entries`` (already checked against their seals) in the given order."""
        forked: set[str] = set()
        for entry in entries:
            if entry.origin in forked:
                continue
            if not self._store(entry, peer, forked):
                continue
            self.result.highest_hlc = max(self.result.highest_hlc, entry.hlc)
            reason = self._why_not_applied(entry)
            if reason is None:
                reason = self._materialize(entry, blobs)
            if reason is not None:
                self.conn.execute(insert(SyncDeferred).values(
                    stream=self.stream.name, origin=entry.origin, seq=entry.seq, reason=reason))
                self.result.deferred += 1
                self._kept_now.add((entry.origin, entry.seq))
            else:
                self.result.applied += 1
        self.retry_deferred(blobs)
        return self.result

    def retry_deferred(self, blobs: Mapping[str, bytes]) -> None:
        """Apply the kept entries that can be applied now: a row whose parent (its
        patient, the version it corrects) has arrived since, an entry of a schema this
        program has learnt since. Repeated while it makes progress (a parent may itself
        have been waiting); in clock order, as written."""
        table = self.stream.table
        while True:
            waiting = self.conn.execute(
                select(table.origin, table.seq, table.hlc, table.schema_version, table.entity,
                       table.entity_id, table.op, table.payload, table.hash)
                .join(SyncDeferred, (SyncDeferred.origin == table.origin)
                      & (SyncDeferred.seq == table.seq))
                .where(SyncDeferred.stream == self.stream.name,
                       SyncDeferred.reason.in_(RETRIED))
                .order_by(table.hlc, table.origin, table.seq)).all()
            progress = False
            for row in waiting:
                entry = Entry(*row)
                reason = self._why_not_applied(entry)
                if reason is None:
                    reason = self._materialize(entry, blobs)
                if reason is None:
                    self.conn.execute(delete(SyncDeferred).where(
                        SyncDeferred.stream == self.stream.name,
                        SyncDeferred.origin == entry.origin, SyncDeferred.seq == entry.seq))
                    if (entry.origin, entry.seq) in self._kept_now:
                        self.result.deferred -= 1
                        self.result.applied += 1
                    else:
                        self.result.retried += 1
                    progress = True
            if not progress:
                return

    # -- the log --------------------------------------------------------------------------
    def _store(self, entry: Entry, peer: str, forked: set[str]) -> bool:
        """Insert the entry into the log; False when it is a duplicate, a gap or a fork."""
        table = self.stream.table
        held = self.conn.execute(select(table.hash).where(
            table.origin == entry.origin, table.seq == entry.seq)).scalar_one_or_none()
        if held == entry.hash:
            self.result.duplicates += 1
            return False
        if held is not None or entry.origin == self.own_origin:
            forked.add(entry.origin)
            self.result.forks.append(entry.origin)
            journal(self.conn, "fork", peer,
                    f"{self.stream.name} {entry.origin}/{entry.seq}: two different changes "
                    "under one identity; this origin is stopped")
            return False
        expected = self._next.get(entry.origin)
        if expected is None:
            highest = self.conn.execute(select(table.seq).where(table.origin == entry.origin)
                                        .order_by(table.seq.desc()).limit(1)).scalar()
            expected = (highest or 0) + 1
        if entry.seq != expected:
            self.result.out_of_order += 1
            return False
        self.conn.execute(insert(table).values(**entry.as_row()))
        self._next[entry.origin] = entry.seq + 1
        return True

    def _why_not_applied(self, entry: Entry) -> str | None:
        if entry.schema_version not in self.known_schemas:
            return "newer-schema"
        kind = BY_NAME.get(entry.entity)
        if kind is None or not kind.logged:
            return "unknown-entity"
        if kind.in_clinical_file != (self.stream.name == "clinical"):
            return "wrong-stream"
        return None

    # -- the tables -----------------------------------------------------------------------
    def _materialize(self, entry: Entry, blobs: Mapping[str, bytes]) -> str | None:
        kind = BY_NAME[entry.entity]
        fields = entry.fields()
        self.result.kinds.add(kind.name)
        patient = fields.get("patient_id") or (entry.entity_id if kind.name == "patient" else None)
        if isinstance(patient, str):
            self.result.patients.add(patient)
        if kind.shape is Shape.ENTRY and entry.op in ENTRY_OPS:
            return self._insert_version(kind, entry, fields, blobs)
        return self._fold(kind, entry, blobs)

    def _insert_version(self, kind: Kind, entry: Entry, fields: dict[str, Any],
                        blobs: Mapping[str, bytes]) -> str | None:
        key = primary_key(kind)
        table = kind.table
        if self.conn.execute(select(table.c[key]).where(table.c[key] == entry.entity_id)
                             ).first() is not None:
            return None
        values = _decoded(kind, fields, blobs)
        if values is None:
            return "blob-missing"
        if entry.op == "amend":
            self._concurrent_amendment(kind, entry, values)
        return self._insert(kind, entry, values)

    def _concurrent_amendment(self, kind: Kind, entry: Entry, values: dict[str, Any]) -> None:
        """Two corrections of one version: both are kept; a clinician picks."""
        table = kind.table
        rivals = self.conn.execute(select(table.c.id).where(
            table.c.lineage_id == values.get("lineage_id"),
            table.c.supersedes_id == values.get("supersedes_id"),
            table.c.id != entry.entity_id)).scalars().all()
        if rivals:
            self._conflict("amendment", kind, entry, values.get("patient_id"),
                           {"versions": sorted([*rivals, entry.entity_id]),
                            "supersedes": values.get("supersedes_id")})

    def _insert(self, kind: Kind, entry: Entry, values: dict[str, Any]) -> str | None:
        if kind.name == "patient":
            self._one_holder_per_code(entry, values)
        savepoint = self.conn.begin_nested()
        try:
            self.conn.execute(insert(kind.table).values(**values))
        except IntegrityError as error:
            savepoint.rollback()
            return self._refused(kind, entry, values, error)
        savepoint.commit()
        if kind.name == "appointment":
            self._double_booking(entry, values)
        if kind.name == "code_import":
            self._import_codes(entry, values)
        return None

    def _import_codes(self, entry: Entry, values: Mapping[str, Any]) -> None:
        """A code file imported on another workstation: import it here too, when it is
        the newest import of its list (HLC, origin) held here, so that every replica
        ends on the same file whatever the order of arrival."""
        table = self.stream.table
        imports = BY_NAME["code_import"].table
        newest = self.conn.execute(
            select(table.origin, table.seq).where(
                table.entity == "code_import", table.op == "create",
                table.entity_id.in_(select(imports.c.id).where(
                    imports.c.system == values["system"])))
            .order_by(table.hlc.desc(), table.origin.desc()).limit(1)).first()
        if newest is None or (newest.origin, newest.seq) != (entry.origin, entry.seq):
            journal(self.conn, "codes.older", "", f"{values['system']}: "
                    f"{values['file_name']} kept, a newer import of the list is applied")
            return
        savepoint = self.conn.begin_nested()
        try:
            with tempfile.TemporaryDirectory(prefix="medirete-codes-") as folder:
                path = Path(folder) / Path(str(values["file_name"])).name
                path.write_bytes(values["content"])
                report = import_list(self.conn, str(values["system"]), path)
        except (MedireteError, OSError) as error:
            savepoint.rollback()
            journal(self.conn, "codes.refused", "", f"{values['system']}: "
                    f"{values['file_name']}: {error}")
            return
        savepoint.commit()
        journal(self.conn, "codes.import", "",
                f"{values['system']}: {report.count} from {values['file_name']}")

    def _refused(self, kind: Kind, entry: Entry, values: Mapping[str, Any],
                 error: IntegrityError) -> str:
        """A row the tables refuse. Its parent not here yet (a foreign key): kept and
        tried again after each batch. Anything else: kept as a conflict for a person."""
        if "FOREIGN KEY" in str(error.orig).upper():
            return "waiting-parent"
        self._conflict("unique", kind, entry, values.get("patient_id"),
                       {"error": str(error.orig)[:200]})
        return "conflict"

    def _one_holder_per_code(self, entry: Entry, values: dict[str, Any]) -> None:
        """One person registered on two workstations before they met: two patient ids,
        one codice fiscale. Every replica settles it the same way: the patient created
        first (HLC, origin) keeps the code, the other's code is marked
        ``CODE#<the last 12 digits of its id>`` until a secretary merges the two; both charts are
        kept and the pair is listed as a conflict."""
        code = values.get("codice_fiscale")
        patient = values.get("id")
        if not isinstance(code, str) or not code or not isinstance(patient, str):
            return
        table = BY_NAME["patient"].table
        holder = self.conn.execute(select(table.c.id).where(
            table.c.codice_fiscale == code, table.c.id != patient)).scalar()
        if holder is None:
            return
        if self._created(patient) < self._created(holder):
            self.conn.execute(update(table).where(table.c.id == holder)
                              .values(codice_fiscale=duplicate_code(code, holder)))
        else:
            values["codice_fiscale"] = duplicate_code(code, patient)
        pair = sorted([patient, holder])
        stream = self.stream.conflicts
        seen = self.conn.execute(select(stream.id).where(
            stream.kind == "duplicate-person", stream.detail.contains(pair[0]),
            stream.detail.contains(pair[1]))).first()
        if seen is None:
            self._conflict("duplicate-person", BY_NAME["patient"], entry, pair[0],
                           {"patients": pair, "codice_fiscale": code})

    def _created(self, patient: str) -> tuple[int, str]:
        table = self.stream.table
        row = self.conn.execute(select(table.hlc, table.origin).where(
            table.entity == "patient", table.entity_id == patient, table.op == "create")
            .order_by(table.hlc, table.origin).limit(1)).first()
        return (row.hlc, row.origin) if row is not None else (2**63, "")

    def _double_booking(self, entry: Entry, values: dict[str, Any]) -> None:
        """Two bookings of one slot made on two workstations: both kept, flagged."""
        table = BY_NAME["appointment"].table
        others = self.conn.execute(select(table.c.id).where(
            table.c.clinician_id == values.get("clinician_id"),
            table.c.starts_at == values.get("starts_at"),
            table.c.id != entry.entity_id,
            table.c.status != "cancelled")).scalars().all()
        if others:
            self._conflict("booking", BY_NAME["appointment"], entry, values.get("patient_id"),
                           {"appointments": sorted([*others, entry.entity_id]),
                            "starts_at": str(values.get("starts_at"))})

    def _fold(self, kind: Kind, entry: Entry, blobs: Mapping[str, bytes]) -> str | None:
        """Recompute a row updated in place from all of its entries, in clock order."""
        table = self.stream.table
        rows = self.conn.execute(
            select(table.origin, table.seq, table.hlc, table.op, table.payload)
            .where(table.entity == entry.entity, table.entity_id == entry.entity_id)
        ).all()
        ordered = sorted(rows, key=lambda r: (r.hlc, r.origin, r.seq))
        state: dict[str, Any] | None = None
        created = False
        writer: dict[str, tuple[int, str, Any]] = {}
        for row in ordered:
            payload = json.loads(row.payload)
            if row.op == "delete":
                state, created = None, False
                continue
            if row.op == "create":
                state, created = dict(payload), True
            else:
                state = (state or {}) | payload
            for name, value in payload.items():
                writer[name] = (row.hlc, row.origin, value)
        self._lost_race(kind, entry, writer, state)
        return self._write_fold(kind, entry, state, created, blobs)

    def _lost_race(self, kind: Kind, entry: Entry, writer: dict[str, tuple[int, str, Any]],
                   state: Mapping[str, Any] | None) -> None:
        """The arriving update lost fields to a later write of another origin: flag it."""
        if entry.op == "create":
            return
        mine = entry.fields()
        lost = {name: _shown(name, {"kept": writer[name][2], "other": value})
                for name, value in mine.items()
                if name in writer and name not in _BOOKKEEPING
                and (writer[name][0], writer[name][1]) > (entry.hlc, entry.origin)
                and writer[name][1] != entry.origin and writer[name][2] != value}
        if lost:
            patient = (state or {}).get("patient_id") or (
                entry.entity_id if kind.name == "patient" else None)
            label = "demographics" if kind.name == "patient" else "record"
            self._conflict(label, kind, entry, patient, {"fields": lost})

    def _write_fold(self, kind: Kind, entry: Entry, state: dict[str, Any] | None,
                    created: bool, blobs: Mapping[str, bytes]) -> str | None:
        key = primary_key(kind)
        table = kind.table
        exists = self.conn.execute(select(table.c[key]).where(table.c[key] == entry.entity_id)
                                   ).first() is not None
        if state is None:
            if exists:
                self.conn.execute(delete(table).where(table.c[key] == entry.entity_id))
            return None
        values = _decoded(kind, state, blobs, keep_missing_blobs=exists)
        if values is None:
            return "blob-missing"
        values.pop(key, None)
        if exists:
            if not values:
                return None
            if kind.name == "patient":
                values[key] = entry.entity_id
                self._one_holder_per_code(entry, values)
                values.pop(key, None)
            savepoint = self.conn.begin_nested()
            try:
                self.conn.execute(update(table).where(table.c[key] == entry.entity_id)
                                  .values(**values))
            except IntegrityError as error:
                savepoint.rollback()
                return self._refused(kind, entry, values, error)
            savepoint.commit()
            return None
        if not created:
            return None  # updates of a row whose creation has not arrived yet: kept
        return self._insert(kind, entry, {key: entry.entity_id, **values})

    def _conflict(self, label: str, kind: Kind, entry: Entry, patient: object,
                  detail: Mapping[str, Any]) -> None:
        self.conn.execute(insert(self.stream.conflicts).values(
            id=new_id(), detected_at=utc_now(), kind=label, entity=kind.name,
            entity_id=entry.entity_id, patient_id=patient if isinstance(patient, str) else None,
            entries=json.dumps([[entry.origin, entry.seq]]),
            detail=json.dumps(detail, sort_keys=True, default=str)))
        self.result.conflicts += 1
        journal(self.conn, f"conflict.{label}", "",
                f"{kind.name} {entry.entity_id} ({entry.origin}/{entry.seq})")


def _shown(name: str, values: dict[str, Any]) -> dict[str, Any]:
    """A conflict's two values as listed; a user's wrapped keys are not worth printing
    (whose password won is what matters: the admin resets it if needed)."""
    if name == "key_entry":
        return {side: "(keys)" if value else None for side, value in values.items()}
    return values


def duplicate_code(code: str, patient_id: str) -> str:
    """The codice fiscale a duplicate registration carries until it is merged."""
    return f"{code}#{patient_id.replace('-', '')[-12:]}"  # the random part of the id


# Columns every update rewrites (when, by whom): never a conflict of their own.
_BOOKKEEPING = frozenset({"updated_at", "updated_by", "surname_key", "given_key",
                          "phone_key", "mobile_key"})


def _decoded(kind: Kind, fields: Mapping[str, Any], blobs: Mapping[str, bytes], *,
             keep_missing_blobs: bool = False) -> dict[str, Any] | None:
    """Column values from a payload's JSON (dates parsed, blobs resolved); None when a
    blob is missing (``keep_missing_blobs``: leave that column as it is instead)."""
    binary = binary_columns(kind)
    out: dict[str, Any] = {}
    for column in kind.table.columns:
        if column.name not in fields:
            continue
        value = fields[column.name]
        if value is None:
            out[column.name] = None
        elif column.name in binary:
            data = blobs.get(value) if isinstance(value, str) else None
            if data is None or blob_hash(data) != value:
                if keep_missing_blobs:
                    continue
                return None
            out[column.name] = data
        elif isinstance(column.type, DateTime) or _is_datetime(column.type):
            out[column.name] = _datetime(value)
        elif isinstance(column.type, Date):
            out[column.name] = date.fromisoformat(str(value))
        else:
            out[column.name] = value
    return out


def _is_datetime(column_type: object) -> bool:
    impl = getattr(column_type, "impl", None)
    return isinstance(impl, DateTime) or impl is DateTime


def _datetime(value: object) -> datetime:
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
