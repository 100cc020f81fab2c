"""Pick a patient by typing: surname [given name] or codice fiscale, arrows, Enter."""

from __future__ import annotations

from app.records.services.views import PatientSummary
from app.ui.operations import SearchPatients, SearchResult
from app.ui.ops import RunsOperations
from app.ui.patient_table import PatientTableModel
from app.ui.qt import (
    QEvent,
    QHeaderView,
    QKeyEvent,
    QObject,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from app.ui.search_field import patient_search_field
from app.ui.tables import row_table


class PatientPicker(QWidget):
    """A search field over a list of patients; the highlighted row is the choice."""

    chosen = Signal(object)  # PatientSummary: Enter or double click on a row
    current_changed = Signal()

    def __init__(self, executor: RunsOperations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self._shown_text = ""
        self.setObjectName("patientPicker")
        self.search, self._debounce = patient_search_field(self, "patientPickerSearch",
                                                           self.run_search)
        self.model = PatientTableModel(self)
        self.table = row_table(self.model, "patientPickerTable", parent=self)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.activated.connect(self._activated)
        self.table.selectionModel().currentRowChanged.connect(self.current_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        self.setFocusProxy(self.search)

    def run_search(self) -> None:
        """Look the typed text up (debounced while typing)."""
        self._debounce.stop()
        self._executor.run(SearchPatients(self.search.text()), self._on_found)

    def _on_found(self, result: SearchResult) -> None:
        if result.text != self.search.text():
            return  # an answer to a text already changed
        self._shown_text = result.text
        self.model.set_patients(result.patients)
        if result.patients:
            self.table.selectRow(0)
        self.current_changed.emit()

    def settled(self) -> bool:
        """True when the list shows the patients found for the text typed."""
        return not self._debounce.isActive() and self._shown_text == self.search.text()

    def patient(self) -> PatientSummary | None:
        """The highlighted patient of an up-to-date list."""
        rows = self.table.selectionModel().selectedRows()
        if not rows or not self.settled():
            return None
        return self.model.patient(rows[0].row())

    def _activated(self) -> None:
        patient = self.patient()
        if patient is not None:
            self.chosen.emit(patient)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Up/Down in the search field move through the patients found; Enter picks."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = Qt.Key(event.key())
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}.get(key)
            if step is not None and self.model.rowCount():
                row = self.table.currentIndex().row() + step
                self.table.selectRow(max(0, min(row, self.model.rowCount() - 1)))
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.settled():
                self.run_search()  # typed and pressed Enter at once: search first
        return super().eventFilter(watched, event)
