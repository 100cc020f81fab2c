"""Pickers for a problem's diagnosis code (ICD-9-CM, ICD-10-IM) and for a medicine (AIFA).

Keyboard first: type, arrows, Enter. Every search runs as an operation on a reader
thread; an answer to a text the GP has already changed is dropped. A problem picked in
ICD-9-CM, once the center has loaded ICD-10-IM, shows the ICD-10-IM candidates of the
Ministry's transcoding table for the GP to choose (or none): never chosen for the GP.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.i18n import _
from app.records.codes import ICD9CM, ICD10IM, CodeRow, Drug
from app.ui.chart.candidates_dialog import (
    Icd10CandidatesDialog,
    code_cells,
    code_headers,
    code_pickable,
)
from app.ui.chart.code_ops import (
    DRUG_RESULTS_LIMIT,
    RESULTS_LIMIT,
    Candidates,
    CodeMatches,
    DrugMatches,
    FindCandidates,
    PickerSetup,
    PrepareDrugPicker,
    PrepareProblemPicker,
    SearchCodes,
    SearchDrugs,
)
from app.ui.chart.search_dialog import (
    STEPS,
    RowsModel,
    SearchDialog,
    first_pickable,
    pick_table,
    step_to,
)
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QButtonGroup,
    QDialogButtonBox,
    QHBoxLayout,
    QKeyEvent,
    QLabel,
    QModelIndex,
    QObject,
    QRadioButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)

__all__ = ["DrugPickerDialog", "Icd10CandidatesDialog", "ProblemCode", "ProblemCodeDialog"]


@dataclass(frozen=True)
class ProblemCode:
    """What the GP chose: the ICD-9-CM code the problem keeps and its ICD-10-IM code.

    ``icd10im_code`` is None when ICD-10-IM is not loaded, the table gives none, or the
    GP left it for later. ``icd9_code`` is None only from a picker opened with
    ``icd9_required=False`` (an ICD-10-IM code the table maps to no ICD-9-CM code).
    """

    icd9_code: str | None
    icd9_description: str
    icd10im_code: str | None
    icd10im_description: str

    @property
    def description(self) -> str:
        """The text a problem shows: the ICD-9-CM title, else the ICD-10-IM one."""
        return self.icd9_description or self.icd10im_description


def _drug_cells(drug: Drug) -> tuple[str, str, str, str, str]:
    return drug.name, drug.aic, drug.atc, drug.atc_description, drug.equivalence_group


class ProblemCodeDialog(SearchDialog):
    """Choose a problem's diagnosis: ICD-9-CM, and ICD-10-IM when the center has loaded it.

    ``choice`` holds the ProblemCode once accepted; ``chosen`` emits it.
    """

    chosen = Signal(object)

    def __init__(self, executor: RunsOperations, parent: QWidget | None = None,
                 text: str = "", *, icd9_required: bool = True) -> None:
        super().__init__(executor, parent)
        self.choice: ProblemCode | None = None
        # A problem keeps an ICD-9-CM code (Problem.icd9_code): an ICD-10-IM code is then
        # accepted only with one of its ICD-9-CM correspondences.
        self._icd9_required = icd9_required
        self._system = ICD9CM
        self._shown: tuple[str, str] | None = None  # (system, text) the results are for
        self._candidates: Candidates | None = None
        self._icd10im_loaded = False
        self._choose_when_found = False
        self.setObjectName("problemCodePicker")
        self.setWindowTitle(_("Diagnosis code"))
        self.resize(960, 580)
        self.search.setObjectName("problemCodeSearch")
        self.search.setPlaceholderText(_("Code or words of the diagnosis, e.g. 401.9 or "
                                         "ipertensione"))
        self.icd9 = QRadioButton(_("ICD-&9-CM"))
        self.icd10 = QRadioButton(_("ICD-1&0-IM"))
        self.icd9.setChecked(True)
        self._systems = QButtonGroup(self)
        for button in (self.icd9, self.icd10):
            self._systems.addButton(button)
            button.setVisible(False)  # shown once ICD-10-IM is known to be loaded
        self.icd10.toggled.connect(self._switch_system)
        headers = code_headers()
        self.model = RowsModel(headers, code_cells, code_pickable, self)
        self.table = pick_table(self.model, "problemCodeResults", (1, 2))
        self.table.installEventFilter(self)
        self.table.doubleClicked.connect(self.choose)
        self.candidates_label = QLabel()
        self.candidates_label.setObjectName("problemCodeCandidatesLabel")
        self.candidates_label.setWordWrap(True)
        self.candidate_model = RowsModel(headers, code_cells, code_pickable, self)
        self.candidate_table = pick_table(self.candidate_model, "problemCodeCandidates", (1, 2))
        self.candidate_table.installEventFilter(self)
        self.candidate_table.doubleClicked.connect(self._choose_candidate)
        self._layout(self._buttons(_("Choose")))
        self._show_candidates(None)
        executor.run(PrepareProblemPicker(), self._on_setup)
        if text:
            self.search.setText(text)

    def _layout(self, buttons: QDialogButtonBox) -> None:
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.icd9)
        top.addWidget(self.icd10)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.status)
        layout.addWidget(self.candidates_label)
        layout.addWidget(self.candidate_table, 2)
        layout.addWidget(buttons)

    @property
    def system(self) -> str:
        """The code system searched."""
        return self._system

    @property
    def icd10im_offered(self) -> bool:
        """Whether the center has loaded ICD-10-IM (the switch is shown)."""
        return self._icd10im_loaded

    def _on_setup(self, setup: PickerSetup) -> None:
        self._icd10im_loaded = setup.icd10im_loaded
        for button in (self.icd9, self.icd10):
            button.setVisible(setup.icd10im_loaded)

    def _switch_system(self) -> None:
        self._system = ICD10IM if self.icd10.isChecked() else ICD9CM
        self._show_candidates(None)
        self.run_search()
        self.search.setFocus()

    def run_search(self) -> None:
        """Look up the typed text in the chosen system."""
        self._debounce.stop()
        self._executor.run(SearchCodes(self._system, self.search.text()), self._on_found)

    def _on_found(self, found: CodeMatches) -> None:
        if (found.system, found.text) != (self._system, self.search.text()):
            return  # an answer to a text (or system) the GP has already changed
        self._shown = (found.system, found.text)
        self.model.set_rows(found.rows)
        first_pickable(self.table, self.model)
        self._show_count(found.text, len(found.rows), RESULTS_LIMIT)
        self._show_candidates(None)
        if self._choose_when_found:
            self._choose_when_found = False
            self.choose()

    def _navigate(self, watched: QObject, key: Qt.Key) -> bool:
        if watched is self.search:
            step_to(self.table, self.model, STEPS[key])
            return True
        for table, model in ((self.table, self.model),
                             (self.candidate_table, self.candidate_model)):
            if watched is table:
                step_to(table, model, STEPS[key])
                return True
        return False

    def _enter(self, watched: QObject) -> None:
        if watched is self.candidate_table:
            self._choose_candidate()
        else:
            self.choose()

    def _choose_button(self) -> None:
        if self._candidates is not None:
            self._choose_candidate()
        else:
            self.choose()

    def choose(self) -> None:
        """Enter in the field or the results, or a double click: the code under the cursor."""
        if self._debounce.isActive() or self._shown != (self._system, self.search.text()):
            self._choose_when_found = True  # typed and pressed Enter at once: wait for it
            self.run_search()
            return
        row = self.table.currentIndex().row()
        if not self.model.pickable(row):
            return  # a heading, or nothing found
        chosen: CodeRow = self.model.row(row)
        if self._system == ICD9CM and not self._icd10im_loaded:
            self._finish(ProblemCode(chosen.code, chosen.description, None, ""))
            return
        self._executor.run(FindCandidates(self._system, chosen), self._show_candidates)

    def _show_candidates(self, candidates: Candidates | None) -> None:
        self._candidates = candidates
        self.candidate_table.setVisible(candidates is not None)
        self.candidates_label.setVisible(candidates is not None)
        if candidates is None:
            self.candidate_model.set_rows([])
            return
        way_out = candidates.system == ICD10IM or not self._icd9_required
        self.candidate_model.set_rows([*candidates.rows, *([None] if way_out else [])])
        self.candidates_label.setText(self._candidates_text(candidates, way_out))
        self.candidate_table.clearSelection()
        if len([row for row in candidates.rows if not row.heading]) == 1 or not candidates.rows:
            first_pickable(self.candidate_table, self.candidate_model)
        else:
            self.candidate_table.setCurrentIndex(QModelIndex())  # several: the GP picks one
        self.candidate_table.setFocus()

    @staticmethod
    def _candidates_text(candidates: Candidates, way_out: bool) -> str:
        code = candidates.chosen.code
        target = "ICD-10-IM" if candidates.system == ICD10IM else "ICD-9-CM"
        if not candidates.rows and not way_out:
            return _("No ICD-9-CM code corresponds to {code}, and a problem needs one: "
                     "Esc, then search the diagnosis in ICD-9-CM (Alt+9)").format(code=code)
        if not candidates.rows:
            return _("No {system} code corresponds to {code}: Enter keeps {code} alone, "
                     "Esc goes back").format(system=target, code=code)
        if not way_out:
            return _("The ICD-9-CM codes for {code}: choose the one the problem keeps "
                     "(arrows, Enter)").format(code=code)
        if len(candidates.rows) == 1:
            return _("The {system} code for {code}: Enter to confirm, or choose "
                     "\u201cNone for now\u201d").format(system=target, code=code)
        return _("{count} {system} codes correspond to {code}: choose one (arrows, Enter), "
                 "or \u201cNone for now\u201d").format(count=len(candidates.rows),
                                                        system=target, code=code)

    def _choose_candidate(self) -> None:
        candidates = self._candidates
        if candidates is None:
            return
        row = self.candidate_table.currentIndex().row()
        if not self.candidate_model.pickable(row):
            return
        other: CodeRow | None = self.candidate_model.row(row)
        chosen = candidates.chosen
        if candidates.system == ICD10IM:
            self._finish(ProblemCode(chosen.code, chosen.description,
                                     other.code if other else None,
                                     other.description if other else ""))
        else:
            self._finish(ProblemCode(other.code if other else None,
                                     other.description if other else "",
                                     chosen.code, chosen.description))

    def _finish(self, choice: ProblemCode) -> None:
        self.choice = choice
        self.accept()
        self.chosen.emit(choice)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """Esc over the candidates goes back to the search; else it closes the picker."""
        if event.key() == Qt.Key.Key_Escape and self._candidates is not None:
            self._show_candidates(None)
            self.table.setFocus()
            return
        super().keyPressEvent(event)


class DrugPickerDialog(SearchDialog):
    """Choose a medicine of the AIFA list by name, AIC, ATC code or active ingredient.

    ``choice`` holds the Drug once accepted; ``chosen`` emits it.
    """

    chosen = Signal(object)

    def __init__(self, executor: RunsOperations, parent: QWidget | None = None,
                 text: str = "") -> None:
        super().__init__(executor, parent)
        self.choice: Drug | None = None
        self._shown: str | None = None
        self._choose_when_found = False
        self.setObjectName("drugPicker")
        self.setWindowTitle(_("Medicine"))
        self.resize(900, 520)
        self.search.setObjectName("drugSearch")
        self.search.setPlaceholderText(_("Name, AIC, ATC code or active ingredient"))
        headers = (_("Medicine"), _("AIC"), _("ATC"), _("Active ingredient"),
                   _("Equivalence group"))
        self.model = RowsModel(headers, _drug_cells, lambda _drug: True, self)
        self.table = pick_table(self.model, "drugResults", (0, 3))
        self.table.installEventFilter(self)
        self.table.doubleClicked.connect(self.choose)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(self._buttons(_("Choose")))
        executor.run(PrepareDrugPicker(), lambda _count: None)
        if text:
            self.search.setText(text)

    def run_search(self) -> None:
        """Look up the typed text."""
        self._debounce.stop()
        self._executor.run(SearchDrugs(self.search.text()), self._on_found)

    def _on_found(self, found: DrugMatches) -> None:
        if found.text != self.search.text():
            return
        self._shown = found.text
        self.model.set_rows(found.drugs)
        first_pickable(self.table, self.model)
        self._show_count(found.text, len(found.drugs), DRUG_RESULTS_LIMIT)
        if self._choose_when_found:
            self._choose_when_found = False
            self.choose()

    def _navigate(self, watched: QObject, key: Qt.Key) -> bool:
        if watched in (self.search, self.table):
            step_to(self.table, self.model, STEPS[key])
            return True
        return False

    def choose(self) -> None:
        """Enter or double click: the medicine under the cursor."""
        if self._debounce.isActive() or self._shown != self.search.text():
            self._choose_when_found = True
            self.run_search()
            return
        row = self.table.currentIndex().row()
        if self.model.pickable(row):
            self.choice = self.model.row(row)
            self.accept()
            self.chosen.emit(self.choice)
