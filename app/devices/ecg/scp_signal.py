"""SCP-ECG sections 2-6: from encoded bytes to samples in µV.

* Section 2: Huffman tables; 19999 tables means the default table, none means the
  data are 16-bit little-endian signed integers. Custom tables are not supported.
* Section 3: lead definition: lead count, flags (bit 0 reference beat subtraction,
  bit 2 all leads simultaneous, bits 3-7 simultaneous lead count), then per lead the
  first and last sample number (1-based, 4 bytes each) and the lead id (1 byte).
* Section 4: QRS locations: reference beat type 0 length in ms (2), its fiducial
  sample number (2, 1-based), QRS count (2), per QRS its type (2) and the start,
  fiducial and end sample numbers of its subtraction zone (4 each), then per QRS a
  protected area (start, end; used only by bimodal compression).
* Sections 5 (reference beats) and 6 (rhythm or residual data): amplitude value
  multiplier in nV (2), sample interval in µs (2), difference encoding (1: 0 none,
  1 first, 2 second differences), bimodal flag (1, section 6 only), per lead the
  byte count of its data (2), then the data.

With reference beat subtraction the rhythm data are residuals: the reference beat is
added back inside each type-0 subtraction zone, its fiducial point on the zone's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from app.devices.ecg.binary import ByteReader
from app.devices.ecg.errors import EcgError, EcgUnsupportedError
from app.devices.ecg.huffman import DEFAULT_TABLE_ID, decode_default
from app.devices.ecg.leads import scp_lead_name
from app.devices.ecg.model import microvolts
from app.devices.ecg.scp_record import Section, section_label, section_reader

_LIMIT = float(2**42)  # |raw value| beyond this cannot give a sample in range
_REFERENCE_BEAT_FLAG = 0x01


@dataclass(frozen=True)
class LeadDefinition:
    """One lead of section 3."""

    lead_id: int
    start: int  # first sample number, 1-based
    end: int  # last sample number

    @property
    def count(self) -> int:
        """Number of samples."""
        return self.end - self.start + 1


@dataclass(frozen=True)
class QrsZone:
    """One QRS complex of section 4 (sample numbers are 1-based)."""

    beat_type: int
    start: int
    fiducial: int
    end: int


@dataclass(frozen=True)
class EncodedData:
    """Section 5 or 6 before decoding."""

    avm_nv: int
    interval_us: int
    difference: int
    bimodal: int
    chunks: tuple[bytes, ...]


@dataclass(frozen=True)
class DecodedSignal:
    """The rhythm data in µV, lead by lead."""

    leads: dict[str, NDArray[np.int32]]
    sampling_rate: float
    start_samples: Mapping[str, int]


def parse_lead_definition(reader: ByteReader) -> tuple[tuple[LeadDefinition, ...], int]:
    """Section 3: the leads and the flags byte."""
    count, flags = reader.u8(), reader.u8()
    if count == 0:
        raise EcgError(f"{reader.what}: no leads")
    leads = []
    for _ in range(count):
        start, end, lead_id = reader.u32(), reader.u32(), reader.u8()
        start = max(start, 1)  # some v1.x writers number samples from 0
        if end < start:
            raise EcgError(f"{reader.what}: lead {lead_id} has samples {start}..{end}")
        leads.append(LeadDefinition(lead_id, start, end))
    return tuple(leads), flags


def parse_encoded(reader: ByteReader, lead_count: int) -> EncodedData:
    """Section 5 or 6: multiplier, interval, encoding and one byte string per lead."""
    avm, interval, difference, bimodal = reader.u16(), reader.u16(), reader.u8(), reader.u8()
    if avm == 0 or interval == 0:
        raise EcgError(f"{reader.what}: amplitude multiplier {avm} nV, interval {interval} µs")
    if difference not in (0, 1, 2):
        raise EcgError(f"{reader.what}: unknown difference encoding {difference}")
    lengths = [reader.u16() for _ in range(lead_count)]
    chunks = tuple(reader.take(length) for length in lengths)
    return EncodedData(avm, interval, difference, bimodal, chunks)


def parse_qrs_locations(reader: ByteReader) -> tuple[int, int, tuple[QrsZone, ...]]:
    """Section 4: reference beat length (ms), its fiducial (1-based) and the QRS zones."""
    length_ms, fiducial, count = reader.u16(), reader.u16(), reader.u16()
    zones = tuple(
        QrsZone(reader.u16(), reader.u32(), reader.u32(), reader.u32()) for _ in range(count)
    )
    return length_ms, fiducial, zones  # protected areas follow; only bimodal needs them


def uses_huffman(sections: Mapping[int, Section]) -> bool:
    """True for the default Huffman table, False for uncompressed 16-bit data."""
    reader = section_reader(dict(sections), 2)
    if reader is None:
        return False
    tables = reader.u16()
    if tables == DEFAULT_TABLE_ID:
        return True
    if tables == 0:
        return False
    raise EcgUnsupportedError(f"custom Huffman tables in section 2 ({tables} tables)")


def decode_values(
    chunk: bytes, count: int, huffman: bool, difference: int, what: str
) -> NDArray[np.int64]:
    """One lead's values in AVM units: decoded, differences undone."""
    if huffman:
        if count > 8 * len(chunk):  # every code is at least one bit
            raise EcgError(f"{what}: {count} samples cannot fit in {len(chunk)} bytes")
        values = decode_default(chunk, count, what)
    else:
        if 2 * count > len(chunk):
            raise EcgError(f"{what}: {count} samples need {2 * count} bytes, {len(chunk)} sent")
        values = np.frombuffer(chunk, dtype="<i2", count=count).astype(np.int64)
    return _undo_differences(values, difference, what)


