"""Contec CMS50D+ pulse oximeter: the live "5-byte" stream, decoded without I/O.

The oximeter streams 60 packets a second over its USB-serial bridge (19200 baud, 8 data
bits, odd parity, 1 stop bit). There is no public specification from Contec; this is our
reading of the layout that several independent reverse-engineering efforts agree on:

======  ====  =========================================================================
byte    bit   meaning
======  ====  =========================================================================
1       7     sync: always 1 here, always 0 in bytes 2-5 (how the decoder resyncs)
1       6     pulse beep (a beat was detected on this sample)
1       5     SpO2 dropping
1       4     searching too long
1       0-3   signal strength (0-15)
2       0-6   pleth waveform (0-127; 0-100 in practice)
3       6     pulse rate bit 7 (a pulse above 127/min sets it)
3       5     searching for a pulse
3       4     probe error: sensor off, no finger ("finger out")
3       0-3   bar graph (0-15)
4       0-6   pulse rate bits 0-6 (a pulse rate of 255 means invalid)
5       0-6   SpO2 in % (127: invalid)
======  ====  =========================================================================

``Cms50Decoder`` turns any chunks of bytes into ``Sample`` objects; ``spot_check`` turns
the last seconds of a stream into one ``DeviceMessage``; ``open_line``/``iter_samples``
read a real port (a pyserial URL) and report a dropped line as ``LineError``.
"""

from __future__ import annotations

import statistics
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import serial

from app.core.clock import utc_now
from app.devices import lines
from app.devices.results import (
    DeviceError,
    DeviceMessage,
    DeviceResult,
    LineError,
    PatientRef,
    ProtocolError,
)

DRIVER = "cms50"
DEVICE = "Contec CMS50D+"
SAMPLE_RATE_HZ = 60.0
PACKET_SIZE = 5
SYNC_BIT = 0x80
INVALID_SPO2 = 127
INVALID_PULSE = 255
# pyserial keyword arguments for the oximeter's line.
SERIAL_SETTINGS: dict[str, object] = {
    "baudrate": 19200,
    "bytesize": serial.EIGHTBITS,
    "parity": serial.PARITY_ODD,
    "stopbits": serial.STOPBITS_ONE,
}

SPO2_LOINC = "59408-5"
PULSE_LOINC = "8867-4"


class Cms50Error(ProtocolError):
    """A sample that cannot be put on the wire (the decoder itself never raises)."""


class SpotCheckRefused(DeviceError):
    """No reading to record: the finger is out of the probe or nothing valid arrived."""


@dataclass(frozen=True)
class Sample:
    """One 1/60 s packet. ``pulse_rate``/``spo2`` are None when the device marks them invalid.

    ``raw`` holds the packet's five bytes as received (not part of equality).
    """

    pleth: int
    pulse_rate: int | None
    spo2: int | None
    finger_out: bool = False
    searching: bool = False
    signal: int = 0
    beat: bool = False
    bar: int = 0
    spo2_dropping: bool = False
    searching_too_long: bool = False
    raw: bytes = field(default=b"", compare=False, repr=False)

    @property
    def probe_off(self) -> bool:
        """No finger on the sensor: the probe error bit, or "searching too long".

        Contec's table calls byte 1 bit 4 "searching too long"; reverse-engineered
        readers see it set exactly when the finger is out. Either bit counts.
        """
        return self.finger_out or self.searching_too_long

    @property
    def valid(self) -> bool:
        """True when the sample carries a usable SpO2 and pulse with the finger in."""
        return (
            not self.probe_off
            and not self.searching
            and self.spo2 is not None
            and self.pulse_rate is not None
        )


def decode_packet(packet: bytes) -> Sample:
    """Decode exactly one 5-byte packet (sync bit on byte 1 only) into a ``Sample``."""
    if len(packet) != PACKET_SIZE or [b & SYNC_BIT for b in packet] != [SYNC_BIT, 0, 0, 0, 0]:
        raise Cms50Error(f"not a CMS50 packet: {packet.hex(' ')}")
    b1, b2, b3, b4, b5 = packet
    pulse = ((b3 & 0x40) << 1) | b4
    spo2 = b5
    return Sample(
        pleth=b2,
        pulse_rate=None if pulse == INVALID_PULSE else pulse,
        spo2=spo2 if spo2 <= 100 else None,
        finger_out=bool(b3 & 0x10),
        searching=bool(b3 & 0x20),
        signal=b1 & 0x0F,
        beat=bool(b1 & 0x40),
        bar=b3 & 0x0F,
        spo2_dropping=bool(b1 & 0x20),
        searching_too_long=bool(b1 & 0x10),
        raw=bytes(packet),
    )


