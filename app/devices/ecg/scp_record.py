"""SCP-ECG (EN 1064:2005, ISO 11073-91064) framing: record, sections, CRCs.

A record is a CRC-CCITT over the rest of the record (2 bytes), the record length
(4 bytes), then sections; all integers little-endian. Every section starts with a
16-byte header: CRC (2), section id (2), section length (4), section version (1),
protocol version (1), reserved (6). A section's CRC covers the section from its byte 2
to its end. Section 0 lists, for each section id, its length and its 1-based index in
the record. The record CRC and every section's CRC are checked: a damaged file is an
``EcgChecksumError`` naming the section, never a wrong trace.
"""

from __future__ import annotations

import binascii
import struct
from dataclasses import dataclass

from app.devices.ecg.binary import ByteReader
from app.devices.ecg.errors import EcgChecksumError, EcgError

RECORD_HEADER = 6
SECTION_HEADER = 16
SECTION_NAMES = {
    0: "pointers", 1: "patient and ECG header", 2: "Huffman tables", 3: "lead definition",
    4: "QRS locations", 5: "reference beats", 6: "rhythm data", 7: "global measurements",
    8: "interpretation", 9: "manufacturer interpretation", 10: "lead measurements",
    11: "statement codes",
}  # fmt: skip
_SECTION_HEAD = struct.Struct("<HHIBB")


@dataclass(frozen=True)
class Section:
    """One section: its id, versions and the bytes after its 16-byte header."""

    ident: int
    version: int
    protocol: int
    body: bytes


def crc_ccitt(data: bytes) -> int:
    """CRC-CCITT as SCP-ECG uses it: polynomial 0x1021, initial value 0xFFFF."""
    return binascii.crc_hqx(data, 0xFFFF)


def section_label(ident: int) -> str:
    """ "section 6 (rhythm data)" for error messages."""
    name = SECTION_NAMES.get(ident)
    return f"section {ident} ({name})" if name else f"section {ident}"


def is_scp(data: bytes) -> bool:
    """True when ``data`` starts like an SCP-ECG record (a section 0 after the header).

    A damaged section 0 still counts when the record length matches the file, so that
    the reader can report the bad CRC instead of "not an ECG".
    """
    if len(data) < RECORD_HEADER + SECTION_HEADER:
        return False
    if data[16:22] == b"SCPECG" or struct.unpack_from("<I", data, 2)[0] == len(data):
        return True
    if struct.unpack_from("<H", data, 8)[0] != 0 or len(data) < 32:
        return False
    ident, _length, index = struct.unpack_from("<HII", data, 22)
    return bool(ident == 0 and index == RECORD_HEADER + 1)


def read_sections(data: bytes) -> dict[int, Section]:
    """All sections of an SCP-ECG record, every CRC checked (sections first, then record)."""
    if len(data) < RECORD_HEADER + SECTION_HEADER:
        raise EcgError(f"SCP-ECG record too short ({len(data)} bytes)")
    stored, length = struct.unpack_from("<HI", data, 0)
    if length > len(data):
        raise EcgError(f"SCP-ECG record truncated: {length} bytes announced, {len(data)} present")
    if length < RECORD_HEADER + SECTION_HEADER:
        raise EcgError(f"SCP-ECG record length {length} is too small")
    record = data[:length]
    zero = _section_at(record, RECORD_HEADER, 0, None)
    sections = {0: zero}
    for ident, section_length, index in _pointers(zero):
        if ident in sections:
            raise EcgError(f"section 0 lists {section_label(ident)} twice")
        sections[ident] = _section_at(record, index - 1, ident, section_length)
    computed = crc_ccitt(record[2:])
    if computed != stored:
        raise EcgChecksumError(
            f"SCP-ECG record CRC mismatch (stored 0x{stored:04X}, computed 0x{computed:04X})"
        )
    return sections


def _pointers(zero: Section) -> list[tuple[int, int, int]]:
    """(id, length, 1-based index) of every section present, from section 0."""
    found = []
    for offset in range(0, len(zero.body) - 9, 10):
        ident, length, index = struct.unpack_from("<HII", zero.body, offset)
        if ident != 0 and length and index:
            found.append((ident, length, index))
    return found


def _section_at(record: bytes, start: int, ident: int, length: int | None) -> Section:
    """The section at ``start``; ``length`` from section 0 (None: section 0 itself)."""
    label = section_label(ident)
    if start < RECORD_HEADER or start + SECTION_HEADER > len(record):
        raise EcgError(f"{label} lies outside the record (offset {start})")
    stored, found, declared, version, protocol = _SECTION_HEAD.unpack_from(record, start)
    span = declared if length is None else length
    if span < SECTION_HEADER or start + span > len(record):
        # For section 0 the length itself is unprotected until its CRC is checked.
        if length is None:
            raise EcgChecksumError(f"{label} damaged: length {span} does not fit", section=0)
        raise EcgError(f"{label} lies outside the record (length {span})")
    computed = crc_ccitt(record[start + 2 : start + span])
    if computed != stored:
        raise EcgChecksumError(
            f"{label} CRC mismatch (stored 0x{stored:04X}, computed 0x{computed:04X})",
            section=ident,
        )
    if found != ident or declared != span:
        raise EcgError(f"{label}: header says section {found} of {declared} bytes")
    return Section(ident, version, protocol, record[start + SECTION_HEADER : start + span])


def section_reader(sections: dict[int, Section], ident: int) -> ByteReader | None:
    """A reader over the body of section ``ident``, or None when the file lacks it."""
    section = sections.get(ident)
    return ByteReader(section.body, section_label(ident)) if section else None
