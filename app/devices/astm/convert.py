"""A complete LIS2-A2 message (H..L records) as ``DeviceMessage`` objects.

One ``DeviceMessage`` per P record (a batch may carry several patients); results sent
before any P record (quality controls, for instance) go to a message with an empty
patient. Test codes of point-of-care analyzers map to LOINC only when code and unit make
the meaning plain; anything else keeps the device's code under ``local:astm``.
Timestamps are the instrument's local time (Europe/Rome by default), returned as aware UTC.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from app.devices.astm.errors import AstmRecordError
from app.devices.astm.records import Record
from app.devices.results import DeviceMessage, DeviceResult, PatientRef

DRIVER = "astm"
LOCAL_SYSTEM = "local:astm"
ROME = ZoneInfo("Europe/Rome")

# code (upper case, no spaces) -> analyte key
_ALIASES = {
    "HBA1C": "hba1c", "A1C": "hba1c", "HBA1": "hba1c", "GHB": "hba1c",
    "GLU": "glucose", "GLUC": "glucose", "GLUCOSE": "glucose", "BG": "glucose",
    "CHOL": "chol", "TC": "chol", "TCHOL": "chol", "CHOLESTEROL": "chol",
    "HDL": "hdl", "HDL-C": "hdl", "HDLC": "hdl",
    "LDL": "ldl", "LDL-C": "ldl", "LDLC": "ldl",
    "TRIG": "trig", "TG": "trig", "TRIGLYCERIDES": "trig",
    "INR": "inr", "PT-INR": "inr", "PTINR": "inr", "PT/INR": "inr",
}  # fmt: skip

# analyte key -> (display, {normalized unit: LOINC})
_ANALYTES: dict[str, tuple[str, dict[str, str]]] = {
    "hba1c": ("HbA1c", {"%": "4548-4", "mmol/mol": "59261-8"}),
    "glucose": ("Glucose", {"mg/dl": "2345-7", "mmol/l": "14749-6"}),
    "chol": ("Total cholesterol", {"mg/dl": "2093-3", "mmol/l": "14647-2"}),
    "hdl": ("HDL cholesterol", {"mg/dl": "2085-9", "mmol/l": "14646-4"}),
    "ldl": ("LDL cholesterol", {"mg/dl": "13457-7", "mmol/l": "22748-8"}),
    "trig": ("Triglycerides", {"mg/dl": "2571-8", "mmol/l": "14927-8"}),
    "inr": ("INR", {"": "6301-6", "inr": "6301-6", "ratio": "6301-6"}),
}

_STATUS = {
    "": "final", "F": "final", "V": "final", "R": "final",
    "C": "corrected",
    "P": "preliminary", "I": "preliminary", "S": "preliminary", "M": "preliminary",
    "X": "cancelled",
}  # fmt: skip

_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)", re.ASCII)
_TIMESTAMP = re.compile(r"(\d{8})(\d{4}(\d{2})?)?([+-]\d{4})?", re.ASCII)


def _normalize_unit(unit: str) -> str:
    compact = unit.replace(" ", "").lower()
    if compact.startswith("%"):
        return "%"
    return compact


def map_test(code: str, unit: str) -> tuple[str, str, str]:
    """``(code, code_system, display)`` for a device test code and its unit."""
    key = _ALIASES.get(code.replace(" ", "").upper())
    if key is not None:
        display, by_unit = _ANALYTES[key]
        loinc = by_unit.get(_normalize_unit(unit))
        if loinc is not None:
            return loinc, "LOINC", display
        return code, LOCAL_SYSTEM, display
    return code, LOCAL_SYSTEM, code


def parse_timestamp(text: str, zone: ZoneInfo = ROME) -> datetime | None:
    """An LIS2-A2 date/time (YYYYMMDD[HHMM[SS]][+hhmm]) as aware UTC; "" gives None.

    Without an offset the time is the instrument's local time in ``zone``.
    """
    text = text.strip()
    if not text:
        return None
    match = _TIMESTAMP.fullmatch(text)
    if match is None:
        raise AstmRecordError(f"bad date/time {text[:20]!r}")
    digits = match.group(1) + (match.group(2) or "0000")
    digits += "" if match.group(3) else "00"
    try:
        local = datetime.strptime(digits, "%Y%m%d%H%M%S")
        offset = match.group(4)
        if offset:
            minutes = int(offset[1:3]) * 60 + int(offset[3:5])
            sign = -1 if offset[0] == "-" else 1
            local = local.replace(tzinfo=timezone(sign * timedelta(minutes=minutes)))
        else:
            local = local.replace(tzinfo=zone)
        return local.astimezone(UTC)
    except (ValueError, OverflowError) as error:  # bad date, offset or year out of range
        raise AstmRecordError(f"bad date/time {text!r}") from error


def _value(text: str) -> tuple[float | None, str | None]:
    if _NUMBER.fullmatch(text):
        return float(text.replace(",", ".")), None
    return None, text or None


def _joined(record: Record, number: int, separator: str = " ") -> str:
    repeats = [
        separator.join(part for part in record.components(number, index) if part)
        for index in range(1, len(record.field(number)) + 1)
    ]
    return "; ".join(text for text in repeats if text)


def patient_from(record: Record) -> PatientRef:
    """The patient of a P record (identifier: practice id, else lab id, else id no. 3)."""
    identifier = record.get(3) or record.get(4) or record.get(5)
    given = " ".join(part for part in (record.get(6, 2), record.get(6, 3)) if part)
    return PatientRef(
        identifier=identifier,
        family_name=record.get(6, 1),
        given_name=given,
        birth_date=record.get(8),
        sex=record.get(9),
    )


def result_from(record: Record, zone: ZoneInfo = ROME) -> DeviceResult:
    """One R record as a ``DeviceResult``."""
    test = record.components(3)
    device_code = test[3] if len(test) > 3 and test[3] else next((p for p in test if p), "")
    if not device_code:
        raise AstmRecordError(f"R record {record.get(2) or '?'} has no test code")
    unit = record.get(5)
    code, system, display = map_test(device_code, unit)
    if system == LOCAL_SYSTEM and len(test) > 4 and test[4]:
        display = test[4]
    value_num, value_text = _value(record.get(4))
    flag = record.get(9).upper()
    observed = parse_timestamp(record.get(13), zone) or parse_timestamp(record.get(12), zone)
    return DeviceResult(
        code=code,
        display=display,
        value_num=value_num,
        value_text=value_text,
        unit=unit or None,
        code_system=system,
        status=_STATUS.get(flag, "preliminary"),
        abnormal=_joined(record, 7, ""),
        reference_range=_joined(record, 6),
        observed_at=observed,
        device_code=device_code,
    )


@dataclass
class _Group:
    patient: PatientRef
    results: list[DeviceResult] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


def _comment(record: Record, last: DeviceResult | None) -> str:
    text = _joined(record, 4)
    return f"{last.display}: {text}" if last is not None and text else text


def to_device_messages(
    records: Sequence[Record], raw: bytes, zone: ZoneInfo = ROME
) -> list[DeviceMessage]:
    """The ``DeviceMessage`` objects a complete H..L message carries (see module doc)."""
    if not records or records[0].kind != "H":
        raise AstmRecordError("a message must start with an H record")
    header = records[0]
    groups: list[_Group] = []
    last: DeviceResult | None = None
    for record in records[1:]:
        if record.kind == "L":
            break
        if record.kind == "P":
            groups.append(_Group(patient_from(record)))
            last = None
        elif record.kind == "R":
            if not groups:
                groups.append(_Group(PatientRef()))
            last = result_from(record, zone)
            groups[-1].results.append(last)
        elif record.kind == "C" and groups:
            text = _comment(record, last)
            if text:
                groups[-1].comments.append(text)
        elif record.kind == "O":
            last = None
        # H inside, Q, M, S and unknown records carry nothing for the inbox
    device = " ".join(part for part in header.components(5) if part)
    sent_at = parse_timestamp(header.get(14), zone)
    return [
        DeviceMessage(
            driver=DRIVER,
            patient=group.patient,
            results=tuple(group.results),
            raw=raw,
            device=device,
            sent_at=sent_at,
            comments=tuple(group.comments),
        )
        for group in groups
    ]
