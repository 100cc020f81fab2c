"""Encrypted backups: a header line, then a consistent encrypted copy of the database.

The database bytes stay encrypted with the center key, and the header carries the
wrapped keys, so a backup is restorable with any admin's password and useless without.
A backup is written under a temporary name beside its destination, read back as a
restore would, and only then renamed over the destination; a restore stages everything
inside the target folder and moves nothing in until all of it is checked
(docs/decisions/0006-backups.md).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import sqlcipher3

from app.core.clock import utc_now
from app.core.errors import (
    AccessDenied,
    BackupInvalid,
    CenterExists,
    IntegrityFailure,
    InvalidInput,
    KeyFileDamaged,
    MedireteError,
)
from app.core.files import fsync_dir, open_private, private_dirs, private_temp_file
from app.records.integrity import verify_connection
from app.records.storage.backup_target import CENTER_FILES, check_destination
from app.records.storage.center import (
    CENTER_FORMAT,
    CenterPaths,
    Database,
    load_keys,
    read_center_id,
)
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
PARTIAL_SUFFIX = ".partial"
_NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_T = TypeVar("_T")


class BackupDiskFull(MedireteError):
    """No space left where the backup goes; nothing was replaced."""

    message = (
        "Not enough space to write the backup in {folder}: any earlier backup was kept; "
        "free some space or choose another place"
    )


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


# -- writing -------------------------------------------------------------------------------
def _header_for(db: Database, snapshot: Path, digest: str) -> dict[str, Any]:
    with open(snapshot, "rb") as handle:
        db_sha = hashlib.file_digest(handle, "sha256").hexdigest()
    return {
        "format": 1,
        "center_id": db.center_id,
        "created_at": utc_now().isoformat(),
        "db_size": snapshot.stat().st_size,
        "db_sha256": db_sha,
        "content_digest": digest,
        DIGEST_VERSION_FIELD: DIGEST_VERSION,
        "keys": json.loads(db.paths.keys.read_text("utf-8")),
        "center": json.loads(db.paths.info.read_text("utf-8")),
    }


def _write_beside(target: Path, header: dict[str, Any], snapshot: Path) -> Path:
    """The backup written and synced under a temporary name next to ``target``."""
    tmp: Path | None = None
    try:
        handle, tmp = private_temp_file(target.parent, f"{target.name}.", PARTIAL_SUFFIX)
        with handle, open(snapshot, "rb") as src:
            handle.write(MAGIC)
            handle.write(json.dumps(header, sort_keys=True).encode("utf-8") + b"\n")
            _copy_with_hash(src, handle, int(header["db_size"]))
            handle.flush()
            os.fsync(handle.fileno())
        return tmp
    except BaseException as exc:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.errno in _NO_SPACE:
            raise BackupDiskFull(folder=str(target.parent)) from exc
        raise


def _check_written(
    path: Path, header: dict[str, Any], db_key: bytes, revision: str | None, copy: Path
) -> None:
    """Read the written file back as a restore would: same header, same content digest."""
    read = extract_database(path, copy)
    if read != header or _digest_of(copy, db_key, revision) != header["content_digest"]:
        raise IntegrityFailure(detail="the backup read back differs from the record")


def write_backup(
    db: Database,
    destination: Path,
    *,
    expected_revision: str | None = None,
    into_center: bool = False,
) -> BackupResult:
    """Write an encrypted backup, verified before it replaces anything at ``destination``."""
    target = check_destination(db.paths, destination, into_center=into_center)
    with tempfile.TemporaryDirectory(prefix="medirete-backup-") as folder:
        scratch = Path(folder)
        snapshot = scratch / "snapshot.db"
        _snapshot(db, snapshot)
        header = _header_for(db, snapshot, _digest_of(snapshot, db.db_key, expected_revision))
        tmp = _write_beside(target, header, snapshot)
        try:
            snapshot.unlink()  # one copy of the record in the scratch folder at a time
            _check_written(tmp, header, db.db_key, expected_revision, scratch / "check.db")
            os.replace(tmp, target)  # only now is an earlier backup replaced
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    fsync_dir(target.parent)
    return BackupResult(destination, target.stat().st_size, str(header["content_digest"]))


# -- reading -------------------------------------------------------------------------------
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
    """Copy the encrypted database out of a backup (owner-only), checking its hash."""
    with open(path, "rb") as handle:
        header = _header(handle)
        with open_private(target) as out:
            sha = _copy_with_hash(handle, out, int(header["db_size"]))
            out.flush()
            os.fsync(out.fileno())
        if handle.read(1):
            raise BackupInvalid(detail="trailing data after the database")
    if sha != header["db_sha256"]:
        raise BackupInvalid(detail="the database part is damaged (checksum mismatch)")
    return header


# -- restoring -----------------------------------------------------------------------------
@dataclass(frozen=True)
class _Contents:
    """What a header holds besides the database, checked before anything is written."""

    center_id: str
    keys: KeyFile
    keys_json: bytes
    center_json: bytes
    digest: str | None  # None: written before the digest was versioned, not recomputable


def _field(data: dict[str, Any], name: str, kind: type[_T]) -> _T:
    value = data.get(name)
    if not isinstance(value, kind):
        raise BackupInvalid(detail="unreadable header")
    return value


def _contents(header: dict[str, Any]) -> _Contents:
    center_id = _field(header, "center_id", str)
    stored = _field(header, "keys", dict)
    center = _field(header, "center", dict)
    if (
        stored.get("center_id") != center_id
        or center.get("center_id") != center_id
        or center.get("format") != CENTER_FORMAT
    ):
        raise BackupInvalid(detail="unreadable header")
    keys = KeyFile(
        center_id,
        _field(stored, "key_id", str),
        _field(stored, "users", dict),
        _field(stored, "workstations", dict),
    )
    digest = None
    if header.get(DIGEST_VERSION_FIELD) == DIGEST_VERSION:
        digest = _field(header, "content_digest", str)
    return _Contents(
        center_id,
        keys,
        # Written as stored, so fields this program does not know survive the restore.
        json.dumps(stored, indent=1, sort_keys=True).encode("utf-8"),
        json.dumps(center, indent=1).encode("utf-8"),
        digest,
    )


def _backup_revision(path: Path, db_key: bytes) -> str:
    """The schema revision of a backed-up database; SchemaTooNew if this program is older."""
    engine = open_engine(path, db_key, writer=False)
    try:
        with engine.connect() as conn:
            return check_revision(conn)
    finally:
        engine.dispose()


def _unlock(contents: _Contents, username: str, password: str) -> bytes:
    try:
        return contents.keys.unlock(username, password)
    except (KeyError, TypeError, ValueError, AttributeError):  # a damaged user entry
        raise BackupInvalid(detail="unreadable header") from None


def _require_admin(path: Path, db_key: bytes, username: str) -> None:
    """Only an active admin of the backed-up record may restore it; leaves it in WAL mode."""
    conn = _keyed(path, db_key)
    try:
        role = conn.execute(
            "SELECT role FROM user WHERE username = ? AND active", (username,)
        ).fetchone()
        if role is None or role[0] != "admin":
            raise AccessDenied(role=str(role[0]) if role else "?", action="restore")
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()


def _stage(
    backup: Path, contents: _Contents, staged: CenterPaths, db_key: bytes, username: str
) -> str:
    """Build and check the whole center in ``staged``; returns the content digest."""
    extract_database(backup, staged.db)
    # An older schema is restored as it is and migrated when next opened.
    digest = _digest_of(staged.db, db_key, _backup_revision(staged.db, db_key))
    if contents.digest is not None and digest != contents.digest:
        raise BackupInvalid(detail="content digest differs from the one recorded")
    _require_admin(staged.db, db_key, username)
    write_atomically(staged.keys, contents.keys_json)
    write_atomically(staged.info, contents.center_json)
    try:  # the files must load exactly as opening the restored center will load them
        same = load_keys(staged).center_id == read_center_id(staged) == contents.center_id
    except (KeyFileDamaged, InvalidInput, KeyError, TypeError, ValueError):
        same = False
    if not same:
        raise BackupInvalid(detail="unreadable header")
    return digest


def _move_in(staged: CenterPaths, paths: CenterPaths) -> None:
    """Move the checked files in; ``center.json`` last, since it marks a complete center."""
    moved: list[Path] = []
    try:
        for source, target in ((staged.keys, paths.keys), (staged.db, paths.db)):
            os.replace(source, target)
            moved.append(target)
        os.replace(staged.info, paths.info)
    except BaseException:
        for path in moved:
            path.unlink(missing_ok=True)
        raise
    fsync_dir(paths.root)


def restore_backup(path: Path, root: Path, username: str, password: str) -> str:
    """Restore a backup into an empty or new folder; returns the content digest.

    On any failure ``root`` is left as it was: absent if it was, else without new files.
    """
    paths = CenterPaths(root)
    if any(os.path.lexists(root / name) for name in CENTER_FILES):
        raise CenterExists(path=str(root))  # nor beside a stray WAL that would replay
    contents = _contents(read_header(path))
    db_key = _unlock(contents, username, password)  # WrongPassword before anything is written
    created = private_dirs(root)
    try:
        staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=root))
        try:
            digest = _stage(path, contents, CenterPaths(staging), db_key, username)
            _move_in(CenterPaths(staging), paths)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except BaseException:
        for folder in reversed(created):
            folder.rmdir()
        raise
    return digest
