"""Find the first free slot of a visit type for a clinician, from a day on."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

from app.core.clock import utc_now
from app.core.i18n import _
from app.records.agenda_time import local_to_utc
from app.records.services.agenda_views import ClinicianView, Slot, VisitTypeView
from app.ui.agenda.booking_dialog import types_for
from app.ui.agenda.toolbar import date_field
from app.ui.agenda_ops import FindFirstFree
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
    Signal,
)

SEARCH_DAYS = 60


class FirstFreeDialog(QDialog):
    """Clinician, visit type and a day to start from; Search jumps to what it finds."""

    found = Signal(object, object)  # Slot, VisitTypeView

    def __init__(self, executor: RunsOperations, *, clinicians: Sequence[ClinicianView],
                 visit_types: Sequence[VisitTypeView], clinician_id: str | None, day: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self._visit_types = list(visit_types)
        self.setObjectName("firstFreeDialog")
        self.setWindowTitle(_("First free slot"))
        self.setMinimumWidth(440)
        self.clinician = QComboBox()
        self.clinician.setObjectName("firstFreeClinician")
        for clinician in clinicians:
            self.clinician.addItem(clinician.full_name, clinician)
        index = next((n for n, c in enumerate(clinicians) if c.id == clinician_id), 0)
        self.clinician.setCurrentIndex(index)
        self.kind = QComboBox()
        self.kind.setObjectName("firstFreeKind")
        self.since = date_field(day)
        self.since.setObjectName("firstFreeSince")
        self.message = QLabel()
        self.message.setObjectName("firstFreeResult")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Clinician:"), self.clinician)
        form.addRow(_("Visit type:"), self.kind)
        form.addRow(_("From:"), self.since)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Search"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Close"))
        self.buttons.accepted.connect(self.search)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.clinician.currentIndexChanged.connect(self._fill_kinds)
        self._fill_kinds()

    def _fill_kinds(self) -> None:
        clinician = self.clinician.currentData()
        current = self.kind.currentData()
        self.kind.clear()
        role = clinician.role if clinician is not None else ""
        for visit_type in types_for(self._visit_types, role):
            self.kind.addItem(f"{visit_type.label} ({visit_type.minutes} min)", visit_type)
        if current is not None:
            index = next((n for n in range(self.kind.count())
                          if self.kind.itemData(n).code == current.code), 0)
            self.kind.setCurrentIndex(index)

    def select_kind(self, code: str) -> None:
        """Choose a visit type by its code."""
        for number in range(self.kind.count()):
            if self.kind.itemData(number).code == code:
                self.kind.setCurrentIndex(number)

    def _after(self) -> datetime:
        picked = self.since.date().toPython()
        assert isinstance(picked, date)
        return max(utc_now(), local_to_utc(picked, time(0, 0)))

    def search(self) -> None:
        """Ask the record for the first slot long enough."""
        clinician = self.clinician.currentData()
        visit_type = self.kind.currentData()
        if clinician is None or visit_type is None:
            return
        self.message.setText(_("Searching..."))
        self._executor.run(FindFirstFree(clinician.id, visit_type.code, self._after()),
                           lambda slot: self._on_found(slot, visit_type))

    def _on_found(self, slot: Slot | None, visit_type: VisitTypeView) -> None:
        if slot is None:
            self.message.setText(_("No free slot in the next {days} days.").format(
                days=SEARCH_DAYS))
            return
        self.accept()
        self.found.emit(slot, visit_type)
