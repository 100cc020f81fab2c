"""What every device driver and file reader produces: one model, whatever the protocol.

A driver turns bytes into ``DeviceMessage`` objects; the inbox stores each with its raw
bytes, matches it to a patient and, once a clinician accepts it, turns its
``DeviceResult`` items into observations. Nothing here touches the record or Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


class DeviceError(Exception):
    """Root of every failure a device, a line or a file can cause (never a bug).

    ``str(error)`` is one line in English for the log and the CLI; drivers raise their
    own subclass so that "random bytes raise only the driver's error" is testable.
    """


class ProtocolError(DeviceError):
    """Bytes that break the protocol: bad checksum, bad frame, bad record, bad field."""


class LineError(DeviceError):
    """The line itself failed: cable pulled, adapter gone, timeout waiting for the peer."""


@dataclass(frozen=True)
class PatientRef:
    """The patient as the device sent it; matching to a chart happens in the inbox."""

    identifier: str = ""  # codice fiscale, patient number or whatever the device keeps
    family_name: str = ""
    given_name: str = ""
    birth_date: str = ""  # as sent (YYYYMMDD usually); not parsed here
    sex: str = ""


@dataclass(frozen=True)
class DeviceResult:
    """One measured value: an HbA1c, an SpO2, an FEV1."""

    code: str  # LOINC where known (e.g. "4548-4" HbA1c), else the device's own test code
    display: str  # human name as sent or as known ("HbA1c")
    value_num: float | None = None
    value_text: str | None = None  # when not numeric ("<0.5", "POS", "finger out")
    unit: str | None = None
    code_system: str = "LOINC"  # "LOINC", or "local:<driver>" for device test codes
    status: str = "final"  # final | preliminary | corrected | cancelled
    abnormal: str = ""  # flag as sent ("H", "L", "N", ...)
    reference_range: str = ""
    observed_at: datetime | None = None  # aware UTC when the device says when
    device_code: str = ""  # the test code exactly as the device sent it


@dataclass(frozen=True)
class DeviceMessage:
    """One complete message from a device: a patient, results, and the bytes they came in.

    ``raw`` is kept byte for byte (the inbox shows it and stores it encrypted).
    ``attachments`` carries curves or original files (name -> bytes), e.g. a
    spirometry flow-volume curve or the original ECG file.
    """

    driver: str  # "astm", "cms50", "gdt", "bp", "scp-ecg", "aecg", "dicom-ecg"
    patient: PatientRef
    results: tuple[DeviceResult, ...]
    raw: bytes
    device: str = ""  # maker/model/serial as the device reports it
    sent_at: datetime | None = None  # the message's own timestamp, aware UTC
    comments: tuple[str, ...] = ()
    attachments: dict[str, bytes] = field(default_factory=dict)
