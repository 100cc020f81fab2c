"""The admin's "Devices of this workstation" dialog on a real center: the list is typed
through the editor, stored on Save and read back through the settings service; bad input
is said in the dialog and nothing is stored; a GP reads the same list and changes nothing.
"""

from __future__ import annotations

import ast
import dataclasses
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core import i18n
from app.devices.config import DeviceConfig, dump_devices, parse_devices
from app.records.services import Records
from app.records.storage.center import workstation_name
from app.ui.device_editor import DeviceEditor
from app.ui.device_settings import DeviceSettingsDialog, open_device_settings
from app.ui.language import QtTranslations
from app.ui.operations import Login, SessionInfo
from app.ui.qt import QApplication, QDialog, QDialogButtonBox, Qt
from tests.ui.conftest import UiCenter, build_center
from tests.ui.visible_text import problems_in

CONFIG = Path(__file__).resolve().parents[2] / "app" / "devices" / "config.py"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> UiCenter:
    return build_center(tmp_path_factory.mktemp("devsettings") / "centro")


@pytest.fixture
def center_copy(tmp_path, template) -> UiCenter:
    root = shutil.copytree(template.root, tmp_path / "centro")
    return dataclasses.replace(template, root=root)


def _log_in(executor, center: UiCenter, username: str) -> SessionInfo:
    sessions: list[SessionInfo] = []
    executor.run(Login(center.root, username, center.password), sessions.append)
    assert sessions
    return sessions[0]


def _stored(center: UiCenter) -> str | None:
    admin = Records.open(center.root, "admin", center.password)
    try:
        return admin.settings.device_config(workstation_name())
    finally:
        admin.close()


def _configure(center: UiCenter, *devices: DeviceConfig) -> None:
    admin = Records.open(center.root, "admin", center.password)
    try:
        admin.settings.set_device_config(workstation_name(), dump_devices(devices))
    finally:
        admin.close()


def _dialog(qtbot, executor, center: UiCenter, username: str) -> DeviceSettingsDialog:
    dialog = open_device_settings(executor, _log_in(executor, center, username))
    assert isinstance(dialog, DeviceSettingsDialog)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _editor(dialog: DeviceSettingsDialog) -> DeviceEditor:
    assert isinstance(dialog.editor, DeviceEditor) and dialog.editor.isVisible()
    return dialog.editor


def _ok(qtbot, editor: DeviceEditor) -> None:
    qtbot.mouseClick(editor.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)


def _save(qtbot, dialog: DeviceSettingsDialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)


def _choose_driver(editor: DeviceEditor, driver: str) -> None:
    editor.driver.setCurrentIndex(editor.driver.findData(driver))


@pytest.fixture
def qt_italian(qapp: QApplication) -> Iterator[None]:
    """Qt's own words (Save, Cancel, Close) in Italian, as the program installs them."""
    translations = QtTranslations()
    translations.apply("it")
    yield
    translations.apply("en")


@pytest.fixture
def pty_path() -> Iterator[str]:
    if not hasattr(os, "openpty"):
        pytest.skip("no ptys here")
    from app.devices.cli_verbs import PeerPty

    pty = PeerPty()
    yield pty.path
    pty.close()


