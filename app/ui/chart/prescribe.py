"""Prescribing: a new therapy (a drug from the AIFA list, or by active ingredient) and a
ricetta for a lab test or a specialist visit.

Both dialogs only gather input: the records layer checks and writes it through an
operation. The new-therapy dialog shows the safety warnings of the chosen drug above
its OK button (see :mod:`app.ui.chart.safety_panel`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from app.core.errors import MedireteError
from app.core.i18n import _
from app.records.codes import Drug
from app.records.services.therapy import ROUTES, PrescriptionInput, TherapyInput
from app.records.services.views import EntryView
from app.ui.agenda.settings_fields import OptionalDateField
from app.ui.agenda.toolbar import date_field
from app.ui.chart.code_picker import DrugPickerDialog
from app.ui.chart.prescribe_fields import (
    esenzione_combo,
    frequency_choices,
    priority_choices,
    problem_combo,
    route_label,
)
from app.ui.chart.safety_panel import SafetyPanel
from app.ui.chart.therapy_ops import CheckSafety, DrugToCheck, DrugWarnings, Prescribe, StartTherapy
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QCheckBox,
    QComboBox,
    QDate,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QShortcut,
    QVBoxLayout,
    QWidget,
    Signal,
)

ERROR_STYLE = "color: #b00020; font-weight: bold;"


def _buttons(dialog: QDialog, ok_text: str) -> tuple[QDialogButtonBox, QPushButton]:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons, ok


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("prescribeError")
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


def check_failed_message(exc: BaseException) -> str:
    """The safety checks could not run (the prescription may still go on)."""
    reason = exc.user_message() if isinstance(exc, MedireteError) else _("unexpected error")
    return _("The safety checks could not run ({reason}): check allergies, labs and "
             "therapy yourself.").format(reason=reason)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def ingredient_name(medicine: Drug) -> str:
    """The active ingredient as a prescription names it ("Metformina")."""
    text = " ".join(medicine.atc_description.split())
    return text[:1].upper() + text[1:].lower() if text else medicine.atc


class NewTherapyDialog(QDialog):
    """Start a therapy: drug, dose, frequency, route, long-term or not, dates, problem."""

    started = Signal(str)  # the new therapy's lineage id

    def __init__(self, executor: RunsOperations, patient_id: str,
                 problems: Sequence[EntryView], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self.patient_id = patient_id
        self.medicine: Drug | None = None
        self.picker: QDialog | None = None
        self._checked: DrugToCheck | None = None  # the drug the shown warnings are for
        self._ok_waiting = False  # OK pressed while the check was on its way
        self._warned = False  # the first OK with warnings only brought them forward
        self.setObjectName("newTherapy")
        self.setWindowTitle(_("New therapy"))
        self.setMinimumWidth(680)
        self.drug = QLineEdit()
        self.drug.setObjectName("therapyDrug")
        self.drug.setReadOnly(True)
        self.drug.setPlaceholderText(_("Choose a medicine (F4)"))
        self.pick_button = QPushButton(_("Find medicine... (F4)"))
        self.pick_button.setObjectName("therapyPickDrug")
        self.pick_button.clicked.connect(self.pick_drug)
        QShortcut(QKeySequence("F4"), self, self.pick_drug)
        self.by_ingredient = QCheckBox(_("Prescribe by active ingredient"))
        self.by_ingredient.setObjectName("therapyByIngredient")
        self.by_ingredient.setEnabled(False)
        self.by_ingredient.toggled.connect(lambda _on: self._drug_changed())
        self.dose = QLineEdit()
        self.dose.setObjectName("therapyDose")
        self.dose.setPlaceholderText(_("e.g. 1 tablet of 500 mg"))
        self.frequency = QComboBox()
        self.frequency.setObjectName("therapyFrequency")
        self.frequency.setEditable(True)
        self.frequency.addItems(frequency_choices())
        self.frequency.setCurrentIndex(-1)  # chosen or typed by the GP, never assumed
        editor = self.frequency.lineEdit()
        if editor is not None:  # always, for an editable combo
            editor.setPlaceholderText(_("choose or type, e.g. twice a day"))
        self.route = QComboBox()
        self.route.setObjectName("therapyRoute")
        for code in ROUTES:
            self.route.addItem(route_label(code), code)
        self.chronic = QCheckBox(_("Long-term therapy (can be repeated)"))
        self.chronic.setObjectName("therapyChronic")
        self.start = date_field(date.today())
        self.start.setObjectName("therapyStart")
        self.end = OptionalDateField()
        self.end.setObjectName("therapyEnd")
        self.problem = problem_combo(problems)
        self.safety = SafetyPanel(executor, patient_id, self)
        self.error = _error_label()
        self.buttons, self.ok = _buttons(self, _("Start therapy"))
        self._layout()

    def _layout(self) -> None:
        drug_row = QHBoxLayout()
        drug_row.addWidget(self.drug, 1)
        drug_row.addWidget(self.pick_button)
        dates = QHBoxLayout()
        dates.addWidget(self.start)
        dates.addWidget(QLabel(_("End")))
        dates.addWidget(self.end)
        dates.addStretch(1)
        form = QFormLayout()
        form.addRow(_("Medicine"), drug_row)
        form.addRow("", self.by_ingredient)
        form.addRow(_("Dose"), self.dose)
        form.addRow(_("Frequency"), self.frequency)
        form.addRow(_("Route"), self.route)
        form.addRow("", self.chronic)
        form.addRow(_("Start"), dates)
        form.addRow(_("Problem"), self.problem)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.safety)  # right above the buttons, never scrolled away
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.pick_button.setFocus()

    # -- the drug -----------------------------------------------------------------------
    def pick_drug(self) -> None:
        """F4: search the AIFA list by name, AIC, ATC or active ingredient."""
        picker = DrugPickerDialog(self._executor, self)
        picker.chosen.connect(self.set_medicine)
        self.picker = picker
        picker.open()

    def set_medicine(self, medicine: Drug) -> None:
        """The drug picked: its pack, or its active ingredient when asked."""
        self.medicine = medicine
        self.by_ingredient.setEnabled(True)
        self.by_ingredient.setText(_("Prescribe by active ingredient ({name})").format(
            name=ingredient_name(medicine)))
        self._drug_changed()
        self.dose.setFocus()

    def drug_name(self) -> str:
        """The name the therapy will carry."""
        if self.medicine is None:
            return ""
        if self.by_ingredient.isChecked():
            return ingredient_name(self.medicine)
        return self.medicine.name

    def _drug_changed(self) -> None:
        medicine = self.medicine
        if medicine is None:
            return
        extra = ("ATC " + medicine.atc if self.by_ingredient.isChecked()
                 else f"AIC {medicine.aic} · ATC {medicine.atc}")
        self.drug.setText(f"{self.drug_name()} · {extra}")
        self.drug.setCursorPosition(0)  # the name, not the codes, when the text is long
        self._check(DrugToCheck(medicine.atc, self.drug_name()))

    def _check(self, drug: DrugToCheck) -> None:
        self._checked = None
        self._warned = False
        self.safety.clear()
        self._executor.run(CheckSafety(self.patient_id, (drug,)), self._on_checked,
                           lambda exc: self._on_check_failed(drug, exc))

    def _on_checked(self, found: tuple[DrugWarnings, ...]) -> None:
        if not found or found[0].drug.name != self.drug_name():
            return  # the GP chose another drug meanwhile: its own check is coming
        self._checked = found[0].drug
        self.safety.show_warnings(found)
        if self._ok_waiting:
            self._ok_waiting = False
            self.accept()

    def _on_check_failed(self, drug: DrugToCheck, exc: BaseException) -> None:
        """No check must stop a prescription: say the checks did not run, let OK work."""
        if drug.name != self.drug_name():
            return
        self._checked = drug
        self._ok_waiting = False  # the GP reads the message before going on
        self._show_error(check_failed_message(exc))
        if not isinstance(exc, MedireteError):
            self._executor.report_error(exc)

    # -- OK -----------------------------------------------------------------------------
    def therapy(self) -> TherapyInput | None:
        """What the form holds, or None after saying what is missing."""
        medicine = self.medicine
        if medicine is None:
            self._show_error(_("Choose a medicine first (F4)."))
            self.pick_button.setFocus()
            return None
        by_ingredient = self.by_ingredient.isChecked()
        return TherapyInput(
            atc_code=medicine.atc, name=self.drug_name(), dosage=self.dose.text(),
            frequency=self.frequency.currentText(), route=str(self.route.currentData()),
            chronic=self.chronic.isChecked(), start_date=_day(self.start.date()),
            end_date=self.end.value(), aic_code=None if by_ingredient else medicine.aic,
            equivalence_group=medicine.equivalence_group or None,
            problem_id=self.problem.currentData())

    def accept(self) -> None:
        """OK: start the therapy (the first OK with unseen warnings shows them first)."""
        therapy = self.therapy()
        if therapy is None:
            return
        if self._checked is None or self._checked.name != therapy.name:
            self._ok_waiting = True  # the check of this drug has not answered yet
            return
        if self.safety.pending and not self._warned:
            self._warned = True
            self.safety.draw_attention()
            return
        self.ok.setEnabled(False)
        self._executor.run(StartTherapy(self.patient_id, therapy), self._on_started,
                           self._on_failed, initiator=self)

    def _on_started(self, lineage_id: str) -> None:
        self.started.emit(lineage_id)
        super().accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.ok.setEnabled(True)
        self._ok_waiting = False
        if not isinstance(exc, MedireteError):
            self._executor.report_error(exc)
            return
        self._show_error(exc.user_message())

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()


class PrescriptionDialog(QDialog):
    """A ricetta for a lab test or a specialist visit: priority, question, esenzione."""

    prescribed = Signal(object)  # tuple of the new prescriptions' ids

    def __init__(self, executor: RunsOperations, patient_id: str,
                 problems: Sequence[EntryView], esenzioni: Sequence[EntryView],
                 parent: QWidget | None = None, *, kind: str = "lab") -> None:
        super().__init__(parent)
        self._executor = executor
        self.patient_id = patient_id
        self.setObjectName("newPrescription")
        self.setWindowTitle(_("Lab test or specialist visit"))
        self.setMinimumWidth(560)
        self.lab = QRadioButton(_("Lab test"))
        self.lab.setObjectName("prescriptionLab")
        self.lab.setChecked(True)
        self.specialist = QRadioButton(_("Specialist visit"))
        self.specialist.setObjectName("prescriptionSpecialist")
        self.specialist.setChecked(kind == "specialist")
        self.description = QLineEdit()
        self.description.setObjectName("prescriptionDescription")
        self.description.setPlaceholderText(_("e.g. Glycated haemoglobin (HbA1c)"))
        self.code = QLineEdit()
        self.code.setObjectName("prescriptionCode")
        self.code.setPlaceholderText(_("code in the regional list, e.g. 90.28.1"))
        self.priority = QComboBox()
        self.priority.setObjectName("prescriptionPriority")
        self.priority.addItem(_("no priority class"), None)
        for code, label in priority_choices():
            self.priority.addItem(label, code)
        self.question = QPlainTextEdit()
        self.question.setObjectName("prescriptionQuestion")
        self.question.setTabChangesFocus(True)
        self.question.setFixedHeight(self.question.fontMetrics().lineSpacing() * 4 + 12)
        self.esenzione = esenzione_combo(esenzioni)
        self.problem = problem_combo(problems)
        self.error = _error_label()
        self.buttons, self.ok = _buttons(self, _("Prepare the prescription"))
        kinds = QHBoxLayout()
        kinds.addWidget(self.lab)
        kinds.addWidget(self.specialist)
        kinds.addStretch(1)
        form = QFormLayout()
        form.addRow(_("Prescription of"), kinds)
        form.addRow(_("Description"), self.description)
        form.addRow(_("Code"), self.code)
        form.addRow(_("Priority"), self.priority)
        form.addRow(_("Clinical question"), self.question)
        form.addRow(_("Exemption"), self.esenzione)
        form.addRow(_("Problem"), self.problem)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.description.setFocus()

    def item(self) -> PrescriptionInput | None:
        """What the form holds, or None after saying what is missing."""
        kind = "specialist" if self.specialist.isChecked() else "lab"
        question = self.question.toPlainText().strip()
        if not self.description.text().strip():
            self._refuse(_("Write what is prescribed."), self.description)
            return None
        if kind == "specialist" and not question:
            self._refuse(_("A specialist visit needs the clinical question."), self.question)
            return None
        return PrescriptionInput(
            item_kind=kind, name=self.description.text(), code=self.code.text(),
            priority=self.priority.currentData(), clinical_question=question,
            esenzione_code=self.esenzione.currentData(), problem_id=self.problem.currentData())

    def accept(self) -> None:
        """OK: prepare the prescription (no NRE: the regional system issues it)."""
        item = self.item()
        if item is None:
            return
        self.ok.setEnabled(False)
        self._executor.run(Prescribe(self.patient_id, (item,)), self._on_done,
                           self._on_failed, initiator=self)

    def _on_done(self, ids: tuple[str, ...]) -> None:
        self.prescribed.emit(ids)
        super().accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.ok.setEnabled(True)
        if not isinstance(exc, MedireteError):
            self._executor.report_error(exc)
            return
        self._refuse(exc.user_message(), None)

    def _refuse(self, message: str, widget: QWidget | None) -> None:
        self.error.setText(message)
        self.error.show()
        if widget is not None:
            widget.setFocus()
