"""Logging in: wrong password keeps the user on the login, right one opens the list."""

from __future__ import annotations

from pathlib import Path

from app.core.errors import WrongPassword
from app.ui.login import LoginWindow
from app.ui.main import parse_args
from app.ui.main_window import MainWindow
from app.ui.qt import QApplication, QFrame, QLabel, Qt


def _type_login(qtbot, login: LoginWindow, username: str, password: str) -> None:
    qtbot.keyClicks(login.username, username)
    qtbot.keyClicks(login.password, password)
    qtbot.keyClick(login.password, Qt.Key.Key_Return)


def _main_windows() -> list[MainWindow]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, MainWindow) and w.isVisible()]


def test_wrong_password_shows_the_message_and_keeps_the_user(qtbot, shell, center, errors):
    login = shell.show_login(center.root)
    _type_login(qtbot, login, "medico", "sbagliata")

    assert login.message.isVisible()
    assert login.message.text() == WrongPassword().user_message()
    assert login.username.text() == "medico"
    assert login.password.text() == ""
    assert login.password.hasFocus() or not login.isActiveWindow()
    assert login.submit.isEnabled()
    assert shell.window is login
    assert not _main_windows()
    assert errors.errors == []


def test_right_password_opens_the_patient_list(qtbot, shell, center, errors):
    login = shell.show_login(center.root)
    _type_login(qtbot, login, "medico", center.password)

    window = shell.window
    assert isinstance(window, MainWindow)
    assert not login.isVisible()
    assert "Centro Medico Test" in window.windowTitle()
    assert "Dott.ssa Laura Neri" in window.windowTitle()
    assert "Medico" in window.windowTitle()
    model = window.finder.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[:2] == ["Cognome", "Nome"] and "Codice fiscale" in headers
    assert shell.settings.value("center/last") == str(center.root)
    assert errors.errors == []


def test_escape_closes_the_login(qtbot, shell, center):
    login = shell.show_login(center.root)
    qtbot.waitExposed(login)
    qtbot.keyClick(login.username, Qt.Key.Key_Escape)
    assert not login.isVisible()


def test_a_missing_last_center_goes_back_to_the_first_run(shell, tmp_path):
    shell.settings.setValue("center/last", str(tmp_path / "gone"))
    shell.start(None, None)
    page = shell.window
    assert page is not None and page.windowTitle() == "Medirete - Benvenuto"
    assert page.message.isVisible() and "gone" in page.message.text()
    assert page.pair_button.isEnabled()  # joining by pairing: tests/ui/test_ui_pairing.py
    assert shell.settings.value("center/last") is None


def test_the_demo_is_prepared_then_its_login_shows_the_users(shell, tmp_path, errors):
    shell.start(None, tmp_path / "demo")
    assert errors.errors == []
    login = shell.window
    assert isinstance(login, LoginWindow)
    hint = login.findChild(QFrame, "demoHint")
    assert hint is not None
    text = hint.findChild(QLabel).text()
    assert "medico, medico2, infermiere, segreteria, admin" in text
    assert "demo-medirete" in text
    assert shell.settings.value("center/last") is None  # the demo is never remembered


def test_command_line_options():
    args = parse_args(["--center", "/srv/centro", "--lang", "en"])
    assert args.center == Path("/srv/centro") and args.lang == "en" and not args.demo
    assert parse_args(["--demo"]).demo
