"""A backup is never written into the center it copies (issue 6, item 2).

Before the fix ``backup C C/record.db`` replaced the live record with its own backup and
reported success; ``C/keys.json`` likewise. Every case below wrote into the center then
(or, for a folder, raised a bare OSError and left a ``.partial`` behind).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from app.core.errors import MedireteError
from app.records.services import Records
from app.records.storage.backup import write_backup
from tests.conftest import PASSWORD

INSIDE = "in the center folder"


def _files(*folders: Path) -> dict[str, str]:
    """Every file under the folders (symlinks as their target text) with its SHA-256."""
    found = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_symlink():
                found[str(path)] = "-> " + os.readlink(path)
            elif path.is_file():
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _destinations(center: Path, out: Path) -> dict[str, Path]:
    (center / "backups").mkdir()
    (out / "link-to-center").symlink_to(center, target_is_directory=True)
    (out / "link-to-record.mrb").symlink_to(center / "record.db")
    return {
        "record.db": center / "record.db",
        "keys.json": center / "keys.json",
        "center.json": center / "center.json",
        "the center folder": center,
        "a new file in the folder": center / "new.mrb",
        "a new file in a subfolder": center / "backups" / "new.mrb",
        "record.db through a linked folder": out / "link-to-center" / "record.db",
        "a symlink to record.db": out / "link-to-record.mrb",
        "record.db by a relative path": Path(os.path.relpath(center / "record.db")),
        "keys.json with dot segments": center / "backups" / ".." / "keys.json",
    }


CASES = [
    "record.db",
    "keys.json",
    "center.json",
    "the center folder",
    "a new file in the folder",
    "a new file in a subfolder",
    "record.db through a linked folder",
    "a symlink to record.db",
    "record.db by a relative path",
    "keys.json with dot segments",
]


@pytest.mark.parametrize("case", CASES)
def test_backup_into_the_center_is_refused_and_touches_nothing(center, tmp_path, case):
    out = tmp_path / "out"
    out.mkdir()
    destination = _destinations(center, out)[case]
    records = Records.open(center, "admin", PASSWORD)
    try:
        before = _files(center, out)
        with pytest.raises(MedireteError) as refused:
            records.maintenance.backup(destination)
        # Refused before the audit event: not one byte of the record changed.
        assert _files(center, out) == before
        assert records.audit.verify().ok
    finally:
        records.close()
    message = refused.value.user_message("en")
    assert INSIDE in message and str(destination) in message and "\n" not in message


def test_write_backup_itself_refuses_the_center_folder(center):
    """The storage function is safe for any caller, not only through the service."""
    records = Records.open(center, "admin", PASSWORD)
    try:
        before = _files(center)
        for name in ("record.db", "keys.json"):
            with pytest.raises(MedireteError, match=INSIDE):
                write_backup(records.db, center / name)
        assert _files(center) == before
    finally:
        records.close()


def test_the_center_folder_under_another_letter_case_is_refused(center, monkeypatch):
    """Windows compares paths case-insensitively (os.path.normcase): simulated here."""
    records = Records.open(center, "admin", PASSWORD)
    try:
        monkeypatch.setattr(os.path, "normcase", lambda p: os.fspath(p).lower())
        other_case = center.parent / center.name.upper() / "RECORD.DB"
        with pytest.raises(MedireteError, match=INSIDE):
            records.maintenance.backup(other_case)
    finally:
        records.close()


def test_a_folder_elsewhere_is_refused_as_a_destination(center, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    records = Records.open(center, "admin", PASSWORD)
    try:
        with pytest.raises(MedireteError, match="is not a file"):
            records.maintenance.backup(folder)
    finally:
        records.close()
    assert list(folder.iterdir()) == [] and list(tmp_path.glob("*.partial")) == []


def test_the_internal_pre_upgrade_backup_never_replaces_a_file(center):
    """``into_center`` (pre-upgrade backups) writes new files in the folder, nothing else."""
    existing = center / "record-before-0001-20250101T000000Z.mrb"
    existing.write_bytes(b"an earlier pre-upgrade backup")
    records = Records.open(center, "admin", PASSWORD)
    try:
        before = _files(center)
        for name in ("record.db", "keys.json", existing.name):
            with pytest.raises(MedireteError):
                write_backup(records.db, center / name, into_center=True)
        assert _files(center) == before
        fresh = center / "record-before-0001-20250102T000000Z.mrb"
        assert write_backup(records.db, fresh, into_center=True).path == fresh
    finally:
        records.close()
