"""The operations of the "Devices of this workstation" dialog (off the GUI thread)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from app.devices.adapters import SerialAdapter, serial_adapters
from app.devices.config import DeviceConfig, dump_devices
from app.ui.lanes import Backend, Lane


@dataclass(frozen=True)
class ListSerialPorts:
    """This computer's serial ports (the system may take a moment to answer)."""

    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, _backend: Backend) -> tuple[SerialAdapter, ...]:
        return serial_adapters()


@dataclass(frozen=True)
class SaveWorkstationDevices:
    """Store a workstation's device list (checked here, the role checked by the record)."""

    workstation: str
    devices: tuple[DeviceConfig, ...]
    lane: ClassVar[Lane] = Lane.WRITE

    def __call__(self, backend: Backend) -> tuple[DeviceConfig, ...]:
        backend.require().settings.set_device_config(self.workstation,
                                                     dump_devices(self.devices))
        return self.devices
