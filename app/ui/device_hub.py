"""The studio's devices while a clinician or a nurse is logged in on this workstation.

``DeviceHub`` starts one reader thread per configured device (``DeviceRunner`` for a
serial line, ``GdtFolderRunner`` for a GDT result folder). Every complete message goes
through ``LaneDelivery``: the reader thread queues one ``ReceiveDeviceMessage`` on the
executor's writer lane and waits for its commit before the device is acknowledged, so
an analyzer never hears ACK for a message that is not stored (a failed store is spooled
to disk by the runner). The UI never waits on a port: runner status comes back by a
queued signal, stored messages by the executor's ``changed`` broadcast and
``message_stored``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from app.core.errors import MedireteError
from app.core.i18n import _
from app.devices import gdt
from app.devices.cms50 import Sample, SpotCheckRefused
from app.devices.config import DeviceConfig
from app.devices.inbox_bridge import to_incoming
from app.devices.results import DeviceMessage, PatientRef
from app.devices.runtime import DeviceRunner, DeviceStatus, GdtFolderRunner
from app.devices.spool import UNREADABLE, SpoolUnreadable, read_spooled, set_aside, spooled_files
from app.records.services.inbox import IncomingMessage
from app.ui.lanes import Backend, Lane
from app.ui.ops import RunsOperations
from app.ui.qt import QObject, Signal

log = logging.getLogger(__name__)

STORE_TIMEOUT = 10.0  # seconds a reader waits for the writer (an analyzer waits 15 s for ACK)
Runner = DeviceRunner | GdtFolderRunner


class StoreTimeout(MedireteError):
    message = "The record did not store a device message in time"


class _Outcome:
    """What the writer did with one message, waited for by the reader thread."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.message_id: str | None = None
        self.error: BaseException | None = None


@dataclass(frozen=True)
class ReceiveDeviceMessage:
    """Store one device message in the inbox (matched by what it carries, else the open
    chart) and tell the waiting reader thread."""

    lane: ClassVar[Lane] = Lane.WRITE
    incoming: IncomingMessage
    open_patient_id: str | None
    device: str = ""  # the configured device's name
    outcome: _Outcome = field(default_factory=_Outcome, compare=False)

    def __call__(self, backend: Backend) -> str:
        try:
            message_id = backend.require().inbox.receive(self.incoming, self.open_patient_id)
        except BaseException as exc:
            self.outcome.error = exc
            self.outcome.done.set()
            raise
        self.outcome.message_id = message_id
        self.outcome.done.set()
        return message_id


@dataclass(frozen=True)
class Stored:
    """A device message now in the inbox."""

    device: str
    message_id: str
    driver: str
    patient: PatientRef


class LaneDelivery:
    """``deliver`` for a runner: the message goes through the writer lane; returns once
    committed, raises when the store failed or took longer than ``timeout``."""

    def __init__(self, executor: RunsOperations, open_patient: Callable[[], str | None],
                 timeout: float = STORE_TIMEOUT, device: str = "",
                 on_stored: Callable[[Stored], None] | None = None) -> None:
        self._executor = executor
        self._open_patient = open_patient
        self._timeout = timeout
        self._device = device
        self._on_stored = on_stored

    def __call__(self, message: DeviceMessage) -> None:
        op = ReceiveDeviceMessage(to_incoming(message), self._open_patient(), self._device)
        self._executor.run(op, _ignore, _logged)
        if not op.outcome.done.wait(self._timeout):
            raise StoreTimeout()
        if op.outcome.error is not None:
            raise op.outcome.error
        if self._on_stored is not None and op.outcome.message_id is not None:
            self._on_stored(Stored(self._device, op.outcome.message_id, message.driver,
                                   message.patient))


def _ignore(_result: object) -> None:
    """The reader thread already knows the outcome."""


def _logged(exc: BaseException) -> None:
    # The runner spools the bytes and shows the error in the device panel: no dialog.
    log.warning("a device message was not stored: %s", type(exc).__name__)


def refusal_text(samples: list[Sample]) -> str:
    """Why no oximeter reading can be taken, in the user's words."""
    if not samples:
        return _("No reading from the oximeter yet.")
    if samples[-1].probe_off:
        return _("Finger out of the probe: no reading taken.")
    return _("No valid SpO2 and pulse reading in the last seconds: keep the finger still.")


