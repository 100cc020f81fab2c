"""The main window as a shell: menus and toolbar, pages by role, keys, status bar, layout
remembered, languages (ours and Qt's)."""

from __future__ import annotations

import logging
import os

import pytest

from app.core import i18n
from app.core.i18n import _
from app.ui.inbox_dialog import InboxDialog
from app.ui.language import LANGUAGE_KEY, QtTranslations, startup_language
from app.ui.login import LoginWindow
from app.ui.main_window import MainWindow
from app.ui.qt import QApplication, QKeySequence, QLineEdit, Qt


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


def _menu_titles(window: MainWindow) -> list[str]:
    return [action.text() for action in window.menuBar().actions()]


def _open(qtbot, window: MainWindow, text: str) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F2)
    window.finder.search.setText(text)
    window.finder.refresh()
    qtbot.keyClick(window.finder.search, Qt.Key.Key_Return)


def test_the_secretary_s_window(qtbot, shell, center, errors):
    window = _log_in(qtbot, shell, center, "segreteria")
    assert _menu_titles(window) == ["Archivio", "Paziente", "Agenda", "Visualizza",
                                    "Sincronizzazione", "Aiuto"]
    assert window.nav.keys() == ["agenda", "waiting", "patients", "patient"]
    labels = [window.nav.item(row).text() for row in range(window.nav.count())]
    assert labels == ["Agenda", "Sala d'attesa", "Pazienti", "Scheda paziente"]
    assert window.current_page == "agenda"
    assert window.status_user.text() == "Sara Conti"
    assert window.status_role.text() == "Segreteria"
    # The name the audit trail gives this computer (MEDIRETE_WORKSTATION in the tests).
    assert window.status_workstation.text() == f"Postazione: {os.environ['MEDIRETE_WORKSTATION']}"
    toolbar = [a.text() for a in window.menus.toolbar.actions() if not a.isSeparator()]
    assert "Cerca paziente" in toolbar and "Nuovo paziente..." in toolbar
    assert window.menus.settings is None  # the center's settings are the admin's
    assert errors.errors == []


def test_every_command_is_in_a_menu_with_its_shortcut(qtbot, shell, center):
    window = _log_in(qtbot, shell, center, "medico")
    in_menus = {a for menu in window.menuBar().actions() for a in _all(menu.menu())}
    for action in window.menus.actions:
        assert action in in_menus, action.objectName()
    keys = {a.objectName(): a.shortcut().toString() for a in window.menus.actions}
    assert keys["patient.find"] == "F2" and keys["nav.agenda"] == "F3"
    assert keys["nav.waiting"] == "F4" and keys["patient.new"] == "Ctrl+N"
    assert keys["patient.edit"] == "F6" and keys["nav.back"] == "Esc"
    assert keys["session.lock"] == "Ctrl+L" and keys["clinical.inbox"] == "F9"
    shortcuts = [k for k in keys.values() if k]
    assert len(shortcuts) == len(set(shortcuts))  # no key does two things


def _all(menu):
    for action in menu.actions():
        if action.menu() is not None:
            yield from _all(action.menu())
        yield action


def test_the_keyboard_goes_everywhere(qtbot, shell, center, errors, caplog):
    window = _log_in(qtbot, shell, center, "segreteria")
    with caplog.at_level(logging.INFO, logger="app.ui.main_window"):
        qtbot.keyClick(window, Qt.Key.Key_F4)
        assert window.current_page == "waiting"
        qtbot.keyClick(window, Qt.Key.Key_F3)
        assert window.current_page == "agenda"
        qtbot.keyClick(window, Qt.Key.Key_F2)
        assert window.current_page == "patients" and window.finder.search.hasFocus()
    assert [r.getMessage() for r in caplog.records if r.getMessage().startswith("page shown")] \
        == ["page shown: waiting", "page shown: agenda", "page shown: patients"]

    qtbot.keyClicks(window.finder.search, "bianchi")
    window.finder.refresh()
    qtbot.keyClick(window.finder.search, Qt.Key.Key_Return)
    assert window.current_page == "patient" and window.header.name.text() == "BIANCHI Giulia"

    qtbot.keyClick(window, Qt.Key.Key_Escape)  # back to the finder...
    assert window.current_page == "patients" and window.finder.search.text() == "bianchi"
    qtbot.keyClick(window.finder.search, Qt.Key.Key_Escape)  # ...Esc clears the search...
    assert window.current_page == "patients" and window.finder.search.text() == ""
    assert window.finder.recent_model.patient(0).surname == "Bianchi"  # recent patients
    qtbot.keyClick(window.finder.search, Qt.Key.Key_Escape)  # ...then goes back again
    assert window.current_page == "agenda"

    qtbot.keyClick(window, Qt.Key.Key_F7)
    assert window.current_page == "patient"
    qtbot.keyClick(window, Qt.Key.Key_F6)
    assert window.dialog is not None and window.dialog.isVisible()
    assert window.dialog.parent() is window
    window.dialog.close()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    opened = window.dialog is not None and window.dialog.isVisible()
    assert opened or window.statusBar().currentMessage() == _("Coming in a later version")
    if opened:
        window.dialog.close()
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert window.context is None and window.header.name.text() == "Nessun paziente aperto"
    qtbot.keyClick(window, Qt.Key.Key_F9)  # a clinician's key: nothing for the desk
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, InboxDialog)
                and w.isVisible()]
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked
    assert errors.errors == []


