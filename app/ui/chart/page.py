"""The chart page: one tab per part of the chart, all fed from the window's patient context.

Every tab is filled from the same ``PatientContext`` the header shows, so no tab can show
another patient than the header's. Tabs are reached with Ctrl+1 ... Ctrl+8; F11 starts or
resumes the visit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.core.i18n import _
from app.records.services.visits import VisitDraft
from app.ui.chart.documents import DocumentsView
from app.ui.chart.journal import JournalView
from app.ui.chart.prevention import PreventionView
from app.ui.chart.problems import ProblemsView
from app.ui.chart.results import ResultsView
from app.ui.chart.summary import ChartSummaryView
from app.ui.chart.therapy import TherapyView
from app.ui.chart.visit_editor import VisitEditor
from app.ui.chart.visit_ops import MarkEnteredInError, StartAmendment
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QInputDialog,
    QKeySequence,
    QLabel,
    QShortcut,
    Qt,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)

if TYPE_CHECKING:
    from app.ui.shell_ops import PatientContext

SUMMARY, JOURNAL, VISIT, PROBLEMS, THERAPY, RESULTS, DOCUMENTS, PREVENTION = range(8)


class ChartPage(QWidget):
    """The clinical chart of the open patient (clinicians holding the clinical key)."""

    book_followup = Signal(str)  # patient id: the window opens the agenda's booking
    acquire_requested = Signal()  # the window asks a device for the open patient

    def __init__(self, executor: RunsOperations, role: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chartPage")
        self._executor = executor
        self._context: PatientContext | None = None
        gp = role == "gp"
        self.summary = ChartSummaryView()
        self.journal = JournalView(executor)
        self.visit = VisitEditor(executor, nurse=not gp)
        self.problems = ProblemsView(executor, may_write=gp)
        self.therapy = TherapyView(executor, may_write=gp)
        self.results = ResultsView()
        self.documents = DocumentsView(executor, may_import=gp)
        self.prevention = PreventionView(executor, gp=gp)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("chartTabs")
        self._stale: set[int] = set()  # tabs to refill when next shown (same patient)
        for widget, label in ((self.summary, _("Summary")), (self.journal, _("Journal")),
                              (self.visit, _("Visit")), (self.problems, _("Problems")),
                              (self.therapy, _("Therapy")), (self.results, _("Results")),
                              (self.documents, _("Documents")),
                              (self.prevention, _("Vaccinations and family history"))):
            self.tabs.addTab(widget, label)
        if not gp:  # the nurse reads problems and therapy; she writes neither
            self.tabs.setTabToolTip(PROBLEMS, _("Read only"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.tabs)
        self.hint = QLabel(_("No patient open."))
        self.hint.setObjectName("chartHint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.hint)
        self.tabs.hide()
        for index in range(self.tabs.count()):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{index + 1}"), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda i=index: self.show_tab(i))
        self._wire(gp)

    def _wire(self, gp: bool) -> None:
        self.tabs.currentChanged.connect(self._tab_shown)
        self.journal.may_correct = True  # the records layer decides what each role may
        self.journal.amend_requested.connect(self.amend_visit)
        self.journal.error_requested.connect(self.mark_in_error)
        self.summary.open_entry.connect(self._open_entry)
        self.problems.show_linked.connect(self.show_problem)
        self.visit.on_action("book_followup", self._book_followup)
        self.visit.on_action("acquire", self.acquire_requested.emit)
        if gp:
            self.visit.on_action("add_problem", self._add_problem_for_visit)
            self.visit.on_action("prescribe", self.therapy.new_therapy)
            self.visit.on_action("order_test", lambda: self.therapy.new_prescription("lab"))
            self.visit.on_action("refer", lambda: self.therapy.new_prescription("specialist"))
        self.problems.problem_added.connect(self._problem_added)
        self.visit.signed.connect(lambda _signed: self.show_tab(SUMMARY))

    # -- the patient ----------------------------------------------------------------------
    @property
    def patient_id(self) -> str | None:
        """The patient whose chart is shown."""
        return self._context.patient_id if self._context is not None else None

    def show_context(self, context: PatientContext | None) -> None:
        """Every tab from the one context (None: no patient).

        Another patient reaches every tab at once, so that nothing (not even a dialog of a
        tab not in view) stays about the patient before. The same patient read again
        after a write refreshes the tab in view and the visit's problems now, and each
        other tab when it is next shown: a heavy chart refills in a few milliseconds.
        """
        same = (self._context is not None and context is not None
                and context.patient_id == self._context.patient_id)
        self._context = context
        chart = context.record if context is not None else None
        # No patient: the tabs go (nothing of the last patient can stay on screen).
        self.tabs.setVisible(chart is not None)
        self.hint.setVisible(chart is None)
        if context is None or chart is None:
            self._stale.clear()
            self.visit.set_patient(None, ())
            self.problems.show_problems(None, ())
            self.prevention.show_entries(None, (), ())
            self.therapy.show_chart(None)
            self.documents.show_documents(None, ())
            self.results.clear()
            return
        self.visit.set_patient(context.patient_id, chart.of("problem"))
        if same:
            self._stale = set(range(self.tabs.count())) - {self.tabs.currentIndex()}
            self._fill(self.tabs.currentIndex())
        else:
            self._stale.clear()
            for index in range(self.tabs.count()):
                self._fill(index)

    def _fill(self, index: int) -> None:
        """One tab from the context."""
        context = self._context
        if context is None or context.record is None:
            return
        chart, patient_id = context.record, context.patient_id
        if index == SUMMARY:
            self.summary.show_chart(chart, context.appointments, context.staff)
        elif index == JOURNAL:
            self.journal.show_chart(chart, context.staff)
        elif index == PROBLEMS:
            self.problems.show_problems(patient_id, chart.of("problem"))
        elif index == THERAPY:
            self.therapy.show_chart(chart)
        elif index == RESULTS:
            self.results.show_observations(patient_id, chart.of("observation"))
        elif index == DOCUMENTS:
            self.documents.show_documents(patient_id, chart.of("document"))
        elif index == PREVENTION:
            self.prevention.show_entries(patient_id, chart.of("vaccination"),
                                         chart.of("family_history"))

    def _tab_shown(self, index: int) -> None:
        if index in self._stale:
            self._stale.discard(index)
            self._fill(index)

    def shown_patient_ids(self) -> dict[str, str | None]:
        """Each tab's patient (a test checks they are all the header's)."""
        return {"visit": self.visit.patient_id, "problems": self.problems.patient_id,
                "therapy": self.therapy.patient_id, "results": self.results.patient_id,
                "documents": self.documents.patient_id,
                "prevention": self.prevention.patient_id}

    # -- navigation -----------------------------------------------------------------------
    def show_tab(self, index: int) -> None:
        """Bring one tab forward and give it the focus."""
        self.tabs.setCurrentIndex(index)
        if index == VISIT:
            self.visit.focus_first()
        else:
            self.tabs.currentWidget().setFocus()

    def start_visit(self) -> None:
        """F11: the visit editor (a draft of this patient comes back by itself)."""
        self.show_tab(VISIT)

    def show_problem(self, lineage_id: str) -> None:
        """The problem-oriented view: the journal with what is linked to one problem."""
        self.tabs.setCurrentIndex(JOURNAL)  # first: a stale journal is refilled as shown
        self.journal.set_problem_filter(lineage_id)

    def _open_entry(self, kind: str, lineage_id: str) -> None:
        self.tabs.setCurrentIndex(JOURNAL)
        self.journal.open_entry(kind, lineage_id)

    def amend_visit(self, encounter_id: str) -> None:
        """A signed visit back into the editor, to be amended with a reason."""
        self.visit.save_now()
        self._executor.run(StartAmendment(encounter_id), self._amend_loaded)

    def _amend_loaded(self, draft: VisitDraft) -> None:
        if draft.patient_id != self.patient_id:
            return  # the patient changed meanwhile: never show a visit beside another patient
        self.visit.load(draft)
        self.show_tab(VISIT)
        self.visit.reason.setFocus()

    def mark_in_error(self, kind: str, entry_id: str) -> None:
        """An entry entered in error: a reason, then a new version (never a delete)."""
        reason, ok = QInputDialog.getText(self, _("Entered in error"),
                                          _("Why was this entered in error?"))
        if ok and reason.strip():
            self._executor.run(MarkEnteredInError(kind, entry_id, reason.strip()),
                               lambda _id: None)

    def _add_problem_for_visit(self) -> None:
        self._link_next_problem = True
        self.problems.add_problem()

    def _problem_added(self, lineage_id: str) -> None:
        if getattr(self, "_link_next_problem", False):
            self._link_next_problem = False
            self.visit.link_problem(lineage_id)

    def _book_followup(self) -> None:
        if self.patient_id is not None:
            self.book_followup.emit(self.patient_id)

    def save_draft_now(self) -> None:
        """Before a lock, a log-out or closing: keep what is typed."""
        self.visit.save_now()

