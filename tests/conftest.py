"""Shared fixtures: a cheap KDF for the suite, an in-memory keyring, template centers."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

os.environ.setdefault("MEDIRETE_SCRYPT_LOG_N", "14")
os.environ.setdefault("MEDIRETE_LANG", "en")
os.environ.setdefault("MEDIRETE_WORKSTATION", "test-ws")
# Logs and settings of the programs under test never land in the real user folder.
os.environ.setdefault("MEDIRETE_DATA_DIR", tempfile.mkdtemp(prefix="medirete-tests-"))

import keyring  # noqa: E402
import pytest  # noqa: E402
from keyring.backend import KeyringBackend  # noqa: E402

PASSWORD = "correct-horse-42"
STAFF = (("medico", "gp"), ("medico2", "gp"), ("infermiere", "nurse"), ("segreteria", "secretary"))


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in this process only (tests must never touch the real one)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.store.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def template_center(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A center with an admin and the usual staff, built once and copied per test."""
    from app.records.services import Records
    from app.records.storage.center import create_center

    root = tmp_path_factory.mktemp("template") / "center"
    create_center(root, "Centro di prova", "admin", PASSWORD)
    records = Records.open(root, "admin", PASSWORD)
    try:
        for username, role in STAFF:
            records.users.add(username, username.title(), role, PASSWORD)
    finally:
        records.close()
    # The first GP founds the clinical file and grants its key to the other clinicians.
    from app.records.permissions import CLINICAL_ROLES

    clinicians = [username for username, role in STAFF if role in CLINICAL_ROLES]
    records = Records.open(root, clinicians[0], PASSWORD)
    try:
        for username in clinicians[1:]:
            records.users.grant_clinical(username)
    finally:
        records.close()
    return root


@pytest.fixture
def center(template_center: Path, tmp_path: Path) -> Path:
    """A fresh copy of the template center."""
    target = tmp_path / "center"
    shutil.copytree(template_center, target)
    return target


@pytest.fixture
def open_as(center: Path) -> Iterator[object]:
    """Open the center as a given user; everything opened is closed after the test."""
    from app.records.services import Records

    opened: list[Records] = []

    def _open(username: str) -> Records:
        records = Records.open(center, username, PASSWORD)
        opened.append(records)
        return records

    yield _open
    for records in opened:
        records.close()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Callable[[int], Path]]:
    """A real tmpfs folder whose size a test sets; skipped where mounting is not allowed."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    mounted: list[bool] = []

    def mount(size: int) -> Path:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(mount_point)],
            capture_output=True,
            check=False,
            timeout=30,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace')}")
        mounted.append(True)
        return mount_point

    if shutil.which("mount") is None:
        pytest.skip("no mount command")
    yield mount
    if mounted:
        subprocess.run(["umount", str(mount_point)], check=True, timeout=30)
