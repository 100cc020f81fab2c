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

New rows, the bulk of an initial sync, are inserted many at a time (``app.sync.bulk``);
what is kept for a person to settle is decided in ``app.sync.merges``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.records.kinds import BY_NAME, Kind, Shape
from app.records.model import SyncDeferred
from app.sync.bulk import Bulk, can_bulk
from app.sync.log import Entry, Stream, primary_key
from app.sync.merges import Applied, Merges, journal
from app.sync.values import decoded

__all__ = ["Applied", "Applier", "journal"]

ENTRY_OPS = ("create", "amend")  # the ops that insert a version of a signed entry
# Why an entry is kept unapplied, among those tried again after every batch.
RETRIED = ("waiting-parent", "newer-schema", "unknown-entity", "blob-missing")


class Applier(Merges):
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
        self._held: dict[str, dict[int, str]] = {}  # {origin: {seq: hash}} of this batch
        self._bulk = Bulk(conn, stream)

    def apply(self, entries: Sequence[Entry], blobs: Mapping[str, bytes], peer: str) -> Applied:
        """Apply ``entries`` (already checked against their seals) in the given order.

        New rows are queued and written in bulk (``app.sync.bulk``); anything else is
        applied one by one, after what is queued before it has been written."""
        forked: set[str] = set()
        self._held = self._held_hashes(entries)
        self._bulk = Bulk(self.conn, self.stream)
        for entry in entries:
            if entry.origin in forked:
                continue
            if not self._store(entry, peer, forked):
                continue
            self.result.highest_hlc = max(self.result.highest_hlc, entry.hlc)
            reason = self._why_not_applied(entry)
            if reason is None and self._queued(entry, blobs):
                continue
            self._flush(blobs)
            if reason is None:
                reason = self._materialize(entry, blobs)
            self._count(entry, reason)
        self._flush(blobs)
        self.retry_deferred(blobs)
        return self.result

    def _queued(self, entry: Entry, blobs: Mapping[str, bytes]) -> bool:
        """Queue a new row for the bulk insert; False when it goes one by one."""
        kind = BY_NAME[entry.entity]
        if not can_bulk(kind, entry):
            return False
        fields = entry.fields()
        values = decoded(kind, fields, blobs)
        if values is None:
            return False  # a blob is missing: kept, one by one
        self._note(kind, entry, fields)  # (noted again if it goes one by one: a set)
        if kind.shape is not Shape.ENTRY:
            key = primary_key(kind)
            values.pop(key, None)
            values = {key: entry.entity_id, **values}
        return self._bulk.add_new_row(kind, entry, values)

    def _flush(self, blobs: Mapping[str, bytes]) -> None:
        """Write the queued log rows and new rows; entries the bulk insert could not take
        are applied one by one, in their order."""
        def one_by_one(entry: Entry) -> None:
            self._count(entry, self._materialize(entry, blobs))

        for entry in self._bulk.flush(one_by_one):
            self._count(entry, None)

    def _count(self, entry: Entry, reason: str | None) -> None:
        """Count an applied entry, or keep an unapplied one to be tried again."""
        if reason is None:
            self.result.applied += 1
            return
        self.conn.execute(insert(SyncDeferred).values(
            stream=self.stream.name, origin=entry.origin, seq=entry.seq, reason=reason))
        self.result.deferred += 1
        self._kept_now.add((entry.origin, entry.seq))

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
    def _held_hashes(self, entries: Sequence[Entry]) -> dict[str, dict[int, str]]:
        """{origin: {seq: hash}} held within the sequences the batch carries of each of its
        origins; and what comes next of each (in ``_next``)."""
        table = self.stream.table
        spans: dict[str, tuple[int, int]] = {}
        for entry in entries:
            low, high = spans.get(entry.origin, (entry.seq, entry.seq))
            spans[entry.origin] = (min(low, entry.seq), max(high, entry.seq))
        held: dict[str, dict[int, str]] = {}
        for origin, (low, high) in spans.items():
            rows = self.conn.execute(select(table.seq, table.hash).where(
                table.origin == origin, table.seq.between(low, high))).all()
            held[origin] = {row.seq: row.hash for row in rows}
            highest = self.conn.execute(select(func.max(table.seq)).where(
                table.origin == origin)).scalar()
            self._next[origin] = (highest or 0) + 1
        return held

    def _store(self, entry: Entry, peer: str, forked: set[str]) -> bool:
        """Queue the entry for the log; False when it is a duplicate, a gap or a fork."""
        held_of_origin = self._held.setdefault(entry.origin, {})
        held = held_of_origin.get(entry.seq)
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
        expected = self._next.get(entry.origin, 1)
        if entry.seq != expected:
            self.result.out_of_order += 1
            return False
        self._bulk.add_log_row(entry)
        held_of_origin[entry.seq] = entry.hash
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
        self._note(kind, entry, fields)
        if kind.shape is Shape.ENTRY and entry.op in ENTRY_OPS:
            return self._insert_version(kind, entry, fields, blobs)
        return self._fold(kind, entry, blobs)

    def _note(self, kind: Kind, entry: Entry, fields: Mapping[str, Any]) -> None:
        """What the screens will hear of: the kinds and patients the batch touched."""
        self.result.kinds.add(kind.name)
        patient = fields.get("patient_id") or (entry.entity_id if kind.name == "patient" else None)
        if isinstance(patient, str):
            self.result.patients.add(patient)

    def _insert_version(self, kind: Kind, entry: Entry, fields: dict[str, Any],
                        blobs: Mapping[str, bytes]) -> str | None:
        key = primary_key(kind)
        table = kind.table
        if self.conn.execute(select(table.c[key]).where(table.c[key] == entry.entity_id)
                             ).first() is not None:
            return None
        values = decoded(kind, fields, blobs)
        if values is None:
            return "blob-missing"
        if entry.op == "amend":
            self._concurrent_amendment(kind, entry, values)
        return self._insert(kind, entry, values)

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

    def _refused(self, kind: Kind, entry: Entry, values: Mapping[str, Any],
                 error: IntegrityError) -> str:
        """A row the tables refuse. Its parent not here yet (a foreign key): kept and
        tried again after each batch. Anything else: kept as a conflict for a person."""
        if "FOREIGN KEY" in str(error.orig).upper():
            return "waiting-parent"
        self._conflict("unique", kind, entry, values.get("patient_id"),
                       {"error": str(error.orig)[:200]})
        return "conflict"

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
        values = decoded(kind, state, blobs, keep_missing_blobs=exists)
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
