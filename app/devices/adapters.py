"""The serial ports of this computer, as the admin picks one for a device (no Qt).

pyserial lists the ports the operating system knows (COM3, /dev/ttyUSB0, ...), with the
USB vendor and product ids when the port is a USB-serial adapter. A small table names
the common adapter chips, so the admin can tell the analyzer's cable from a modem's.
The list is only a hint: a port may be typed by hand (``socket://host:port``, a port
that is unplugged now), so listing never fails; an odd port is shown as well as it can.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

from serial.tools import list_ports

log = logging.getLogger(__name__)

# (VID, PID) of common USB-serial chips. Contec CMS50 oximeters usually come with a
# Silicon Labs CP210x cable: they show up under that chip's ids, not their own.
KNOWN_CHIPS: dict[tuple[int, int], str] = {
    (0x0403, 0x6001): "FTDI FT232R",
    (0x0403, 0x6015): "FTDI FT-X",
    (0x067B, 0x2303): "Prolific PL2303",
    (0x10C4, 0xEA60): "Silicon Labs CP210x",
    (0x1A86, 0x7523): "WCH CH340",
    (0x1A86, 0x55D4): "WCH CH9102",
}
_NOT_AVAILABLE = {"", "n/a"}  # what pyserial says when the system gave no description
_DIGITS = re.compile(r"(\d+)")


@dataclass(frozen=True)
class SerialAdapter:
    """One serial port as the system lists it."""

    device: str  # what the driver opens: "COM3", "/dev/ttyUSB0"
    description: str = ""  # the system's words for it ("" when it has none)
    vid: int | None = None
    pid: int | None = None
    serial_number: str = ""
    chip: str = ""  # a recognised USB-serial chip ("Silicon Labs CP210x"), or ""

    @property
    def usb_id(self) -> str:
        """``VID:PID`` in hex, as the system shows it ("" for a port that is not USB)."""
        if self.vid is None or self.pid is None:
            return ""
        return f"{self.vid:04X}:{self.pid:04X}"


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _usb_number(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 0xFFFF:
        return value
    return None


def adapter_from(port: object) -> SerialAdapter | None:
    """A ``ListPortInfo`` (or anything alike) as a ``SerialAdapter``; None without a path."""
    device = _text(getattr(port, "device", None))
    if not device:
        return None
    description = _text(getattr(port, "description", None))
    if description in _NOT_AVAILABLE or description == device:
        description = ""
    vid = _usb_number(getattr(port, "vid", None))
    pid = _usb_number(getattr(port, "pid", None))
    chip = KNOWN_CHIPS.get((vid, pid), "") if vid is not None and pid is not None else ""
    return SerialAdapter(device, description, vid, pid,
                         _text(getattr(port, "serial_number", None)), chip)


def _natural(adapter: SerialAdapter) -> tuple[object, ...]:
    """COM2 before COM10, /dev/ttyUSB2 before /dev/ttyUSB10."""
    # split() puts the runs of digits at the odd places: int and str never compared.
    parts = _DIGITS.split(adapter.device)
    return tuple(int(part) if i % 2 else part.casefold() for i, part in enumerate(parts))


def sorted_adapters(ports: Iterable[object]) -> tuple[SerialAdapter, ...]:
    """The ports as adapters, one per path, in natural order of their paths."""
    found: dict[str, SerialAdapter] = {}
    for port in ports:
        adapter = adapter_from(port)
        if adapter is not None:
            found.setdefault(adapter.device, adapter)
    return tuple(sorted(found.values(), key=_natural))


def serial_adapters() -> tuple[SerialAdapter, ...]:
    """This computer's serial ports now (empty when the system cannot list them)."""
    try:
        ports = list_ports.comports()
    except (OSError, ValueError) as exc:  # a port the system half-knows: no list, no stop
        log.warning("the serial ports could not be listed: %s", exc)
        return ()
    return sorted_adapters(ports)
