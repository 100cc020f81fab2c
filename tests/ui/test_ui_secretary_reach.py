"""The secretary and the admin find no clinical tab and no way to one; a GP does.

Every command of the main window is enumerated (menus, toolbar, the window's own
actions, QShortcut objects, the context menus of every page reachable) and triggered
with a patient open; after each, nothing clinical may be on screen for the front desk,
and the audit trail must show no chart read and no refusal.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.records.model import AuditEvent
from app.records.services import Records
from app.ui.chart.page import ChartPage
from app.ui.inbox_dialog import InboxDialog
from app.ui.main_window import MainWindow
from app.ui.patient_panels import PatientPanel
from app.ui.qt import (
    QAction,
    QApplication,
    QContextMenuEvent,
    QDialog,
    QFileDialog,
    QInputDialog,
    QMenu,
    QPoint,
    QShortcut,
    Qt,
    QWidget,
)

# Commands that end or rebuild the session: enumerated too, but checked by their name
# rather than triggered here (test_ui_sessions and test_ui_shell trigger them).
SESSION_COMMANDS = ("session.", "language.", "app.quit")
CLINICAL_OPERATIONS = {"OpenChartSummary", "ListInbox", "AcceptResults", "RejectResults",
                       "RawMessage", "RematchMessage"}


def _log_in(qtbot, shell, center, username: str) -> MainWindow:
    login = shell.show_login(center.root)
    qtbot.keyClicks(login.username, username)
    qtbot.keyClicks(login.password, center.password)
    qtbot.keyClick(login.password, Qt.Key.Key_Return)
    window = shell.window
    assert isinstance(window, MainWindow)
    with qtbot.waitActive(window):
        window.activateWindow()
    return window


@pytest.fixture
def popups(monkeypatch):
    """Context menus are recorded, never left open (a blocking exec would hang the test)."""
    seen: list[QMenu] = []

    def record(menu: QMenu, *_args: object) -> None:
        seen.append(menu)

    monkeypatch.setattr(QMenu, "exec", record)
    monkeypatch.setattr(QMenu, "popup", record)
    # Modal dialogs (a file to import, a reason to give) are refused at once, as Esc would.
    monkeypatch.setattr(QDialog, "exec", lambda _self, *_args: 0)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *_args, **_kw: ([], ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_args, **_kw: ("", ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args, **_kw: ("", ""))
    monkeypatch.setattr(QInputDialog, "getText", lambda *_args, **_kw: ("", False))
    return seen


def context_menu_actions(window: MainWindow, popups: list[QMenu]) -> list[QAction]:
    """The actions of every context menu of every page the user can reach."""
    found: list[QAction] = []
    for key in window.nav.keys():
        window.show_page(key)
        for widget in window.findChildren(QWidget):
            if not widget.isVisible():
                continue
            policy = widget.contextMenuPolicy()
            if policy == Qt.ContextMenuPolicy.ActionsContextMenu:
                found += widget.actions()
            elif policy == Qt.ContextMenuPolicy.CustomContextMenu:
                widget.customContextMenuRequested.emit(QPoint(4, 4))
            elif policy == Qt.ContextMenuPolicy.DefaultContextMenu:
                if hasattr(widget, "createStandardContextMenu"):  # text, scroll bars
                    found += _standard_menu(widget).actions()
                elif _own_context_menu(widget):  # our code builds it (exec/popup recorded)
                    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(4, 4),
                                              widget.mapToGlobal(QPoint(4, 4)))
                    QApplication.sendEvent(widget, event)
        found += window.createPopupMenu().actions()  # the main window's own (toolbars)
        for menu in popups:
            found += menu.actions()
        popups.clear()
    return found


def _standard_menu(widget: QWidget) -> QMenu:
    """Qt's own context menu of a widget (a scroll bar's takes the click position)."""
    try:
        return widget.createStandardContextMenu()
    except TypeError:
        return widget.createStandardContextMenu(QPoint(4, 4))


def _own_context_menu(widget: QWidget) -> bool:
    """True when a class of ours (not Qt's) overrides contextMenuEvent."""
    return any("contextMenuEvent" in vars(cls) and not cls.__module__.startswith("PySide6")
               for cls in type(widget).__mro__)


def every_command(window: MainWindow, popups: list[QMenu]) -> list[QAction]:
    """Menus (and their submenus), toolbar, window actions and context menus."""
    actions: list[QAction] = list(window.findChildren(QAction)) + window.actions()
    for menu in window.findChildren(QMenu):
        actions += menu.actions()
    actions += window.menus.toolbar.actions()
    actions += context_menu_actions(window, popups)
    unique = list(dict.fromkeys(actions))
    return [a for a in unique if not a.isSeparator() and a.menu() is None]


def clinical_on_screen(window: MainWindow) -> list[str]:
    """What clinical content is showing, by name (empty: none)."""
    shown = [w.objectName() for w in window.findChildren(ChartPage) if w.isVisible()]
    shown += [w.objectName() for w in window.findChildren(PatientPanel)
              if w.isVisible() and w.kind == "chart"]
    shown += ["inbox" for w in QApplication.topLevelWidgets()
              if isinstance(w, InboxDialog) and w.isVisible()]
    return shown


def _audit(center, username: str, after: int = 0) -> list[str]:
    """The audit actions of ``username`` after event ``after`` (the center is shared)."""
    records = Records.open(center.root, "admin", center.password)
    try:
        with records.db.read_engine.connect() as conn:
            rows = conn.execute(select(AuditEvent.action)
                                .where(AuditEvent.username == username, AuditEvent.seq > after)
                                ).scalars().all()
    finally:
        records.close()
    return list(rows)


def _last_event(center) -> int:
    records = Records.open(center.root, "admin", center.password)
    try:
        with records.db.read_engine.connect() as conn:
            return int(conn.execute(select(func.max(AuditEvent.seq))).scalar_one() or 0)
    finally:
        records.close()


def _trigger_everything(qtbot, window: MainWindow, popups) -> tuple[list[str], list[str]]:
    """Trigger each command with a patient open; return what each showed that is clinical."""
    window.open_patient(_any_patient(window))
    assert window.context is not None
    reached: list[str] = []
    names: list[str] = []
    for action in every_command(window, popups):
        name = action.objectName() or action.text()
        names.append(name)
        if name.startswith(SESSION_COMMANDS):
            continue
        if window.context is None:
            window.open_patient(_any_patient(window))
        action.trigger()
        reached += [f"{name}: {what}" for what in clinical_on_screen(window)]
        _close_dialogs(window)
    for shortcut in window.findChildren(QShortcut):
        shortcut.activated.emit()
        reached += [f"shortcut {shortcut.key().toString()}: {what}"
                    for what in clinical_on_screen(window)]
        _close_dialogs(window)
    return reached, names


def _any_patient(window: MainWindow) -> str:
    window.finder.search.setText("rossi mario")
    window.finder.refresh()
    return window.finder.model.patient(0).id


def _close_dialogs(window: MainWindow) -> None:
    for widget in QApplication.topLevelWidgets():
        if widget is not window and widget.isVisible() and widget.window() is not window:
            widget.close()


@pytest.mark.parametrize("username", ["segreteria", "admin"])
def test_the_front_desk_and_the_admin_reach_nothing_clinical(qtbot, shell, center, executor,
                                                             errors, popups, username):
    start = _last_event(center)
    window = _log_in(qtbot, shell, center, username)
    assert "chart" not in window.nav.keys()
    assert window.chart_page is None and window.patient_page.summary is None

    reached, names = _trigger_everything(qtbot, window, popups)

    assert reached == []
    assert len(names) >= 12  # the menus are there; they just lead nowhere clinical
    assert not [n for n in names if n.startswith("clinical.")]
    for key in (Qt.Key.Key_F8, Qt.Key.Key_F9):  # the clinicians' keys do nothing here
        qtbot.keyClick(window, key)
        assert clinical_on_screen(window) == []
    assert not CLINICAL_OPERATIONS & set(executor.history)
    assert errors.errors == []
    actions = _audit(center, username, after=start)
    assert "patient.read" in actions  # the demographics were read...
    assert "chart.read" not in actions  # ...the record never served a chart...
    assert "access.denied" not in actions  # ...nor refused one: the UI never asked


def test_a_gp_reaches_the_chart_and_the_inbox(qtbot, shell, center, executor, errors, popups):
    window = _log_in(qtbot, shell, center, "medico")
    assert "chart" in window.nav.keys()

    reached, names = _trigger_everything(qtbot, window, popups)

    assert any(r.startswith("clinical.chart: chartPage") for r in reached), reached
    assert any(r.startswith("clinical.inbox: inbox") for r in reached), reached
    assert {"clinical.chart", "clinical.inbox"} <= set(names)
    window.show_page("chart")
    assert window.current_page == "chart" and window.chart_page.isVisible()
    assert "chart.read" in _audit(center, "medico")
    assert errors.errors == []
