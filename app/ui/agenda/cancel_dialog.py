"""Cancel an appointment: the reason is required (kept with the appointment, not clinical)."""

from __future__ import annotations

from app.core.i18n import _
from app.records.agenda_time import to_local
from app.records.services.views import AppointmentView
from app.ui.agenda.formats import day_in_text, time_text
from app.ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
    Signal,
)

REASON_MAX = 200


def common_reasons() -> list[str]:
    """Reasons offered in the list (any other may be typed)."""
    return [_("The patient cancelled"), _("The clinician is absent"),
            _("Booked by mistake"), _("Moved to another day")]


class CancelDialog(QDialog):
    """Why the appointment is cancelled: OK waits for a reason."""

    reason_given = Signal(str)

    def __init__(self, appointment: AppointmentView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cancelDialog")
        self.setWindowTitle(_("Cancel appointment"))
        self.setMinimumWidth(460)
        self.appointment = appointment
        starts = to_local(appointment.starts_at)
        layout = QVBoxLayout(self)
        question = QLabel(_("Cancel the appointment of {patient} on {day} at {time}?").format(
            patient=appointment.patient_name or _("(no patient)"), day=day_in_text(starts.date()),
            time=time_text(starts)))
        question.setWordWrap(True)
        layout.addWidget(question)
        layout.addWidget(QLabel(_("Reason (required):")))
        self.reason = QComboBox()
        self.reason.setObjectName("cancelReason")
        self.reason.setEditable(True)
        self.reason.addItems(common_reasons())
        self.reason.setCurrentIndex(-1)
        self.reason.setEditText("")
        line = self.reason.lineEdit()
        assert line is not None  # an editable combo box has one
        line.setMaxLength(REASON_MAX)
        line.setPlaceholderText(_("Choose or type the reason"))
        layout.addWidget(self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("Cancel appointment"))
        self.ok.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            _("Keep appointment"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.editTextChanged.connect(
            lambda text: self.ok.setEnabled(bool(text.strip())))
        layout.addWidget(self.buttons)
        self.reason.setFocus()

    def accept(self) -> None:
        """Hand the reason over (Enter with no reason does nothing)."""
        reason = self.reason.currentText().strip()
        if reason:
            super().accept()
            self.reason_given.emit(reason)
