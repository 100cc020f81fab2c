"""SCP-ECG section 1: patient data and ECG acquisition data as tagged fields.

Each field is tag (1 byte), length (2 bytes), value; tag 255 ends the list. We read
last name (0), first name (1), patient id (2), second last name (3), birth date (5),
sex (8), referral indication (13), acquiring device (14), acquisition date (25) and
time (26), free text (30), medical history (35) and the date/time zone (34).
"""

from __future__ import annotations

import struct
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from app.devices.ecg.binary import ByteReader
from app.devices.ecg.timestamps import from_fields
from app.devices.results import PatientRef

TAG_LAST_NAME, TAG_FIRST_NAME, TAG_PATIENT_ID, TAG_SECOND_LAST_NAME = 0, 1, 2, 3
TAG_BIRTH_DATE, TAG_SEX, TAG_REFERRAL, TAG_DEVICE = 5, 8, 13, 14
TAG_DATE, TAG_TIME, TAG_FREE_TEXT, TAG_TIME_ZONE, TAG_HISTORY = 25, 26, 30, 34, 35
TAG_END = 255
_SEX = {1: "M", 2: "F"}  # 0 not known, 9 unspecified
_NO_ZONE = 0x7FFF
# Tag 14: fixed fields, then NUL-terminated strings from byte 36 on (byte 35 is the
# length of the first one): analysing program revision, serial number, system
# software, SCP implementation software, manufacturer trade name.
_DEVICE_MODEL = slice(8, 14)
_DEVICE_STRINGS = 36


@dataclass(frozen=True)
class ScpHeader:
    """What section 1 says about the patient, the cart and the time."""

    patient: PatientRef = field(default_factory=PatientRef)
    device: str = ""
    acquired_at: datetime | None = None
    notes: tuple[str, ...] = ()


def text(value: bytes) -> str:
    """A NUL-terminated string: UTF-8 when it is valid UTF-8, else Latin-1."""
    raw = value.split(b"\0", 1)[0]
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        decoded = raw.decode("latin-1")
    return "".join(char for char in decoded if char.isprintable()).strip()


def read_tags(reader: ByteReader) -> dict[int, list[bytes]]:
    """Every tagged field of section 1, in order, grouped by tag.

    A field running past the section ends the list: the header is metadata, and what
    came before it is still good (the section's CRC already vouched for the bytes).
    """
    tags: dict[int, list[bytes]] = defaultdict(list)
    while reader.remaining() >= 3:  # a shorter tail is padding to an even length
        tag = reader.u8()
        length = reader.u16()
        if tag == TAG_END or length > reader.remaining():
            break
        tags[tag].append(reader.take(length))
    return tags


def parse_header(reader: ByteReader | None, local_tz: tzinfo | None = None) -> ScpHeader:
    """Section 1 as an ``ScpHeader`` (an empty one when the file has no section 1)."""
    if reader is None:
        return ScpHeader()
    tags = read_tags(reader)
    return ScpHeader(
        patient=_patient(tags),
        device=_device(tags.get(TAG_DEVICE, [b""])[0]),
        acquired_at=_acquired(tags, local_tz),
        notes=tuple(
            note
            for tag in (TAG_REFERRAL, TAG_FREE_TEXT, TAG_HISTORY)
            for note in (text(value) for value in tags.get(tag, []))
            if note
        ),
    )


def _first_text(tags: dict[int, list[bytes]], tag: int) -> str:
    values = tags.get(tag)
    return text(values[0]) if values else ""


def _patient(tags: dict[int, list[bytes]]) -> PatientRef:
    family = " ".join(
        part
        for part in (_first_text(tags, TAG_LAST_NAME), _first_text(tags, TAG_SECOND_LAST_NAME))
        if part
    )
    sex = tags.get(TAG_SEX, [b""])[0]
    return PatientRef(
        identifier=_first_text(tags, TAG_PATIENT_ID),
        family_name=family,
        given_name=_first_text(tags, TAG_FIRST_NAME),
        birth_date=_birth_date(tags.get(TAG_BIRTH_DATE, [b""])[0]),
        sex=_SEX.get(sex[0], "") if sex else "",
    )


def _birth_date(value: bytes) -> str:
    date = _date(value)
    return f"{date[0]:04d}{date[1]:02d}{date[2]:02d}" if date else ""


def _date(value: bytes) -> tuple[int, int, int] | None:
    if len(value) < 4:
        return None
    year, month, day = struct.unpack_from("<HBB", value)
    if not (year and 1 <= month <= 12 and 1 <= day <= 31):
        return None
    return year, month, day


def _acquired(tags: dict[int, list[bytes]], local_tz: tzinfo | None) -> datetime | None:
    date = _date(tags.get(TAG_DATE, [b""])[0])
    time_value = tags.get(TAG_TIME, [b""])[0]
    time = (time_value[0], time_value[1], time_value[2]) if len(time_value) >= 3 else None
    zone_value = tags.get(TAG_TIME_ZONE, [b""])[0]
    offset = struct.unpack_from("<h", zone_value)[0] if len(zone_value) >= 2 else None
    if offset == _NO_ZONE:
        offset = None
    return from_fields(date, time, offset, local_tz)


def _device(value: bytes) -> str:
    """ "Manufacturer / model / serial" from tag 14 (empty parts left out)."""
    if len(value) < _DEVICE_STRINGS:
        return text(value[_DEVICE_MODEL]) if len(value) > _DEVICE_MODEL.start else ""
    strings = [text(part) for part in value[_DEVICE_STRINGS:].split(b"\0")]
    strings += [""] * (5 - len(strings))
    serial, manufacturer = strings[1], strings[4]
    parts = (manufacturer, text(value[_DEVICE_MODEL]), serial)
    return " / ".join(part for part in parts if part)
