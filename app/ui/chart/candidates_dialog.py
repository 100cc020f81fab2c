"""Choose the ICD-10-IM code of a problem already coded in ICD-9-CM, among the candidates
the Ministry's transcoding table gives (none, one or several: the GP chooses)."""

from __future__ import annotations

from app.core.i18n import _
from app.records.codes import ICD9CM, CodeRow
from app.ui.chart.code_ops import Candidates, FindCandidates
from app.ui.chart.search_dialog import ENTER, STEPS, RowsModel, first_pickable, pick_table, step_to
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QEvent,
    QKeyEvent,
    QLabel,
    QModelIndex,
    QObject,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)


def code_headers() -> tuple[str, str, str]:
    """The columns of a list of codes."""
    return _("Code"), _("Description"), _("Part of")


def code_cells(row: CodeRow | None) -> tuple[str, str, str]:
    """Code, description, the title above it; None is the way out of a choice of candidates."""
    if row is None:
        return "", _("None for now"), ""
    return row.code, row.description, row.parent_title


def code_pickable(row: CodeRow | None) -> bool:
    """Anything but a heading (a non-terminal ICD-10-IM code)."""
    return row is None or not row.heading


class Icd10CandidatesDialog(QDialog):
    """The ICD-10-IM candidates of one ICD-9-CM code; ``chosen`` is the code picked."""

    def __init__(self, executor: RunsOperations, icd9_code: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chosen: str | None = None
        self.choice: CodeRow | None = None
        self._icd9_code = icd9_code
        self.setObjectName("icd10Candidates")
        self.setWindowTitle(_("ICD-10-IM code for {code}").format(code=icd9_code))
        self.resize(720, 360)
        self.label = QLabel(_("Looking up the transcoding table\u2026"))
        self.label.setObjectName("icd10CandidatesLabel")
        self.label.setWordWrap(True)
        self.model = RowsModel(code_headers(), code_cells, code_pickable, self)
        self.table = pick_table(self.model, "icd10CandidatesTable", (1, 2))
        self.table.installEventFilter(self)
        self.table.doubleClicked.connect(self.choose)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("Choose"))
        self.ok.setEnabled(False)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        for button in buttons.buttons():
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)
        self.ok.clicked.connect(self.choose)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        executor.run(FindCandidates(ICD9CM, CodeRow(icd9_code, "")), self._on_found)

    def _on_found(self, found: Candidates) -> None:
        rows = found.rows
        self.model.set_rows(rows)
        pickable = [row for row in rows if not row.heading]
        self.ok.setEnabled(bool(pickable))
        if not rows:
            self.label.setText(_("The transcoding table gives no ICD-10-IM code for {code} "
                                 "(or it has not been loaded).").format(code=self._icd9_code))
        elif len(pickable) == 1:
            self.label.setText(_("The ICD-10-IM code for {code}: Enter to confirm.")
                               .format(code=self._icd9_code))
            first_pickable(self.table, self.model)
        else:
            self.label.setText(_("{count} ICD-10-IM codes correspond to {code}: choose one "
                                 "(arrows, Enter).").format(count=len(pickable),
                                                            code=self._icd9_code))
            self.table.setCurrentIndex(QModelIndex())  # several: never chosen for the GP
        self.table.setFocus()

    def choose(self) -> None:
        """Enter, double click or Choose: the candidate under the cursor."""
        row = self.table.currentIndex().row()
        if not self.model.pickable(row):
            return
        self.choice = self.model.row(row)
        self.chosen = self.choice.code if self.choice else None
        self.accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Enter chooses; arrows move over the headings."""
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = Qt.Key(event.key())
            if key in ENTER:
                self.choose()
                return True
            if key in STEPS:
                step_to(self.table, self.model, STEPS[key])
                return True
        return super().eventFilter(watched, event)
