"""Sessions: lock and unlock, the inactivity lock, switch user, log out (the key dropped)."""

from __future__ import annotations

import gc
import weakref

import pytest

from app.core.i18n import _
from app.records.services import Records
from app.ui.login import LoginWindow
from app.ui.main_window import MainWindow
from app.ui.qt import QApplication, QLabel, Qt, QTextBrowser


class FakeClock:
    """Stands in for time.monotonic: tests move it instead of waiting minutes."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += minutes * 60


@pytest.fixture
def clock(shell) -> FakeClock:
    """The shell's main windows measure inactivity with this clock."""
    fake = FakeClock()
    shell.clock = fake
    return fake


def _log_in(qtbot, shell, center, username: str, password: str | None = None) -> MainWindow:
    login = shell.show_login(center.root) if not isinstance(shell.window, LoginWindow) \
        else shell.window
    login.username.clear()
    qtbot.keyClicks(login.username, username)
    qtbot.keyClicks(login.password, password or center.password)
    qtbot.keyClick(login.password, Qt.Key.Key_Return)
    window = shell.window
    assert isinstance(window, MainWindow)
    with qtbot.waitActive(window):
        window.activateWindow()
    return window


def _open(qtbot, window: MainWindow, text: str) -> None:
    window.find_patient()
    window.finder.search.setText(text)
    window.finder.refresh()
    qtbot.keyClick(window.finder.search, Qt.Key.Key_Return)
    assert window.context is not None


def _visible_text(window: MainWindow) -> str:
    shown = [w for w in window.findChildren(QLabel) if w.isVisible()]
    browsers = [w for w in window.findChildren(QTextBrowser) if w.isVisible()]
    return " ".join([w.text() for w in shown] + [b.toPlainText() for b in browsers])


def _unlock(qtbot, window: MainWindow, password: str) -> None:
    qtbot.keyClicks(window.lock_screen.password, password)
    qtbot.keyClick(window.lock_screen.password, Qt.Key.Key_Return)


def test_ctrl_l_locks_and_the_right_password_resumes(qtbot, shell, center, clock, errors,
                                                     caplog):
    window = _log_in(qtbot, shell, center, "medico")
    _open(qtbot, window, "rossi mario")
    assert window.current_page == "patient"
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)

    assert window.locked and window.lock_screen.isVisible()
    assert not window.header.isVisible() and not window.menuBar().isVisible()
    assert not window.statusBar().isVisible() and not window.menus.toolbar.isVisible()
    shown = _visible_text(window)
    assert "Dott.ssa Laura Neri" in shown  # only the user's name...
    assert "ROSSI" not in shown and "Penicillina" not in shown  # ...no patient
    assert not any(action.isEnabled() for action in window.menus.actions)
    qtbot.keyClick(window, Qt.Key.Key_F2)  # shortcuts are dead while locked
    assert window.current_page == "patient" and window.locked

    _unlock(qtbot, window, "sbagliata")
    assert window.locked
    assert window.lock_screen.message.isVisible()
    # The user is known on a lock screen: the message speaks of the password alone.
    assert window.lock_screen.message.text() == _("Wrong password: try again, or switch user.")
    assert window.lock_screen.password.text() == ""

    _unlock(qtbot, window, center.password)
    assert not window.locked and window.header.isVisible() and window.menuBar().isVisible()
    assert window.current_page == "patient"  # exactly where the user was
    assert window.header.name.text() == "ROSSI Mario"
    assert shell.window is window and shell.session is not None
    assert "CheckPassword" in shell.executor.history
    assert errors.errors == []


def test_inactivity_locks_after_the_center_minutes(qtbot, shell, center, clock):
    window = _log_in(qtbot, shell, center, "segreteria")
    assert window.lock_minutes == 10  # the default
    clock.advance(9)
    window.idle_watch.check()  # what its timer does every few seconds
    assert not window.locked
    qtbot.keyClick(window.finder.search, Qt.Key.Key_A)  # any input starts the count again
    clock.advance(9)
    window.idle_watch.check()
    assert not window.locked
    clock.advance(1)
    window.idle_watch.check()
    assert window.locked
    assert not window.idle_watch.timer.isActive()  # no second lock while locked
    _unlock(qtbot, window, center.password)
    assert not window.locked and window.idle_watch.timer.isActive()


