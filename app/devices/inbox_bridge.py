"""From what a driver or a file reader produced to what the records inbox stores.

The records layer knows nothing of devices (ARCHITECTURE.md: imports point down), so a
``DeviceMessage`` is turned here into the records' ``IncomingMessage``, and a result
file on disk (GDT, SCP-ECG, HL7 aECG, DICOM ECG) into messages.
"""

from __future__ import annotations

import re
from pathlib import Path

from app.devices import gdt
from app.devices.ecg import read_ecg, to_device_message
from app.devices.results import DeviceError, DeviceMessage
from app.records.services.inbox import IncomingMessage, IncomingResult

# A GDT file starts with a line "LLL8000..." (length, then the record-type field).
_GDT_START = re.compile(rb"^\d{3}8000")
MAX_IMPORT_BYTES = 200 * 1024 * 1024


class ImportRefused(DeviceError):
    """A file that is no result this program can read."""


def to_incoming(message: DeviceMessage) -> IncomingMessage:
    """The inbox's view of a device message (raw bytes and the original file kept)."""
    patient = message.patient
    name = " ".join(part for part in (patient.family_name, patient.given_name) if part)
    attachment_name, attachment = next(iter(message.attachments.items()), (None, None))
    return IncomingMessage(
        driver=message.driver,
        raw=message.raw,
        results=tuple(
            IncomingResult(
                code=r.code, display=r.display, value_num=r.value_num,
                value_text=r.value_text, unit=r.unit, code_system=r.code_system,
                status=r.status, abnormal=r.abnormal, reference_range=r.reference_range,
                observed_at=r.observed_at or message.sent_at,
            )
            for r in message.results
        ),
        patient_identifier=patient.identifier,
        patient_name=name,
        patient_birth=patient.birth_date,
        device=message.device,
        sent_at=message.sent_at,
        comments=message.comments,
        attachment_name=attachment_name,
        attachment=attachment,
    )


def read_result_file(path: Path) -> list[DeviceMessage]:
    """The messages of a result file: GDT by its first line, ECG formats by their bytes."""
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise ImportRefused(f"{path.name}: {size} bytes is too large for a result file")
        data = path.read_bytes()
    except OSError as exc:
        raise ImportRefused(f"{path}: {exc.strerror or exc}") from exc
    if _GDT_START.match(data):
        return gdt.read_result_file(path)
    messages = [to_device_message(read_ecg(data, path.name))]
    return messages
