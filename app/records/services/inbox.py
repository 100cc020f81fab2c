"""The results inbox: device results wait here until a clinician accepts or rejects them.

Every message lands first, with its raw bytes, whatever the workstation does next (the
device listener writes it before it reads on). It is matched to a patient by the
codice fiscale or patient number it carries, else by the chart open on the workstation
that received it, else by hand. Results become observations (and an ECG its recording)
only when a clinician accepts them; rejected ones stay, with the reason, for the log.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from app.core.clock import new_id, utc_now
from app.core.errors import InvalidCodiceFiscale, InvalidInput, NotFound
from app.records.codice_fiscale import validate
from app.records.model import DeviceMessageRow, DeviceResultRow, EntryStatus, Patient
from app.records.services import entries
from app.records.services.access import Permission, requires
from app.records.services.base import Service, WriteBatch
from app.records.services.versions import require_patient

STATES = ("pending", "accepted", "rejected")
# Kinds whose raw file is kept as the patient's device recording when accepted.
RECORDING_DRIVERS = frozenset({"scp-ecg", "aecg", "dicom-ecg", "gdt"})


@dataclass(frozen=True)
class IncomingResult:
    """One value as a device sent it (records-level: no devices import here)."""

    code: str
    display: str = ""
    value_num: float | None = None
    value_text: str | None = None
    unit: str | None = None
    code_system: str = "LOINC"
    status: str = "final"
    abnormal: str = ""
    reference_range: str = ""
    observed_at: datetime | None = None


@dataclass(frozen=True)
class IncomingMessage:
    """One complete message: who it is about (as sent), its results, its raw bytes."""

    driver: str
    raw: bytes
    results: tuple[IncomingResult, ...]
    patient_identifier: str = ""
    patient_name: str = ""
    patient_birth: str = ""
    device: str = ""
    sent_at: datetime | None = None
    comments: tuple[str, ...] = ()
    attachment_name: str | None = None
    attachment: bytes | None = None


@dataclass(frozen=True)
class InboxItem:
    """One result as the inbox shows it."""

    id: str
    message_id: str
    received_at: datetime
    driver: str
    patient_identifier: str
    patient_name: str
    patient_id: str | None
    codice_fiscale: str | None
    matched_by: str | None
    code: str
    display: str
    value_num: float | None
    value_text: str | None
    unit: str | None
    state: str
    observed_at: datetime | None
    abnormal: str = ""
    reason: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def value(self) -> str:
        """The value as text (a number without a needless ".0")."""
        if self.value_num is not None:
            return f"{self.value_num:g}"
        return self.value_text or ""


def _codice_fiscale(identifier: str) -> str | None:
    try:
        return validate(identifier) if identifier.strip() else None
    except InvalidCodiceFiscale:
        return None


def _match(conn: Connection, identifier: str, open_patient_id: str | None
           ) -> tuple[str | None, str | None]:
    """(patient id, how) for what the device sent; (None, None) when nobody matches."""
    code = _codice_fiscale(identifier)
    if code is not None:
        found = conn.execute(select(Patient.id).where(Patient.codice_fiscale == code)).first()
        if found is not None:
            return str(found.id), "codice_fiscale"
    if identifier.strip():
        found = conn.execute(select(Patient.id).where(Patient.id == identifier.strip())).first()
        if found is not None:
            return str(found.id), "patient_id"
    if open_patient_id:
        found = conn.execute(select(Patient.id).where(Patient.id == open_patient_id)).first()
        if found is not None:
            return str(found.id), "open_chart"
    return None, None


@dataclass(frozen=True)
class AcceptedResult:
    """A result a clinician just accepted, as the accept hooks see it."""

    patient_id: str
    code: str
    observation_id: str
    observed_at: datetime | None


# Called inside the accepting transaction for every accepted result. The chronic-care
# rules register here the one that marks a planned PAI activity done when a result of
# its code arrives (that rule belongs to the care-plan issue; nothing registers yet).
AcceptHook = Callable[[WriteBatch, AcceptedResult], None]
ACCEPTED_HOOKS: list[AcceptHook] = []


def message_digest(message: IncomingMessage) -> str:
    """What makes a message the same one sent again: its bytes, and which part of them.

    One ASTM transmission may carry several patients: each becomes a message with the
    same raw bytes, told apart by the patient and the tests it carries (the bytes alone
    would have kept only the first patient's results).
    """
    part = "\x1f".join((message.patient_identifier.strip().upper(),
                        *(result.code for result in message.results)))
    return hashlib.sha256(message.raw + b"\x00" + part.encode("utf-8")).hexdigest()


class InboxService(Service):
    """Receive, list, match, accept and reject device results."""

    @requires(Permission.WRITE_OBSERVATION)
    def receive(self, message: IncomingMessage, open_patient_id: str | None = None) -> str:
        """Persist a message and its results (pending); the same bytes twice are kept once."""
        digest = message_digest(message)
        with self._writing() as batch:
            conn = batch.conn
            known = conn.execute(select(DeviceMessageRow.id).where(
                DeviceMessageRow.sha256 == digest, DeviceMessageRow.driver == message.driver)
            ).first()
            if known is not None:
                return str(known.id)
            patient_id, how = _match(conn, message.patient_identifier, open_patient_id)
            message_id = self._insert_message(batch, message, digest)
            for result in message.results:
                self._insert_result(batch, message_id, result, patient_id, how)
        return message_id

    def _insert_message(self, batch: WriteBatch, message: IncomingMessage, digest: str) -> str:
        message_id = new_id()
        row: dict[str, Any] = {
            "id": message_id, "received_at": utc_now(), "driver": message.driver,
            "device": message.device[:120], "workstation": self._actor.workstation[:60],
            "sent_at": message.sent_at, "patient_identifier": message.patient_identifier[:60],
            "patient_name": message.patient_name[:120],
            "patient_birth": message.patient_birth[:10],
            "comments": "\n".join(message.comments), "raw": message.raw, "sha256": digest,
            "attachment_name": message.attachment_name, "attachment": message.attachment,
        }
        batch.conn.execute(insert(DeviceMessageRow).values(**row))
        batch.record("device_message", message_id, "create", row, patient_id=None,
                     action="inbox.receive", detail=message.driver)
        return message_id

    def _insert_result(self, batch: WriteBatch, message_id: str, result: IncomingResult,
                       patient_id: str | None, how: str | None) -> None:
        result_id = new_id()
        row: dict[str, Any] = {
            "id": result_id, "message_id": message_id, "patient_id": patient_id,
            "matched_by": how, "code": result.code[:40], "code_system": result.code_system[:40],
            "display": result.display[:120], "value_num": result.value_num,
            "value_text": (result.value_text or None) and result.value_text[:200],
            "unit": result.unit, "abnormal": result.abnormal[:10],
            "reference_range": result.reference_range[:60],
            "result_status": result.status[:12], "observed_at": result.observed_at,
            "state": "pending",
        }
        batch.conn.execute(insert(DeviceResultRow).values(**row))
        batch.record("device_result", result_id, "create", row, patient_id=patient_id)

    @requires(Permission.READ_CHART)
    def items(self, state: str | None = None) -> list[InboxItem]:
        """Results, newest message first (all states, or one)."""
        if state is not None and state not in STATES:
            raise InvalidInput(detail=f"state must be one of {', '.join(STATES)}")
        r, m = DeviceResultRow, DeviceMessageRow
        query = (
            select(r.id, r.message_id, m.received_at, m.driver, m.patient_identifier,
                   m.patient_name, r.patient_id, Patient.codice_fiscale, r.matched_by,
                   r.code, r.display, r.value_num, r.value_text, r.unit, r.state,
                   r.observed_at, r.abnormal, r.reason)
            .join(m, m.id == r.message_id)
            .outerjoin(Patient, Patient.id == r.patient_id)
            .order_by(m.received_at.desc(), m.id, r.id)
        )
        if state is not None:
            query = query.where(r.state == state)
        with self._read() as conn:
            rows = conn.execute(query).all()
        return [InboxItem(**row._asdict()) for row in rows]

    @requires(Permission.READ_CHART)
    def raw(self, message_id: str) -> bytes:
        """The message's bytes exactly as received."""
        with self._read() as conn:
            found = conn.execute(
                select(DeviceMessageRow.raw).where(DeviceMessageRow.id == message_id)
            ).first()
        if found is None:
            raise NotFound(what=f"message {message_id}")
        return bytes(found.raw)

    @requires(Permission.WRITE_OBSERVATION)
    def rematch(self, message_id: str, patient_id: str) -> None:
        """Give every pending result of a message to ``patient_id`` (a clinician's choice)."""
        with self._writing() as batch:
            require_patient(batch.conn, patient_id)
            ids = self._pending_of(batch.conn, message_id)
            if not ids:
                raise NotFound(what=f"pending results of message {message_id}")
            changes = {"patient_id": patient_id, "matched_by": "manual"}
            batch.conn.execute(
                update(DeviceResultRow).where(DeviceResultRow.id.in_(ids)).values(**changes))
            for result_id in ids:
                batch.record("device_result", result_id, "update", changes,
                             patient_id=patient_id, action="inbox.rematch")

    @staticmethod
    def _pending_of(conn: Connection, message_id: str) -> list[str]:
        rows = conn.execute(select(DeviceResultRow.id).where(
            DeviceResultRow.message_id == message_id, DeviceResultRow.state == "pending"))
        return [str(row.id) for row in rows]

    @requires(Permission.WRITE_OBSERVATION)
    def reject(self, result_ids: Iterable[str], reason: str) -> None:
        """Reject pending results; they stay in the inbox's log with the reason."""
        if not reason.strip():
            raise InvalidInput(detail="a rejection needs a reason")
        with self._writing() as batch:
            for row in self._pending(batch.conn, result_ids):
                changes = {"state": "rejected", "reason": reason.strip(),
                           "decided_by": self._actor.user_id, "decided_at": utc_now()}
                batch.conn.execute(update(DeviceResultRow)
                                   .where(DeviceResultRow.id == row.id).values(**changes))
                batch.record("device_result", row.id, "update", changes,
                             patient_id=row.patient_id, action="inbox.reject")

    @staticmethod
    def _pending(conn: Connection, result_ids: Iterable[str]) -> list[Any]:
        wanted = list(dict.fromkeys(result_ids))
        rows = conn.execute(select(DeviceResultRow).where(DeviceResultRow.id.in_(wanted))).all()
        found = {row.id: row for row in rows}
        for result_id in wanted:
            row = found.get(result_id)
            if row is None:
                raise NotFound(what=f"result {result_id}")
            if row.state != "pending":
                raise InvalidInput(detail=f"result {result_id} was already {row.state}")
        return [found[result_id] for result_id in wanted]

    @requires(Permission.WRITE_OBSERVATION)
    def accept(self, result_ids: Iterable[str]) -> list[str]:
        """Turn pending, matched results into signed observations; returns their ids.

        A message whose driver carries a file (an ECG, a spirometry curve) also files
        its original as the patient's device recording, once.
        """
        created: list[str] = []
        with self._writing() as batch:
            filed: set[str] = set()
            for row in self._pending(batch.conn, result_ids):
                if row.patient_id is None:
                    raise InvalidInput(detail="match the result to a patient before accepting")
                entry_id = self._observation(batch, row)
                created.append(entry_id)
                for hook in ACCEPTED_HOOKS:  # e.g. a planned PAI activity marked done
                    hook(batch, AcceptedResult(row.patient_id, row.code, entry_id,
                                               row.observed_at))
                if row.message_id not in filed:
                    filed.add(row.message_id)
                    self._recording(batch, row)
                changes = {"state": "accepted", "entry_id": entry_id,
                           "decided_by": self._actor.user_id, "decided_at": utc_now()}
                batch.conn.execute(update(DeviceResultRow)
                                   .where(DeviceResultRow.id == row.id).values(**changes))
                batch.record("device_result", row.id, "update", changes,
                             patient_id=row.patient_id, action="inbox.accept")
        return created

    def _base(self) -> dict[str, Any]:
        now = utc_now()
        return {"version": 1, "status": EntryStatus.SIGNED.value, "hidden": False,
                "author_id": self._actor.user_id, "recorded_at": now, "signed_at": now}

    def _observation(self, batch: WriteBatch, row: Any) -> str:
        fields = {
            "code": row.code, "code_system": row.code_system, "display": row.display,
            "value_num": row.value_num, "value_text": row.value_text, "unit": row.unit,
            "effective_at": row.observed_at or utc_now(), "source": "device",
        }
        require_patient(batch.conn, row.patient_id)
        entry = entries.insert_version(batch.conn, "observation", row.patient_id, fields,
                                           self._base())
        batch.record("observation", entry["id"], "create", entry, patient_id=row.patient_id)
        return str(entry["id"])

    def _recording(self, batch: WriteBatch, row: Any) -> None:
        message = batch.conn.execute(
            select(DeviceMessageRow.driver, DeviceMessageRow.device,
                   DeviceMessageRow.attachment, DeviceMessageRow.sent_at)
            .where(DeviceMessageRow.id == row.message_id)
        ).one()
        if message.driver not in RECORDING_DRIVERS or not message.attachment:
            return
        content = bytes(message.attachment)
        fields = {
            "device_kind": "ecg" if "ecg" in message.driver else "spirometer",
            "device_serial": (message.device or None) and message.device[:60],
            "format": message.driver, "acquired_at": message.sent_at or utc_now(),
            "content": content, "sha256": hashlib.sha256(content).hexdigest(),
        }
        entry = entries.insert_version(batch.conn, "device_recording", row.patient_id,
                                           fields, self._base())
        batch.record("device_recording", entry["id"], "create", entry,
                     patient_id=row.patient_id)
