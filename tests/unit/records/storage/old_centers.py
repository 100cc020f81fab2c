"""The committed centers written by earlier programs, and ways to look inside them."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection

from app.records.storage.engine import open_engine
from app.records.storage.keys import KeyFile

T = TypeVar("T")

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "centers"


def old_centers() -> list[Path]:
    """Every fixture folder (``schema-<revision>``), oldest first."""
    return sorted(p for p in FIXTURES.glob("schema-*") if (p / "center.json").is_file())


def fixture_password(folder: Path) -> str:
    """Fixture passwords follow the folder name: schema-0002 -> fixture-0002-pw."""
    return f"fixture-{folder.name.removeprefix('schema-')}-pw"


def copy_center(folder: Path, target: Path) -> Path:
    """A private copy of a fixture (the committed files are never opened in place)."""
    shutil.copytree(folder, target)
    return target


def record_key(root: Path, password: str) -> bytes:
    """The record file's key, as the fixture's admin unlocks it."""
    return KeyFile.load(root / "keys.json").unlock("admin", password)


def clinical_key(root: Path, password: str, username: str = "medico") -> bytes:
    """The clinical file's key, as a clinician of the fixture unseals it."""
    keys = KeyFile.load(root / "keys.json")
    key = keys.unseal_clinical(username, keys.private_key(username, password))
    assert key is not None, f"the clinical key is not sealed to {username}"
    return key


def read_file(path: Path, key: bytes, read: Callable[[Connection], T]) -> T:
    """Run ``read`` on one encrypted file of a center, alone (no migration, nothing attached)."""
    engine = open_engine(path, key, writer=False)
    try:
        with engine.connect() as conn:
            return read(conn)
    finally:
        engine.dispose()


def write_file(path: Path, key: bytes, statements: list[str]) -> None:
    """Run raw statements on one encrypted file (to fake what another program wrote)."""
    engine = open_engine(path, key, writer=True)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)
    finally:
        engine.dispose()


def read_record(root: Path, password: str, read: Callable[[Connection], T]) -> T:
    """Run ``read`` on the record without going through ``unlock`` (no migration)."""
    return read_file(root / "record.db", record_key(root, password), read)


def write_record(root: Path, password: str, statements: list[str]) -> None:
    """Run raw statements on the record (to fake what another program wrote)."""
    write_file(root / "record.db", record_key(root, password), statements)


def file_sha(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
