"""Blood-pressure monitor and scale over a serial line: Medirete's own ASCII line protocol.

No maker publishes a line protocol we could rely on for both devices, so this one is
ours (ADR 0011); real monitors and scales reach us over GDT (``app.devices.gdt``).
One reading per line, in ASCII, NMEA style::

    BP,<systolic>,<diastolic>,<pulse>,<YYYYMMDDHHMMSS>*<checksum>\\r\\n
    WT,<kg>,<YYYYMMDDHHMMSS>*<checksum>\\r\\n

- pressures in mmHg and pulse per minute as integers; weight in kg with at most two
  decimals and a dot ("72.45");
- the time is the device clock (local time, no zone); empty when the device has none;
- the checksum is the XOR of every byte before ``*``, as two hex digits (upper case
  sent, either case accepted);
- line ends CR LF (a bare LF is accepted); a line is at most ``MAX_LINE`` bytes.

``BpDecoder`` is sans-IO: it turns chunks into ``BpReading`` objects and, for each bad
line, a ``BpError`` in place (returned, not raised) so one bad line never hides the good
ones around it. ``decode_line`` raises ``BpError``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

import serial

from app.devices import lines
from app.devices.results import (
    DeviceMessage,
    DeviceResult,
    LineError,
    PatientRef,
    ProtocolError,
)

DRIVER = "bp"
MAX_LINE = 96
SERIAL_SETTINGS: dict[str, object] = {
    "baudrate": 9600,
    "bytesize": serial.EIGHTBITS,
    "parity": serial.PARITY_NONE,
    "stopbits": serial.STOPBITS_ONE,
}
SYSTOLIC_LOINC = "8480-6"
DIASTOLIC_LOINC = "8462-4"
PULSE_LOINC = "8867-4"
WEIGHT_LOINC = "29463-7"

_INT = re.compile(r"[0-9]{1,3}")
_KG = re.compile(r"[0-9]{1,3}(\.[0-9]{1,2})?")
_STAMP = re.compile(r"[0-9]{14}")
_SUM = re.compile(r"[0-9A-Fa-f]{2}")


class BpError(ProtocolError):
    """A line that breaks the BP/scale protocol: checksum, field, range or length."""


@dataclass(frozen=True)
class BpReading:
    """One blood pressure (with pulse) reading."""

    systolic: int
    diastolic: int
    pulse: int
    measured_at: datetime | None = None  # device clock, naive local time


@dataclass(frozen=True)
class WeightReading:
    """One body weight reading in kg."""

    kg: float
    measured_at: datetime | None = None  # device clock, naive local time


Reading = BpReading | WeightReading


def checksum(body: bytes) -> str:
    """XOR of ``body``'s bytes as two upper-case hex digits."""
    value = 0
    for byte in body:
        value ^= byte
    return f"{value:02X}"


def _stamp(when: datetime | None) -> str:
    return "" if when is None else when.strftime("%Y%m%d%H%M%S")


def encode_reading(reading: Reading) -> bytes:
    """The line (CR LF included) a device sends for ``reading``; ``BpError`` if invalid."""
    _validate(reading)
    if isinstance(reading, BpReading):
        fields = ["BP", str(reading.systolic), str(reading.diastolic), str(reading.pulse)]
    else:
        kg = f"{reading.kg:.2f}".rstrip("0").rstrip(".")
        fields = ["WT", kg]
    body = ",".join([*fields, _stamp(reading.measured_at)]).encode("ascii")
    return body + b"*" + checksum(body).encode("ascii") + b"\r\n"


def _validate(reading: Reading) -> None:
    if isinstance(reading, BpReading):
        if not 40 <= reading.systolic <= 300 or not 20 <= reading.diastolic <= 250:
            raise BpError(f"pressure out of range: {reading.systolic}/{reading.diastolic}")
        if reading.diastolic >= reading.systolic:
            raise BpError(f"diastolic {reading.diastolic} not below systolic {reading.systolic}")
        if not 20 <= reading.pulse <= 300:
            raise BpError(f"pulse out of range: {reading.pulse}")
    elif not 0.5 <= reading.kg <= 500 or round(reading.kg, 2) != reading.kg:
        raise BpError(f"weight out of range or finer than 10 g: {reading.kg!r}")


def _number(text: str, pattern: re.Pattern[str], what: str) -> str:
    if not pattern.fullmatch(text):
        raise BpError(f"{what} is not a number: {text!r}")
    return text


def _parse_stamp(text: str) -> datetime | None:
    if not text:
        return None
    if not _STAMP.fullmatch(text):
        raise BpError(f"time is not YYYYMMDDHHMMSS: {text!r}")
    try:
        return datetime.strptime(text, "%Y%m%d%H%M%S")
    except ValueError as exc:
        raise BpError(f"time is not a valid date: {text!r}") from exc


