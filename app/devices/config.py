"""The devices of one workstation, as its admin configured them (no Qt, no record).

A workstation's list is stored by the records layer as JSON text (one center setting per
workstation, see ``SettingsService.devices``); this module turns that text into
``DeviceConfig`` values and back, and checks every field so that a typo in a port or a
folder is said when it is typed, not when the first result is lost.

Serial drivers (``astm``, ``cms50``, ``bp``) take a pyserial URL or device path and the
line settings (None: the driver's defaults). ``gdt`` takes the device program's two
folders: where this program writes requests and where the device program writes
results (the same folder is allowed), and the GDT ids of both ends.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from app.core.errors import InvalidInput
from app.devices.runtime import SERIAL_DEFAULTS, DeviceSpec

DRIVERS = ("astm", "cms50", "bp", "gdt")
SERIAL_DRIVERS = ("astm", "cms50", "bp")
BAUD_RATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)
PARITIES = ("N", "E", "O", "M", "S")
BYTE_SIZES = (5, 6, 7, 8)
STOP_BITS = (1.0, 1.5, 2.0)
MAX_DEVICES = 16
MAX_NAME = 60
GDT_ID_CHARS = 8  # field 8315/8316: up to 8 characters


@dataclass(frozen=True)
class DeviceConfig:
    """One device of a workstation."""

    name: str  # unique on the workstation, shown in the device panel
    driver: str  # astm | cms50 | bp | gdt
    port: str = ""  # serial drivers: "COM3", "/dev/ttyUSB0", "socket://host:port", "loop://"
    baudrate: int | None = None
    parity: str | None = None
    bytesize: int | None = None
    stopbits: float | None = None
    request_folder: str = ""  # gdt: requests for the device program go here
    result_folder: str = ""  # gdt: the device program's results come here
    gdt_receiver: str = ""  # gdt: the device program's id (field 8315 of a request)
    gdt_sender: str = "MEDIRETE"  # gdt: our id (field 8316)

    @property
    def serial(self) -> bool:
        """A serial line (not a GDT folder pair)."""
        return self.driver in SERIAL_DRIVERS

    def spec(self) -> DeviceSpec:
        """The runner's view of a serial device (defaults filled in)."""
        if not self.serial:
            raise ValueError(f"{self.driver} is not a serial driver")
        return DeviceSpec(self.driver, self.port, baudrate=self.baudrate, parity=self.parity,
                          bytesize=self.bytesize, stopbits=self.stopbits)

    def line_settings(self) -> dict[str, object]:
        """Baud, parity, data bits, stop bits as the line will be opened."""
        return self.spec().serial_settings()


def _invalid(detail: str) -> InvalidInput:
    return InvalidInput(detail=detail)


def check_device(device: DeviceConfig) -> None:
    """``InvalidInput`` naming the first field that cannot work."""
    if not device.name.strip():
        raise _invalid("a device needs a name")
    if len(device.name) > MAX_NAME:
        raise _invalid("a device name is at most 60 characters")
    if device.driver not in DRIVERS:
        raise _invalid("unknown device driver")
    if device.serial:
        _check_serial(device)
    else:
        _check_gdt(device)


def _check_serial(device: DeviceConfig) -> None:
    if not device.port.strip():
        raise _invalid("a serial device needs a port")
    if device.baudrate is not None and device.baudrate not in BAUD_RATES:
        raise _invalid("unsupported baud rate")
    if device.parity is not None and device.parity not in PARITIES:
        raise _invalid("parity must be N, E, O, M or S")
    if device.bytesize is not None and device.bytesize not in BYTE_SIZES:
        raise _invalid("data bits must be 5, 6, 7 or 8")
    if device.stopbits is not None and device.stopbits not in STOP_BITS:
        raise _invalid("stop bits must be 1, 1.5 or 2")


def _check_gdt(device: DeviceConfig) -> None:
    if not device.request_folder.strip() or not device.result_folder.strip():
        raise _invalid("a GDT device needs a request folder and a result folder")
    for folder in (device.request_folder, device.result_folder):
        if not (PurePosixPath(folder).is_absolute() or PureWindowsPath(folder).is_absolute()):
            raise _invalid("GDT folders must be full paths")
    for gdt_id in (device.gdt_receiver, device.gdt_sender):
        if not gdt_id.strip() or len(gdt_id) > GDT_ID_CHARS or not gdt_id.isascii() \
                or not gdt_id.isalnum():
            raise _invalid("GDT ids are 1 to 8 letters or digits")


def check_devices(devices: tuple[DeviceConfig, ...] | list[DeviceConfig]) -> None:
    """Each device valid, names unique, no line or folder used twice."""
    if len(devices) > MAX_DEVICES:
        raise _invalid("at most 16 devices per workstation")
    names: set[str] = set()
    lines: set[str] = set()
    for device in devices:
        check_device(device)
        key = device.name.strip().casefold()
        if key in names:
            raise _invalid("two devices have the same name")
        names.add(key)
        line = device.port.strip() if device.serial else device.result_folder.strip()
        if line in lines:
            raise _invalid("two devices use the same port or result folder")
        lines.add(line)


def dump_devices(devices: tuple[DeviceConfig, ...] | list[DeviceConfig]) -> str:
    """The stored text (checked first)."""
    check_devices(devices)
    return json.dumps({"version": 1, "devices": [asdict(d) for d in devices]},
                      ensure_ascii=False, sort_keys=True)


_FIELDS = {f.name for f in fields(DeviceConfig)}


def _device(item: Any) -> DeviceConfig:
    if not isinstance(item, dict) or not {"name", "driver"} <= item.keys():
        raise _invalid("the stored device list is not readable")
    known = {key: value for key, value in item.items() if key in _FIELDS}  # newer fields
    try:
        device = DeviceConfig(**known)
    except TypeError as exc:
        raise _invalid("the stored device list is not readable") from exc
    check_device(device)
    return device


def parse_devices(text: str | None) -> tuple[DeviceConfig, ...]:
    """The devices in stored text (None or "" : none); ``InvalidInput`` when unreadable."""
    if not text:
        return ()
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise _invalid("the stored device list is not readable") from exc
    items = data.get("devices") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise _invalid("the stored device list is not readable")
    devices = tuple(_device(item) for item in items)
    check_devices(devices)
    return devices


def default_settings(driver: str) -> dict[str, object]:
    """The line settings a serial driver opens with when none are given."""
    return dict(SERIAL_DEFAULTS[driver])
