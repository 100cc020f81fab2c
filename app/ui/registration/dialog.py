"""Register a patient or change the anagrafica: live codice fiscale, duplicate warning.

The slots only gather the form and start operations; the records layer decides what is
valid (the same rules refuse a bad code whatever screen sent it). What the dialog adds
is the immediate answer: the code checked on each keystroke, the people who may already
be registered shown before saving, and a refused save leaving the form as it was.
"""

from __future__ import annotations

from typing import Any

from app.core.errors import MedireteError
from app.core.i18n import _
from app.records import codice_fiscale as cf
from app.records.demographics import MATCHING_FIELDS
from app.records.duplicates import DuplicateHit
from app.records.services.views import PatientDetails, PatientInput, PatientSummary
from app.ui.operations import SessionInfo
from app.ui.ops import RunsOperations
from app.ui.patient_ops import FindDuplicates, LoadRegistration, RegistrationData, SavePatient
from app.ui.qt import (
    QCloseEvent,
    QDialog,
    QDialogButtonBox,
    QEvent,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QLineEdit,
    QMessageBox,
    QObject,
    QPushButton,
    QScrollArea,
    QShortcut,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from app.ui.registration.cf_widget import ERROR_COLOUR
from app.ui.registration.duplicates_box import DuplicateWarning
from app.ui.registration.form import PatientForm

WRITERS = ("secretary", "gp", "nurse")


def _person(patient: PatientSummary | None) -> str:
    return f"{patient.surname.upper()} {patient.given_name}" if patient else ""


class RegistrationDialog(QDialog):
    """A new patient (``details`` None) or the demographics of a registered one."""

    saved = Signal(object)  # the PatientSummary as the record now holds it

    def __init__(self, executor: RunsOperations, session: SessionInfo,
                 details: PatientDetails | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self.session = session
        self.details = details
        self.setObjectName("registrationDialog")
        self.setWindowTitle(_("New patient") if details is None else _(
            "Demographics - {name}").format(name=_person(details.summary)))
        self.form = PatientForm()
        self.error = QLabel()
        self.error.setObjectName("registrationError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {ERROR_COLOUR}; font-weight: bold;")
        self.error.hide()
        self.buttons = self._buttons()
        self.duplicate_box: DuplicateWarning | None = None
        self.discard_box: QMessageBox | None = None
        self._busy = False
        self._loaded: tuple[dict[str, Any], dict[str, bool | None]] | None = None
        self._lay_out()
        self._connect()
        if details is not None:
            self.form.load(details.fields, {})
        self._refresh_code()
        self.editable = session.role in WRITERS
        self.save_button.setEnabled(False)  # until the form's lists have arrived
        executor.run(LoadRegistration(details.summary.id if details else None,
                                      details.fields.get("gp_id") if details else None),
                     self._on_loaded, self._on_failed)

    def _buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(_("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("saveButton")
        self.save_button.setToolTip(_("Save (Ctrl+S)"))
        cancel = buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        for button in (self.save_button, cancel):
            button.setAutoDefault(False)  # Enter in a field never saves by accident
            button.setDefault(False)
        self.history_button: QPushButton | None = None
        if self.details is not None:
            self.history_button = buttons.addButton(_("History of changes..."),
                                                    QDialogButtonBox.ButtonRole.ActionRole)
            self.history_button.setAutoDefault(False)
            self.history_button.clicked.connect(self.show_history)
        self.save_button.clicked.connect(self.save)
        cancel.clicked.connect(self.reject)
        return buttons

    def _lay_out(self) -> None:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.form)
        layout = QVBoxLayout(self)
        if self.details is not None:
            title = QLabel(f"<b>{_person(self.details.summary)}</b> &middot; "
                           f"{self.details.summary.codice_fiscale}")
            layout.addWidget(title)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        chain = [*self.form.tab_chain(), self.save_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self.resize(1020, 620)
        self.setMinimumSize(840, 520)

    def _connect(self) -> None:
        form = self.form
        for name in ("surname", "given_name"):
            form.lines[name].textChanged.connect(self._refresh_code)
        form.sex.currentIndexChanged.connect(self._refresh_code)
        form.birth_date.dateChanged.connect(self._refresh_code)
        form.birth_place.changed.connect(self._refresh_code)
        form.codice_fiscale.edit.textChanged.connect(self._refresh_code)
        form.codice_fiscale.calculate.clicked.connect(self.calculate_code)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.save)
        for edit in self.findChildren(QLineEdit):
            edit.installEventFilter(self)

    # -- loading -----------------------------------------------------------------------------
    def _on_loaded(self, data: RegistrationData) -> None:
        current = self.details.fields.get("gp_id") if self.details else None
        self.form.set_gps(data.gps, current)
        self.form.load_consents(dict(data.consents))
        self._loaded = (self.form.values(), self.form.consent_values())
        self.save_button.setEnabled(self.editable)
        if not self.editable:
            self._show_error(_("Your role can read the demographics, not change them."))

    def is_dirty(self) -> bool:
        """Something was typed since the form was filled."""
        if self._loaded is None:
            return False
        return (self.form.values(), self.form.consent_values()) != self._loaded

    # -- the codice fiscale ------------------------------------------------------------------
    def _refresh_code(self) -> None:
        field = self.form.codice_fiscale
        text = field.text()
        field.show_check(self.check_code() if text else None)

    def check_code(self) -> cf.CfCheck:
        """The code in the field against the other fields of the form."""
        values = self.form.values()
        place = self.form.birth_place.place
        return cf.check(self.form.codice_fiscale.text(), surname=values["surname"],
                        given_name=values["given_name"], sex=values["sex"],
                        birth_date=values["birth_date"], place_code=place.code if place else None)

    def calculate_code(self) -> None:
        """Compute the code from names, sex, birth date and birthplace ("Calcola")."""
        values = self.form.values()
        place = self.form.birth_place.place
        if values["birth_date"] is None or not values["birth_place"]:
            self.form.codice_fiscale.say_error(
                _("Give surname, name, sex, birth date and birthplace first"))
            return
        try:
            code = cf.derive(values["surname"] or "", values["given_name"] or "",
                             values["sex"] or "", values["birth_date"],
                             place.code if place else values["birth_place"],
                             province=values["birth_province"])
        except MedireteError as exc:
            self.form.codice_fiscale.say_error(exc.user_message())
            return
        self.form.codice_fiscale.edit.setText(code)

    # -- saving ------------------------------------------------------------------------------
    def _input(self) -> PatientInput:
        values: dict[str, Any] = self.form.values()
        place = self.form.birth_place.place
        if place is not None and values["birth_place"] == place.name:
            values["birth_province"] = place.province
        values["codice_fiscale"] = values["codice_fiscale"] or ""
        return PatientInput(**values)

    def changes(self) -> dict[str, Any]:
        """The fields that differ from the stored anagrafica (all of them for a new one)."""
        values = self._input().__dict__
        if self.details is None:
            return dict(values)
        stored = self.details.fields
        out = {k: v for k, v in values.items() if (v or None) != (stored.get(k) or None)}
        if "codice_fiscale" in out and not out["codice_fiscale"]:
            out["codice_fiscale"] = ""  # emptied: compute it again
        return out

    def _consent_changes(self) -> tuple[tuple[str, bool], ...]:
        before = self._loaded[1] if self._loaded else {}
        return tuple((kind, value) for kind, value in self.form.consent_values().items()
                     if value is not None and value != before.get(kind))

    def _refuse_locally(self) -> bool:
        values = self.form.values()
        if not values["surname"] or not values["given_name"]:
            return self._refuse(_("Surname and given name are required"), "surname")
        if values["sex"] is None:
            return self._refuse(_("Choose the sex"), "sex")
        if values["birth_date"] is None:
            return self._refuse(_("The birth date is required"), "birth_date")
        if not values["birth_place"]:
            return self._refuse(_("The birthplace is required"), "birth_place")
        result = self.form.codice_fiscale.result
        if result is not None and not result.ok:
            problem = result.message
            return self._refuse(_("Correct the codice fiscale: {problem}").format(
                problem=problem[:1].lower() + problem[1:]), "codice_fiscale")
        return False

    def save(self) -> None:
        """Ctrl+S or Save: check for duplicates where it matters, then write."""
        if self._busy or not self.save_button.isEnabled() or self._refuse_locally():
            return
        self.error.hide()
        changes = self.changes()
        if self.details is not None and not changes and not self._consent_changes():
            self.accept()
            return
        if self.details is None or MATCHING_FIELDS & set(changes):
            self._set_busy(True)
            exclude = self.details.summary.id if self.details else None
            self._executor.run(FindDuplicates(self._input(), exclude), self._on_duplicates,
                               self._on_failed)
        else:
            self.write()

    def _on_duplicates(self, hits: tuple[DuplicateHit, ...]) -> None:
        self._set_busy(False)
        if not hits:
            self.write()
            return
        self.duplicate_box = DuplicateWarning(hits, new=self.details is None, parent=self)
        self.duplicate_box.accepted.connect(self.write)
        self.duplicate_box.open()

    def write(self) -> None:
        """Save what the form holds (after the duplicate warning, if any)."""
        self._set_busy(True)
        patient_id = self.details.summary.id if self.details else None
        op = SavePatient(patient_id, tuple(self.changes().items()), self._consent_changes())
        self._executor.run(op, self._on_saved, self._on_failed, initiator=self)

    def _on_saved(self, summary: PatientSummary) -> None:
        self._set_busy(False)
        self._loaded = None  # nothing left to discard
        self.saved.emit(summary)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if not isinstance(exc, MedireteError):
            self._executor.report_error(exc)
            return
        field = exc.fields.get("field")
        self._refuse(exc.user_message(), field if isinstance(field, str) else None)

    def _refuse(self, message: str, field: str | None) -> bool:
        self._show_error(message)
        widget = self._widget_of(field)
        if widget is not None:
            widget.setFocus()
        return True

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def _widget_of(self, field: str | None) -> QWidget | None:
        form = self.form
        special: dict[str, QWidget] = {
            "sex": form.sex, "birth_date": form.birth_date, "birth_place": form.birth_place.edit,
            "birth_province": form.birth_place.edit, "codice_fiscale": form.codice_fiscale.edit,
            "gp_id": form.gp}
        return special.get(field or "") or form.lines.get(field or "")

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.save_button.setEnabled(not busy and self.editable)

    # -- history, keyboard, closing ----------------------------------------------------------
    def show_history(self) -> None:
        """The versions of this anagrafica."""
        from app.ui.registration.history_dialog import DemographicsHistoryDialog

        if self.details is not None:
            self.history_dialog = DemographicsHistoryDialog(
                self._executor, self.details.summary.id, self)
            self.history_dialog.open()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Enter in a field moves to the next one (it never saves the form by accident)."""
        if event.type() == QEvent.Type.KeyPress and isinstance(watched, QLineEdit):
            assert isinstance(event, QKeyEvent)
            plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                          Qt.KeyboardModifier.KeypadModifier)
            completer = watched.completer()
            list_view = completer.popup() if completer is not None else None
            popup = list_view is not None and list_view.isVisible()
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain and not popup:
                self.focusNextChild()
                return True
        return super().eventFilter(watched, event)

    def reject(self) -> None:
        """Esc or Cancel: ask before throwing typed changes away."""
        if not self.is_dirty() or self._busy:
            if not self._busy:
                super().reject()
            return
        box = QMessageBox(QMessageBox.Icon.Question, _("Discard changes?"),
                          _("The changes to this patient have not been saved."),
                          QMessageBox.StandardButton.NoButton, self)
        self.discard_button = box.addButton(_("Discard changes"),
                                            QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(_("Keep editing"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.buttonClicked.connect(lambda button: self._discard() if button is
                                  self.discard_button else None)
        self.discard_box = box
        box.open()

    def _discard(self) -> None:
        self._loaded = None
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        """The window's close button asks like Esc does."""
        if self.is_dirty():
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)
