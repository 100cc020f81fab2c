"""SCP-ECG sections 7 (global measurements) and 8 (interpretation statements).

Section 7: number of QRS measurement blocks (reference beat types + 1) (1), number of
pacemaker spikes (1), average RR and PP intervals in ms (2 + 2), then per block P
onset, P offset, QRS onset, QRS offset, T offset in ms (2 each) and P, QRS, T axes in
degrees (2 each, 999 undefined); then the spikes (4 bytes each), the spike
information (6 bytes each), the QRS types (count (2) + 1 byte each) and the
additional measurements: ventricular rate, atrial rate (bpm), QTc (ms) (2 each),
correction formula (1). Later fields are optional: the section may end earlier.

Section 8: confirmed flag (1), date (4), time (3), statement count (1), then per
statement a sequence number (1), a length (2) and the text.

Both are the cart's opinion, not the trace: what cannot be read is left out rather
than failing the import.
"""

from __future__ import annotations

from app.devices.ecg.binary import ByteReader
from app.devices.ecg.errors import EcgError
from app.devices.ecg.model import EcgMeasurements
from app.devices.ecg.scp_header import text

_UNDEFINED_INTERVAL = 19999  # 19999, 29998, 29999: not found / rejected / not computed
_UNDEFINED_AXIS = 999
_MAX_RATE = 400


def _interval(value: int) -> int | None:
    return value if value < _UNDEFINED_INTERVAL else None


def _axis(value: int) -> float | None:
    return float(value) if -180 <= value <= 360 and value != _UNDEFINED_AXIS else None


def _span(start: int | None, end: int | None) -> float | None:
    if start is None or end is None or end < start:
        return None
    return float(end - start)


def _rate(value: int) -> float | None:
    return float(value) if 0 < value <= _MAX_RATE else None


def parse_measurements(reader: ByteReader | None) -> EcgMeasurements:
    """Section 7 as measurements (empty when the file has no section 7)."""
    if reader is None:
        return EcgMeasurements()
    found: dict[str, float | None] = {}
    try:
        _read_measurements(reader, found)
    except EcgError:
        pass  # a short section: keep what was read before its end
    return EcgMeasurements(**found)


def _read_measurements(reader: ByteReader, found: dict[str, float | None]) -> None:
    blocks, spikes, rr, _pp = reader.u8(), reader.u8(), reader.u16(), reader.u16()
    rr_ms = _interval(rr)
    if rr_ms:
        found["heart_rate_bpm"] = _rate(round(60000 / rr_ms))
    if blocks == 0:
        return
    p_on, p_off, qrs_on, qrs_off, t_off = (_interval(reader.u16()) for _ in range(5))
    del p_off  # the P wave duration has no place in the model
    found["pr_ms"] = _span(p_on, qrs_on)
    found["qrs_ms"] = _span(qrs_on, qrs_off)
    found["qt_ms"] = _span(qrs_on, t_off)
    for name in ("p_axis_deg", "qrs_axis_deg", "t_axis_deg"):
        found[name] = _axis(reader.i16())
    reader.take(16 * (blocks - 1) + 10 * spikes)  # other beat types, pacemaker spikes
    reader.take(reader.u16())  # QRS types
    ventricular, _atrial, qtc = reader.u16(), reader.u16(), reader.u16()
    if _rate(ventricular) is not None:
        found["heart_rate_bpm"] = _rate(ventricular)
    qtc_ms = _interval(qtc)
    found["qtc_ms"] = float(qtc_ms) if qtc_ms else None


def parse_statements(reader: ByteReader | None) -> tuple[str, ...]:
    """Section 8 as interpretation lines (empty when the file has no section 8)."""
    if reader is None:
        return ()
    lines: list[str] = []
    try:
        reader.take(8)  # confirmed flag, date and time of the report
        for _ in range(reader.u8()):
            reader.u8()  # sequence number
            statement = text(reader.take(reader.u16()))
            lines.extend(line.strip() for line in statement.splitlines() if line.strip())
    except EcgError:
        pass  # a short section: keep the statements read before its end
    return tuple(lines)
