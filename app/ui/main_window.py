"""The main window: find a patient in a keystroke or two, open the summary."""

from __future__ import annotations

from app.core.i18n import _
from app.records.changes import Changes
from app.records.kinds import ENTRY_NAMES
from app.records.services.views import PatientDetails, PatientSummary
from app.records.summary import ChartSummary
from app.ui.contacts_dialog import ContactsDialog
from app.ui.inbox_dialog import InboxDialog, show_inbox
from app.ui.operations import (
    OpenChartSummary,
    ReadDemographics,
    SearchPatients,
    SearchResult,
    SessionInfo,
)
from app.ui.ops import RunsOperations
from app.ui.patient_panels import PatientPanel
from app.ui.patient_table import PatientTableModel
from app.ui.qt import (
    QAction,
    QCloseEvent,
    QEvent,
    QHeaderView,
    QItemSelectionModel,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QLineEdit,
    QMainWindow,
    QModelIndex,
    QObject,
    QShortcut,
    QSplitter,
    Qt,
    QTableView,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from app.ui.tables import row_table

SEARCH_DEBOUNCE_MS = 150
CLINICAL_ROLES = ("gp", "nurse")
CONTACT_EDITORS = ("gp", "nurse", "secretary")
# What each page shows, so a write elsewhere refreshes it only when it matters.
CHART_KINDS = frozenset({"patient", "esenzione", *ENTRY_NAMES})
DEMOGRAPHICS_KINDS = frozenset({"patient"})


def role_label(role: str) -> str:
    """A role as the people in a center call it."""
    return {
        "gp": _("GP"),
        "nurse": _("Nurse"),
        "secretary": _("Secretary"),
        "admin": _("Center administrator"),
    }.get(role, role)


class MainWindow(QMainWindow):
    """Search field, patient list and the selected patient's page."""

    closed = Signal()

    def __init__(self, executor: RunsOperations, session: SessionInfo) -> None:
        super().__init__()
        self._executor = executor
        self.session = session
        self._open_when_found = False
        # The patient whose page was asked for last: any other answer is stale and dropped.
        self.requested: PatientSummary | None = None
        self.shown: PatientSummary | None = None
        self.setWindowTitle(_("Medirete - {center} - {user} ({role})").format(
            center=session.center_name, user=session.full_name, role=role_label(session.role)))
        self.resize(1180, 720)

        self.search = QLineEdit()
        self.search.setObjectName("patientSearch")
        self.search.setPlaceholderText(
            _("Find a patient: surname [given name] or codice fiscale  (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.installEventFilter(self)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._run_search)
        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(self._enter_in_search)

        self.model = PatientTableModel(self)
        self.table = self._make_table()
        self.panel = PatientPanel()

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([680, 480])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(10, 10, 10, 6)
        layout.setSpacing(8)
        layout.addWidget(self.search)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)

        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.focus_search)
        self._make_menus(session)
        executor.changed.connect(self._on_changed)
        self.count = QLabel(_("Type to search"))
        self.count.setObjectName("patientCount")
        self.statusBar().addPermanentWidget(self.count)
        self.search.setFocus()

    def _make_menus(self, session: SessionInfo) -> None:
        self.edit_contacts_action = QAction(_("Edit contacts..."), self)
        self.edit_contacts_action.setShortcut(QKeySequence(Qt.Key.Key_F6))
        self.edit_contacts_action.setEnabled(False)
        self.edit_contacts_action.triggered.connect(self.edit_contacts)
        if session.role in CONTACT_EDITORS:
            self.menuBar().addMenu(_("Patient")).addAction(self.edit_contacts_action)
        self.inbox_dialog: InboxDialog | None = None
        self.inbox_action = QAction(_("Results inbox..."), self)
        self.inbox_action.setShortcut(QKeySequence(Qt.Key.Key_F9))
        self.inbox_action.triggered.connect(self.open_inbox)
        if session.role in CLINICAL_ROLES and session.clinical_access:
            self.menuBar().addMenu(_("Devices")).addAction(self.inbox_action)

    def open_inbox(self) -> None:
        """The results inbox (F9): device results waiting for a clinician."""
        self.inbox_dialog = show_inbox(self._executor, self.inbox_dialog, self)

    def _make_table(self) -> QTableView:
        table = row_table(self.model, "patientTable")
        table.verticalHeader().setDefaultSectionSize(26)
        header = table.horizontalHeader()
        # Names and places share the room; sex, date and codice fiscale keep their width.
        stretch, fit = QHeaderView.ResizeMode.Stretch, QHeaderView.ResizeMode.ResizeToContents
        for column, mode in enumerate((stretch, stretch, fit, fit, stretch, fit)):
            header.setSectionResizeMode(column, mode)
        table.activated.connect(self._open_index)
        return table

    # -- slots: gather input, start an operation ------------------------------------------
    def focus_search(self) -> None:
        """Ctrl+F: back to the search field, text selected for retyping."""
        self.search.setFocus()
        self.search.selectAll()

    def _run_search(self) -> None:
        self._debounce.stop()
        self._executor.run(SearchPatients(self.search.text()), self._on_found)

    def _enter_in_search(self) -> None:
        if self._debounce.isActive():  # typed and pressed Enter within the debounce
            self._open_when_found = True
            self._run_search()
        else:
            self.open_current()

    def open_current(self) -> None:
        """Open the highlighted patient (or the only one)."""
        index = self.table.currentIndex()
        if not index.isValid() and self.model.rowCount() > 0:
            index = self.model.index(0, 0)
        if index.isValid():
            self._open_index(index)

    def _open_index(self, index: QModelIndex) -> None:
        patient = self.model.patient(index.row())
        self.statusBar().showMessage(_("Opening {name}...").format(
            name=f"{patient.surname} {patient.given_name}"))
        self._request(patient)

    def _request(self, patient: PatientSummary) -> None:
        self.requested = patient
        if self.session.role in CLINICAL_ROLES:
            self._executor.run(OpenChartSummary(patient.id), self._on_chart, initiator=self)
        else:  # the front desk never asks for the chart: the record would refuse it anyway
            self._executor.run(ReadDemographics(patient.id), self._on_demographics,
                               initiator=self)

    def edit_contacts(self) -> None:
        """F6: correct the shown patient's addresses and contacts."""
        if self.shown is not None and self.session.role in CONTACT_EDITORS:
            self._executor.run(ReadDemographics(self.shown.id), self._open_contacts)

    def _open_contacts(self, details: PatientDetails) -> None:
        self.contacts_dialog = ContactsDialog(self._executor, details, self)
        self.contacts_dialog.open()

    def _on_changed(self, changes: Changes, initiator: object) -> None:
        """Another screen (or a device, or a peer) wrote: refresh what this window shows."""
        if initiator is self:
            return
        shown = self.shown
        page_kinds = CHART_KINDS if self.panel.kind == "chart" else DEMOGRAPHICS_KINDS
        if shown is not None and changes.touches(page_kinds, shown.id):
            self._request(shown)
        if changes.touches({"patient"}) and self.search.text().strip():
            self._run_search()

    # -- results, on the GUI thread -------------------------------------------------------
    def _on_found(self, result: SearchResult) -> None:
        if result.text != self.search.text():
            return  # an answer to a text the user has already changed
        self.model.set_patients(result.patients)
        if result.patients:
            self._select_row(0)
        self.count.setText(self._count_message(result))
        if self._open_when_found:
            self._open_when_found = False
            self.open_current()

    @staticmethod
    def _count_message(result: SearchResult) -> str:
        count = len(result.patients)
        if not result.text.strip():
            return _("Type to search")
        if count == 0:
            return _("No patient found")
        if result.truncated:
            return _("First {count} patients: type more to narrow").format(count=count)
        if count == 1:
            return _("1 patient")
        return _("{count} patients").format(count=count)

    def _is_stale(self, patient: PatientSummary) -> bool:
        """An answer for a patient other than the one asked for last (a safety check)."""
        return self.requested is None or patient.id != self.requested.id

    def _on_chart(self, summary: ChartSummary) -> None:
        if self._is_stale(summary.patient):
            return
        self.shown = summary.patient
        self.edit_contacts_action.setEnabled(True)
        self.panel.show_chart(summary)
        self.statusBar().showMessage(_("Chart opened"), 4000)

    def _on_demographics(self, details: PatientDetails) -> None:
        if self._is_stale(details.summary):
            return
        self.shown = details.summary
        self.edit_contacts_action.setEnabled(True)
        hidden = self.session.role not in CLINICAL_ROLES
        self.panel.show_demographics(details, clinical_hidden=hidden)
        self.statusBar().showMessage(_("Demographics opened"), 4000)

    # -- keyboard ----------------------------------------------------------------------------
    def _select_row(self, row: int) -> None:
        row = max(0, min(row, self.model.rowCount() - 1))
        index = self.model.index(row, 0)
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Up/Down in the search field move through the list; Esc clears the search."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1,
                    Qt.Key.Key_PageDown: 10, Qt.Key.Key_PageUp: -10}.get(Qt.Key(key))
            if step is not None and self.model.rowCount():
                self._select_row(self.table.currentIndex().row() + step)
                return True
            if key == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
        return super().eventFilter(watched, event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        """Tell the application, which closes the record on the worker."""
        self.closed.emit()
        super().closeEvent(event)
