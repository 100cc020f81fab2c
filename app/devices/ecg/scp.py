"""SCP-ECG (EN 1064:2005 and the 2007 amendment, protocol 2.x/3.0) reader.

What is implemented: the record and section CRCs (``scp_record``), section 1 header
tags (``scp_header``), sections 2-6 (default Huffman table, uncompressed data, first
and second differences, reference beat subtraction; ``scp_signal``) and sections 7-8
(global measurements and interpretation; ``scp_reports``). Bimodal compression,
decimated rhythm data and custom Huffman tables raise ``EcgUnsupportedError``.
"""

from __future__ import annotations

from datetime import tzinfo

from app.devices.ecg.model import EcgRecording, make_recording
from app.devices.ecg.scp_header import parse_header
from app.devices.ecg.scp_record import is_scp, read_sections, section_reader
from app.devices.ecg.scp_reports import parse_measurements, parse_statements
from app.devices.ecg.scp_signal import decode_signal

__all__ = ["is_scp", "read_scp"]


def read_scp(data: bytes, local_tz: tzinfo | None = None) -> EcgRecording:
    """Read an SCP-ECG file into an ``EcgRecording`` (samples in µV)."""
    sections = read_sections(data)
    signal = decode_signal(sections)
    header = parse_header(section_reader(sections, 1), local_tz)
    measurements = parse_measurements(section_reader(sections, 7))
    statements = parse_statements(section_reader(sections, 8))
    return make_recording(
        signal.leads,
        signal.sampling_rate,
        "scp-ecg",
        data,
        acquired_at=header.acquired_at,
        patient=header.patient,
        device=header.device,
        measurements=measurements,
        statements=statements,
        notes=header.notes,
        start_samples=signal.start_samples,
    )


