"""A patient's appointments: upcoming ones first, then the past (for the patient page)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.core.i18n import _
from app.records.agenda_time import to_local
from app.records.changes import Changes
from app.records.services.views import AppointmentView
from app.ui.agenda.formats import date_text, short_weekday, status_label, time_text
from app.ui.agenda_ops import LoadPatientAgenda, PatientAgenda
from app.ui.operations import SessionInfo
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QAbstractTableModel,
    QHeaderView,
    QLabel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
)
from app.ui.tables import row_table

AnyIndex = QModelIndex | QPersistentModelIndex


class AppointmentListModel(QAbstractTableModel):
    """Rows of appointments: day, time, clinician, type, status, desk note."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[AppointmentView] = []
        self.clinicians: dict[str, str] = {}
        self.labels: dict[str, str] = {}

    def set_rows(self, rows: Sequence[AppointmentView], clinicians: dict[str, str],
                 labels: dict[str, str]) -> None:
        """Show a new list."""
        self.beginResetModel()
        self.rows = list(rows)
        self.clinicians = clinicians
        self.labels = labels
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        """Rows (a table has no children)."""
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        """Columns."""
        return 0 if parent.isValid() else 6

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text."""
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self.rows[index.row()]
        starts = to_local(row.starts_at)
        status = status_label(row.status)
        if row.status == "cancelled" and row.cancel_reason:
            status = f"{status}: {row.cancel_reason}"
        cells = (f"{short_weekday(starts.date())} {date_text(starts.date())}",
                 time_text(starts), self.clinicians.get(row.clinician_id, ""),
                 self.labels.get(row.kind, row.kind), status, row.note or "")
        return cells[index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            titles = (_("Day"), _("Time"), _("Clinician"), _("Visit type"), _("Status"),
                      _("Desk note"))
            return titles[section]
        return None


class PatientAppointments(QWidget):
    """Upcoming and past appointments of the patient shown; double click opens the day."""

    day_requested = Signal(object)  # the date of the appointment double-clicked

    def __init__(self, executor: RunsOperations, session: SessionInfo,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientAppointments")
        self._executor = executor
        self.session = session
        self.patient_id: str | None = None
        self._ticket = 0
        self.upcoming_model = AppointmentListModel(self)
        self.past_model = AppointmentListModel(self)
        self.upcoming_title = QLabel()
        self.past_title = QLabel()
        self.upcoming = self._table(self.upcoming_model, "upcomingAppointments")
        self.past = self._table(self.past_model, "pastAppointments")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.upcoming_title, self.upcoming, self.past_title, self.past):
            layout.addWidget(widget)
        executor.changed.connect(self._on_changed)
        self._titles()

    def _table(self, model: AppointmentListModel, name: str) -> QTableView:
        table = row_table(model, name, parent=self)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        table.activated.connect(lambda index: self._open_day(model, index))
        return table

    def _titles(self) -> None:
        self.upcoming_title.setText(_("Upcoming appointments ({count})").format(
            count=self.upcoming_model.rowCount()))
        self.past_title.setText(_("Past appointments ({count})").format(
            count=self.past_model.rowCount()))

    def show_patient(self, patient_id: str | None) -> None:
        """List the appointments of ``patient_id`` (None: empty)."""
        self.patient_id = patient_id
        self._ticket += 1
        if patient_id is None:
            self.upcoming_model.set_rows([], {}, {})
            self.past_model.set_rows([], {}, {})
            self._titles()
            return
        ticket = self._ticket
        self._executor.run(LoadPatientAgenda(patient_id),
                           lambda found: self._loaded(ticket, found))

    def _loaded(self, ticket: int, found: PatientAgenda) -> None:
        if ticket != self._ticket or found.patient_id != self.patient_id:
            return  # another patient was asked for since
        self.upcoming_model.set_rows(found.upcoming, found.clinicians, found.labels)
        self.past_model.set_rows(found.past, found.clinicians, found.labels)
        self._titles()

    def _on_changed(self, changes: Changes, _initiator: object) -> None:
        if self.patient_id is not None and changes.touches({"appointment"}, self.patient_id):
            self.show_patient(self.patient_id)

    def _open_day(self, model: AppointmentListModel, index: QModelIndex) -> None:
        self.day_requested.emit(to_local(model.rows[index.row()].starts_at).date())
