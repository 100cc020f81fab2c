"""The Therapy tab's tables: rows of text cells, each row standing for one entry."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.records.services.views import EntryView
from app.ui.qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QHeaderView,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTableView,
)
from app.ui.tables import row_table

AnyIndex = QModelIndex | QPersistentModelIndex
Row = tuple[list[str], EntryView]


class RowsModel(QAbstractTableModel):
    """Read-only rows, replaced whole at each fill; ``entries[row]`` is the row's entry."""

    def __init__(self, headers: Sequence[str]) -> None:
        super().__init__()
        self.headers = list(headers)
        self.cells: list[list[str]] = []
        self.entries: list[EntryView] = []

    def set_rows(self, headers: Sequence[str] | None, rows: Sequence[Row]) -> None:
        """Show new rows (and new column titles when ``headers`` is given)."""
        self.beginResetModel()
        if headers is not None:
            self.headers = list(headers)
        self.cells = [cells for cells, _entry in rows]
        self.entries = [entry for _cells, entry in rows]
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        """Rows (a table has no children)."""
        return 0 if parent.isValid() else len(self.cells)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        """Columns."""
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text."""
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.cells[index.row()][index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section] if section < len(self.headers) else None
        return None


def make_table(model: RowsModel, name: str, accessible: str) -> QTableView:
    """A table of whole rows, several selectable (Shift and Ctrl), columns fitted."""
    table = row_table(model, name,
                      selection=QAbstractItemView.SelectionMode.ExtendedSelection)
    table.setAccessibleName(accessible)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    table.setWordWrap(False)
    return table


def selected_rows(table: QTableView) -> list[int]:
    """The selected rows, top to bottom."""
    return sorted(index.row() for index in table.selectionModel().selectedRows())


def select_rows(table: QTableView, rows: Sequence[int]) -> None:
    """Select exactly these rows (the first becomes the current one)."""
    selection = table.selectionModel()
    selection.clearSelection()
    model = table.model()
    flags = (QItemSelectionModel.SelectionFlag.Select
             | QItemSelectionModel.SelectionFlag.Rows)
    for row in rows:
        selection.select(model.index(row, 0), flags)
    if rows:
        selection.setCurrentIndex(model.index(rows[0], 0), flags)
