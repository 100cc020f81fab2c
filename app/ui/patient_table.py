"""The patient list: a table model over PatientSummary rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from app.core.formats import completed_months, format_date, sex_label
from app.core.i18n import _
from app.records.services.views import PatientSummary
from app.ui.qt import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

AnyIndex = QModelIndex | QPersistentModelIndex


def _age(patient: PatientSummary, today: date) -> str:
    years = patient.age(today)
    if years >= 1 or today < patient.birth_date:
        return str(years)
    months = completed_months(patient.birth_date, today)
    return _("{n} mo.").format(n=months)  # an infant: months, not "0"


Cell = Callable[[PatientSummary, date], str]
COLUMNS: tuple[tuple[Callable[[], str], Cell], ...] = (
    (lambda: _("Surname"), lambda p, _today: p.surname),
    (lambda: _("Given name"), lambda p, _today: p.given_name),
    (lambda: _("Sex"), lambda p, _today: sex_label(p.sex)),
    (lambda: _("Date of birth"), lambda p, _today: format_date(p.birth_date)),
    (lambda: _("Age"), _age),
    (lambda: _("Codice fiscale"), lambda p, _today: p.codice_fiscale),
    (lambda: _("Place of birth"), lambda p, _today: p.birth_place),
    (lambda: _("GP of choice"), lambda p, _today: p.gp_name or ""),
)
# Columns that share the spare width (names, place, GP); the others fit their content.
STRETCH_COLUMNS = (0, 1, 6, 7)
_CENTRED = (2, 4)


class PatientTableModel(QAbstractTableModel):
    """Read-only rows of patients, replaced whole after each search."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._patients: list[PatientSummary] = []
        self._today = date.today()

    def set_patients(self, patients: Sequence[PatientSummary]) -> None:
        """Show a new list."""
        self.beginResetModel()
        self._patients = list(patients)
        self._today = date.today()  # ages on the day the list was shown
        self.endResetModel()

    def patient(self, row: int) -> PatientSummary:
        """The patient on one row."""
        return self._patients[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        """Rows (a table has no children)."""
        return 0 if parent.isValid() else len(self._patients)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        """Columns."""
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text (ages and sex centred)."""
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in _CENTRED:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return COLUMNS[index.column()][1](self._patients[index.row()], self._today)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]()
        return None
