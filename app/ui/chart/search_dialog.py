"""What the pickers share: a search field over a list of rows, searched as the GP types.

Keyboard first: type, arrows (over the rows that cannot be chosen), Enter. Rows a
picker refuses (ICD-10-IM headings) are shown greyed and never selected.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from app.core.i18n import _
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QAbstractTableModel,
    QDialog,
    QDialogButtonBox,
    QEvent,
    QHeaderView,
    QKeyEvent,
    QLabel,
    QLineEdit,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPushButton,
    Qt,
    QTableView,
    QTimer,
    QWidget,
)
from app.ui.tables import row_table

Index = QModelIndex | QPersistentModelIndex
ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
STEPS = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 10,
          Qt.Key.Key_PageUp: -10}


class RowsModel(QAbstractTableModel):
    """Rows of a picker; a row ``pickable`` refuses is shown greyed and cannot be selected."""

    def __init__(self, headers: Sequence[str], cells: Callable[[Any], Sequence[str]],
                 pickable: Callable[[Any], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._cells = cells
        self._pickable = pickable
        self._rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Show ``rows`` instead of the current ones."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, number: int) -> Any:
        """The item of row ``number``."""
        return self._rows[number]

    def pickable(self, number: int) -> bool:
        """Whether row ``number`` may be chosen."""
        return 0 <= number < len(self._rows) and self._pickable(self._rows[number])

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's API
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt's API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells(item)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            if not self._pickable(item):
                return _("A heading: choose one of the codes under it")
            return self._cells(item)[index.column()] or None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if index.isValid() and self.pickable(index.row()):
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return Qt.ItemFlag.NoItemFlags  # greyed by the style, never selected


def pick_table(model: RowsModel, name: str, stretch: tuple[int, ...] = ()) -> QTableView:
    """A table of the picker's rows: columns fit their contents but ``stretch``, which share
    the width left (long titles are elided, the whole one is in the tooltip)."""
    table = row_table(model, name)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    for column in stretch:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    table.setWordWrap(False)
    return table


def step_to(table: QTableView, model: RowsModel, step: int) -> None:
    """Move the selection ``step`` rows, over the rows that cannot be chosen."""
    count = model.rowCount()
    row = table.currentIndex().row() if table.currentIndex().isValid() else -1
    direction = 1 if step > 0 else -1
    target = max(-1, min(row + step, count))
    while 0 <= target < count and not model.pickable(target):
        target += direction
    if 0 <= target < count:
        table.selectRow(target)


def first_pickable(table: QTableView, model: RowsModel) -> None:
    table.clearSelection()
    table.setCurrentIndex(QModelIndex())
    step_to(table, model, 1)


class SearchDialog(QDialog):
    """A search field over a list of results, searched as the GP types."""

    def __init__(self, executor: RunsOperations, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._executor = executor
        self.search = QLineEdit()
        self.search.installEventFilter(self)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(0)  # merges a burst of keys; each search takes a few ms
        self._debounce.timeout.connect(self.run_search)
        self.search.textChanged.connect(self._debounce.start)
        self.status = QLabel()
        self.status.setObjectName("pickerStatus")

    def _buttons(self, choose_text: str) -> QDialogButtonBox:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(choose_text)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        for button in buttons.buttons():
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)  # Enter belongs to the field and the lists
        ok.clicked.connect(self._choose_button)
        buttons.rejected.connect(self.reject)
        return buttons

    def _show_count(self, text: str, count: int, limit: int) -> None:
        if not text.strip():
            self.status.setText(_("Type a code or some words"))
        elif count >= limit:
            self.status.setText(_("The first {count}; type more to narrow them, arrows to "
                                  "move, Enter to choose").format(count=count))
        elif count:
            self.status.setText(_("{count} found; arrows to move, Enter to choose")
                                .format(count=count))
        else:
            self.status.setText(_("Nothing found for \u201c{text}\u201d").format(text=text))

    def run_search(self) -> None:  # pragma: no cover - each picker has its own
        """Look up the text in the field."""
        raise NotImplementedError

    def choose(self) -> None:  # pragma: no cover - each picker has its own
        """Enter, double click or the choose button."""
        raise NotImplementedError

    def _navigate(self, watched: QObject, key: Qt.Key) -> bool:
        """Arrows in the field or a list move through that list; True when handled."""
        raise NotImplementedError

    def _enter(self, watched: QObject) -> None:  # noqa: ARG002 - one list: no matter where
        """Enter in ``watched`` (the field or a list)."""
        self.choose()

    def _choose_button(self) -> None:
        """The choose button: as Enter in the results."""
        self.choose()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Enter chooses; arrows in the search field move through the results."""
        if event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = Qt.Key(event.key())
            if key in ENTER:
                self._enter(watched)
                return True
            if key in STEPS and self._navigate(watched, key):
                return True
        return super().eventFilter(watched, event)
