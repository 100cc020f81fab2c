"""The sync panel: the center's workstations, the conflicts to reconcile, the journal.

The counts come first, in words, above everything that scrolls (how many workstations
are online, how many conflicts wait, how many entries are kept), then three lists side
by side in one splitter: the workstations (online or not, last contact, last sync, what
was pending at last contact), the conflicts (when, what, whose, the values kept on each
side) and the sync journal, newest first. It reads again every few seconds while open
and whenever the node says something. A session without clinical rights sees no value
of a clinical conflict (the records layer holds none for it anyway).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from app.core.formats import format_datetime
from app.core.i18n import _
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QAbstractTableModel,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHeaderView,
    QKeySequence,
    QLabel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPushButton,
    QShortcut,
    QSplitter,
    Qt,
    QTableView,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from app.ui.sync_resolve import ResolveDialog
from app.ui.sync_runner import SyncRunner
from app.ui.sync_view import (
    ConflictRow,
    JournalRow,
    PeerRow,
    ReadSyncView,
    SyncView,
    conflict_kind_label,
    journal_detail,
    journal_event_label,
    live_rows,
)
from app.ui.tables import row_table

REFRESH_MS = 5000
SOON_MS = 300
DASH = "—"
Index = QModelIndex | QPersistentModelIndex


class TextTable(QAbstractTableModel):
    """Rows of text under translated headers (read-only)."""

    def __init__(self, headers: Sequence[Callable[[], str]],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = [header() for header in headers]
        self.rows: list[tuple[str, ...]] = []
        self.tips: list[str] = []

    def set_rows(self, rows: Sequence[tuple[str, ...]], tips: Sequence[str] = ()) -> None:
        """Replace every row."""
        self.beginResetModel()
        self.rows = list(rows)
        self.tips = list(tips)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's
        """Rows shown."""
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's
        """Columns shown."""
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell's text; the row's explanation as its tooltip."""
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = self.tips[index.row()] if index.row() < len(self.tips) else ""
            return tip or self.rows[index.row()][index.column()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt's
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None


def _count(value: int | None) -> str:
    return DASH if value is None else str(value)


def peer_cells(peer: PeerRow) -> tuple[str, ...]:
    """One workstation's row."""
    if peer.revoked:
        state = _("revoked")
    elif peer.online:
        state = _("online (received {received}, sent {sent})").format(
            received=peer.received, sent=peer.sent)
    elif peer.last_seen is None:
        state = _("never seen")
    else:
        state = _("offline")
    return (peer.name, state, format_datetime(peer.last_seen) or DASH,
            format_datetime(peer.last_sync) or DASH, _count(peer.pending_in),
            _count(peer.pending_out))


def conflict_cells(conflict: ConflictRow) -> tuple[str, ...]:
    """One conflict's row."""
    return (format_datetime(conflict.detected_at), conflict_kind_label(conflict.kind),
            conflict.what, conflict.patient or DASH, conflict.detail)


def journal_cells(line: JournalRow) -> tuple[str, ...]:
    """One journal line's row."""
    return (format_datetime(line.at), journal_event_label(line.event), line.peer or DASH,
            journal_detail(line.event, line.detail))


PEER_HEADERS: tuple[Callable[[], str], ...] = (
    lambda: _("Workstation"), lambda: _("State"), lambda: _("Last contact"),
    lambda: _("Last sync"), lambda: _("To receive"), lambda: _("To send"))
CONFLICT_HEADERS: tuple[Callable[[], str], ...] = (
    lambda: _("Detected"), lambda: _("What happened"), lambda: _("Kind of data"),
    lambda: _("Patient"), lambda: _("Values kept"))
JOURNAL_HEADERS: tuple[Callable[[], str], ...] = (
    lambda: _("When"), lambda: _("Event"), lambda: _("Workstation"), lambda: _("Detail"))


class SyncPanel(QDialog):
    """The sync panel (modeless: the desk goes on behind it)."""

    def __init__(self, executor: RunsOperations, clinical: bool, runner: SyncRunner | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncPanel")
        self.setWindowTitle(_("Sync between workstations"))
        self._executor = executor
        self._clinical = clinical
        self.runner = runner
        self.view: SyncView | None = None
        self._reading = False
        self._again = False
        layout = QVBoxLayout(self)
        self._build_top(layout)
        layout.addWidget(self._build_lists(), 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        self.reload_button = buttons.addButton(_("Refresh"),
                                               QDialogButtonBox.ButtonRole.ActionRole)
        self.reload_button.clicked.connect(self.reload)
        buttons.rejected.connect(self.close)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.reload)
        layout.addWidget(buttons)
        self.resize(1000, 680)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.reload)
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(SOON_MS)
        self._soon.timeout.connect(self.reload)
        if runner is not None:
            runner.said.connect(self._on_said)
            runner.state_changed.connect(self._soon.start)
        self._show_titles(None)

    def _build_top(self, layout: QVBoxLayout) -> None:
        """Who this workstation is, then the counts and alarms (never scrolled away)."""
        self.heading = QLabel()
        self.heading.setObjectName("syncHeading")
        self.heading.setWordWrap(True)
        self.counts = QLabel()
        self.counts.setObjectName("syncCounts")
        self.counts.setWordWrap(True)
        font = self.counts.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.counts.setFont(font)
        self.alarms = QLabel()
        self.alarms.setObjectName("syncAlarms")
        self.alarms.setWordWrap(True)
        self.alarms.setStyleSheet("color: #b00020; font-weight: bold;")
        self.alarms.hide()
        for label in (self.heading, self.counts, self.alarms):
            layout.addWidget(label)

    def _build_lists(self) -> QSplitter:
        """The workstations, the conflicts and the journal, one above the other."""
        self.peers = TextTable(PEER_HEADERS, self)
        self.conflicts = TextTable(CONFLICT_HEADERS, self)
        self.journal = TextTable(JOURNAL_HEADERS, self)
        self.peer_table = self._table(self.peers, "syncPeers", last_stretch=False)
        self.conflict_table = self._table(self.conflicts, "syncConflicts")
        self.journal_table = self._table(self.journal, "syncJournal")
        self.peer_box = self._box(self.peer_table)
        self.conflict_box = self._box(self.conflict_table)
        self.resolve_button = QPushButton(_("Settle…"), self.conflict_box)
        self.resolve_button.setObjectName("syncResolveButton")
        self.resolve_button.setToolTip(_("Choose the right value of each field of a patient's "
                                         "data that two workstations changed at once"))
        self.resolve_button.setEnabled(False)
        self.resolve_button.clicked.connect(self.resolve_selected)
        box_layout = self.conflict_box.layout()
        assert isinstance(box_layout, QVBoxLayout)
        box_layout.addWidget(self.resolve_button, 0, Qt.AlignmentFlag.AlignRight)
        self.conflict_table.selectionModel().selectionChanged.connect(self._on_conflict_picked)
        self.conflict_table.doubleClicked.connect(lambda _index: self.resolve_selected())
        self.journal_box = self._box(self.journal_table)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("syncSplitter")
        splitter.setChildrenCollapsible(False)
        for box in (self.peer_box, self.conflict_box, self.journal_box):
            splitter.addWidget(box)
        for index, stretch in enumerate((2, 3, 3)):
            splitter.setStretchFactor(index, stretch)
        return splitter

    @staticmethod
    def _table(model: TextTable, name: str, last_stretch: bool = True) -> QTableView:
        table = row_table(model, name)
        table.setWordWrap(True)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(last_stretch)
        return table

    @staticmethod
    def _box(table: QTableView) -> QGroupBox:
        box = QGroupBox()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(table)
        return box

    # -- reading --------------------------------------------------------------------------
    def reload(self) -> None:
        """Read everything again (one read at a time)."""
        if self._reading:
            self._again = True
            return
        self._reading = True
        online = self.runner.online() if self.runner is not None else ()
        self._executor.run(
            ReadSyncView(live_rows(online), full=True, clinical=self._clinical),
            self._on_view, self._on_error)

    def _on_error(self, exc: BaseException) -> None:
        self._reading = False
        self._executor.report_error(exc)

    def _on_said(self, _line: str) -> None:
        if self.isVisible():
            self._soon.start()

    def _on_view(self, view: SyncView) -> None:
        self._reading = False
        self.show_view(view)
        if self._again:
            self._again = False
            self.reload()

    def show_view(self, view: SyncView) -> None:
        """Fill the panel from ``view``."""
        self.view = view
        if not view.paired:
            self.heading.setText(_("This workstation is not paired: its record is not shared "
                                   "with other workstations."))
        else:
            role = _("full") if view.role == "full" else _("front desk")
            self.heading.setText(_("Workstation {name} ({role}) of {center}").format(
                name=view.workstation, role=role, center=view.center_name))
        known = [p for p in view.peers if not p.revoked]
        self.counts.setText(_("Online: {online} of {known} workstations · Conflicts to "
                              "reconcile: {conflicts} · Kept, not applied yet: {kept}").format(
            online=view.online, known=len(known), conflicts=view.conflicts, kept=view.kept))
        self._show_alarms(view)
        self.peers.set_rows([peer_cells(p) for p in view.peers],
                            [p.address for p in view.peers])
        self.conflicts.set_rows([conflict_cells(c) for c in view.conflict_rows])
        self._on_conflict_picked()
        self.journal.set_rows([journal_cells(line) for line in view.journal])
        self.conflict_table.resizeRowsToContents()
        self._show_titles(view)

    # -- settling ---------------------------------------------------------------------------
    def selected_conflict(self) -> ConflictRow | None:
        """The conflict of the row selected, when one is."""
        rows = self.conflict_table.selectionModel().selectedRows()
        if not rows or self.view is None or rows[0].row() >= len(self.view.conflict_rows):
            return None
        return self.view.conflict_rows[rows[0].row()]

    def _on_conflict_picked(self, *_args: Any) -> None:
        conflict = self.selected_conflict()
        self.resolve_button.setEnabled(conflict is not None and bool(conflict.choices))

    def resolve_selected(self) -> None:
        """Open the choice for the selected conflict; save it when confirmed."""
        conflict = self.selected_conflict()
        if conflict is None or not conflict.choices:
            return
        dialog = ResolveDialog(conflict, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._executor.run(dialog.operation(), lambda _settled: self.reload(),
                               self._executor.report_error)

    def _show_alarms(self, view: SyncView) -> None:
        alarms = []
        if view.forks:
            alarms.append(_("{n} origins stopped after a fork: see the journal").format(
                n=view.forks))
        if view.clock_ahead:
            alarms.append(_("{n} workstations with a clock far ahead: check their date and "
                            "time").format(n=view.clock_ahead))
        if view.audit_alarms:
            alarms.append(_("Audit trail cut short on {n} chains: see the journal").format(
                n=view.audit_alarms))
        if self.runner is not None and self.runner.state == "failed":
            alarms.insert(0, _("Sync stopped: {reason}").format(reason=self.runner.error))
        self.alarms.setText("\n".join(alarms))
        self.alarms.setVisible(bool(alarms))

    def _show_titles(self, view: SyncView | None) -> None:
        peers = len(view.peers) if view else 0
        conflicts = view.conflicts if view else 0
        shown = len(view.conflict_rows) if view else 0
        self.peer_box.setTitle(_("Workstations ({n})").format(n=peers))
        if shown < conflicts:
            self.conflict_box.setTitle(_("Conflicts to reconcile ({n}, the newest {shown} "
                                         "listed)").format(n=conflicts, shown=shown))
        else:
            self.conflict_box.setTitle(_("Conflicts to reconcile ({n})").format(n=conflicts))
        self.journal_box.setTitle(_("Sync journal, newest first"))

    # -- showing --------------------------------------------------------------------------
    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        """Read again every few seconds while open."""
        self.timer.start()
        super().showEvent(event)

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        """No reads while closed."""
        self.timer.stop()
        self._soon.stop()
        super().hideEvent(event)