def _undo_differences(values: NDArray[np.int64], order: int, what: str) -> NDArray[np.int64]:
    """Actual values from first or second differences (the first 1 or 2 are actual)."""
    if order == 0 or len(values) == 0:
        return values
    if order == 1:
        return _cumsum(values, what)
    steps = values.copy()  # becomes x0, then the first differences x1 - x0, x2 - x1, ...
    if len(steps) > 1:
        steps[1] = values[1] - values[0]
        steps[1:] = _cumsum(steps[1:], what)
    return _cumsum(steps, what)


def _cumsum(values: NDArray[np.int64], what: str) -> NDArray[np.int64]:
    """Running sum, refusing sums too large to be a sample (so int64 never wraps)."""
    if float(np.max(np.abs(np.cumsum(values.astype(np.float64))))) >= _LIMIT:
        raise EcgError(f"{what}: samples out of range")
    return np.cumsum(values)


def decode_signal(sections: Mapping[int, Section]) -> DecodedSignal:
    """Sections 2-6 as leads in µV."""
    by_id = dict(sections)
    lead_reader, rhythm_reader = section_reader(by_id, 3), section_reader(by_id, 6)
    if lead_reader is None or rhythm_reader is None:
        raise EcgError("SCP-ECG file without lead definition (section 3) or rhythm (section 6)")
    leads, flags = parse_lead_definition(lead_reader)
    rhythm = parse_encoded(rhythm_reader, len(leads))
    if rhythm.bimodal:
        raise EcgUnsupportedError("bimodal compression (section 6)")
    huffman = uses_huffman(by_id)
    label = section_label(6)
    nanovolts = [
        decode_values(chunk, lead.count, huffman, rhythm.difference, f"{label} lead {n + 1}")
        * rhythm.avm_nv
        for n, (lead, chunk) in enumerate(zip(leads, rhythm.chunks, strict=True))
    ]
    if flags & _REFERENCE_BEAT_FLAG:
        _add_reference_beats(by_id, leads, rhythm, huffman, nanovolts)
    names = _unique_names(leads)
    return DecodedSignal(
        leads={
            name: microvolts(values / 1000.0, f"{label} lead {name}")
            for name, values in zip(names, nanovolts, strict=True)
        },
        sampling_rate=1e6 / rhythm.interval_us,
        start_samples={name: lead.start - 1 for name, lead in zip(names, leads, strict=True)},
    )


def _unique_names(leads: tuple[LeadDefinition, ...]) -> list[str]:
    names: list[str] = []
    for lead in leads:
        name = scp_lead_name(lead.lead_id)
        names.append(name if name not in names else f"{name}#{names.count(name) + 1}")
    return names


def _add_reference_beats(
    sections: dict[int, Section],
    leads: tuple[LeadDefinition, ...],
    rhythm: EncodedData,
    huffman: bool,
    nanovolts: list[NDArray[np.int64]],
) -> None:
    """Add reference beat type 0 back into every type-0 subtraction zone, in place."""
    qrs_reader, beat_reader = section_reader(sections, 4), section_reader(sections, 5)
    if qrs_reader is None or beat_reader is None:
        raise EcgError("reference beat subtraction announced but section 4 or 5 is missing")
    length_ms, fiducial, zones = parse_qrs_locations(qrs_reader)
    beats = parse_encoded(beat_reader, len(leads))
    if beats.interval_us != rhythm.interval_us:
        raise EcgUnsupportedError(
            f"decimated rhythm data (section 6 at {rhythm.interval_us} µs, "
            f"reference beats at {beats.interval_us} µs)"
        )
    count = length_ms * 1000 // beats.interval_us
    label = section_label(5)
    for n, (lead, chunk) in enumerate(zip(leads, beats.chunks, strict=True)):
        what = f"{label} lead {n + 1}"
        beat = decode_values(chunk, count, huffman, beats.difference, what) * beats.avm_nv
        for zone in zones:
            if zone.beat_type == 0:
                _add_zone(nanovolts[n], lead, beat, fiducial, zone)


def _add_zone(
    values: NDArray[np.int64],
    lead: LeadDefinition,
    beat: NDArray[np.int64],
    fiducial: int,
    zone: QrsZone,
) -> None:
    """Add ``beat`` over the zone, its sample ``fiducial`` on ``zone.fiducial``."""
    shift = zone.fiducial - fiducial + 1  # sample number where the beat's first sample goes
    first = max(zone.start, lead.start, shift)
    last = min(zone.end, lead.end, shift + len(beat) - 1)
    if first > last:
        return
    values[first - lead.start : last - lead.start + 1] += beat[first - shift : last - shift + 1]
