"""One device of the workstation, as the admin types it: driver, port or folders, ids.

A serial device takes a port (picked from this computer's ports or typed: ``COM3``,
``/dev/ttyUSB0``, ``socket://host:port``) and its line settings, each "default" unless
the device's manual says otherwise. A GDT device takes the device program's two folders
and the ids both ends write in their files. OK checks the device against the others of
the list; a refusal is said in the editor, and what was typed stays.
"""

from __future__ import annotations

from collections.abc import Callable

from app.core.errors import InvalidInput
from app.core.formats import drop_context, format_decimal
from app.core.i18n import _
from app.devices.adapters import SerialAdapter
from app.devices.config import (
    BAUD_RATES,
    BYTE_SIZES,
    DRIVERS,
    PARITIES,
    STOP_BITS,
    DeviceConfig,
    default_settings,
)
from app.ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)

DRIVER_LABELS: dict[str, Callable[[], str]] = {
    "astm": lambda: _("Laboratory analyzer (ASTM)"),
    "cms50": lambda: _("Pulse oximeter (Contec CMS50)"),
    "bp": lambda: _("Blood pressure monitor or scale"),
    "gdt": lambda: _("Device program through GDT (ECG, spirometer)"),
}
# "parity|...": a context, as "none" or "odd" may be translated otherwise elsewhere.
PARITY_LABELS: dict[str, Callable[[], str]] = {
    "N": lambda: drop_context(_("parity|none")), "E": lambda: drop_context(_("parity|even")),
    "O": lambda: drop_context(_("parity|odd")), "M": lambda: drop_context(_("parity|mark")),
    "S": lambda: drop_context(_("parity|space")),
}
Check = Callable[[DeviceConfig], None]


def driver_label(driver: str) -> str:
    """The kind of device a driver talks to, for a person."""
    label = DRIVER_LABELS.get(driver)
    return label() if label else driver


def _number(value: object) -> str:
    """1.5 stop bits as "1,5" in Italian; baud rates never grouped ("19200")."""
    return format_decimal(value) if isinstance(value, float) else str(value)


def line_code(settings: dict[str, object]) -> str:
    """Baud, data bits, parity, stop bits the way manuals write them: "19200 8O1"."""
    return "{baud} {bits}{parity}{stop}".format(
        baud=settings["baudrate"], bits=settings["bytesize"], parity=settings["parity"],
        stop=_number(settings["stopbits"]))


def adapter_hint(adapter: SerialAdapter) -> str:
    """What the system knows of a port, e.g. "USB-serial (FTDI FT232R), serial A1B2"."""
    parts = []
    if adapter.chip:
        parts.append(_("USB-serial ({chip})").format(chip=adapter.chip))
    elif adapter.description:
        parts.append(adapter.description)
    if adapter.usb_id:
        parts.append(_("USB id {id}").format(id=adapter.usb_id))
    if adapter.serial_number:
        parts.append(_("serial number {number}").format(number=adapter.serial_number))
    return ", ".join(parts)


def _invalid(detail: str) -> InvalidInput:
    return InvalidInput(detail=detail)


