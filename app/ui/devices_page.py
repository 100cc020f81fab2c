"""The devices page: every device of this workstation and the live oximeter.

The table shows each device's state (connecting, waiting, receiving, error) and its
last message; the oximeter view draws the pleth wave of the first oximeter and saves a
reading on request, matched to the patient open on this workstation.
"""

from __future__ import annotations

from collections.abc import Callable

from app.core.i18n import _
from app.devices.cms50 import Sample
from app.devices.runtime import DeviceStatus
from app.ui.device_hub import DeviceHub, Stored
from app.ui.device_panel import DevicePanel
from app.ui.oximeter_view import OximeterView
from app.ui.qt import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
    Slot,
)

DRIVER_NAMES: dict[str, Callable[[], str]] = {
    "astm": lambda: _("ASTM analyzer"),
    "cms50": lambda: _("pulse oximeter"),
    "bp": lambda: _("blood pressure / scale"),
    "gdt": lambda: _("GDT program"),
}


def driver_label(driver: str) -> str:
    """A driver in the user's words."""
    return DRIVER_NAMES[driver]() if driver in DRIVER_NAMES else driver


class _HubSamples:
    """The oximeter view's sample source: one device of the hub."""

    def __init__(self, hub: DeviceHub, name: str) -> None:
        self._hub, self.name = hub, name

    def latest_samples(self, seconds: float) -> list[Sample]:
        return self._hub.samples(self.name, seconds)


class DevicesPage(QWidget):
    """Device table, commands, and the live oximeter when there is one."""

    status_message = Signal(str)
    acquire_requested = Signal()
    inbox_requested = Signal()
    settings_requested = Signal()

    def __init__(self, hub: DeviceHub, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("devicesPage")
        self.hub = hub
        self._states: dict[str, str] = {}  # the last state of each device
        self._patient_open = False
        self.panel = DevicePanel()
        self.empty = QLabel(_("No device is configured on this workstation. The center's "
                              "administrator adds them from Devices > Devices of this "
                              "workstation."))
        self.empty.setObjectName("noDevices")
        self.empty.setWordWrap(True)
        self.acquire = self._button(_("Acquire for the open patient..."), "acquireButton",
                                    self.acquire_requested.emit)
        inbox = self._button(_("Results inbox"), "inboxButton", self.inbox_requested.emit)
        settings = self._button(_("Devices of this workstation..."), "deviceSettingsButton",
                                self.settings_requested.emit)
        buttons = QHBoxLayout()
        for button in (self.acquire, inbox, settings):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.oximeter_title = QLabel()
        self.oximeter_title.setObjectName("oximeterTitle")
        self.oximeter: OximeterView | None = None
        self.oximeter_box = QWidget()
        self._oximeter_layout = QVBoxLayout(self.oximeter_box)
        self._oximeter_layout.setContentsMargins(0, 0, 0, 0)
        self._oximeter_layout.addWidget(self.oximeter_title)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(buttons)
        top_layout.addWidget(self.empty)
        top_layout.addWidget(self.panel, 1)
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.addWidget(top)
        self.split.addWidget(self.oximeter_box)
        self.split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.split)
        hub.status_changed.connect(self._on_status)
        hub.devices_changed.connect(self._on_devices)
        hub.stored.connect(self._on_stored)
        hub.spot_check_failed.connect(self._on_spot_failed)
        hub.recovered.connect(self._on_recovered)
        self._on_devices()

    def _button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    @property
    def oximeter_name(self) -> str | None:
        """The device the live view shows."""
        return next((d.name for d in self.hub.devices if d.driver == "cms50"), None)

    @Slot()
    def _on_devices(self) -> None:
        self.panel.model.beginResetModel()
        self.panel.model.rows.clear()
        self.panel.model.endResetModel()
        for device in self.hub.devices:
            where = device.port if device.serial else device.result_folder
            self.panel.add_device(device.name, driver_label(device.driver), where)
            status = self.hub.statuses.get(device.name)
            if status is not None:
                self._on_status(device.name, status)
        self.empty.setVisible(not self.hub.devices)
        self._enable_acquire()
        self._place_oximeter()

    def set_patient_open(self, is_open: bool) -> None:
        """"Acquire" works for the open patient only."""
        self._patient_open = is_open
        self._enable_acquire()

    def _enable_acquire(self) -> None:
        self.acquire.setEnabled(self._patient_open and bool(self.hub.devices))
        self.acquire.setToolTip("" if self._patient_open else _("Open a patient first."))

    def _place_oximeter(self) -> None:
        name = self.oximeter_name
        if self.oximeter is not None:
            self.oximeter.setParent(None)
            self.oximeter.deleteLater()
            self.oximeter = None
        self.oximeter_box.setVisible(name is not None)
        if name is None:
            return
        self.oximeter_title.setText(_("Live oximeter: {name}").format(name=name))
        self.oximeter = OximeterView(_HubSamples(self.hub, name),
                                     lambda: self.hub.spot_check(name, None))
        self._oximeter_layout.addWidget(self.oximeter, 1)

    @Slot(str, object)
    def _on_status(self, name: str, status: DeviceStatus) -> None:
        if self.hub.device(name) is None:
            return  # a runner of a device removed meanwhile
        self.panel.update_status(name, status.state, status.last_message_at, status.last_error)
        if status.state == "error" and self._states.get(name) != "error":
            # A pulled cable or a vanished adapter is said on every page, once per failure.
            self.status_message.emit(_("{device}: {error} (retrying)").format(
                device=name, error=status.last_error))
        self._states[name] = status.state
        if self.oximeter is not None and name == self.oximeter_name:
            self.oximeter.set_link_state(status.state, status.last_error)

    @Slot(object)
    def _on_stored(self, stored: Stored) -> None:
        self.status_message.emit(_("{device}: a result is in the inbox").format(
            device=stored.device))

    @Slot(str, str)
    def _on_spot_failed(self, name: str, reason: str) -> None:
        self.status_message.emit(f"{name}: {reason}")

    @Slot(int, int)
    def _on_recovered(self, done: int, unreadable: int) -> None:
        text = _("{count} device message(s) kept on disk are now in the results inbox.").format(
            count=done)
        if unreadable:
            text += " " + _("{count} file(s) could not be read and were set aside.").format(
                count=unreadable)
        self.status_message.emit(text)
