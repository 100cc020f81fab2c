"""The front desk corrects a patient's addresses and contacts (phone, mobile, email...)."""

from __future__ import annotations

from html import escape

from app.core.i18n import _
from app.records.services.views import PatientDetails
from app.ui.operations import UpdateContacts
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
    Signal,
)

CONTACT_FIELDS = ("residence_address", "residence_postcode", "residence_city",
                  "domicile_address", "phone", "mobile", "email")


def _labels() -> dict[str, str]:
    return {
        "residence_address": _("Address"),
        "residence_postcode": _("Postcode"),
        "residence_city": _("City"),
        "domicile_address": _("Domicile"),
        "phone": _("Phone"),
        "mobile": _("Mobile"),
        "email": _("Email"),
    }


class ContactsDialog(QDialog):
    """Edit the contacts of one patient; saving is a write on the writer lane."""

    saved = Signal()

    def __init__(self, executor: RunsOperations, details: PatientDetails,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self.details = details
        patient = details.summary
        name = f"{patient.surname} {patient.given_name}"
        self.setWindowTitle(_("Edit contacts - {name}").format(name=name))
        self.setObjectName("contactsDialog")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        title = QLabel(f"<b>{escape(name)}</b> &middot; {escape(patient.codice_fiscale)}")
        layout.addWidget(title)
        form = QFormLayout()
        self.fields: dict[str, QLineEdit] = {}
        for key, label in _labels().items():
            edit = QLineEdit(str(details.fields.get(key) or ""))
            edit.setObjectName(f"contact_{key}")
            self.fields[key] = edit
            form.addRow(label, edit)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout.addWidget(buttons)

    def changes(self) -> tuple[tuple[str, str | None], ...]:
        """The fields that differ from what was loaded (an empty field clears it)."""
        out: list[tuple[str, str | None]] = []
        for key, edit in self.fields.items():
            value = edit.text().strip() or None
            if value != (self.details.fields.get(key) or None):
                out.append((key, value))
        return tuple(out)

    def save(self) -> None:
        """Write the changed fields; the dialog closes when the record has them."""
        changes = self.changes()
        if not changes:
            self.accept()
            return
        self.buttons.setEnabled(False)
        op = UpdateContacts(self.details.summary.id, changes)
        self._executor.run(op, self._on_saved, self._on_failed, initiator=self)

    def _on_saved(self, _result: None) -> None:
        self.saved.emit()
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self._executor.report_error(exc)