def test_f9_and_f8_for_a_gp(qtbot, shell, center, errors):
    window = _log_in(qtbot, shell, center, "medico")
    _open(qtbot, window, "rossi mario")
    qtbot.keyClick(window, Qt.Key.Key_F8)
    assert window.current_page == "chart"
    assert window.chart_page.tabs.isVisible()
    assert "Penicillina" in window.allergy_banner.text()
    qtbot.keyClick(window, Qt.Key.Key_F9)
    assert window.inbox_dialog is not None and window.inbox_dialog.isVisible()
    window.inbox_dialog.close()
    assert errors.errors == []


def test_the_header_names_the_patient_in_italian(qtbot, shell, center):
    window = _log_in(qtbot, shell, center, "infermiere")
    _open(qtbot, window, "rossi anna")
    facts = window.header.facts.text()
    assert window.header.name.text() == "ROSSI Anna"
    assert "Femmina" in facts and "nata il 01/07/1962" in facts and " anni" in facts
    assert "Medico: non indicato" in facts
    _open(qtbot, window, "rossi mario")
    assert "nato il 12/03/1950" in window.header.facts.text()


def test_the_layout_is_remembered_per_user(qtbot, shell, center):
    window = _log_in(qtbot, shell, center, "segreteria")
    avail = window.screen().availableSize()
    assert window.minimumWidth() == min(1024, int(avail.width() * 0.95))
    assert window.minimumHeight() == min(640, int(avail.height() * 0.95))
    window.finder.table.horizontalHeader().resizeSection(0, 321)
    window.menus.logout.trigger()
    again = _log_in(qtbot, shell, center, "segreteria")
    assert again is not window
    assert again.finder.table.horizontalHeader().sectionSize(0) == 321
    again.menus.switch_user.trigger()
    other = _log_in(qtbot, shell, center, "medico")
    assert other.finder.table.horizontalHeader().sectionSize(0) != 321  # another user's
    for part in ("geometry", "body", "patient", "patient_left"):
        assert shell.settings.value(f"layout/segreteria/{part}") is not None


def test_switching_to_english_keeps_the_session_and_the_patient(qtbot, shell, center, errors):
    window = _log_in(qtbot, shell, center, "medico")
    _open(qtbot, window, "verdi")
    session = shell.session
    try:
        window.menus.languages["en"].trigger()
        english = shell.window
        assert isinstance(english, MainWindow) and english is not window
        assert not window.isVisible() and shell.session is session
        assert english.windowTitle() == "Medirete - Centro Medico Test - Dott.ssa Laura Neri (GP)"
        assert english.status_role.text() == "GP"
        assert _menu_titles(english)[:2] == ["File", "Patient"]
        assert english.current_page == "patient" and english.header.name.text() == "VERDI Paolo"
        assert "Male · born on 09/09/1948 · " in english.header.facts.text()
        assert shell.settings.value(LANGUAGE_KEY) == "en"
        assert shell.executor.backend.records is not None  # the same record, still open
        english.menus.languages["it"].trigger()
        assert _menu_titles(shell.window)[0] == "Archivio"
    finally:
        shell.translations.apply("en")  # no Qt translator left for the next tests
    assert errors.errors == []


def test_the_login_offers_the_other_language(qtbot, shell, center):
    login = shell.show_login(center.root)
    assert login.language_button.text() == "English"
    qtbot.keyClicks(login.username, "medico")
    try:
        login.language_button.click()
        english = shell.window
        assert isinstance(english, LoginWindow) and english is not login
        assert english.submit.text() == "Log in" and english.username.text() == "medico"
        assert english.language_button.text() == "Italiano"
    finally:
        shell.translations.apply("en")  # no Qt translator left for the next tests


@pytest.mark.parametrize(("lang", "undo", "paste"),
                         [("it", "Annulla", "Incolla"), ("en", "Undo", "Paste")])
def test_qt_s_own_menus_speak_the_language(qapp, lang, undo, paste):
    translations = QtTranslations()
    try:
        translations.apply(lang)
        edit = QLineEdit()
        menu = edit.createStandardContextMenu()
        texts = [a.text().split("\t")[0].replace("&", "") for a in menu.actions()
                 if not a.isSeparator()]
        assert undo in texts and paste in texts, texts
        assert QKeySequence("Ctrl+L").toString() == "Ctrl+L"
    finally:
        translations.apply("en")  # no translator left behind for the next tests


def test_the_startup_language(tmp_path, monkeypatch):
    from app.ui.qt import QSettings

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    monkeypatch.delenv("MEDIRETE_LANG", raising=False)
    monkeypatch.setenv("LANG", "it_IT.UTF-8")
    assert startup_language(settings, None) == "it"
    settings.setValue(LANGUAGE_KEY, "en")
    assert startup_language(settings, None) == "en"  # the menu's choice
    assert startup_language(settings, "it") == "it"  # --lang wins
    monkeypatch.setenv("MEDIRETE_LANG", "it")
    assert startup_language(settings, None) == "it"  # so does the environment
    assert i18n.SUPPORTED == ("it", "en")


def test_only_the_admin_reaches_the_center_settings(qtbot, shell, center):
    for username in ("medico", "infermiere", "segreteria"):
        window = _log_in(qtbot, shell, center, username)
        assert window.menus.settings is None
        assert not [a for a in window.menus.actions if a.objectName() == "admin.settings"]
        window.menus.switch_user.trigger()
    admin = _log_in(qtbot, shell, center, "admin")
    assert admin.menus.settings is not None
    assert "chart" not in admin.nav.keys() and admin.menus.new_patient is None
