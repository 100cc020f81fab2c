"""The Pazienti finder, and the pages about the one open patient.

The finder finds; it never shows a patient's page. Opening a row asks the window for
that patient: the window's header and every patient page then change together, from
one answer (see MainWindow.open_patient). So a highlighted row can never sit beside
another patient's page.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.core.i18n import _
from app.records.services.views import PatientSummary
from app.ui.operations import SearchPatients, SearchResult
from app.ui.ops import RunsOperations
from app.ui.patient_panels import PatientPanel
from app.ui.patient_table import PatientTableModel
from app.ui.qt import (
    QEvent,
    QHeaderView,
    QItemSelectionModel,
    QKeyEvent,
    QLabel,
    QLineEdit,
    QModelIndex,
    QObject,
    QSettings,
    QSplitter,
    QStackedWidget,
    Qt,
    QTableView,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from app.ui.shell_ops import OpenPatient, PatientContext, RefreshPatient
from app.ui.tables import row_table

# A search costs a few ms even at 200,000 patients, so each keystroke searches (stale
# answers are dropped): a zero timer only merges keys that arrive in one burst (a paste,
# a barcode reader) into one search, at the next turn of the event loop.
SEARCH_DEBOUNCE_MS = 0
RECENT_LIMIT = 10
STEPS = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 10,
         Qt.Key.Key_PageUp: -10}


class RecentPatients:
    """The last patients one user opened: ids on disk (never names), rows in memory."""

    def __init__(self, settings: QSettings | None, username: str) -> None:
        self._settings = settings
        self._key = f"recent/{username}"
        self._rows: dict[str, PatientSummary] = {}

    def ids(self) -> list[str]:
        """Most recent first."""
        if self._settings is None:
            return list(self._rows)
        # One string, not a list: an INI file reads a one-item list back as a string.
        stored = str(self._settings.value(self._key, "") or "")
        return [i for i in stored.split(",") if i][:RECENT_LIMIT]

    def add(self, patient: PatientSummary) -> None:
        """``patient`` was opened: first in the list."""
        ids = [patient.id, *(i for i in self.ids() if i != patient.id)][:RECENT_LIMIT]
        self._rows[patient.id] = patient
        if self._settings is not None:
            self._settings.setValue(self._key, ",".join(ids))
        else:
            self._rows = {i: self._rows[i] for i in ids}

    def set_rows(self, rows: Sequence[PatientSummary]) -> None:
        """The rows read for the stored ids."""
        self._rows.update({row.id: row for row in rows})

    def missing(self) -> list[str]:
        """Stored ids whose rows have not been read yet."""
        return [i for i in self.ids() if i not in self._rows]

    def rows(self) -> list[PatientSummary]:
        """The recent patients, most recent first."""
        return [self._rows[i] for i in self.ids() if i in self._rows]


class PatientFinder(QWidget):
    """Search field, results (or the recent patients while the field is empty)."""

    open_requested = Signal(str)  # a patient id

    def __init__(self, executor: RunsOperations, recent: RecentPatients,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientsPage")
        self._executor = executor
        self.recent = recent
        self._open_when_found = False
        # Columns fit their content once, unless the user's own widths were restored.
        self.unfitted: set[str] = {"patientTable", "recentPatients"}
        self.search = QLineEdit()
        self.search.setObjectName("patientSearch")
        self.search.setPlaceholderText(
            _("Find a patient: surname [given name] or codice fiscale  (F2)"))
        self.search.setClearButtonEnabled(True)
        self.search.installEventFilter(self)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._run_search)
        self.search.textChanged.connect(self._text_changed)
        self.search.returnPressed.connect(self._enter_in_search)
        self.count = QLabel(_("Type to search"))
        self.count.setObjectName("patientCount")

        self.model = PatientTableModel(self)
        self.table = self._table(self.model, "patientTable")
        self.recent_model = PatientTableModel(self)
        self.recent_table = self._table(self.recent_model, "recentPatients")
        self.recent_title = QLabel(_("Recent patients"))
        self.recent_title.setObjectName("recentTitle")
        recent_box = QWidget()
        recent_layout = QVBoxLayout(recent_box)
        recent_layout.setContentsMargins(0, 0, 0, 0)
        recent_layout.addWidget(self.recent_title)
        recent_layout.addWidget(self.recent_table, 1)
        self.lists = QStackedWidget()
        self.lists.addWidget(self.table)
        self.lists.addWidget(recent_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 6)
        layout.setSpacing(8)
        layout.addWidget(self.search)
        layout.addWidget(self.count)
        layout.addWidget(self.lists, 1)
        self.setFocusProxy(self.search)
        self.show_recent()

    def _table(self, model: PatientTableModel, name: str) -> QTableView:
        table = row_table(model, name)
        table.verticalHeader().setDefaultSectionSize(26)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setDefaultSectionSize(150)
        table.activated.connect(lambda index: self._open_row(model, index))
        table.resizeColumnsToContents()  # the titles, until rows arrive
        return table

    # -- what is on screen ------------------------------------------------------------------
    def visible_table(self) -> QTableView:
        """The results, or the recent patients when nothing is typed."""
        return self.table if self.search.text().strip() else self.recent_table

    def show_recent(self) -> None:
        """The recent patients, most recent first (shown while the search is empty)."""
        self.recent_model.set_patients(self.recent.rows())
        self._fit_once(self.recent_table)
        self.recent_title.setVisible(self.recent_model.rowCount() > 0)
        if not self.search.text().strip():
            self.lists.setCurrentIndex(1)
            self.count.setText(_("Type to search"))
            if self.recent_model.rowCount():
                self._select_row(self.recent_table, 0)

    def focus_search(self) -> None:
        """F2: the search field, its text selected for retyping."""
        self.search.setFocus()
        self.search.selectAll()

    def clear_search(self) -> bool:
        """Esc: empty the field (True if there was something to clear)."""
        if not self.search.text():
            return False
        self.search.clear()
        return True

    # -- slots: gather input, start an operation --------------------------------------------
    def _text_changed(self, text: str) -> None:
        if text.strip():
            self._debounce.start()
        else:
            self._debounce.stop()
            self.model.set_patients(())
            self.show_recent()

    def _run_search(self) -> None:
        self._debounce.stop()
        if self.search.text().strip():
            self._executor.run(SearchPatients(self.search.text()), self._on_found)

    def _enter_in_search(self) -> None:
        if self._debounce.isActive():  # typed and pressed Enter within the debounce
            self._open_when_found = True
            self._run_search()
        else:
            self.open_current()

    def open_current(self) -> None:
        """Open the highlighted patient (or the only one)."""
        table = self.visible_table()
        model = table.model()
        assert isinstance(model, PatientTableModel)
        index = table.currentIndex()
        if not index.isValid() and model.rowCount() > 0:
            index = model.index(0, 0)
        if index.isValid():
            self._open_row(model, index)

    def _open_row(self, model: PatientTableModel, index: QModelIndex) -> None:
        self.open_requested.emit(model.patient(index.row()).id)

    def refresh(self) -> None:
        """Search again (a patient was registered or changed)."""
        if self.search.text().strip():
            self._run_search()

    # -- results ----------------------------------------------------------------------------
    def _on_found(self, result: SearchResult) -> None:
        if result.text != self.search.text():
            return  # an answer to a text the user has already changed
        self.model.set_patients(result.patients)
        self._fit_once(self.table)
        self.lists.setCurrentIndex(0)
        if result.patients:
            self._select_row(self.table, 0)
        self.count.setText(_count_message(result))
        if self._open_when_found:
            self._open_when_found = False
            self.open_current()

    def _fit_once(self, table: QTableView) -> None:
        if table.objectName() in self.unfitted and table.model().rowCount():
            self.unfitted.discard(table.objectName())
            table.resizeColumnsToContents()
            header = table.horizontalHeader()
            for column in range(header.count() - 1):  # some air between the columns
                header.resizeSection(column, header.sectionSize(column) + 12)

    @staticmethod
    def _select_row(table: QTableView, row: int) -> None:
        model = table.model()
        row = max(0, min(row, model.rowCount() - 1))
        index = model.index(row, 0)
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)
        table.selectionModel().setCurrentIndex(index, flags)
        table.scrollTo(index)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Up/Down in the search field move through the list shown under it."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            step = STEPS.get(Qt.Key(event.key()))
            table = self.visible_table()
            if step is not None and table.model().rowCount():
                self._select_row(table, table.currentIndex().row() + step)
                return True
        return super().eventFilter(watched, event)


def _count_message(result: SearchResult) -> str:
    count = len(result.patients)
    if count == 0:
        return _("No patient found")
    if result.truncated:
        return _("First {count} patients: type more to narrow").format(count=count)
    if count == 1:
        return _("1 patient")
    return _("{count} patients").format(count=count)


class PatientRequests(QObject):
    """Asks for one patient at a time: only the answer for the patient asked for last is
    delivered (``answered``); any other, late or out of order, is dropped."""

    answered = Signal(object, object)  # (PatientContext, the page to show or None)

    def __init__(self, executor: RunsOperations, clinical: bool,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self._clinical = clinical
        self.requested_id: str | None = None
        self.ticket = 0
        self._page: str | None = None

    def ask(self, patient_id: str, page: str | None = None) -> None:
        """Read ``patient_id``; ``page`` is shown with the answer (None: a refresh)."""
        if page is not None or patient_id != self.requested_id:
            self._page = page
        self.ticket += 1
        ticket = self.ticket
        self.requested_id = patient_id
        self._executor.run(OpenPatient(patient_id, self._clinical),
                           lambda context: self.deliver(ticket, context))

    def refresh(self, context: PatientContext, kinds: frozenset[str]) -> None:
        """Read again only ``kinds`` of the patient shown (after a write to its chart)."""
        self.ticket += 1
        ticket = self.ticket
        self.requested_id = context.patient_id
        self._executor.run(RefreshPatient(context, kinds),
                           lambda fresh: self.deliver(ticket, fresh))

    def forget(self) -> None:
        """No patient: whatever is on its way is dropped."""
        self.ticket += 1
        self.requested_id = None
        self._page = None

    def deliver(self, ticket: int, context: PatientContext) -> None:
        """An answer arrived: passed on only if it is the one asked for last."""
        if ticket != self.ticket or context.patient_id != self.requested_id:
            return  # an answer for a patient asked for earlier: never shown
        page, self._page = self._page, None
        self.answered.emit(context, page)


class PatientPage(QWidget):
    """The open patient: demographics (everyone), appointments, the chart summary
    (clinicians). Each part names the patient it shows in ``patient_id``."""

    def __init__(self, appointments: QWidget, clinical: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientPage")
        self.clinical = clinical
        self.demographics = PatientPanel("demographicsPanel")
        self.appointments = appointments
        self.summary = PatientPanel("chartSummaryPanel") if clinical else None
        self.left = QSplitter(Qt.Orientation.Vertical)
        self.left.setObjectName("patientLeftSplitter")
        self.left.addWidget(self.demographics)
        self.left.addWidget(appointments)
        self.left.setStretchFactor(0, 3)
        self.left.setStretchFactor(1, 2)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("patientSplitter")
        self.splitter.addWidget(self.left)
        if self.summary is not None:
            self.splitter.addWidget(self.summary)
            self.splitter.setStretchFactor(0, 1)
            self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.splitter)

    def show_context(self, context: PatientContext | None) -> None:
        """Every part at once, from the one answer the header got too."""
        show_patient = getattr(self.appointments, "show_patient", None)
        if context is None:
            self.demographics.show_hint()
            if self.summary is not None:
                self.summary.show_hint()
            if show_patient is not None:
                show_patient(None)
            return
        self.demographics.show_demographics(context.details, clinical_hidden=not self.clinical)
        if self.summary is not None:
            if context.chart is not None:
                self.summary.show_chart(context.chart)
            else:
                self.summary.show_hint()
        if show_patient is not None:
            show_patient(context.patient_id)
