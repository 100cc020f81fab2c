"""Encrypted backups: a header line, then a consistent encrypted copy of the database.

The database bytes stay encrypted with the center key, and the header carries the
wrapped keys, so a backup is restorable with any user's password and useless without.
Every backup is verified after writing by reopening the copy and comparing digests.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import sqlcipher3

from app.core.clock import utc_now
from app.core.errors import AccessDenied, BackupInvalid, CenterExists, IntegrityFailure
from app.records.integrity import verify_connection
from app.records.storage.center import CenterPaths, Database
from app.records.storage.engine import open_engine, raw_key_pragma_value
from app.records.storage.keys import KeyFile, write_atomically
from app.records.storage.migrate import check_revision

MAGIC = b"MEDIRETE-BACKUP-1\n"
CHUNK = 1 << 20
# Header field naming the content-digest definition; headers without it were written with
# the earlier, model-bound digest, which restore cannot recompute (their bytes' SHA-256
# and a full verify still protect them).
DIGEST_VERSION_FIELD = "content_digest_version"
DIGEST_VERSION = 2


@dataclass(frozen=True)
class BackupResult:
    """What a backup wrote."""

    path: Path
    size: int
    digest: str


def _keyed(path: Path, db_key: bytes) -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(str(path))
    conn.execute(f'PRAGMA key = "{raw_key_pragma_value(db_key)}"').fetchall()
    return conn


def _digest_of(path: Path, db_key: bytes, expected_revision: str | None = None) -> str:
    engine = open_engine(path, db_key, writer=False)
    try:
        with engine.connect() as conn, conn.begin():
            report = verify_connection(conn, expected_revision)
    finally:
        engine.dispose()
    if not report.ok:
        raise IntegrityFailure(detail="; ".join(report.problems))
    return report.digest


def _snapshot(db: Database, target: Path) -> None:
    """A transactionally consistent copy through SQLite's online backup API."""
    source = db.read_engine.raw_connection()
    try:
        dest = _keyed(target, db.db_key)
        try:
            source.driver_connection.backup(dest)  # type: ignore[union-attr]
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
    finally:
        source.close()


def _copy_with_hash(src: BinaryIO, dst: BinaryIO, size: int) -> str:
    digest = hashlib.sha256()
    remaining = size
    while remaining > 0:
        chunk = src.read(min(CHUNK, remaining))
        if not chunk:
            raise BackupInvalid(detail="truncated")
        digest.update(chunk)
        dst.write(chunk)
        remaining -= len(chunk)
    return digest.hexdigest()


def write_backup(
    db: Database, destination: Path, *, expected_revision: str | None = None
) -> BackupResult:
    """Write an encrypted, self-verifying backup (schema: the newest unless told)."""
    with tempfile.TemporaryDirectory(prefix="medirete-backup-") as scratch:
        snapshot = Path(scratch) / "snapshot.db"
        _snapshot(db, snapshot)
        digest = _digest_of(snapshot, db.db_key, expected_revision)
        size = snapshot.stat().st_size
        with open(snapshot, "rb") as handle:
            db_sha = hashlib.file_digest(handle, "sha256").hexdigest()
        header = {
            "format": 1,
            "center_id": db.center_id,
            "created_at": utc_now().isoformat(),
            "db_size": size,
            "db_sha256": db_sha,
            "content_digest": digest,
            DIGEST_VERSION_FIELD: DIGEST_VERSION,
            "keys": json.loads(db.paths.keys.read_text("utf-8")),
            "center": json.loads(db.paths.info.read_text("utf-8")),
        }
        tmp = destination.with_name(destination.name + ".partial")
        with open(tmp, "wb") as out, open(snapshot, "rb") as src:
            out.write(MAGIC)
            out.write(json.dumps(header, sort_keys=True).encode("utf-8") + b"\n")
            _copy_with_hash(src, out, size)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, destination)
    # Verified after writing: read the file back as a restore would.
    with tempfile.TemporaryDirectory(prefix="medirete-check-") as scratch:
        copy = Path(scratch) / "check.db"
        read_header = extract_database(destination, copy)
        check = _digest_of(copy, db.db_key, expected_revision)
        if check != digest or read_header["content_digest"] != digest:
            raise IntegrityFailure(detail="the backup read back differs from the record")
    return BackupResult(destination, destination.stat().st_size, digest)


def read_header(path: Path) -> dict[str, Any]:
    """The backup's header, or BackupInvalid."""
    with open(path, "rb") as handle:
        return _header(handle)


def _header(handle: BinaryIO) -> dict[str, Any]:
    if handle.read(len(MAGIC)) != MAGIC:
        raise BackupInvalid(detail="missing Medirete backup signature")
    line = handle.readline(10_000_000)
    try:
        header = json.loads(line)
    except ValueError:
        raise BackupInvalid(detail="unreadable header") from None
    if not isinstance(header, dict) or header.get("format") != 1:
        raise BackupInvalid(detail="unknown backup format")
    size, sha = header.get("db_size"), header.get("db_sha256")
    if not isinstance(size, int) or size < 0 or not isinstance(sha, str):
        raise BackupInvalid(detail="unreadable header")
    return header


def extract_database(path: Path, target: Path) -> dict[str, Any]:
    """Copy the encrypted database out of a backup, checking its hash."""
    with open(path, "rb") as handle:
        header = _header(handle)
        with open(target, "wb") as out:
            sha = _copy_with_hash(handle, out, int(header["db_size"]))
            out.flush()
            os.fsync(out.fileno())
        if handle.read(1):
            raise BackupInvalid(detail="trailing data after the database")
    if sha != header["db_sha256"]:
        raise BackupInvalid(detail="the database part is damaged (checksum mismatch)")
    return header


def _backup_revision(path: Path, db_key: bytes) -> str:
    """The schema revision of a backed-up database; SchemaTooNew if this program is older."""
    engine = open_engine(path, db_key, writer=False)
    try:
        with engine.connect() as conn:
            return check_revision(conn)
    finally:
        engine.dispose()


def restore_backup(path: Path, root: Path, username: str, password: str) -> str:
    """Restore a backup into an empty folder; returns the content digest."""
    paths = CenterPaths(root)
    if paths.exists():
        raise CenterExists(path=str(root))
    header = read_header(path)
    try:
        stored = header["keys"]
        keys = KeyFile(
            header["center_id"], stored["key_id"], stored["users"], stored["workstations"]
        )
    except (KeyError, TypeError):
        raise BackupInvalid(detail="unreadable header") from None
    db_key = keys.unlock(username, password)  # WrongPassword before anything is written
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=root))
    try:
        staged_db = staging / "record.db"
        extract_database(path, staged_db)
        # An older schema is restored as it is and migrated when next opened.
        digest = _digest_of(staged_db, db_key, _backup_revision(staged_db, db_key))
        recorded = header.get(DIGEST_VERSION_FIELD) == DIGEST_VERSION
        if recorded and digest != header["content_digest"]:
            raise BackupInvalid(detail="content digest differs from the one recorded")
        conn = _keyed(staged_db, db_key)
        try:
            role = conn.execute(
                "SELECT role FROM user WHERE username = ? AND active", (username,)
            ).fetchone()
            if role is None or role[0] != "admin":
                raise AccessDenied(role=str(role[0]) if role else "?", action="restore")
            conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()
        os.replace(staged_db, paths.db)
        keys.save(paths.keys)
        write_atomically(paths.info, json.dumps(header["center"], indent=1).encode("utf-8"))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return digest
