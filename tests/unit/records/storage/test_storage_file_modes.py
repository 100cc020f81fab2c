"""Keys, record, backups and logs are readable by their owner only (issue 6, item 14).

Every test runs under a permissive umask (022), as code embedded in another program or a
test runner might: the modes must come from where the files are created, not from the
umask the two programs set. Before the fix each of these files was 0644 (folders 0755).
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from app.core import files
from app.core.logs import setup_logging
from app.records.services import Records
from app.records.services.views import PatientInput
from app.records.storage import backup as backup_module
from app.records.storage.backup import restore_backup
from app.records.storage.center import create_center
from app.records.storage.keys import write_atomically
from tests.conftest import PASSWORD

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes")


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def modes(folder: Path) -> dict[str, int]:
    """The mode of ``folder`` ('.') and of everything in it."""
    found = {".": mode(folder)}
    found.update({str(p.relative_to(folder)): mode(p) for p in folder.rglob("*")})
    return found


def owner_only(found: dict[str, int]) -> dict[str, int]:
    """What ``found`` should be: folders 0700, files 0600."""
    return {name: 0o700 if value & 0o100 else 0o600 for name, value in found.items()}


def test_key_files_are_written_owner_only(tmp_path):
    path = tmp_path / "keys.json"
    write_atomically(path, b"{}")
    assert mode(path) == 0o600
    path.chmod(0o644)  # written by an earlier version
    leftover = tmp_path / "keys.json.tmp"
    leftover.write_bytes(b"crash debris")
    leftover.chmod(0o644)
    write_atomically(path, b'{"a": 1}')
    assert mode(path) == 0o600 and not leftover.exists()


def test_a_backup_and_its_temporary_files_are_owner_only(center, tmp_path, monkeypatch):
    destination = tmp_path / "centro.mrb"
    destination.write_bytes(b"an earlier backup, written by an earlier version")
    destination.chmod(0o644)
    real_extract = backup_module.extract_database
    seen: dict[str, int] = {}

    def extract_and_look(path: Path, target: Path, *rest: Path) -> dict[str, object]:
        header = real_extract(path, target, *rest)
        seen["written"], seen["read back"] = mode(path), mode(target)
        seen["scratch folder"] = mode(target.parent)
        return header

    monkeypatch.setattr(backup_module, "extract_database", extract_and_look)
    records = Records.open(center, "admin", PASSWORD)
    try:
        records.maintenance.backup(destination)
    finally:
        records.close()
    assert seen == {"written": 0o600, "read back": 0o600, "scratch folder": 0o700}
    assert mode(destination) == 0o600


def test_a_restored_center_and_the_files_sqlite_adds_are_owner_only(center, tmp_path):
    records = Records.open(center, "admin", PASSWORD)
    try:
        backup = records.maintenance.backup(tmp_path / "centro.mrb").path
    finally:
        records.close()
    target = tmp_path / "new" / "restored"
    restore_backup(backup, target, "admin", PASSWORD)
    assert mode(tmp_path / "new") == 0o700  # every folder the restore made
    records = Records.open(target, "segreteria", PASSWORD)
    try:
        records.patients.register(PatientInput("Sala", "Ugo", "M", date(1961, 5, 2), "Lecco"))
        # SQLite gives -wal and -shm the mode of the database file: seen while open.
        assert {"record.db-wal", "record.db-shm"} <= {p.name for p in target.iterdir()}
        found = modes(target)
    finally:
        records.close()
    assert found == owner_only(found)


def test_log_files_and_their_folders_are_owner_only(tmp_path, monkeypatch):
    data = tmp_path / "data"
    monkeypatch.setenv("MEDIRETE_DATA_DIR", str(data))
    root = logging.getLogger()
    handlers = list(root.handlers)
    try:
        path = setup_logging("medirete-test")
        assert path is not None
        logging.getLogger("test").warning("one line")
        [handler] = [h for h in root.handlers if h not in handlers and hasattr(h, "doRollover")]
        handler.doRollover()  # type: ignore[attr-defined]
        logging.getLogger("test").warning("another line")
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
                handler.close()
    assert sorted(p.name for p in path.parent.iterdir()) == [
        "medirete-test.log",
        "medirete-test.log.1",
    ]
    found = modes(data)
    assert found == owner_only(found)


def test_logs_left_readable_by_an_earlier_version_are_restricted(tmp_path, monkeypatch):
    data = tmp_path / "data"
    (data / "logs").mkdir(parents=True, mode=0o755)
    for name in ("medirete-test.log", "medirete-test.log.3"):
        (data / "logs" / name).write_text("old lines\n")
        (data / "logs" / name).chmod(0o644)
    monkeypatch.setenv("MEDIRETE_DATA_DIR", str(data))
    root = logging.getLogger()
    handlers = list(root.handlers)
    try:
        setup_logging("medirete-test")
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
                handler.close()
    found = modes(data / "logs")
    assert found == owner_only(found)


def test_the_windows_acl_hook_gets_every_file_and_folder_we_create(center, tmp_path, monkeypatch):
    """No Windows machine here: the POSIX branch is switched off and the hook recorded."""
    given: list[Path] = []
    monkeypatch.setattr(files, "_is_posix", False)
    monkeypatch.setattr(files, "_windows_hook", None)
    files.set_windows_hook(given.append)
    write_atomically(tmp_path / "keys.json", b"{}")
    records = Records.open(center, "admin", PASSWORD)
    try:
        records.maintenance.backup(tmp_path / "centro.mrb")
    finally:
        records.close()
    restore_backup(tmp_path / "centro.mrb", tmp_path / "restored", "admin", PASSWORD)
    names = [p.name for p in given]
    # The anchors (beside the record and this workstation's copy, rewritten after each
    # write) and the workstation's signing key, made on first use.
    anchors = [n for n in names if n.startswith(".") and n.endswith(".tmp")]
    assert any(n.startswith(".record.anchor.") for n in anchors)
    names = [n for n in names
             if n not in anchors and n not in ("anchors", "workstation-signing.key")]
    [partial] = [n for n in names if n.endswith(".partial")]
    assert partial.startswith("centro.mrb.")  # the backup
    names.remove(partial)
    assert names == [
        "keys.json.tmp",  # then renamed to keys.json, its ACL with it
        "clinical.db",  # the clinical file's bytes copied into the scratch folder
        "clinical.db-wal",
        "check.db",  # the backup read back in the scratch folder
        "check-clinical.db",
        "check-clinical.db-wal",
        "restored",  # the folder the restore made, then the staged center
        "record.db",
        "clinical.db",
        "clinical.db-wal",
        "keys.json.tmp",
        "center.json.tmp",
    ]


def test_a_new_center_is_owner_only_without_the_programs_umask(tmp_path):
    root = tmp_path / "center"
    create_center(root, "Centro", "admin", PASSWORD)
    found = modes(root)
    assert found == owner_only(found)


def test_on_windows_files_and_folders_get_an_owner_only_acl_through_icacls(monkeypatch):
    """Hardening item 14: before, Windows had no hook at all (files inherited the folder's
    ACL, usually readable by every user of the PC). icacls cannot run here: the command is
    checked, and that it is the default hook on Windows."""
    monkeypatch.setenv("USERDOMAIN", "STUDIO")
    monkeypatch.setenv("USERNAME", "segreteria")
    assert files.windows_user() == "STUDIO\\segreteria"
    assert files.icacls_command(Path("C:/Medirete/keys.json"), "STUDIO\\segreteria",
                                folder=False) == [
        "icacls", str(Path("C:/Medirete/keys.json")), "/inheritance:r", "/grant:r",
        "STUDIO\\segreteria:F", "/Q"]
    folder = files.icacls_command(Path("C:/Medirete"), "STUDIO\\segreteria", folder=True)
    assert "STUDIO\\segreteria:(OI)(CI)F" in folder  # -wal and -shm inherit it
    import importlib

    monkeypatch.setattr(os, "name", "nt")
    reloaded = importlib.reload(files)
    try:
        assert reloaded._windows_hook is reloaded.icacls_owner_only
    finally:
        monkeypatch.setattr(os, "name", "posix")
        importlib.reload(files)
