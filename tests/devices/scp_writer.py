"""A small SCP-ECG writer for tests, written from the standard's structure.

It knows nothing of the reader in ``app.devices.ecg``: its own CRC, its own default
Huffman encoder, its own section layout, so a round trip checks one against the
other. Samples are given in AVM units (integers); the reader must return them times
the amplitude value multiplier, in µV.
"""

from __future__ import annotations

import binascii
import struct
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

LEAD_IDS = {"I": 1, "II": 2, "V1": 3, "V2": 4, "V3": 5, "V4": 6, "V5": 7, "V6": 8,
            "III": 61, "aVR": 62, "aVL": 63, "aVF": 64}  # fmt: skip
TWELVE = ("I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6")
EIGHT = ("I", "II", "V1", "V2", "V3", "V4", "V5", "V6")


@dataclass
class ReferenceBeat:
    """Reference beat type 0 (section 5) and the QRS zones it is subtracted in (section 4)."""

    beats: dict[str, NDArray[np.int64]]  # per lead, in units of ``avm_nv``
    fiducial: int  # 1-based sample of the beat aligned on each zone's fiducial
    zones: list[tuple[int, int, int, int]]  # (beat type, start, fiducial, end), 1-based
    avm_nv: int = 5000
    interval_us: int = 2000
    difference: int = 0


@dataclass
class ScpSpec:
    """Everything the writer puts in a record."""

    leads: dict[str, NDArray[np.int64]]  # full rhythm in AVM units
    avm_nv: int = 5000
    interval_us: int = 2000
    difference: int = 0  # 0 none, 1 first, 2 second differences
    huffman: bool = False
    bimodal: int = 0
    reference: ReferenceBeat | None = None
    patient_id: str = "RSSMRA70A01H501S"
    last_name: str = "Rossi"
    first_name: str = "Mario"
    birth: tuple[int, int, int] | None = (1970, 1, 1)
    sex: int = 1
    acquired: tuple[int, int, int, int, int, int] | None = (2024, 3, 5, 10, 30, 15)
    tz_minutes: int | None = 60
    maker: str = "Esaote"
    model: str = "P8000"
    serial: str = "SN-42"
    free_text: str = ""
    measurements: dict[str, int] | None = None  # keys of ``section7`` below
    statements: list[str] = field(default_factory=list)
    huffman_tables: int | None = None  # override the section 2 table count
    starts: dict[str, int] = field(default_factory=dict)  # first sample number if not 1
    protocol: int = 20


def crc(data: bytes) -> int:
    """CRC-CCITT, polynomial 0x1021, initial value 0xFFFF (bitwise, on purpose)."""
    value = 0xFFFF
    for byte in data:
        value ^= byte << 8
        for _ in range(8):
            value = ((value << 1) ^ 0x1021) if value & 0x8000 else value << 1
            value &= 0xFFFF
    return value


def fast_crc(data: bytes) -> int:
    """The same CRC through binascii (for large records)."""
    return binascii.crc_hqx(data, 0xFFFF)


