"""Hardening item 10 in the window: a GP sees at login what an admin did to clinical
accounts, and grants the clinical key to a colleague waiting for it (ADR 0011)."""

from __future__ import annotations

from app.records.services import Records
from app.records.storage.keys import KeyFile
from app.ui.notices import AccountNoticesDialog
from app.ui.qt import QApplication, QLabel, Qt
from tests.ui.conftest import build_center


def _login(qtbot, shell, root, username, password):
    login = shell.show_login(root)
    qtbot.keyClicks(login.username, username)
    qtbot.keyClicks(login.password, password)
    qtbot.keyClick(login.password, Qt.Key.Key_Return)


def _dialogs() -> list[AccountNoticesDialog]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, AccountNoticesDialog) and w.isVisible()]


def test_a_gp_sees_the_new_account_and_grants_it(qtbot, shell, tmp_path, errors):
    center = build_center(tmp_path / "centro")
    admin = Records.open(center.root, "admin", center.password)
    try:
        admin.users.add("medico3", "Dott. Marco Riva", "gp", center.password)
    finally:
        admin.close()

    _login(qtbot, shell, center.root, "medico", center.password)
    qtbot.waitUntil(lambda: len(_dialogs()) == 1)
    dialog = _dialogs()[0]
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "admin ha creato l'account clinico medico3" in texts
    assert list(dialog.checks) == ["medico3"]
    assert not dialog.checks["medico3"].isChecked()  # never granted by default
    dialog.checks["medico3"].setChecked(True)
    with qtbot.waitSignal(dialog.granted, timeout=10_000) as granted:
        dialog.grant_button.click()
    assert granted.args == [("medico3",)]
    keys = KeyFile.load(center.root / "keys.json")
    assert keys.has_clinical("medico3")
    assert errors.errors == []


def test_a_clinician_without_the_key_is_told_so(qtbot, shell, tmp_path, errors):
    center = build_center(tmp_path / "centro")
    admin = Records.open(center.root, "admin", center.password)
    try:
        admin.users.add("infermiere2", "Inf. Ada Sala", "nurse", center.password)
    finally:
        admin.close()
    _login(qtbot, shell, center.root, "infermiere2", center.password)
    qtbot.waitUntil(lambda: len(_dialogs()) == 1)
    dialog = _dialogs()[0]
    pending = dialog.findChild(QLabel, "accessPending")
    assert pending is not None and "non è ancora stato abilitato" in pending.text()
    assert dialog.checks == {}
    assert errors.errors == []
