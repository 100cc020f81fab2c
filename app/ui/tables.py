"""The read-only list tables of the app: whole rows selected, nothing edited in place."""

from __future__ import annotations

from app.ui.qt import QAbstractItemView, QAbstractTableModel, QTableView, QWidget

Selection = QAbstractItemView.SelectionMode


def row_table(model: QAbstractTableModel, name: str, *,
              selection: Selection = Selection.SingleSelection,
              parent: QWidget | None = None) -> QTableView:
    """A table of ``model`` rows: row selection, no editing, Tab leaves the table."""
    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(selection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    return table