def test_the_admin_sets_the_minutes_and_the_next_session_uses_them(qtbot, shell, center,
                                                                   clock, errors):
    admin = _log_in(qtbot, shell, center, "admin")
    admin.menus.settings.trigger()
    dialog = admin.dialog
    assert dialog is not None and dialog.isVisible() and dialog.parent() is admin
    dialog.minutes.setValue(3)
    dialog.save()
    assert not dialog.isVisible()
    assert admin.lock_minutes == 3  # the admin's own session heard the change
    admin.menus.logout.trigger()
    try:
        window = _log_in(qtbot, shell, center, "segreteria")
        assert window.lock_minutes == 3
        clock.advance(3)
        window.idle_watch.check()
        assert window.locked
    finally:
        records = Records.open(center.root, "admin", center.password)
        try:
            records.settings.set_lock_minutes(10)  # the shared center, as it was
        finally:
            records.close()
    assert errors.errors == []


def test_dialogs_are_hidden_while_locked(qtbot, shell, center, clock):
    window = _log_in(qtbot, shell, center, "segreteria")
    _open(qtbot, window, "bianchi")
    qtbot.keyClick(window, Qt.Key.Key_F6)
    editor = window.dialog
    assert editor is not None and editor.isVisible() and editor.parent() is window
    window.lock()
    assert not editor.isVisible()
    _unlock(qtbot, window, center.password)
    assert editor.isVisible()


def test_switch_user_from_the_lock_screen_starts_a_new_session(qtbot, shell, center, clock,
                                                                errors):
    window = _log_in(qtbot, shell, center, "medico")
    _open(qtbot, window, "rossi mario")
    window.lock()
    qtbot.mouseClick(window.lock_screen.switch_button, Qt.MouseButton.LeftButton)

    login = shell.window
    assert isinstance(login, LoginWindow) and not window.isVisible()
    assert login.username.text() == ""  # ready for another user
    assert "Dott.ssa Laura Neri" in login.note.text()
    assert shell.executor.backend.records is None  # the first session is over
    second = _log_in(qtbot, shell, center, "segreteria")
    assert second is not window and second.session.username == "segreteria"
    assert second.context is None and second.current_page == "agenda"  # a new state
    assert errors.errors == []


def test_switch_user_from_the_menu(qtbot, shell, center, clock):
    window = _log_in(qtbot, shell, center, "segreteria")
    window.menus.switch_user.trigger()
    login = shell.window
    assert isinstance(login, LoginWindow) and login.username.text() == ""
    assert QApplication.focusWidget() in (login.username, None)
    assert _log_in(qtbot, shell, center, "medico").session.username == "medico"


def test_log_out_closes_the_record_and_drops_the_key(qtbot, shell, center, clock, errors):
    window = _log_in(qtbot, shell, center, "medico")
    _open(qtbot, window, "rossi mario")
    records = shell.executor.backend.records
    assert records is not None
    held = weakref.ref(records)
    database = weakref.ref(records.db)
    del records

    window.menus.logout.trigger()
    login = shell.window
    assert isinstance(login, LoginWindow)
    assert login.username.text() == "medico" and login.password.text() == ""
    assert shell.executor.backend.records is None
    assert shell.session is None
    window.deleteLater()
    QApplication.processEvents()
    gc.collect()
    # Nothing in the program still holds the record, its key or its connections.
    assert held() is None and database() is None
    assert errors.errors == []


def test_closing_the_main_window_logs_out(qtbot, shell, center, clock):
    window = _log_in(qtbot, shell, center, "segreteria")
    window.close()
    assert shell.executor.backend.records is None and shell.session is None
