"""The studio's devices at a glance: line, state, last message, last error.

Fed on the GUI thread by ``update_status`` (the device runners report from their own
threads: whoever owns them re-emits their status by a queued signal first).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from app.core.formats import format_datetime, local_time
from app.core.i18n import _
from app.ui.qt import (
    QAbstractTableModel,
    QColor,
    QHeaderView,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QVBoxLayout,
    QWidget,
)
from app.ui.tables import row_table

AnyIndex = QModelIndex | QPersistentModelIndex
STATE_COLUMN, ERROR_COLUMN = 3, 5


@dataclass(frozen=True)
class DeviceRow:
    """One device as the panel shows it."""

    name: str
    driver: str = ""
    port: str = ""
    state: str = "connecting"
    last_message_at: datetime | None = None
    error: str = ""


def state_label(state: str) -> str:
    """A runner state in the user's words."""
    return {
        "connecting": _("connecting"),
        "connected": _("connected"),
        "waiting": _("waiting"),
        "receiving": _("receiving"),
        "error": _("error"),
        "stopped": _("stopped"),
    }.get(state, state)


def when_label(at: datetime | None, now: datetime | None = None) -> str:
    """Local time of the last message: the time today, else day/month and time."""
    if at is None:
        return ""
    local = local_time(at)
    today = local_time(now or datetime.now().astimezone()).date()
    return local.strftime("%H:%M:%S") if local.date() == today else format_datetime(at)


COLUMNS: tuple[tuple[Callable[[], str], Callable[[DeviceRow], str]], ...] = (
    (lambda: _("Device"), lambda r: r.name),
    (lambda: _("Driver"), lambda r: r.driver),
    (lambda: _("Port"), lambda r: r.port),
    (lambda: _("State"), lambda r: state_label(r.state)),
    (lambda: _("Last message"), lambda r: when_label(r.last_message_at)),
    (lambda: _("Last error"), lambda r: r.error),
)


class DeviceTableModel(QAbstractTableModel):
    """One row per device, updated in place (the selection stays put)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[DeviceRow] = []

    def row_of(self, name: str) -> int:
        """The row number of a device, or -1."""
        return next((n for n, row in enumerate(self.rows) if row.name == name), -1)

    def put(self, row: DeviceRow) -> None:
        """Add the device, or replace what is shown for it."""
        number = self.row_of(row.name)
        if number < 0:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows))
            self.rows.append(row)
            self.endInsertRows()
            return
        self.rows[number] = row
        self.dataChanged.emit(self.index(number, 0), self.index(number, len(COLUMNS) - 1))

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        """Rows (a table has no children)."""
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        """Columns."""
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text; a device in error in red."""
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[index.column()][1](row)
        if role == Qt.ItemDataRole.ForegroundRole and row.state == "error" \
                and index.column() in (STATE_COLUMN, ERROR_COLUMN):
            return QColor("#b00020")
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]()
        return None


class DevicePanel(QWidget):
    """A table of the studio's devices and how each one is doing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("devicePanel")
        self.model = DeviceTableModel(self)
        self.table = row_table(self.model, "deviceTable")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)  # the last error gets the room: never cut short
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)

    def add_device(self, name: str, driver: str, port: str) -> None:
        """List a device before its first status (state "connecting")."""
        number = self.model.row_of(name)
        current = self.model.rows[number] if number >= 0 else DeviceRow(name)
        self.model.put(replace(current, driver=driver, port=port))

    def update_status(self, name: str, state: str, last_message_at: datetime | None,
                      error: str = "") -> None:
        """Show a device's state, last message time and last error (GUI thread only)."""
        number = self.model.row_of(name)
        current = self.model.rows[number] if number >= 0 else DeviceRow(name)
        self.model.put(replace(current, state=state, last_message_at=last_message_at,
                               error=error))
