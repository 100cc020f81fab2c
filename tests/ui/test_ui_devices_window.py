"""The devices in the main window: configured for this workstation, run while a
clinician is logged in, restarted when the admin changes them, stopped at log-out."""

from __future__ import annotations

import dataclasses
import shutil

import pytest

from app.devices.cli_verbs import PeerPty
from app.devices.config import DeviceConfig, dump_devices
from app.records.changes import Changes
from app.records.services import Records
from app.records.storage.center import workstation_name
from app.ui.acquire_dialog import AcquireDialog
from app.ui.main_window import MainWindow
from app.ui.navigation import DEVICES
from app.ui.qt import Qt
from tests.ui.conftest import UiCenter, build_center


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> UiCenter:
    return build_center(tmp_path_factory.mktemp("devwin") / "centro")


@pytest.fixture
def center_copy(tmp_path, template) -> UiCenter:
    root = shutil.copytree(template.root, tmp_path / "centro")
    return dataclasses.replace(template, root=root)


def _configure(center: UiCenter, *devices: DeviceConfig) -> None:
    admin = Records.open(center.root, "admin", center.password)
    try:
        admin.settings.set_device_config(workstation_name(), dump_devices(devices))
    finally:
        admin.close()


def _log_in(qtbot, shell, center: UiCenter, username: str) -> MainWindow:
    login = shell.show_login(center.root)
    qtbot.keyClicks(login.username, username)
    qtbot.keyClicks(login.password, center.password)
    qtbot.keyClick(login.password, Qt.Key.Key_Return)
    assert isinstance(shell.window, MainWindow)
    return shell.window


def test_a_gp_sees_this_workstation_s_devices_on_f10(qtbot, shell, center_copy, errors):
    pty = PeerPty()
    _configure(center_copy, DeviceConfig("Analizzatore POC", "astm", port=pty.path))
    window = _log_in(qtbot, shell, center_copy, "medico")
    assert DEVICES in window.nav.keys()
    window.menus.devices.trigger()
    assert window.current_page == DEVICES
    page = window.devices.page
    qtbot.waitUntil(lambda: [r.name for r in page.panel.model.rows] == ["Analizzatore POC"])
    qtbot.waitUntil(lambda: page.panel.model.rows[0].state == "waiting", timeout=10_000)
    assert not window.menus.acquire.isEnabled()  # no patient open yet
    assert not page.acquire.isEnabled()
    window.close()
    assert window.devices.hub.runners == {}  # stopped with the window
    assert errors.errors == []
    pty.close()


def test_acquire_needs_an_open_patient_and_names_it(qtbot, shell, center_copy, errors):
    pty = PeerPty()
    _configure(center_copy, DeviceConfig("Pressione", "bp", port=pty.path))
    window = _log_in(qtbot, shell, center_copy, "infermiere")
    assert window.devices is not None  # nurses take device readings too
    window.open_patient(center_copy_patient(window, "russo luca"))
    qtbot.waitUntil(lambda: window.context is not None)
    assert window.menus.acquire.isEnabled()
    assert window.devices.page.acquire.isEnabled()
    window.menus.acquire.trigger()
    dialog = window.devices.acquire_dialog
    assert isinstance(dialog, AcquireDialog) and dialog.isVisible()
    assert dialog.patient.id == window.context.patient_id
    assert "Russo" in dialog.windowTitle()
    window.close_patient()  # another patient (or none): the dialog goes
    assert not dialog.isVisible()
    window.close()
    assert errors.errors == []
    pty.close()


def center_copy_patient(window: MainWindow, name: str) -> str:
    records = window._executor.backend.require()
    return records.patients.search(name, 1)[0].id


def test_the_admin_changes_the_list_and_the_running_devices_follow(
        qtbot, shell, center_copy, errors):
    first, second = PeerPty(), PeerPty()
    _configure(center_copy, DeviceConfig("Analizzatore POC", "astm", port=first.path))
    window = _log_in(qtbot, shell, center_copy, "medico")
    hub = window.devices.hub
    qtbot.waitUntil(lambda: list(hub.runners) == ["Analizzatore POC"])
    records = window._executor.backend.require()
    # The admin's write arrives as a change of the center's settings (here through this
    # session's executor, as a peer's would through sync).
    admin = Records.open(center_copy.root, "admin", center_copy.password)
    try:
        admin.settings.set_device_config(workstation_name(), dump_devices((
            DeviceConfig("Saturimetro", "cms50", port=second.path),)))
    finally:
        admin.close()
    window._executor.changed.emit(_center_setting_change(), None)
    qtbot.waitUntil(lambda: list(hub.runners) == ["Saturimetro"], timeout=5_000)
    assert window.devices.page.oximeter is not None
    assert records is window._executor.backend.require()
    window.close()
    assert errors.errors == []
    first.close()
    second.close()


def _center_setting_change() -> Changes:
    return Changes(kinds=frozenset({"center_setting"}))


def test_the_secretary_has_no_devices(qtbot, shell, center_copy):
    window = _log_in(qtbot, shell, center_copy, "segreteria")
    assert window.devices is None and DEVICES not in window.nav.keys()
    assert window.menus.device_settings is None
    window.close()
