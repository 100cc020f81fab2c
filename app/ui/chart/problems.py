"""The problem list: add through the ICD-9-CM picker, change status, code in ICD-10-IM, and
see what is linked to a problem (the journal filtered by it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from app.core.formats import format_date
from app.core.i18n import _
from app.records.services.views import EntryView
from app.ui.chart.visit_ops import AddProblem, UpdateProblem
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDate,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)

STATUS_LABELS = (("active", "Active"), ("chronic", "Chronic"), ("resolved", "Resolved"))


def status_label(status: str | None) -> str:
    """The problem status in words."""
    return _(dict(STATUS_LABELS).get(status or "active", "Active"))


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class ProblemDetailsDialog(QDialog):
    """Status, onset, resolution and qualifier of a problem (new or changed)."""

    def __init__(self, title: str, problem: EntryView | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemDetailsDialog")
        self.setWindowTitle(title)
        fields = problem.fields if problem is not None else {}
        self.status = QComboBox()
        self.status.setObjectName("problemStatus")
        for key, label in STATUS_LABELS:
            self.status.addItem(_(label), key)
        self.status.setCurrentIndex(max(0, self.status.findData(
            fields.get("clinical_status") or "active")))
        self.has_onset = QCheckBox(_("Onset known"))
        self.onset = QDateEdit()
        self.onset.setDisplayFormat("dd/MM/yyyy")
        self.onset.setCalendarPopup(True)
        onset = fields.get("onset")
        self.has_onset.setChecked(onset is not None)
        self.onset.setDate(_qdate(onset or date.today()))
        self.resolved = QDateEdit()
        self.resolved.setObjectName("problemResolvedOn")
        self.resolved.setDisplayFormat("dd/MM/yyyy")
        self.resolved.setCalendarPopup(True)
        self.resolved.setDate(_qdate(fields.get("resolved_on") or date.today()))
        self.qualifier = QLineEdit(fields.get("qualifier") or "")
        self.qualifier.setObjectName("problemQualifier")
        self.qualifier.setPlaceholderText(_("laterality, stage, ..."))
        self.reason = QLineEdit()
        self.reason.setObjectName("problemReason")
        form = QFormLayout(self)
        form.addRow(_("Status"), self.status)
        onset_row = QHBoxLayout()
        onset_row.addWidget(self.has_onset)
        onset_row.addWidget(self.onset)
        form.addRow(_("Onset"), onset_row)
        form.addRow(_("Resolved on"), self.resolved)
        form.addRow(_("Qualifier"), self.qualifier)
        if problem is not None:
            form.addRow(_("Reason for the change"), self.reason)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.status.currentIndexChanged.connect(self._sync)
        self.has_onset.toggled.connect(self._sync)
        self._sync()

    def _sync(self, *_args: object) -> None:
        self.resolved.setEnabled(self.status.currentData() == "resolved")
        self.onset.setEnabled(self.has_onset.isChecked())

    def values(self) -> dict[str, object]:
        """What the dialog holds, as problem fields."""
        status = str(self.status.currentData())
        return {
            "clinical_status": status,
            "onset": _pydate(self.onset.date()) if self.has_onset.isChecked() else None,
            "resolved_on": _pydate(self.resolved.date()) if status == "resolved" else None,
            "qualifier": self.qualifier.text().strip(),
        }


class ProblemsView(QWidget):
    """The patient's problems, newest first; resolved ones last."""

    problem_added = Signal(str)  # lineage id of a problem just added
    show_linked = Signal(str)  # lineage id: the journal filtered by this problem

    COLUMNS = ("Problem", "ICD-9-CM", "ICD-10-IM", "Status", "Onset", "Resolved on",
               "Qualifier")

    def __init__(self, executor: RunsOperations, may_write: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemsView")
        self._executor = executor
        self._patient_id: str | None = None
        self._problems: list[EntryView] = []
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("problemsTable")
        self.table.setHorizontalHeaderLabels([_(c) for c in self.COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.show_selected_links())
        self.add_button = QPushButton(_("New problem..."))
        self.add_button.setObjectName("problemAdd")
        self.add_button.clicked.connect(self.add_problem)
        self.change_button = QPushButton(_("Change status..."))
        self.change_button.setObjectName("problemChange")
        self.change_button.clicked.connect(self.change_selected)
        self.recode_button = QPushButton(_("Code in ICD-10-IM..."))
        self.recode_button.setObjectName("problemRecode")
        self.recode_button.clicked.connect(self.recode_selected)
        self.links_button = QPushButton(_("Linked entries"))
        self.links_button.setObjectName("problemLinks")
        self.links_button.clicked.connect(self.show_selected_links)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.change_button, self.recode_button):
            button.setVisible(may_write)
            buttons.addWidget(button)
        buttons.addWidget(self.links_button)
        buttons.addStretch(1)
        self.message = QLabel()
        self.message.setObjectName("problemsMessage")
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)

    @property
    def patient_id(self) -> str | None:
        """Whose problems are shown."""
        return self._patient_id

    def show_problems(self, patient_id: str | None, problems: Sequence[EntryView]) -> None:
        """Fill the table (resolved problems after the others)."""
        self._patient_id = patient_id
        self._problems = sorted(problems, key=lambda p: p.fields.get("clinical_status")
                                == "resolved")
        self.table.setRowCount(len(self._problems))
        for row, problem in enumerate(self._problems):
            f = problem.fields
            # "401.9" alone reads as a decimal number: a code says its system.
            icd9 = f"ICD-9-CM {f['icd9_code']}" if f.get("icd9_code") else ""
            values = (f.get("description") or "", icd9,
                      f.get("icd10im_code") or "", status_label(f.get("clinical_status")),
                      format_date(f.get("onset")), format_date(f.get("resolved_on")),
                      f.get("qualifier") or "")
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, problem.lineage_id)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.message.setText("" if self._problems else _("No problem recorded."))

    def selected(self) -> EntryView | None:
        """The problem of the selected row."""
        rows = self.table.selectionModel().selectedRows()
        return self._problems[rows[0].row()] if rows else None

    def add_problem(self) -> None:
        """The ICD picker, then status, onset and qualifier."""
        from app.ui.chart.code_picker import ProblemCodeDialog

        if self._patient_id is None:
            return
        picker = ProblemCodeDialog(self._executor, self)
        if picker.exec() != QDialog.DialogCode.Accepted or picker.choice is None:
            return
        choice = picker.choice
        if choice.icd9_code is None:  # the picker asks for ICD-9-CM by default
            return
        details = ProblemDetailsDialog(_("New problem: {code} {text}").format(
            code=choice.icd9_code, text=choice.description), None, self)
        if details.exec() != QDialog.DialogCode.Accepted:
            return
        values = details.values()
        op = AddProblem(self._patient_id, choice.icd9_code, choice.description,
                        clinical_status=str(values["clinical_status"]),
                        onset=values["onset"],  # type: ignore[arg-type]
                        qualifier=str(values["qualifier"]), icd10im_code=choice.icd10im_code)
        self._executor.run(op, self.problem_added.emit)

    def change_selected(self) -> None:
        """Status, dates, qualifier of the selected problem (a new version, with a reason)."""
        problem = self.selected()
        if problem is None:
            return
        dialog = ProblemDetailsDialog(_("Change problem"), problem, self)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            reason = dialog.reason.text().strip()
            if reason:
                changes = tuple(dialog.values().items())
                self._executor.run(UpdateProblem(problem.id, changes, reason), lambda _id: None)
                return
            dialog.reason.setPlaceholderText(_("A reason is required"))
            dialog.reason.setFocus()

    def recode_selected(self) -> None:
        """Choose the ICD-10-IM code among the transcoding table's candidates."""
        from app.ui.chart.code_picker import Icd10CandidatesDialog

        problem = self.selected()
        if problem is None:
            return
        dialog = Icd10CandidatesDialog(self._executor, str(problem.fields.get("icd9_code")),
                                       self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.chosen:
            self._executor.run(UpdateProblem(problem.id, (("icd10im_code", dialog.chosen),),
                                             _("coded in ICD-10-IM")), lambda _id: None)

    def show_selected_links(self) -> None:
        """The problem-oriented view: the journal with only what is linked to it."""
        problem = self.selected()
        if problem is not None:
            self.show_linked.emit(problem.lineage_id)