class DeviceEditor(QDialog):
    """Add or change one device; ``finished_device`` carries it once it checks out."""

    finished_device = Signal(object)  # DeviceConfig
    ports_requested = Signal()

    def __init__(self, device: DeviceConfig | None, adapters: tuple[SerialAdapter, ...],
                 check: Check, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deviceEditor")
        self.setWindowTitle(_("New device") if device is None else _("Device: {name}").format(
            name=device.name))
        self.setMinimumWidth(560)
        self._check = check
        self.adapters = adapters
        self.name = QLineEdit(device.name if device else "")
        self.name.setObjectName("deviceName")
        self.driver = QComboBox()
        self.driver.setObjectName("deviceDriver")
        for driver in DRIVERS:
            self.driver.addItem(driver_label(driver), driver)
        # One form, so every field lines up; a driver shows its own rows only.
        self.form = QFormLayout()
        self.form.addRow(_("Name"), self.name)
        self.form.addRow(_("Kind of device"), self.driver)
        self.serial_rows = self._serial_fields()
        self.gdt_rows = self._gdt_fields()
        self.message = QLabel()
        self.message.setObjectName("deviceEditorMessage")
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        self.message.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.finish)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.driver.currentIndexChanged.connect(self._on_driver)
        self.port.currentTextChanged.connect(self._show_hint)
        self.set_adapters(adapters)
        self._fill(device or DeviceConfig("", "astm"))

    def _serial_fields(self) -> list[QWidget | QLayout]:
        self.port = QComboBox()
        self.port.setObjectName("devicePort")
        self.port.setEditable(True)
        self.port.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.port.setMinimumContentsLength(24)
        line = self.port.lineEdit()
        if line is not None:
            line.setPlaceholderText(_("COM3, /dev/ttyUSB0 or socket://host:port"))
        self.refresh = QPushButton(_("Refresh ports"))
        self.refresh.setObjectName("refreshPorts")
        self.refresh.setAutoDefault(False)
        self.refresh.clicked.connect(self.ports_requested)
        self.port_hint = QLabel()
        self.port_hint.setObjectName("portHint")
        self.port_hint.setStyleSheet("color: palette(placeholder-text);")
        self.baud = self._combo("deviceBaud", [(str(b), b) for b in BAUD_RATES], editable=True)
        self.parity = self._combo("deviceParity", [(PARITY_LABELS[p](), p) for p in PARITIES])
        self.bytesize = self._combo("deviceBytesize", [(str(b), b) for b in BYTE_SIZES])
        self.stopbits = self._combo("deviceStopbits", [(_number(s), s) for s in STOP_BITS])
        self.defaults = QLabel()
        self.defaults.setObjectName("deviceDefaults")
        port_row = QHBoxLayout()
        port_row.addWidget(self.port, 1)
        port_row.addWidget(self.refresh)
        rows: list[tuple[str, QWidget | QLayout]] = [
            (_("Port"), port_row), ("", self.port_hint), (_("Speed (baud)"), self.baud),
            (_("Parity"), self.parity), (_("Data bits"), self.bytesize),
            (_("Stop bits"), self.stopbits), ("", self.defaults)]
        return self._add_rows(rows)

    def _add_rows(self, rows: list[tuple[str, QWidget | QLayout]]) -> list[QWidget | QLayout]:
        for label, field in rows:
            self.form.addRow(label, field)
        return [field for _label, field in rows]

    def _combo(self, name: str, items: list[tuple[str, object]],
               editable: bool = False) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.addItem("", None)  # "default (...)": named once the driver is known
        for text, value in items:
            combo.addItem(text, value)
        combo.setEditable(editable)
        if editable:
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        return combo

    def _gdt_fields(self) -> list[QWidget | QLayout]:
        self.request_folder = QLineEdit()
        self.request_folder.setObjectName("requestFolder")
        self.result_folder = QLineEdit()
        self.result_folder.setObjectName("resultFolder")
        self.gdt_receiver = QLineEdit()
        self.gdt_receiver.setObjectName("gdtReceiver")
        self.gdt_receiver.setMaxLength(8)
        self.gdt_sender = QLineEdit()
        self.gdt_sender.setObjectName("gdtSender")
        self.gdt_sender.setMaxLength(8)
        note = QLabel(_("The same folder may serve for both. The ids are in the device "
                        "program's GDT settings (up to 8 letters or digits)."))
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(placeholder-text);")
        return self._add_rows([
            (_("Request folder"), self._folder_row(self.request_folder)),
            (_("Result folder"), self._folder_row(self.result_folder)),
            (_("Device program's GDT id"), self.gdt_receiver),
            (_("Our GDT id"), self.gdt_sender), ("", note)])

    def _folder_row(self, field: QLineEdit) -> QHBoxLayout:
        browse = QPushButton(_("Browse..."))
        browse.setObjectName(field.objectName() + "Browse")
        browse.setAutoDefault(False)
        browse.clicked.connect(lambda _checked=False: self._browse(field))
        row = QHBoxLayout()
        row.addWidget(field, 1)
        row.addWidget(browse)
        return row

    def _browse(self, field: QLineEdit) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Choose a folder"), field.text())
        if folder:
            field.setText(folder)

    # -- filling and reading ----------------------------------------------------------------
    def _fill(self, device: DeviceConfig) -> None:
        self.driver.setCurrentIndex(max(0, self.driver.findData(device.driver)))
        self._on_driver()
        self.port.setEditText(device.port)
        self._select(self.baud, device.baudrate)
        self._select(self.parity, device.parity)
        self._select(self.bytesize, device.bytesize)
        self._select(self.stopbits, device.stopbits)
        self.request_folder.setText(device.request_folder)
        self.result_folder.setText(device.result_folder)
        self.gdt_receiver.setText(device.gdt_receiver)
        self.gdt_sender.setText(device.gdt_sender)

    @staticmethod
    def _select(combo: QComboBox, value: object) -> None:
        index = combo.findData(value) if value is not None else 0
        if index >= 0:
            combo.setCurrentIndex(index)
        elif combo.isEditable():
            combo.setEditText(str(value))  # a rate this list does not offer: kept as typed

    def set_adapters(self, adapters: tuple[SerialAdapter, ...]) -> None:
        """This computer's ports in the port list (what is typed stays)."""
        self.adapters = adapters
        typed = self.port.currentText()
        self.port.clear()
        for adapter in adapters:
            self.port.addItem(adapter.device)
            hint = adapter_hint(adapter)
            if hint:
                self.port.setItemData(self.port.count() - 1, hint, Qt.ItemDataRole.ToolTipRole)
        self.port.setEditText(typed)
        self._show_hint(typed)

    def _show_hint(self, text: str) -> None:
        found = next((a for a in self.adapters if a.device == text.strip()), None)
        if found is not None:
            self.port_hint.setText(adapter_hint(found) or _("A serial port of this computer"))
        elif self.adapters:
            self.port_hint.setText(_("Ports of this computer: {ports}").format(
                ports=", ".join(a.device for a in self.adapters)))
        else:
            self.port_hint.setText(_("No serial port found on this computer."))

    def _on_driver(self) -> None:
        driver = self.driver.currentData()
        serial = driver != "gdt"
        for field in self.serial_rows:
            self.form.setRowVisible(field, serial)
        for field in self.gdt_rows:
            self.form.setRowVisible(field, not serial)
        if not serial:
            return
        defaults = default_settings(driver)
        for combo, key in ((self.baud, "baudrate"), (self.parity, "parity"),
                           (self.bytesize, "bytesize"), (self.stopbits, "stopbits")):
            value = defaults[key]
            shown = PARITY_LABELS[str(value)]() if key == "parity" else _number(value)
            combo.setItemText(0, _("default ({value})").format(value=shown))
        self.defaults.setText(_("Defaults of this kind of device: {settings}").format(
            settings=line_code(defaults)))

    def _baud(self) -> int | None:
        text = self.baud.currentText().strip()
        index = self.baud.findText(text)
        if index >= 0:
            value = self.baud.itemData(index)
            return value if isinstance(value, int) else None
        if not text.isdigit():
            raise _invalid("the baud rate must be a whole number")
        return int(text)

    def device(self) -> DeviceConfig:
        """The device as typed (``InvalidInput`` when the baud rate is not a number)."""
        driver = str(self.driver.currentData())
        name = self.name.text().strip()
        if driver == "gdt":
            return DeviceConfig(name, driver, request_folder=self.request_folder.text().strip(),
                                result_folder=self.result_folder.text().strip(),
                                gdt_receiver=self.gdt_receiver.text().strip(),
                                gdt_sender=self.gdt_sender.text().strip())
        return DeviceConfig(name, driver, port=self.port.currentText().strip(),
                            baudrate=self._baud(), parity=self.parity.currentData(),
                            bytesize=self.bytesize.currentData(),
                            stopbits=self.stopbits.currentData())

    def finish(self) -> None:
        """OK: the device if it checks out, else the reason (and the form as it was)."""
        try:
            device = self.device()
            self._check(device)
        except InvalidInput as exc:
            self.message.setText(exc.user_message())
            self.message.show()
            return
        self.message.hide()
        self.finished_device.emit(device)
        self.accept()
