"""The patient list: a table model over PatientSummary rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from app.core.i18n import _
from app.records.services.views import PatientSummary
from app.ui.qt import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

AnyIndex = QModelIndex | QPersistentModelIndex


def _sex(sex: str) -> str:
    return {"M": _("M"), "F": _("F")}.get(sex, sex)


def format_date(value: Any) -> str:
    """Dates as Italian GPs write them: dd/mm/yyyy."""
    return value.strftime("%d/%m/%Y") if value is not None else ""


COLUMNS: tuple[tuple[Callable[[], str], Callable[[PatientSummary], str]], ...] = (
    (lambda: _("Surname"), lambda p: p.surname),
    (lambda: _("Given name"), lambda p: p.given_name),
    (lambda: _("Sex"), lambda p: _sex(p.sex)),
    (lambda: _("Date of birth"), lambda p: format_date(p.birth_date)),
    (lambda: _("Place of birth"), lambda p: p.birth_place),
    (lambda: _("Codice fiscale"), lambda p: p.codice_fiscale),
)


class PatientTableModel(QAbstractTableModel):
    """Read-only rows of patients, replaced whole after each search."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._patients: list[PatientSummary] = []

    def set_patients(self, patients: Sequence[PatientSummary]) -> None:
        """Show a new list."""
        self.beginResetModel()
        self._patients = list(patients)
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
        """Cell text."""
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        return COLUMNS[index.column()][1](self._patients[index.row()])

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]()
        return None
