"""Pairing from the desktop: the admin's invitation (code and CA fingerprint on screen),
then a new workstation joins from the first-run page with the file and the code, sees
the same fingerprint and the center's name, and lands on the login of its new replica,
which runs its sync once logged in."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.records.services import Records
from app.sync.identity import find_identity
from app.ui.first_run import FirstRunPage
from app.ui.login import LoginWindow
from app.ui.main_window import MainWindow
from app.ui.pairing_dialogs import InviteDialog, JoinDialog
from app.ui.qt import QAction, Qt
from tests.ui.conftest import PASSWORD, build_center
from tests.ui.visible_text import problems_in


def _log_in(qtbot, shell, root: Path, username: str) -> MainWindow:
    login = shell.show_login(root)
    qtbot.keyClicks(login.username, username)
    qtbot.keyClicks(login.password, PASSWORD)
    qtbot.keyClick(login.password, Qt.Key.Key_Return)
    assert isinstance(shell.window, MainWindow)
    return shell.window


@pytest.fixture
def quiet_sync(monkeypatch):
    monkeypatch.setenv("MEDIRETE_SYNC_LISTEN", "127.0.0.1:0")
    monkeypatch.setenv("MEDIRETE_SYNC_DISCOVERY", "0")
    monkeypatch.delenv("MEDIRETE_SYNC_PEERS", raising=False)


def test_invite_then_join_from_the_first_run(qtbot, shell, tmp_path, errors, quiet_sync):
    center = build_center(tmp_path / "a")
    window = _log_in(qtbot, shell, center.root, "admin")
    assert window.sync.light.light.text == "Non associata"
    invite_action = window.findChild(QAction, "sync.invite")
    assert invite_action is not None
    invite_action.trigger()
    dialog = window.findChild(InviteDialog)
    assert dialog is not None and dialog.isVisible()
    assert problems_in([dialog]) == []
    out = tmp_path / "invito.medirete-invito"
    dialog.out.edit.setText(str(out))
    dialog.name.setText("studio-2")
    qtbot.keyClicks(dialog.password, "sbagliata")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.error.isVisibleTo(dialog) and dialog.pages.currentIndex() == 0
    assert not out.exists()
    dialog.password.setText(PASSWORD)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() == 1 and out.exists()
    code, fingerprint = dialog.code.text(), dialog.fingerprint.text()
    assert len(code.replace("-", "")) == 12 and len(fingerprint.split()) == 16
    assert "studio-2" in dialog.summary.text()
    assert problems_in([dialog]) == []
    assert not dialog.password.text()  # not kept once used
    dialog.accept()
    # This workstation became the center's first (its CA made here): paired, syncing.
    qtbot.waitUntil(lambda: shell.sync_runner is not None and shell.sync_runner.running,
                    timeout=10_000)
    qtbot.waitUntil(lambda: window.sync.light.light.text != "Non associata", timeout=10_000)

    page = shell.show_first_run()
    assert isinstance(page, FirstRunPage) and page.pair_button.isEnabled()
    qtbot.mouseClick(page.pair_button, Qt.MouseButton.LeftButton)
    join = page.findChild(JoinDialog)
    assert join is not None and join.isVisible()
    assert problems_in([join]) == []
    join.file.edit.setText(str(out))
    join.code.setText("AAAA-AAAA-AAAA")
    qtbot.mouseClick(join.open_button, Qt.MouseButton.LeftButton)
    assert join.open_error.isVisibleTo(join) and join.pages.currentIndex() == 0
    join.code.setText(code.lower())
    qtbot.mouseClick(join.open_button, Qt.MouseButton.LeftButton)
    assert join.pages.currentIndex() == 1
    assert join.center.text() == "Centro Medico Test"
    assert join.fingerprint.text() == fingerprint
    assert "studio-2" in join.becomes.text()
    assert problems_in([join]) == []
    join.folder.edit.setText(str(tmp_path / "b"))
    join.username.setText("medico")
    join.password.setText(PASSWORD)
    qtbot.mouseClick(join.join_button, Qt.MouseButton.LeftButton)
    assert errors.errors == []
    assert isinstance(shell.window, LoginWindow)  # the new replica's login
    replica = Records.open(tmp_path / "b", "medico", PASSWORD)
    try:
        with replica.db.read_engine.connect() as conn:
            me = find_identity(conn)
        assert me is not None and me.workstation == "studio-2"
    finally:
        replica.close()
