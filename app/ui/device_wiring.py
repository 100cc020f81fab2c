"""The main window's devices: the hub, the devices page, "acquire", kept up to date.

The workstation's device list is read when a clinician or a nurse logs in and again
whenever the admin changes it (a ``center_setting`` change); the runners stop at log-out
and when the window closes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import ClassVar

from app.core.errors import MedireteError
from app.core.i18n import _
from app.core.paths import user_data_dir
from app.devices.config import DeviceConfig, parse_devices
from app.records.changes import Changes
from app.records.services.views import PatientSummary
from app.records.storage.center import workstation_name
from app.ui.acquire_dialog import AcquireDialog
from app.ui.device_hub import DeviceHub
from app.ui.devices_page import DevicesPage
from app.ui.lanes import Backend, Lane
from app.ui.ops import RunsOperations
from app.ui.qt import QObject, QWidget, Slot

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReadWorkstationDevices:
    """The devices configured for one workstation (checked; unreadable text refused)."""

    workstation: str
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> tuple[DeviceConfig, ...]:
        return parse_devices(backend.require().settings.device_config(self.workstation))


class WorkstationDevices(QObject):
    """Owns the hub and the devices page for one logged-in session."""

    def __init__(self, executor: RunsOperations, parent: QWidget) -> None:
        super().__init__(parent)
        self._executor = executor
        self._window = parent
        self.workstation = workstation_name()
        self.hub = DeviceHub(executor, user_data_dir() / "spool", self)
        self.page = DevicesPage(self.hub)
        self.acquire_dialog: AcquireDialog | None = None
        self.stopped = False
        self._recovered = False  # the spool is read back once per session
        executor.changed.connect(self._on_changed)
        self.reload()

    def reload(self) -> None:
        """Read this workstation's devices and run exactly those."""
        self._executor.run(ReadWorkstationDevices(self.workstation), self._start,
                           self._unreadable)

    @Slot(object, object)
    def _on_changed(self, changes: Changes, _initiator: object) -> None:
        if "center_setting" in changes.kinds and not self.stopped:
            self.reload()

    def _start(self, devices: tuple[DeviceConfig, ...]) -> None:
        if self.stopped:
            return
        self.hub.start(devices)
        if not self._recovered:
            self._recovered = True
            self.hub.recover_spool()

    def _unreadable(self, exc: BaseException) -> None:
        if not isinstance(exc, MedireteError):
            raise exc
        log.warning("the device list of %s is unreadable: %s", self.workstation, exc)
        self.page.status_message.emit(
            _("The device list of this workstation cannot be read: {detail}").format(
                detail=exc))

    def set_patient(self, patient_id: str | None) -> None:
        """The chart open in the window (unnamed results are matched to it); an "acquire"
        for another patient closes (its result stays in the inbox)."""
        self.hub.set_open_patient(patient_id)
        self.page.set_patient_open(patient_id is not None)
        dialog = self.acquire_dialog
        if dialog is not None and dialog.patient.id != patient_id:
            dialog.close()

    def acquire(self, patient: PatientSummary | None) -> None:
        """Open "acquire" for the open patient."""
        if patient is None:
            self.page.status_message.emit(_("Open a patient first."))
            return
        if not self.hub.devices:
            self.page.status_message.emit(_("No device is configured on this workstation."))
            return
        if self.acquire_dialog is not None:
            self.acquire_dialog.close()
            self.acquire_dialog.deleteLater()
        self.acquire_dialog = AcquireDialog(self._executor, self.hub, patient, self._window)
        self.acquire_dialog.show()

    def stop(self) -> None:
        """Stop every runner (log-out, window closed)."""
        self.stopped = True
        self.hub.stop()
        if self.acquire_dialog is not None:
            self.acquire_dialog.close()
