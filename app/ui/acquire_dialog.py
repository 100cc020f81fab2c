""""Acquire": ask a device for the open patient, wait for its result, accept it.

An oximeter saves a reading at once; a GDT program gets a request file naming the
patient and its result is waited for; an analyzer or a blood-pressure monitor sends
when it has measured, and the next message from it is waited for. The result lands in
the inbox like every other (nothing is lost when the dialog is closed); here it can be
accepted into the chart only when it is matched to the patient open in the window.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from app.core.i18n import _
from app.devices.results import PatientRef
from app.records.services.inbox import InboxItem
from app.records.services.views import PatientSummary
from app.ui.chart.observations import code_title
from app.ui.device_hub import DeviceHub, Stored
from app.ui.devices_page import driver_label
from app.ui.inbox_dialog import sent_as, value_label
from app.ui.inbox_ops import AcceptResults
from app.ui.lanes import Backend, Lane
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Slot,
)


@dataclass(frozen=True)
class MessageResults:
    """The pending results of one inbox message."""

    message_id: str
    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> list[InboxItem]:
        return [item for item in backend.require().inbox.items("pending")
                if item.message_id == self.message_id]


def patient_ref(patient: PatientSummary) -> PatientRef:
    """How a request names the patient: the codice fiscale, which the inbox matches."""
    return PatientRef(identifier=patient.codice_fiscale or patient.id,
                      family_name=patient.surname, given_name=patient.given_name,
                      birth_date=patient.birth_date.strftime("%Y%m%d")
                      if patient.birth_date else "",
                      sex=patient.sex or "")


class AcquireDialog(QDialog):
    """Pick a device, ask it, wait, show what came and accept it for the open patient."""

    def __init__(self, executor: RunsOperations, hub: DeviceHub, patient: PatientSummary,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("acquireDialog")
        self._executor, self._hub, self.patient = executor, hub, patient
        self.waiting_for: str | None = None  # the device whose next result is awaited
        self.items: list[InboxItem] = []
        self.setWindowTitle(_("Acquire from a device - {name}").format(
            name=f"{patient.surname} {patient.given_name}"))
        self.resize(640, 380)
        self.device = QComboBox()
        self.device.setObjectName("acquireDevice")
        for device in hub.devices:
            self.device.addItem(f"{device.name} ({driver_label(device.driver)})", device.name)
        self.start_button = self._button(_("Acquire"), "acquireStart", self.start)
        self.start_button.setDefault(True)
        self.state = QLabel(_("Choose the device and press Acquire."))
        self.state.setObjectName("acquireState")
        self.state.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("acquireResults")
        self.table.setHorizontalHeaderLabels([_("Test"), _("Value"), _("Patient as sent")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.accept_button = self._button(_("Accept into the chart"), "acquireAccept",
                                          self.accept_results)
        self.accept_button.setEnabled(False)
        close = self._button(_("Close"), "acquireClose", self.reject)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Device:")))
        top.addWidget(self.device, 1)
        top.addWidget(self.start_button)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.accept_button)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.state)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        hub.stored.connect(self._on_stored)
        hub.spot_check_failed.connect(self._on_spot_failed)

    def _button(self, text: str, name: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())  # type: ignore[operator]
        return button

    def _say(self, text: str, error: bool = False) -> None:
        self.state.setStyleSheet("color: #b00020; font-weight: bold;" if error else "")
        self.state.setText(text)

    @Slot()
    def start(self) -> None:
        """Ask the chosen device (or get ready for its next message)."""
        name = self.device.currentData()
        device = self._hub.device(name) if name else None
        if device is None:
            self._say(_("No device to ask."), error=True)
            return
        self.items = []
        self.table.setRowCount(0)
        self.accept_button.setEnabled(False)
        self.waiting_for = name
        if device.driver == "cms50":
            self._say(_("Reading the oximeter..."))
            self._hub.spot_check(name, patient_ref(self.patient))
        elif device.driver == "gdt":
            try:
                self._hub.request_gdt(name, patient_ref(self.patient))
            except OSError as exc:
                self.waiting_for = None
                self._say(_("The request could not be written: {detail}").format(
                    detail=exc.strerror or exc), error=True)
                return
            self._say(_("Request sent to {name}: run the test in the device's program. "
                        "Waiting for the result...").format(name=name))
        else:
            self._say(_("Waiting for the next measurement from {name}...").format(name=name))

    @Slot(object)
    def _on_stored(self, stored: Stored) -> None:
        if stored.device != self.waiting_for:
            return
        self.waiting_for = None
        self._executor.run(MessageResults(stored.message_id), self._show)

    @Slot(str, str)
    def _on_spot_failed(self, name: str, reason: str) -> None:
        if name == self.waiting_for:
            self.waiting_for = None
            self._say(reason, error=True)

    def _show(self, items: list[InboxItem]) -> None:
        self.items = items
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            texts = (code_title(item.code, item.display or item.code), value_label(item),
                     sent_as(item) or "-")
            for column, text in enumerate(texts):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        mine = bool(items) and all(item.patient_id == self.patient.id for item in items)
        self.accept_button.setEnabled(mine)
        if not items:
            self._say(_("The result was already decided in the inbox."))
        elif mine:
            self._say(_("Result received for this patient: check it and accept it."))
            self.accept_button.setFocus()
        else:
            self._say(_("This result is not matched to the open patient (sent for: {who}). "
                        "It stays in the results inbox.").format(
                who=items[0].patient_identifier or "-"), error=True)

    @Slot()
    def accept_results(self) -> None:
        """Accept what was shown into the open patient's chart."""
        ids = tuple(item.id for item in self.items if item.patient_id == self.patient.id)
        if not ids:
            return
        self.accept_button.setEnabled(False)
        self._executor.run(AcceptResults(ids), self._accepted, self._not_accepted)

    def _accepted(self, entries: list[str]) -> None:
        self._say(_("{count} result(s) accepted into the chart.").format(count=len(entries)))
        self.items = []

    def _not_accepted(self, exc: BaseException) -> None:
        self._say(_("Not accepted: {detail}").format(detail=exc), error=True)
        self.accept_button.setEnabled(True)
