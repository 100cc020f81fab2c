"""The devices of this workstation: the admin adds, changes and removes them.

The list is read from the center's settings (``ReadWorkstationDevices``), edited here
in memory and stored whole on Save; the main windows then restart their devices by
themselves (a ``center_setting`` change). A refusal (two devices on one port, a wrong
folder) is said in the dialog and the list stays as typed. Clinicians and nurses see
the same list read-only: only the admin changes it. Keys: Enter edits the selected
device, Del removes it, Esc closes.
"""

from __future__ import annotations

from collections.abc import Callable

from app.core.errors import InvalidInput
from app.core.formats import first_upper
from app.core.i18n import _
from app.devices.adapters import SerialAdapter
from app.devices.config import DeviceConfig, check_devices
from app.records.permissions import Permission
from app.records.storage.center import workstation_name
from app.ui.device_editor import DeviceEditor, line_code
from app.ui.device_settings_ops import ListSerialPorts, SaveWorkstationDevices
from app.ui.device_wiring import ReadWorkstationDevices
from app.ui.devices_page import driver_label
from app.ui.errors import expected_failure, show_in_form
from app.ui.navigation import may
from app.ui.operations import SessionInfo
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QEvent,
    QHBoxLayout,
    QHeaderView,
    QKeyEvent,
    QLabel,
    QModelIndex,
    QObject,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)

KEYPAD = Qt.KeyboardModifier.KeypadModifier  # Enter on the keypad is Enter too
COLUMNS: tuple[Callable[[], str], ...] = (
    lambda: _("Name"), lambda: _("Kind of device"), lambda: _("Port or folders"),
    lambda: _("Settings"))


def connection_text(device: DeviceConfig) -> str:
    """Where the device is reached: its port, or its GDT folders."""
    if device.serial:
        return device.port
    if device.request_folder == device.result_folder:
        return device.result_folder
    return _("requests {request}, results {result}").format(
        request=device.request_folder, result=device.result_folder)


def settings_text(device: DeviceConfig) -> str:
    """The line settings ("9600 8N1", "(default)" when none is set) or the GDT ids."""
    if not device.serial:
        return _("GDT ids {receiver} / {sender}").format(
            receiver=device.gdt_receiver, sender=device.gdt_sender)
    code = line_code(device.line_settings())
    if (device.baudrate, device.parity, device.bytesize, device.stopbits) == (None,) * 4:
        return _("{settings} (default)").format(settings=code)
    return code