def test_the_admin_adds_an_analyzer_and_a_gdt_program_and_saves(
        qtbot, executor, errors, center_copy, tmp_path, pty_path, qt_italian):
    dialog = _dialog(qtbot, executor, center_copy, "admin")
    assert workstation_name() in dialog.windowTitle()
    assert dialog.table.rowCount() == 0 and dialog.read_only.isHidden()

    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    editor = _editor(dialog)
    assert editor.port.isVisibleTo(editor) and not editor.request_folder.isVisibleTo(editor)
    assert editor.baud.itemText(0) == "predefinito (9600)"  # the ASTM driver's default
    qtbot.keyClicks(editor.name, "Analizzatore POC")
    qtbot.keyClicks(editor.port.lineEdit(), pty_path)
    _ok(qtbot, editor)
    assert dialog.editor is None  # closed with the device kept

    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    editor = _editor(dialog)
    _choose_driver(editor, "gdt")
    assert editor.request_folder.isVisibleTo(editor) and not editor.port.isVisibleTo(editor)
    requests, results = tmp_path / "richieste", tmp_path / "risultati"
    qtbot.keyClicks(editor.name, "Spirometro")
    qtbot.keyClicks(editor.request_folder, str(requests))
    qtbot.keyClicks(editor.result_folder, str(results))
    qtbot.keyClicks(editor.gdt_receiver, "SPIRO01")
    _ok(qtbot, editor)

    assert dialog.table.rowCount() == 2
    assert dialog.table.item(0, 2).text() == pty_path
    assert dialog.table.item(0, 3).text() == "9600 8N1 (predefinite)"
    assert str(results) in dialog.table.item(1, 2).text()
    assert problems_in([dialog]) == []
    with qtbot.waitSignal(dialog.saved):
        _save(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()

    assert parse_devices(_stored(center_copy)) == (
        DeviceConfig("Analizzatore POC", "astm", port=pty_path),
        DeviceConfig("Spirometro", "gdt", request_folder=str(requests),
                     result_folder=str(results), gdt_receiver="SPIRO01"),
    )
    assert "SaveWorkstationDevices" in executor.history
    assert errors.errors == []


def test_bad_input_is_said_in_the_editor_and_nothing_is_lost_or_stored(
        qtbot, executor, errors, center_copy):
    dialog = _dialog(qtbot, executor, center_copy, "admin")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    editor = _editor(dialog)
    qtbot.keyClicks(editor.name, "Pressione")
    _choose_driver(editor, "bp")
    _ok(qtbot, editor)  # no port
    assert editor.isVisible() and editor.message.isVisible()
    assert editor.message.text() == "Dato non valido: un dispositivo seriale richiede una porta"
    assert editor.name.text() == "Pressione"  # what was typed stays

    qtbot.keyClicks(editor.port.lineEdit(), "COM3")
    editor.baud.setEditText("14400")
    _ok(qtbot, editor)
    assert editor.isVisible()
    assert editor.message.text().endswith("velocità in baud non supportata")
    editor.baud.setEditText("veloce")
    _ok(qtbot, editor)
    assert editor.message.text().endswith("la velocità in baud deve essere un numero intero")
    assert editor.port.currentText() == "COM3" and editor.name.text() == "Pressione"
    editor.reject()
    assert dialog.table.rowCount() == 0

    # The whole list is checked again on Save (here: two devices on one port).
    device = DeviceConfig("Pressione", "bp", port="COM3")
    dialog.devices = [device, dataclasses.replace(device, name="Bilancia")]
    _save(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.message.text().endswith(
        "due dispositivi usano la stessa porta o la stessa cartella dei risultati")
    assert len(dialog.devices) == 2  # nothing dropped
    assert _stored(center_copy) is None
    assert "SaveWorkstationDevices" not in executor.history
    assert errors.errors == []


def test_a_gp_sees_the_list_read_only(qtbot, executor, errors, center_copy, qt_italian):
    _configure(center_copy, DeviceConfig("Saturimetro", "cms50", port="/dev/ttyUSB0",
                                         stopbits=1.5),
               DeviceConfig("ECG", "gdt", request_folder="C:\\GDT",
                            result_folder="C:\\GDT", gdt_receiver="ECG1"))
    dialog = _dialog(qtbot, executor, center_copy, "medico")

    assert dialog.read_only.isVisible()
    assert dialog.table.rowCount() == 2
    assert dialog.table.item(0, 3).text() == "19200 8O1,5"
    assert dialog.table.item(1, 2).text() == "C:\\GDT"
    for button in (dialog.add_button, dialog.edit_button, dialog.remove_button):
        assert button.isHidden() and not button.isEnabled()
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Save) is None
    dialog.table.selectRow(0)
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Delete)
    assert dialog.editor is None and dialog.table.rowCount() == 2
    assert problems_in([dialog]) == []
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert "SaveWorkstationDevices" not in executor.history
    assert errors.errors == []


def test_enter_edits_del_removes_and_save_stores_the_rest(qtbot, executor, errors,
                                                          center_copy):
    _configure(center_copy, DeviceConfig("Analizzatore", "astm", port="/dev/ttyUSB0"),
               DeviceConfig("Pressione", "bp", port="/dev/ttyUSB1"))
    dialog = _dialog(qtbot, executor, center_copy, "admin")
    assert dialog.table.rowCount() == 2

    dialog.table.selectRow(1)
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    editor = _editor(dialog)
    assert editor.name.text() == "Pressione" and editor.port.currentText() == "/dev/ttyUSB1"
    editor.baud.setCurrentIndex(editor.baud.findData(19200))
    _ok(qtbot, editor)
    assert dialog.table.item(1, 3).text() == "19200 8N1"

    dialog.table.selectRow(0)
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Delete)
    assert [dialog.table.item(0, 0).text()] == ["Pressione"]
    assert dialog.isVisible()  # neither key reached Save
    with qtbot.waitSignal(dialog.saved):
        _save(qtbot, dialog)

    assert parse_devices(_stored(center_copy)) == (
        DeviceConfig("Pressione", "bp", port="/dev/ttyUSB1", baudrate=19200),)
    assert errors.errors == []


def test_the_english_dialog_has_its_own_words(qtbot, executor, center_copy, monkeypatch):
    monkeypatch.setattr(i18n, "_current", "en")
    dialog = _dialog(qtbot, executor, center_copy, "admin")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    editor = _editor(dialog)
    _choose_driver(editor, "cms50")
    assert editor.baud.itemText(0) == "default (19200)"
    assert editor.parity.itemText(0) == "default (odd)"
    assert editor.defaults.text().endswith("19200 8O1")
    editor.reject()


def test_every_detail_of_the_device_checks_has_italian():
    tree = ast.parse(CONFIG.read_text(encoding="utf-8"))
    details = {node.args[0].value for node in ast.walk(tree)
               if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_invalid"
               and node.args and isinstance(node.args[0], ast.Constant)}
    assert len(details) >= 10
    italian = i18n.catalog("it")
    assert sorted(d for d in details if not italian.get(d)) == []
