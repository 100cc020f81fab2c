"""A backup replaces an earlier one only once it has been read back (issue 6, item 3).

Before the fix the new file was renamed over the old backup first and checked after: a
failed read-back left an unverified file under the final name (the good old backup gone),
and a full disk left ``FILE.partial`` behind and surfaced as a bare OSError.
"""

from __future__ import annotations

import hashlib
import shutil
from datetime import date
from pathlib import Path

import pytest

from app.core.errors import BackupInvalid, MedireteError
from app.records.services import Records
from app.records.services.views import PatientInput
from app.records.storage import backup as backup_module
from app.records.storage.backup import read_header, restore_backup
from tests.conftest import PASSWORD


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _backup(center: Path, destination: Path) -> str:
    records = Records.open(center, "admin", PASSWORD)
    try:
        return records.maintenance.backup(destination).digest
    finally:
        records.close()


def _register_someone(center: Path) -> None:
    records = Records.open(center, "segreteria", PASSWORD)
    try:
        records.patients.register(PatientInput("Colombo", "Ada", "F", date(1950, 3, 1), "Como"))
    finally:
        records.close()


def test_a_backup_damaged_on_its_way_to_disk_never_replaces_the_previous_one(
    center, tmp_path, monkeypatch
):
    out = tmp_path / "out"
    out.mkdir()
    destination = out / "centro.mrb"
    first = _backup(center, destination)
    kept = _sha(destination)
    _register_someone(center)
    real_extract = backup_module.extract_database
    read_back: list[tuple[Path, str]] = []

    def damaged_then_read(path: Path, target: Path, *rest: Path) -> dict[str, object]:
        # What a bad cable or a failing USB stick does: the bytes read back differ.
        read_back.append((path, _sha(destination)))
        data = bytearray(path.read_bytes())
        data[-4096] ^= 0xFF
        path.write_bytes(bytes(data))
        return real_extract(path, target, *rest)

    monkeypatch.setattr(backup_module, "extract_database", damaged_then_read)
    with pytest.raises(BackupInvalid):
        _backup(center, destination)
    [(checked, final_then)] = read_back
    assert checked != destination and checked.parent == out  # a temporary name beside it
    assert final_then == kept  # the old backup was still in place while checking
    assert _sha(destination) == kept and read_header(destination)["content_digest"] == first
    assert sorted(p.name for p in out.iterdir()) == ["centro.mrb"]  # no partial file left

    monkeypatch.undo()
    second = _backup(center, destination)
    assert second != first and read_header(destination)["content_digest"] == second
    assert sorted(p.name for p in out.iterdir()) == ["centro.mrb"]
    assert restore_backup(destination, tmp_path / "restored", "admin", PASSWORD) == second


def test_an_interrupted_backup_leaves_the_previous_one_and_no_partial_file(
    center, tmp_path, monkeypatch
):
    destination = tmp_path / "centro.mrb"
    _backup(center, destination)
    kept = _sha(destination)

    def interrupted(*_args: object) -> None:
        raise KeyboardInterrupt  # Ctrl+C while the new file is being read back

    monkeypatch.setattr(backup_module, "extract_database", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _backup(center, destination)
    assert _sha(destination) == kept
    assert sorted(p.name for p in tmp_path.iterdir()) == ["center", "centro.mrb"]


def test_a_full_disk_keeps_the_previous_backup_and_leaves_nothing(center, tmp_path, small_disk):
    reference = tmp_path / "reference.mrb"
    _backup(center, reference)
    size = reference.stat().st_size
    # Room for the earlier backup and half of a new one.
    disk = small_disk((size + size // 2 + 4095) // 4096 * 4096)
    destination = disk / "centro.mrb"
    shutil.copyfile(reference, destination)
    kept = _sha(destination)
    with pytest.raises(MedireteError, match="Not enough space") as full:
        _backup(center, destination)
    assert str(disk) in full.value.user_message("en")
    assert _sha(destination) == kept
    assert sorted(p.name for p in disk.iterdir()) == ["centro.mrb"]