class DeviceSettingsDialog(QDialog):
    """The workstation's devices in a table; Add, Edit, Remove; Save stores the list."""

    saved = Signal(object)  # tuple[DeviceConfig, ...]

    def __init__(self, executor: RunsOperations, session: SessionInfo, workstation: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deviceSettingsDialog")
        self.setWindowTitle(_("Devices of the workstation {name} - Medirete").format(
            name=workstation))
        self.setMinimumSize(860, 380)
        self._executor = executor
        self.workstation = workstation
        self.can_edit = may(session, Permission.MANAGE_USERS)
        self.devices: list[DeviceConfig] = []
        self.adapters: tuple[SerialAdapter, ...] = ()
        self.loaded = False
        self.busy = False
        self.editor: DeviceEditor | None = None
        intro = QLabel(_("Devices connected to the workstation {name}: results and readings "
                         "go to the results inbox.").format(name=workstation))
        intro.setObjectName("deviceSettingsIntro")
        intro.setWordWrap(True)
        self.read_only = QLabel(_("Read only: only the center's administrator changes the "
                                  "devices of a workstation."))
        self.read_only.setObjectName("deviceSettingsReadOnly")
        self.read_only.setWordWrap(True)
        self.read_only.setStyleSheet("QLabel { background: #fff1c2; padding: 6px; }")
        self.read_only.setVisible(not self.can_edit)
        self.table = self._make_table()
        self.add_button = self._button(_("Add..."), "addDevice", self.add)
        self.edit_button = self._button(_("Edit..."), "editDevice", self.edit)
        self.remove_button = self._button(_("Remove"), "removeDevice", self.remove)
        self.message = QLabel()
        self.message.setObjectName("deviceSettingsMessage")
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        self.message.hide()
        self.buttons = self._make_buttons()
        row = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button):
            row.addWidget(button)
            button.setVisible(self.can_edit)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        for widget in (intro, self.read_only, self.table):
            layout.addWidget(widget)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.table.installEventFilter(self)
        self._update_buttons()
        self.load()

    def _make_table(self) -> QTableWidget:
        table = QTableWidget(0, len(COLUMNS))
        table.setObjectName("deviceTable")
        table.setHorizontalHeaderLabels([title() for title in COLUMNS])
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        table.itemSelectionChanged.connect(self._update_buttons)
        table.doubleClicked.connect(self._on_double_click)
        return table

    def _on_double_click(self, _index: QModelIndex) -> None:
        self.edit()

    @staticmethod
    def _button(text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _make_buttons(self) -> QDialogButtonBox:
        standard = QDialogButtonBox.StandardButton
        buttons = QDialogButtonBox(standard.Save | standard.Cancel if self.can_edit
                                   else standard.Close)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        for button in buttons.buttons():
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)  # Enter in the table edits a device, never saves
        return buttons

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's
        """Enter on the table edits the selected device and Del removes it (the keys never
        reach the dialog's buttons)."""
        if watched is self.table and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent) and not event.modifiers() & ~KEYPAD:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.edit()
                return True
            if event.key() == Qt.Key.Key_Delete:
                self.remove()
                return True
        return super().eventFilter(watched, event)

    # -- reading ----------------------------------------------------------------------------
    def load(self) -> None:
        """Read the stored list (and, for the admin, this computer's ports)."""
        self._executor.run(ReadWorkstationDevices(self.workstation), self._on_loaded,
                           self._on_unreadable)
        if self.can_edit:
            self.refresh_ports()

    def refresh_ports(self) -> None:
        """List this computer's serial ports again (an adapter plugged in meanwhile)."""
        self._executor.run(ListSerialPorts(), self._on_ports)

    def _on_loaded(self, devices: tuple[DeviceConfig, ...]) -> None:
        self.loaded = True
        self.devices = list(devices)
        self._show_devices()
        if devices:
            self.table.selectRow(0)
        self.table.setFocus()

    def _on_unreadable(self, exc: BaseException) -> None:
        known = expected_failure(exc)
        if known is None:
            self._executor.report_error(exc)
            return
        text = _("The device list of this workstation cannot be read: {detail}").format(
            detail=known.user_message())
        if self.can_edit:  # the admin may start over: Save replaces what cannot be read
            self.loaded = True
            text += " " + _("Saving replaces it.")
        self._show_message(text)
        self._update_buttons()

    def _on_ports(self, adapters: tuple[SerialAdapter, ...]) -> None:
        self.adapters = adapters
        if self.editor is not None:
            self.editor.set_adapters(adapters)

    def _show_devices(self) -> None:
        self.table.setRowCount(len(self.devices))
        for row, device in enumerate(self.devices):
            texts = (device.name, first_upper(driver_label(device.driver)), connection_text(device),
                     settings_text(device))
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        self._update_buttons()

    # -- editing ----------------------------------------------------------------------------
    def selected_row(self) -> int | None:
        """The row of the selected device, if any."""
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _update_buttons(self) -> None:
        ready = self.can_edit and self.loaded and not self.busy
        chosen = self.selected_row() is not None
        self.add_button.setEnabled(ready)
        self.edit_button.setEnabled(ready and chosen)
        self.remove_button.setEnabled(ready and chosen)
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        if save is not None:
            save.setEnabled(ready)

    def add(self) -> None:
        """A new device, checked against the ones already listed."""
        if self.can_edit and self.loaded and not self.busy:
            self._open_editor(None)

    def edit(self) -> None:
        """Enter: change the selected device."""
        row = self.selected_row()
        if self.can_edit and self.loaded and not self.busy and row is not None:
            self._open_editor(row)

    def _open_editor(self, row: int | None) -> None:
        others = [d for i, d in enumerate(self.devices) if i != row]

        def check(device: DeviceConfig) -> None:
            place = len(others) if row is None else row
            check_devices([*others[:place], device, *others[place:]])

        device = None if row is None else self.devices[row]
        self.editor = DeviceEditor(device, self.adapters, check, self)
        self.editor.finished_device.connect(lambda new: self._put(row, new))
        self.editor.ports_requested.connect(self.refresh_ports)
        self.editor.finished.connect(self._editor_closed)
        self.editor.open()

    def _editor_closed(self, _result: int) -> None:
        if self.editor is not None:
            self.editor.deleteLater()
            self.editor = None
        self.table.setFocus()

    def _put(self, row: int | None, device: DeviceConfig) -> None:
        if row is None:
            self.devices.append(device)
            row = len(self.devices) - 1
        else:
            self.devices[row] = device
        self.message.hide()
        self._show_devices()
        self.table.selectRow(row)

    def remove(self) -> None:
        """Del: the selected device leaves the list (stored on Save)."""
        row = self.selected_row()
        if not (self.can_edit and self.loaded and not self.busy) or row is None:
            return
        del self.devices[row]
        self._show_devices()
        if self.devices:
            self.table.selectRow(min(row, len(self.devices) - 1))

    # -- storing ----------------------------------------------------------------------------
    def save(self) -> None:
        """Check the whole list, then store it on the writer lane."""
        if not (self.can_edit and self.loaded) or self.busy:
            return
        try:
            check_devices(self.devices)
        except InvalidInput as exc:
            self._show_message(exc.user_message())
            return
        self._set_busy(True)
        self._executor.run(SaveWorkstationDevices(self.workstation, tuple(self.devices)),
                           self._on_saved, self._on_save_failed, initiator=self)

    def _on_saved(self, devices: tuple[DeviceConfig, ...]) -> None:
        self._set_busy(False)
        self.saved.emit(devices)
        self.accept()

    def _on_save_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        show_in_form(exc, self.message, self._executor.report_error)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._update_buttons()

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()


def open_device_settings(executor: RunsOperations, session: SessionInfo,
                         parent: QWidget | None = None) -> DeviceSettingsDialog:
    """The devices of the workstation this program runs on (editable by the admin)."""
    return DeviceSettingsDialog(executor, session, workstation_name(), parent)
