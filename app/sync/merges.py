"""The merge decisions of applying a peer's entries: what is kept for a person to settle.

Nothing a peer sends is discarded silently. When two workstations changed the same thing
without seeing each other's change, both are kept and a conflict is listed for a person
(``sync_conflict`` / ``clinical_sync_conflict``), and the sync journal says so:
- two corrections of one version of a signed entry (a clinician picks);
- a field of a row updated in place written later by another origin than the arriving
  update (per-field last writer wins by (HLC, origin); the loser's value is kept);
- one codice fiscale registered as two people before the workstations met;
- two bookings of one slot of a clinician's agenda.
A code list imported on another workstation is imported here too when it is the newest.
Every replica holding the same entries takes the same decisions.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select, update

from app.core.clock import new_id, utc_now
from app.core.errors import MedireteError
from app.records.codes.imports import import_list
from app.records.kinds import BY_NAME, Kind
from app.records.model import SyncJournalEvent
from app.sync.log import Entry, Stream


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


class Merges:
    """The merge decisions, shared by the applier (``app.sync.apply``)."""

    conn: Connection
    stream: Stream
    result: Applied

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
            # A write of these fields newer than every write held now settles it
            # (``app.sync.settle``): a person who saw both values chose.
            after = max(hlc for hlc, _origin, _value in writer.values())
            self._conflict(label, kind, entry, patient, {"fields": lost, "after": after})

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