def encode_sample(sample: Sample) -> bytes:
    """The 5 bytes the oximeter sends for ``sample`` (None values become the invalid codes)."""
    pulse = INVALID_PULSE if sample.pulse_rate is None else sample.pulse_rate
    spo2 = INVALID_SPO2 if sample.spo2 is None else sample.spo2
    if not (0 <= pulse <= 255 and 0 <= spo2 <= 127 and 0 <= sample.pleth <= 127):
        raise Cms50Error(f"value out of range: pulse {pulse}, SpO2 {spo2}, pleth {sample.pleth}")
    if not (0 <= sample.signal <= 15 and 0 <= sample.bar <= 15):
        raise Cms50Error(f"signal {sample.signal} or bar {sample.bar} outside 0-15")
    b1 = SYNC_BIT | sample.signal
    b1 |= 0x10 * sample.searching_too_long | 0x20 * sample.spo2_dropping | 0x40 * sample.beat
    b3 = sample.bar | 0x10 * sample.finger_out | 0x20 * sample.searching | (pulse & 0x80) >> 1
    return bytes((b1, sample.pleth, b3, pulse & 0x7F, spo2))


class Cms50Decoder:
    """Sans-IO decoder: ``feed`` any chunk, get the complete samples; never raises.

    A byte with bit 7 set starts a packet; a packet is complete at its fifth byte. Bytes
    before a sync byte, and a packet cut short by a new sync byte, are counted in
    ``discarded`` and dropped, so the decoder resynchronises on the next packet.
    """

    def __init__(self) -> None:
        self._packet = bytearray()
        self.discarded = 0

    def feed(self, data: bytes) -> list[Sample]:
        """Decode ``data`` (continuing any packet left open by the previous chunk)."""
        samples: list[Sample] = []
        packet = self._packet
        for byte in data:
            if byte & SYNC_BIT:
                self.discarded += len(packet)
                packet.clear()
                packet.append(byte)
            elif packet:
                packet.append(byte)
                if len(packet) == PACKET_SIZE:
                    samples.append(decode_packet(bytes(packet)))
                    packet.clear()
            else:
                self.discarded += 1
        return samples

    def reset(self) -> None:
        """Forget a half-received packet (after a reconnect)."""
        self.discarded += len(self._packet)
        self._packet.clear()


def spot_check(
    samples: Sequence[Sample],
    *,
    seconds: float = 5.0,
    min_seconds: float = 1.0,
    rate_hz: float = SAMPLE_RATE_HZ,
    patient: PatientRef | None = None,
    observed_at: datetime | None = None,
    device: str = DEVICE,
) -> DeviceMessage:
    """One SpO2 and pulse reading: the median of the valid samples of the last ``seconds``.

    Refuses (``SpotCheckRefused``) when the latest sample has the finger out of the
    probe, or when fewer than ``min_seconds`` of valid samples are in the window.
    """
    if not samples:
        raise SpotCheckRefused("no reading from the oximeter yet")
    if samples[-1].probe_off:
        raise SpotCheckRefused("finger out of the oximeter probe: no reading taken")
    window = samples[-max(1, round(seconds * rate_hz)) :]
    valid = [s for s in window if s.valid]
    needed = max(1, round(min_seconds * rate_hz))
    if len(valid) < needed:
        raise SpotCheckRefused(
            f"no valid SpO2/pulse reading in the last {seconds:g} s "
            f"({len(valid)} valid samples, {needed} needed)"
        )
    spo2 = statistics.median_low(s.spo2 for s in valid if s.spo2 is not None)
    pulse = statistics.median_low(s.pulse_rate for s in valid if s.pulse_rate is not None)
    when = observed_at or utc_now()
    results = (
        DeviceResult(
            SPO2_LOINC, "SpO2", float(spo2), unit="%", observed_at=when, device_code="SpO2"
        ),
        DeviceResult(
            PULSE_LOINC, "Pulse rate", float(pulse), unit="/min", observed_at=when, device_code="PR"
        ),
    )
    return DeviceMessage(
        driver=DRIVER,
        patient=patient or PatientRef(),
        results=results,
        raw=b"".join(s.raw for s in window),
        device=device,
        sent_at=when,
    )


def open_line(url: str, *, timeout: float = 0.1) -> serial.SerialBase:
    """Open the oximeter's port (a path or pyserial URL) with its line settings."""
    return lines.open_line(url, SERIAL_SETTINGS, timeout=timeout)


def iter_samples(
    line: serial.SerialBase, stop: threading.Event, decoder: Cms50Decoder | None = None
) -> Iterator[Sample]:
    """Yield samples from ``line`` until ``stop`` is set; ``LineError`` when the line drops."""
    decoder = decoder or Cms50Decoder()
    try:
        for data in lines.read_chunks(line, stop, "oximeter"):
            yield from decoder.feed(data)
    except LineError:
        decoder.reset()
        raise
