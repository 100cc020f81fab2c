"""Book a slot: the patient, the visit type and its length, a note for the desk.

The clinical reason (why the patient comes) is asked only of GPs and nurses holding
the clinical key; the front desk never sees the field. The dialog only gathers the
booking: the page runs it, and the records layer decides whether the slot is free.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time

from app.core.i18n import _
from app.records.agenda_time import local_to_utc
from app.records.services.agenda_views import ClinicianView, VisitTypeView
from app.records.services.views import PatientSummary
from app.ui.agenda.formats import clock, date_text, long_day
from app.ui.agenda.patient_picker import PatientPicker
from app.ui.agenda_ops import BookAppointment
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    Signal,
)

NOTE_MAX = 200


def types_for(visit_types: Sequence[VisitTypeView], role: str) -> list[VisitTypeView]:
    """The active visit types a clinician of ``role`` sees patients for."""
    return [v for v in visit_types if v.active and v.role in (None, "", role)]


def patient_line(patient: PatientSummary) -> str:
    """Rossi Mario, 12/03/1950 - RSSMRA50C12F205X."""
    return _("{surname} {given}, born {date} - {cf}").format(
        surname=patient.surname, given=patient.given_name,
        date=date_text(patient.birth_date), cf=patient.codice_fiscale)


class BookingDialog(QDialog):
    """Who, what and how long, for the slot chosen in the grid."""

    booked = Signal(object)  # the BookAppointment to run

    def __init__(self, executor: RunsOperations, *, clinician: ClinicianView, day: date,
                 start: int, minutes: int, visit_types: Sequence[VisitTypeView],
                 patient: PatientSummary | None, clinical: bool, kind: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bookingDialog")
        self.setWindowTitle(_("Book an appointment"))
        self.setMinimumWidth(720)
        self.clinician = clinician
        self.day = day
        self.start = start
        self.patient = patient
        self.types = types_for(visit_types, clinician.role)
        form = QFormLayout()
        form.addRow(_("Clinician:"), QLabel(clinician.full_name))
        when = QLabel(_("{day}, {time}").format(day=long_day(day), time=clock(start)))
        when.setObjectName("bookingWhen")
        form.addRow(_("When:"), when)
        self._patient_row(form, executor)
        self._visit_rows(form, minutes)
        self._note_rows(form, clinical)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("Book"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.buttons)
        self._select_kind(kind)
        self._show_patient()

    def _patient_row(self, form: QFormLayout, executor: RunsOperations) -> None:
        self.patient_label = QLabel()
        self.patient_label.setObjectName("bookingPatient")
        self.change_patient = QPushButton(_("Another patient..."))
        self.change_patient.setAutoDefault(False)
        self.change_patient.clicked.connect(self._show_picker)
        row = QHBoxLayout()
        row.addWidget(self.patient_label, 1)
        row.addWidget(self.change_patient)
        form.addRow(_("Patient:"), row)
        self.picker = PatientPicker(executor, self)
        self.picker.setMinimumHeight(220)
        form.addRow(self.picker)  # under the patient's row, hidden when one is open
        self.picker.current_changed.connect(self._update)
        self.picker.chosen.connect(lambda _patient: self.accept())

    def _visit_rows(self, form: QFormLayout, minutes: int) -> None:
        self.kind = QComboBox()
        self.kind.setObjectName("bookingKind")
        for visit_type in self.types:
            self.kind.addItem(visit_type.label, visit_type.code)
        self.minutes = QSpinBox()
        self.minutes.setObjectName("bookingMinutes")
        self.minutes.setRange(5, 480)
        self.minutes.setSingleStep(5)
        self.minutes.setSuffix(" " + _("min"))
        self.minutes.setValue(minutes)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        form.addRow(_("Visit type:"), self.kind)
        form.addRow(_("Length:"), self.minutes)

    def _note_rows(self, form: QFormLayout, clinical: bool) -> None:
        self.note = QLineEdit()
        self.note.setObjectName("bookingNote")
        self.note.setMaxLength(NOTE_MAX)
        self.note.setPlaceholderText(_("For the front desk, e.g. bring previous tests"))
        form.addRow(_("Desk note:"), self.note)
        self.reason: QPlainTextEdit | None = None
        if clinical:  # never built for the front desk: not even hidden
            self.reason = QPlainTextEdit()
            self.reason.setObjectName("bookingReason")
            self.reason.setTabChangesFocus(True)
            self.reason.setFixedHeight(64)
            self.reason.setPlaceholderText(_("Clinical: only clinicians see it"))
            form.addRow(_("Reason:"), self.reason)

    def _select_kind(self, kind: str | None) -> None:
        index = self.kind.findData(kind) if kind else -1
        if index < 0:  # a visit type as long as the slot, else the first
            lengths = [v.minutes for v in self.types]
            index = lengths.index(self.minutes.value()) if self.minutes.value() in lengths \
                else 0
        if self.types:
            self.kind.setCurrentIndex(index)
            self._kind_changed(index)

    def _kind_changed(self, index: int) -> None:
        if 0 <= index < len(self.types):
            self.minutes.setValue(self.types[index].minutes)

    def _show_patient(self) -> None:
        has_patient = self.patient is not None
        self.picker.setVisible(not has_patient)
        self.change_patient.setVisible(has_patient)
        if self.patient is not None:
            self.patient_label.setText(patient_line(self.patient))
            self.kind.setFocus()
        else:
            self.patient_label.setText(_("Type a name to find the patient"))
            self.picker.setFocus()
        self._update()

    def _show_picker(self) -> None:
        self.patient = None
        self._show_patient()

    def chosen_patient(self) -> PatientSummary | None:
        """The patient the booking is for: the one in context, or the one picked."""
        return self.patient if self.patient is not None else self.picker.patient()

    def _update(self) -> None:
        self.ok.setEnabled(bool(self.types) and (self.patient is not None
                                                 or self.picker.model.rowCount() > 0))

    def accept(self) -> None:
        """Hand the booking over (nothing happens without a patient)."""
        patient = self.chosen_patient()
        code = self.kind.currentData()
        if patient is None or not code:
            return
        reason = self.reason.toPlainText().strip() if self.reason is not None else ""
        starts_at = local_to_utc(self.day, time(self.start // 60, self.start % 60))
        op = BookAppointment(self.clinician.id, patient.id, starts_at, self.minutes.value(),
                             str(code), self.note.text().strip() or None, reason or None)
        super().accept()
        self.booked.emit(op)
