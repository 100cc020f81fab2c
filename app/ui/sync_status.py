"""The sync light in the main window's status bar, and the window's Sync menu.

The light says in plain words whether this workstation shares the record right now:
green with the peers online, amber when something waits for a person (conflicts to
reconcile, entries kept, a stopped origin), red when no other workstation is reachable
or sync stopped, grey when the workstation is not paired. It is re-read every few
seconds and whenever the node says something (its lines arrive as queued signals);
a click, or Ctrl+Shift+S, opens the sync panel.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.core.i18n import _
from app.records.permissions import Permission
from app.ui.navigation import may, sees_clinical
from app.ui.operations import SessionInfo
from app.ui.ops import RunsOperations
from app.ui.qt import (
    QAction,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QMenu,
    QMouseEvent,
    QObject,
    Qt,
    QTimer,
    QWidget,
    Signal,
)
from app.ui.sync_runner import PrepareSync, SyncRunner
from app.ui.sync_view import Live, ReadSyncView, SyncView, live_rows

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow
    from app.ui.sync_panel import SyncPanel

log = logging.getLogger(__name__)

REFRESH_MS = 5000  # the light is re-read this often while the workstation is paired
SOON_MS = 300  # after a line of the node: one read for a burst of lines
GRACE_SECONDS = 8.0  # just started: "looking for" rather than "offline"
PANEL_SHORTCUT = "Ctrl+Shift+S"
COLOURS = {"green": "#2e7d32", "amber": "#e69500", "red": "#c62828", "grey": "#9e9e9e"}


@dataclass(frozen=True)
class Light:
    """What the light shows: a colour, a line and a longer explanation."""

    colour: str  # green, amber, red, grey
    text: str
    tooltip: str = ""


def _waiting(view: SyncView) -> list[str]:
    """What waits for a person, in short words."""
    parts = []
    if view.conflicts == 1:
        parts.append(_("1 conflict to reconcile"))
    elif view.conflicts:
        parts.append(_("{n} conflicts to reconcile").format(n=view.conflicts))
    if view.kept:
        parts.append(_("{n} kept, not applied yet").format(n=view.kept))
    if view.forks:
        parts.append(_("an origin stopped"))
    if view.clock_ahead:
        parts.append(_("a clock far ahead"))
    if view.audit_alarms:
        parts.append(_("audit trail cut short"))
    return parts


def light_for(view: SyncView | None, runner: SyncRunner | None,
              now: float | None = None) -> Light:
    """The light for what the record says (``view``) and what the node does (``runner``)."""
    if view is None:
        return Light("grey", "")
    if not view.paired:
        return Light("grey", _("Not paired"),
                     _("This workstation is not paired with the center's other workstations: "
                       "its record is not shared."))
    waiting = _waiting(view)
    extra = "".join(f" · {part}" for part in waiting)
    state = runner.state if runner is not None else "idle"
    if state == "failed":
        assert runner is not None
        return Light("red", _("Sync stopped: {reason}").format(reason=runner.error) + extra,
                     _("Sync stopped on this workstation; changes are kept and sent once it "
                       "runs again (log out and in, or restart Medirete)."))
    if state in ("idle", "stopped"):
        return Light("grey", _("Sync not running") + extra)
    if view.online == 0:
        started = runner.started_at if runner is not None else None
        moment = time.monotonic() if now is None else now
        if state == "starting" or (started is not None and moment - started < GRACE_SECONDS):
            return Light("grey", _("Looking for the other workstations...") + extra)
        return Light("red", _("Offline: no other workstation reachable") + extra,
                     _("Changes made here are kept and shared as soon as another workstation "
                       "of the center is reachable."))
    if view.online == 1:
        text = _("Synced: 1 workstation online")
    else:
        text = _("Synced: {n} workstations online").format(n=view.online)
    return Light("amber" if waiting else "green", text + extra,
                 _("Open the sync panel to see what waits.") if waiting else "")


class SyncLight(QWidget):
    """A coloured dot and a line of words; a click asks for the panel."""

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncLight")
        self.dot = QLabel()
        self.dot.setObjectName("syncLightDot")
        self.dot.setFixedSize(12, 12)
        self.label = QLabel()
        self.label.setObjectName("syncLightText")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 0, 8, 0)
        layout.setSpacing(6)
        layout.addWidget(self.dot)
        layout.addWidget(self.label)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.light = Light("grey", "")
        self.show_light(self.light)

    def show_light(self, light: Light) -> None:
        """Show ``light`` (hidden while there is nothing to say yet)."""
        self.light = light
        colour = COLOURS.get(light.colour, COLOURS["grey"])
        self.dot.setStyleSheet(f"background-color: {colour}; border-radius: 6px;")
        self.label.setText(light.text)
        self.label.setStyleSheet("color: #b00020; font-weight: bold;"
                                 if light.colour == "red" else "")
        tip = light.tooltip
        shortcut = QKeySequence(PANEL_SHORTCUT).toString(QKeySequence.SequenceFormat.NativeText)
        more = _("Click or press {keys} for the sync panel.").format(keys=shortcut)
        self.setToolTip(f"{tip}\n{more}" if tip else more)
        self.setAccessibleName(light.text)
        self.setVisible(bool(light.text))

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        """A left click opens the panel."""
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mousePressEvent(event)


class WindowSync(QObject):
    """The main window's light, its Sync menu and panel, fed by the session's runner."""

    def __init__(self, window: MainWindow, executor: RunsOperations, session: SessionInfo,
                 runner: SyncRunner | None) -> None:
        super().__init__(window)
        self._window = window
        self._executor = executor
        self.session = session
        self.runner = runner
        self.view: SyncView | None = None
        self.panel: SyncPanel | None = None
        self._alive = True
        self._reading = False
        self._again = False
        self.light = SyncLight()
        self.light.clicked.connect(self.open_panel)
        window.statusBar().insertPermanentWidget(0, self.light)
        self.actions = self._menu(window)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(SOON_MS)
        self._soon.timeout.connect(self.refresh)
        if runner is not None:
            runner.state_changed.connect(self._soon.start)
            runner.said.connect(self._on_said)
        self.refresh()

    def _menu(self, window: MainWindow) -> list[QAction]:
        """Sync > Sync status... (everyone), Invite a workstation... (the admin)."""
        bar = window.menuBar()
        menu = QMenu(_("Sync"), window)
        menu.setObjectName("syncMenu")
        existing = bar.actions()
        if existing:  # before Help, the last menu by convention
            bar.insertMenu(existing[-1], menu)
        else:
            bar.addMenu(menu)
        actions = [self._action("sync.panel", _("Sync status..."), self.open_panel,
                                PANEL_SHORTCUT)]
        if may(self.session, Permission.MANAGE_USERS):
            actions.append(self._action("sync.invite", _("Invite a workstation..."),
                                        self.invite))
        for action in actions:
            menu.addAction(action)
            window.addAction(action)  # the shortcut works whatever has the focus
            window.menus.actions.append(action)  # disabled with the rest while locked
        return actions

    def _action(self, name: str, text: str, slot: Callable[[], object],
                shortcut: str = "") -> QAction:
        action = QAction(text, self._window)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        return action

    # -- reading --------------------------------------------------------------------------
    def _online(self) -> tuple[Live, ...]:
        if self.runner is None:
            return ()
        return live_rows(self.runner.online())

    def refresh(self) -> None:
        """Read the facts again (one read at a time; a request meanwhile reads once more)."""
        if not self._alive:
            return
        if self._reading:
            self._again = True
            return
        self._reading = True
        self._executor.run(ReadSyncView(self._online()), self._on_view, self._on_error)

    def _on_view(self, view: SyncView) -> None:
        self._reading = False
        if not self._alive:
            return
        self.view = view
        self.light.show_light(light_for(view, self.runner))
        if view.paired and not self.timer.isActive():
            self.timer.start()
        runner = self.runner
        if view.paired and runner is not None and runner.state == "idle":
            # Paired since the login (an invitation made here, the demo's pairing).
            self._executor.run(PrepareSync(), runner.start)
        if self._again:
            self._again = False
            self.refresh()

    def _on_error(self, exc: BaseException) -> None:
        self._reading = False
        # The light is not worth an error dialog every five seconds: logged once a kind.
        log.warning("sync light not read: %s", type(exc).__name__)

    def _on_said(self, _line: str) -> None:
        self._soon.start()

    # -- commands -------------------------------------------------------------------------
    def open_panel(self) -> None:
        """Ctrl+Shift+S: the sync panel (brought forward when already open)."""
        if not self._alive:
            return
        from app.ui.sync_panel import SyncPanel

        if self.panel is None:
            self.panel = SyncPanel(self._executor, sees_clinical(self.session), self.runner,
                                   self._window)
        self.panel.show()
        self.panel.raise_()
        self.panel.activateWindow()
        self.panel.reload()

    def invite(self) -> None:
        """The admin invites a new workstation (the pairing dialog)."""
        from app.ui.pairing_dialogs import InviteDialog

        dialog = InviteDialog(self._executor, self._window)
        dialog.finished.connect(lambda _result: self.refresh())
        dialog.open()

    def close(self) -> None:
        """The window closes: no more reads, the panel goes with it."""
        self._alive = False
        self.timer.stop()
        self._soon.stop()
        if self.runner is not None:
            for signal, slot in ((self.runner.state_changed, self._soon.start),
                                 (self.runner.said, self._on_said)):
                try:
                    signal.disconnect(slot)
                except (RuntimeError, TypeError):  # never connected, or already gone
                    pass
        if self.panel is not None:
            self.panel.close()