def decode_line(line: bytes) -> Reading:
    """Decode one line (CR LF optional); ``BpError`` for anything wrong."""
    line = line.removesuffix(b"\n").removesuffix(b"\r")
    if len(line) > MAX_LINE:
        raise BpError(f"line longer than {MAX_LINE} bytes")
    body, star, given = line.rpartition(b"*")
    if not star or not _SUM.fullmatch(given.decode("latin-1")):
        raise BpError(f"no *checksum at the end of the line: {line!r}")
    if given.decode("ascii").upper() != checksum(body):
        raise BpError(f"checksum {given.decode('ascii')} != {checksum(body)}: {line!r}")
    if any(byte > 0x7E or byte < 0x20 for byte in body):
        raise BpError(f"non-printable byte in line: {line!r}")
    kind, *fields = body.decode("ascii").split(",")
    reading = _reading(kind, fields)
    _validate(reading)
    return reading


def _reading(kind: str, fields: list[str]) -> Reading:
    if kind == "BP" and len(fields) == 4:
        systolic, diastolic, pulse = (
            int(_number(value, _INT, name))
            for value, name in zip(fields[:3], ("systolic", "diastolic", "pulse"), strict=True)
        )
        return BpReading(systolic, diastolic, pulse, _parse_stamp(fields[3]))
    if kind == "WT" and len(fields) == 2:
        return WeightReading(float(_number(fields[0], _KG, "weight")), _parse_stamp(fields[1]))
    raise BpError(f"unknown record {kind!r} with {len(fields)} fields")


class BpDecoder:
    """Sans-IO line decoder: ``feed`` chunks, get readings and, in place, bad-line errors."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._overflowed = False  # inside an over-long line already reported

    def feed(self, data: bytes) -> list[Reading | BpError]:
        """Decode every complete line in ``data`` (plus what earlier chunks left)."""
        out: list[Reading | BpError] = []
        self._buffer += data
        while (end := self._buffer.find(b"\n")) >= 0:
            line = bytes(self._buffer[: end + 1])
            del self._buffer[: end + 1]
            if self._overflowed:
                self._overflowed = False
            elif line.strip(b"\r\n"):
                out.append(_decode_or_error(line))
        if len(self._buffer) > MAX_LINE + 1:
            if not self._overflowed:
                out.append(BpError(f"line longer than {MAX_LINE} bytes"))
            self._overflowed = True
            self._buffer.clear()
        return out

    def reset(self) -> None:
        """Forget a half-received line (after a reconnect)."""
        self._buffer.clear()
        self._overflowed = False


def _decode_or_error(line: bytes) -> Reading | BpError:
    try:
        return decode_line(line)
    except BpError as exc:
        return exc


def to_message(
    reading: Reading,
    *,
    raw: bytes = b"",
    device: str = "",
    patient: PatientRef | None = None,
    tz: tzinfo | None = None,
) -> DeviceMessage:
    """A ``DeviceMessage(driver="bp")``; the device's local time is read in ``tz`` (or local)."""
    when = _aware(reading.measured_at, tz)
    results: tuple[DeviceResult, ...]
    if isinstance(reading, BpReading):
        results = (
            DeviceResult(
                SYSTOLIC_LOINC,
                "Systolic blood pressure",
                float(reading.systolic),
                unit="mm[Hg]",
                observed_at=when,
                device_code="SYS",
            ),
            DeviceResult(
                DIASTOLIC_LOINC,
                "Diastolic blood pressure",
                float(reading.diastolic),
                unit="mm[Hg]",
                observed_at=when,
                device_code="DIA",
            ),
            DeviceResult(
                PULSE_LOINC,
                "Pulse rate",
                float(reading.pulse),
                unit="/min",
                observed_at=when,
                device_code="PULSE",
            ),
        )
    else:
        results = (
            DeviceResult(
                WEIGHT_LOINC,
                "Body weight",
                reading.kg,
                unit="kg",
                observed_at=when,
                device_code="WT",
            ),
        )
    raw = raw or encode_reading(reading)
    return DeviceMessage(DRIVER, patient or PatientRef(), results, raw, device, sent_at=when)


def _aware(naive: datetime | None, tz: tzinfo | None) -> datetime | None:
    if naive is None:
        return None
    local = naive.replace(tzinfo=tz) if tz is not None else naive.astimezone()
    return local.astimezone(UTC)


def open_line(url: str, *, timeout: float = 0.1) -> serial.SerialBase:
    """Open the monitor's port (a path or pyserial URL) with its line settings."""
    return lines.open_line(url, SERIAL_SETTINGS, timeout=timeout)


def iter_readings(
    line: serial.SerialBase, stop: threading.Event, decoder: BpDecoder | None = None
) -> Iterator[Reading | BpError]:
    """Yield readings (and bad-line errors) until ``stop``; ``LineError`` when the line drops."""
    decoder = decoder or BpDecoder()
    try:
        for data in lines.read_chunks(line, stop, "blood-pressure"):
            yield from decoder.feed(data)
    except LineError:
        decoder.reset()
        raise