class DeviceHub(QObject):
    """The runners of this workstation's devices; lives on the GUI thread."""

    status_changed = Signal(str, object)  # device name, DeviceStatus
    stored = Signal(object)  # Stored
    spot_check_failed = Signal(str, str)  # device name, reason for the user
    devices_changed = Signal()
    recovered = Signal(int, int)  # spooled files now in the inbox, files that cannot be read

    def __init__(self, executor: RunsOperations, spool_dir: Path,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self._spool_dir = spool_dir
        self._open_patient: str | None = None  # read by reader threads: one reference
        self.devices: tuple[DeviceConfig, ...] = ()
        self.runners: dict[str, Runner] = {}
        self.statuses: dict[str, DeviceStatus] = {}

    # -- what the window tells the hub ----------------------------------------------------
    def set_open_patient(self, patient_id: str | None) -> None:
        """The chart open on this workstation: messages naming nobody are matched to it."""
        self._open_patient = patient_id

    def open_patient(self) -> str | None:
        """The chart open now (any thread)."""
        return self._open_patient

    def start(self, devices: tuple[DeviceConfig, ...]) -> None:
        """Run exactly ``devices``: runners of removed or changed devices stop, new start."""
        if devices == self.devices and self.runners:
            return
        self.stop()
        self.devices = devices
        for device in devices:
            runner = self._runner(device)
            self.runners[device.name] = runner
            self.statuses[device.name] = runner.status
            runner.start()
        self.devices_changed.emit()

    def stop(self) -> None:
        """Ask every runner to finish (never waits: a message in hand finishes on its own)."""
        for runner in self.runners.values():
            runner.stop(timeout=0)
        self.runners.clear()
        self.statuses.clear()
        self.devices = ()

    def _runner(self, device: DeviceConfig) -> Runner:
        deliver = LaneDelivery(self._executor, self.open_patient, device=device.name,
                               on_stored=self.stored.emit)

        def on_status(status: DeviceStatus, name: str = device.name) -> None:
            self.status_changed.emit(name, status)  # queued to the GUI thread

        if device.serial:
            return DeviceRunner(device.spec(), deliver, spool_dir=self._spool_dir,
                                on_status=on_status)
        return GdtFolderRunner(Path(device.result_folder), deliver, on_status=on_status)

    def recover_spool(self) -> None:
        """Hand over again, in a thread of its own, what the runners kept on disk because
        it could not be stored (results naming nobody stay unmatched: the chart open
        now is not the one open then)."""
        deliver = LaneDelivery(self._executor, lambda: None)

        def run() -> None:
            done = unreadable = 0
            for path in spooled_files(self._spool_dir):
                try:
                    for message in read_spooled(path):
                        deliver(message)
                except SpoolUnreadable as exc:
                    log.warning("spooled file set aside: %s", exc)
                    set_aside(path, UNREADABLE)
                    unreadable += 1
                except Exception as exc:  # the record is busy or closed: next time
                    log.warning("spooled file %s not handed over: %s", path.name,
                                type(exc).__name__)
                    return
                else:
                    set_aside(path)
                    done += 1
            if done or unreadable:
                self.recovered.emit(done, unreadable)

        threading.Thread(target=run, name="device-spool", daemon=True).start()

    # -- asking a device --------------------------------------------------------------------
    def device(self, name: str) -> DeviceConfig | None:
        """A configured device by name."""
        return next((d for d in self.devices if d.name == name), None)

    def samples(self, name: str, seconds: float) -> list[Sample]:
        """The oximeter's latest samples (empty for other devices)."""
        runner = self.runners.get(name)
        return runner.latest_samples(seconds) if isinstance(runner, DeviceRunner) else []

    def spot_check(self, name: str, patient: PatientRef | None = None) -> None:
        """Save one SpO2/pulse reading from the oximeter ``name`` (in a thread of its own:
        the store goes through the writer). ``stored`` or ``spot_check_failed`` follows."""
        runner = self.runners.get(name)
        if not isinstance(runner, DeviceRunner) or runner.spec.driver != "cms50":
            self.spot_check_failed.emit(name, _("This device is not an oximeter."))
            return
        samples = runner.latest_samples(5.0)

        def take() -> None:
            try:
                runner.spot_check(patient=patient)
            except SpotCheckRefused:
                self.spot_check_failed.emit(name, refusal_text(samples))
            except Exception as exc:  # the store failed and so did the spool
                log.error("oximeter reading not stored: %s", type(exc).__name__)
                self.spot_check_failed.emit(name, _("The reading could not be stored."))

        threading.Thread(target=take, name=f"spot-check-{name}", daemon=True).start()

    def request_gdt(self, name: str, patient: PatientRef) -> Path:
        """Write a GDT request for ``patient`` into the device program's folder.

        Raises ``OSError`` when the folder cannot be written (the caller says so)."""
        device = self.device(name)
        if device is None or device.serial:
            raise ValueError(f"{name} is not a GDT device")
        return gdt.write_request(Path(device.request_folder), patient,
                                 receiver_id=device.gdt_receiver, sender_id=device.gdt_sender)
