"""The results inbox opens from the main window with F9, for clinicians holding the key."""

from __future__ import annotations

from app.ui.inbox_dialog import InboxDialog
from app.ui.main_window import MainWindow
from app.ui.qt import QApplication, Qt


def _login(qtbot, shell, center, username):
    login = shell.show_login(center.root)
    qtbot.keyClicks(login.username, username)
    qtbot.keyClicks(login.password, center.password)
    qtbot.keyClick(login.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(shell.window, MainWindow))
    return shell.window


def test_f9_opens_the_inbox_for_a_gp_only(qtbot, shell, center, errors):
    window = _login(qtbot, shell, center, "medico")
    menus = [action.text() for action in window.menuBar().actions()]
    assert "Dispositivi" in menus
    window.menus.inbox.trigger()
    qtbot.waitUntil(lambda: any(isinstance(w, InboxDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()))
    assert window.inbox_dialog is not None and window.inbox_dialog.isVisible()
    window.inbox_dialog.close()
    assert errors.errors == []


def test_the_front_desk_has_no_devices_menu(qtbot, shell, center, errors):
    window = _login(qtbot, shell, center, "segreteria")
    assert "Dispositivi" not in [action.text() for action in window.menuBar().actions()]