def huffman_encode(values: NDArray[np.int64]) -> bytes:
    """Values coded with the SCP-ECG default Huffman table, MSB first, zero padded."""
    bits = []
    for value in values.tolist():
        if value == 0:
            bits.append("0")
        elif -8 <= value <= 8:
            bits.append("1" * abs(value) + "0" + ("1" if value < 0 else "0"))
        elif -128 <= value <= 127:
            bits.append("1" * 9 + "0" + format(value & 0xFF, "08b"))
        elif -32768 <= value <= 32767:
            bits.append("1" * 10 + format(value & 0xFFFF, "016b"))
        else:
            raise ValueError(f"value {value} does not fit the default table")
    stream = "".join(bits)
    stream += "0" * (-len(stream) % 8)
    return int(stream, 2).to_bytes(len(stream) // 8, "big") if stream else b""


def differences(values: NDArray[np.int64], order: int) -> NDArray[np.int64]:
    """First or second differences; the first ``order`` values stay actual values."""
    out = values.copy()
    if order == 1:
        out[1:] = values[1:] - values[:-1]
    elif order == 2:  # noqa: PLR2004
        out[2:] = values[2:] - 2 * values[1:-1] + values[:-2]
    return out


def encode_lead(values: NDArray[np.int64], order: int, huffman: bool) -> bytes:
    """One lead's data as sections 5 and 6 store it."""
    coded = differences(values, order)
    if huffman:
        return huffman_encode(coded)
    assert np.all(np.abs(coded) < 32768), "uncompressed data must fit 16 bits"
    return coded.astype("<i2").tobytes()


def _tag(tag: int, value: bytes) -> bytes:
    return struct.pack("<BH", tag, len(value)) + value


def _string(text: str) -> bytes:
    return text.encode("latin-1") + b"\0"


def section1(spec: ScpSpec) -> bytes:
    """Patient and acquisition tags, tag 255 last."""
    out = [_tag(2, _string(spec.patient_id)), _tag(0, _string(spec.last_name)),
           _tag(1, _string(spec.first_name))]  # fmt: skip
    if spec.birth:
        out.append(_tag(5, struct.pack("<HBB", *spec.birth)))
    out.append(_tag(8, bytes([spec.sex])))
    device = struct.pack("<HHHBB", 1, 2, 3, 0, 255) + spec.model.encode()[:6].ljust(6, b"\0")
    device += bytes([spec.protocol, 0xA0, 0, 0xD0, 1]) + bytes(16)
    strings = [b"1.0\0", _string(spec.serial), b"sys\0", b"scp\0", _string(spec.maker)]
    device += bytes([len(strings[0])]) + b"".join(strings)
    out.append(_tag(14, device))
    if spec.acquired:
        year, month, day, hour, minute, second = spec.acquired
        out.append(_tag(25, struct.pack("<HBB", year, month, day)))
        out.append(_tag(26, bytes([hour, minute, second])))
    if spec.tz_minutes is not None:
        out.append(_tag(34, struct.pack("<hH", spec.tz_minutes, 0) + b"\0"))
    if spec.free_text:
        out.append(_tag(30, _string(spec.free_text)))
    out.append(_tag(255, b""))
    return b"".join(out)


def section3(spec: ScpSpec) -> bytes:
    """Lead definition: leads simultaneous from sample 1 unless ``starts`` says otherwise."""
    count = len(spec.leads)
    together = 0 if spec.starts else 0x04 | ((count & 0x1F) << 3)
    flags = (0x01 if spec.reference else 0) | together
    out = struct.pack("<BB", count, flags)
    for name, values in spec.leads.items():
        start = spec.starts.get(name, 1)
        out += struct.pack("<IIB", start, start + len(values) - 1, LEAD_IDS[name])
    return out


def residuals(spec: ScpSpec) -> dict[str, NDArray[np.int64]]:
    """The rhythm minus the reference beat in every type-0 zone (what section 6 carries)."""
    ref = spec.reference
    if ref is None:
        return spec.leads
    assert ref.avm_nv % spec.avm_nv == 0
    ratio = ref.avm_nv // spec.avm_nv
    out = {name: values.copy() for name, values in spec.leads.items()}
    for beat_type, start, fiducial, end in ref.zones:
        if beat_type != 0:
            continue
        for name, values in out.items():
            beat = ref.beats[name]
            for sample in range(start, end + 1):  # 1-based sample numbers
                index = sample - fiducial + ref.fiducial - 1
                if 0 <= index < len(beat) and 1 <= sample <= len(values):
                    values[sample - 1] -= beat[index] * ratio
    return out


def encoded_section(avm: int, interval: int, order: int, flag: int, chunks: list[bytes]) -> bytes:
    """Sections 5 and 6: header fields, per lead byte counts, then the data."""
    out = struct.pack("<HHBB", avm, interval, order, flag)
    out += b"".join(struct.pack("<H", len(chunk)) for chunk in chunks)
    return out + b"".join(chunks)


def section4(ref: ReferenceBeat, length: int) -> bytes:
    """QRS locations: beat length in ms, fiducial, zones, then protected areas."""
    length_ms = length * ref.interval_us // 1000
    out = struct.pack("<HHH", length_ms, ref.fiducial, len(ref.zones))
    out += b"".join(struct.pack("<HIII", *zone) for zone in ref.zones)
    return out + b"".join(struct.pack("<II", start, end) for _, start, _, end in ref.zones)


def section7(values: dict[str, int]) -> bytes:
    """Global measurements: one block, no pacemaker spikes, additional measurements."""
    undefined = 29999
    get = values.get
    out = struct.pack("<BBHH", 1, 0, get("rr", undefined), get("pp", undefined))
    out += struct.pack("<5H3h", get("p_on", undefined), get("p_off", undefined),
                       get("qrs_on", undefined), get("qrs_off", undefined),
                       get("t_off", undefined), get("p_axis", 999), get("qrs_axis", 999),
                       get("t_axis", 999))  # fmt: skip
    out += struct.pack("<H", 0)  # no QRS type list
    out += struct.pack("<HHHBH", get("vent_rate", 0), get("atrial_rate", 0),
                       get("qtc", undefined), 1, 0)  # fmt: skip
    return out


def section8(statements: list[str]) -> bytes:
    """Interpretation: unconfirmed, dated, one statement per line."""
    out = struct.pack("<BHBBBBBB", 0, 2024, 3, 5, 10, 31, 0, len(statements))
    for number, line in enumerate(statements, start=1):
        text = _string(line)
        out += struct.pack("<BH", number, len(text)) + text
    return out


def sections(spec: ScpSpec) -> dict[int, bytes]:
    """Section bodies by id (without their 16-byte headers)."""
    order, huffman = spec.difference, spec.huffman
    bodies = {1: section1(spec), 3: section3(spec)}
    if huffman or spec.huffman_tables is not None:
        tables = 19999 if spec.huffman_tables is None else spec.huffman_tables
        bodies[2] = struct.pack("<H", tables)
    ref = spec.reference
    if ref is not None:
        length = len(next(iter(ref.beats.values())))
        bodies[4] = section4(ref, length)
        chunks = [encode_lead(ref.beats[name], ref.difference, huffman) for name in spec.leads]
        bodies[5] = encoded_section(ref.avm_nv, ref.interval_us, ref.difference, 0, chunks)
    rhythm = residuals(spec)
    chunks = [encode_lead(rhythm[name], order, huffman) for name in spec.leads]
    bodies[6] = encoded_section(spec.avm_nv, spec.interval_us, order, spec.bimodal, chunks)
    if spec.measurements is not None:
        bodies[7] = section7(spec.measurements)
    if spec.statements:
        bodies[8] = section8(spec.statements)
    return bodies


def _section(ident: int, body: bytes, protocol: int) -> bytes:
    body += b"\0" * (len(body) % 2)  # sections have an even length
    reserved = b"SCPECG" if ident == 0 else bytes(6)
    rest = struct.pack("<HIBB", ident, 16 + len(body), protocol, protocol) + reserved + body
    return struct.pack("<H", fast_crc(rest)) + rest


def assemble(bodies: dict[int, bytes], protocol: int = 20) -> bytes:
    """A record from section bodies: section 0 pointers, CRCs, record header."""
    ids = sorted(set(range(12)) | set(bodies))
    zero_length = 16 + 10 * len(ids)
    offset = 6 + zero_length  # 0-based position of the next section
    pointers, blobs = [], []
    for ident in ids:
        if ident == 0:
            pointers.append(struct.pack("<HII", 0, zero_length, 7))
        elif ident in bodies:
            blob = _section(ident, bodies[ident], protocol)
            pointers.append(struct.pack("<HII", ident, len(blob), offset + 1))
            blobs.append(blob)
            offset += len(blob)
        else:
            pointers.append(struct.pack("<HII", ident, 0, 0))
    content = _section(0, b"".join(pointers), protocol) + b"".join(blobs)
    length = 6 + len(content)
    rest = struct.pack("<I", length) + content
    return struct.pack("<H", fast_crc(rest)) + rest


def write_scp(spec: ScpSpec) -> bytes:
    """The whole SCP-ECG record for ``spec``."""
    return assemble(sections(spec), spec.protocol)


def section_spans(data: bytes) -> dict[int, tuple[int, int]]:
    """(start, end) byte offsets of every section listed in section 0."""
    zero_length = struct.unpack_from("<I", data, 10)[0]
    spans = {0: (6, 6 + zero_length)}
    for offset in range(6 + 16, 6 + zero_length, 10):
        ident, length, index = struct.unpack_from("<HII", data, offset)
        if ident and length and index:
            spans[ident] = (index - 1, index - 1 + length)
    return spans


def refresh_crcs(data: bytes) -> bytes:
    """Recompute every section CRC and the record CRC (after a deliberate change)."""
    out = bytearray(data)
    try:
        spans = section_spans(data)
    except struct.error:
        spans = {}
    for start, end in spans.values():
        if 6 <= start < end <= len(out) and end - start >= 16:
            out[start : start + 2] = struct.pack("<H", fast_crc(bytes(out[start + 2 : end])))
    if len(out) >= 6:
        length = min(struct.unpack_from("<I", out, 2)[0], len(out))
        out[0:2] = struct.pack("<H", fast_crc(bytes(out[2:length])))
    return bytes(out)


def synthetic_ecg(
    seconds: float = 10.0, rate: int = 500, names: tuple[str, ...] = TWELVE, seed: int = 1
) -> dict[str, NDArray[np.int64]]:
    """Sums of sines plus QRS-like spikes, in µV, one distinct trace per lead."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    beat = np.exp(-(((t % 0.8) - 0.3) ** 2) / (2 * 0.008**2))  # a spike every 0.8 s
    leads = {}
    for index, name in enumerate(names):
        wander = 120 * np.sin(2 * np.pi * 0.3 * t + index)
        waves = 60 * np.sin(2 * np.pi * (1.25 + 0.1 * index) * t) + 8 * np.sin(2 * np.pi * 25 * t)
        spikes = (900 - 120 * index) * beat
        noise = rng.normal(0, 3, t.shape)
        leads[name] = np.rint(wander + waves + spikes + noise).astype(np.int64)
    return leads
