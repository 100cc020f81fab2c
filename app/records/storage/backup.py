"""Encrypted backups: a header line, then a consistent encrypted copy of the database.

The database bytes stay encrypted with the center key, and the header carries the
wrapped keys, so a backup is restorable with any admin's password and useless without.
The clinical file follows, as its raw encrypted bytes (the database, then its WAL):
an admin backs it up without being able to read it, so it is copied while the clinical
gate holds every clinical writer still, and checked by its SHA-256 only; a clinician's
``verify`` checks its content after a restore (docs/decisions/0011-clinical-key.md).
A backup is written under a temporary name beside its destination, read back as a
restore would, and only then renamed over the destination; a restore stages everything
inside the target folder and moves nothing in until all of it is checked
(docs/decisions/0006-backups.md).
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
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
from app.records.journal import Actor
from app.records.storage.anchor import read_head, sign_head, signature_ok, write_anchor
from app.records.storage.backup_target import CENTER_FILES, check_destination
from app.records.storage.center import (
    CENTER_FORMAT,
    CenterPaths,
    Database,
    load_keys,
    read_center_id,
    workstation_name,
)
from app.records.storage.engine import open_engine, raw_key_pragma_value
from app.records.storage.epoch import start_new_epoch
from app.records.storage.keys import KeyFile, write_atomically
from app.records.storage.lock import hold_still
from app.records.storage.migrate import check_revision

log = logging.getLogger(__name__)
MAGIC = b"MEDIRETE-BACKUP-1\n"
CHUNK = 1 << 20
# Header field naming the content-digest definition; headers without it were written with
# the earlier, model-bound digest, which restore cannot recompute (their bytes' SHA-256
# and a full verify still protect them).
DIGEST_VERSION_FIELD = "content_digest_version"
DIGEST_VERSION = 2
# Header field of the clinical file's parts (sizes and SHA-256 of database and WAL).
CLINICAL_FIELD = "clinical"
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


ANCHOR_FIELD = "anchor"


def _signed_head(path: Path, db_key: bytes) -> dict[str, Any]:
    """The head of a copied record, signed with this workstation's key (item 13)."""
    engine = open_engine(path, db_key, writer=False)
    try:
        with engine.connect() as conn:
            fields = read_head(conn).fields()
    finally:
        engine.dispose()
    return fields | sign_head(fields)


def _check_signed_head(path: Path, db_key: bytes, header: dict[str, Any]) -> None:
    """The restored record is the one whose head the backup's writer signed."""
    signed = header.get(ANCHOR_FIELD)
    if signed is None:
        return  # written before item 13
    if not isinstance(signed, dict):
        raise BackupInvalid(detail="unreadable header")
    fields = {k: v for k, v in signed.items() if k not in ("signer", "signature")}
    if not signature_ok(fields, signed):
        raise BackupInvalid(detail="the signed head in the header does not verify")
    engine = open_engine(path, db_key, writer=False)
    try:
        with engine.connect() as conn:
            seq = fields.get("audit_seq")
            stored = conn.exec_driver_sql(
                "SELECT hash FROM audit_event WHERE seq = ?", (seq,)).scalar_one_or_none()
            last = conn.exec_driver_sql("SELECT max(seq) FROM audit_event").scalar_one()
    finally:
        engine.dispose()
    if seq and (stored != fields.get("audit_hash") or last != seq):
        raise BackupInvalid(detail="the audit trail differs from the head its writer signed")


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


@dataclass(frozen=True)
class _ClinicalCopy:
    """The clinical file's raw bytes as copied while no clinician could write."""

    db: Path
    wal: Path

    def fields(self) -> dict[str, Any]:
        def sha(path: Path) -> str:
            with open(path, "rb") as handle:
                return hashlib.file_digest(handle, "sha256").hexdigest()

        return {"db_size": self.db.stat().st_size, "db_sha256": sha(self.db),
                "wal_size": self.wal.stat().st_size, "wal_sha256": sha(self.wal)}


def _copy_file(source: Path, target: Path) -> None:
    with open_private(target) as out:
        if source.exists():
            with open(source, "rb") as src:
                shutil.copyfileobj(src, out, CHUNK)


def _snapshots(db: Database, scratch: Path) -> tuple[Path, _ClinicalCopy | None]:
    """The record through SQLite's backup API, the clinical file as bytes, at one moment.

    The clinical gate is held first: no clinical write (which also writes the record's
    audit) can commit between the two copies, so they agree.
    """
    snapshot = scratch / "snapshot.db"
    clinical_db = db.paths.clinical_db
    if not clinical_db.exists():
        _snapshot(db, snapshot)
        return snapshot, None
    still = hold_still(db.paths.root)
    try:
        _snapshot(db, snapshot)
        copy = _ClinicalCopy(scratch / "clinical.db", scratch / "clinical.db-wal")
        _copy_file(clinical_db, copy.db)
        _copy_file(Path(f"{clinical_db}-wal"), copy.wal)
    finally:
        still.close()
    return snapshot, copy


def consistent_copies(db: Database, scratch: Path) -> tuple[Path, _ClinicalCopy | None]:
    """The record and the clinical file copied at one moment (a new workstation's first
    sync, ``app.sync.snapshot``): as a backup copies them."""
    return _snapshots(db, scratch)


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
def _header_for(
    db: Database, snapshot: Path, digest: str, clinical: _ClinicalCopy | None
) -> dict[str, Any]:
    with open(snapshot, "rb") as handle:
        db_sha = hashlib.file_digest(handle, "sha256").hexdigest()
    extra = {} if clinical is None else {CLINICAL_FIELD: clinical.fields()}
    return extra | {
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


def _write_beside(
    target: Path, header: dict[str, Any], snapshot: Path, clinical: _ClinicalCopy | None
) -> Path:
    """The backup written and synced under a temporary name next to ``target``."""
    tmp: Path | None = None
    try:
        handle, tmp = private_temp_file(target.parent, f"{target.name}.", PARTIAL_SUFFIX)
        with handle:
            handle.write(MAGIC)
            handle.write(json.dumps(header, sort_keys=True).encode("utf-8") + b"\n")
            parts = [(snapshot, int(header["db_size"]))]
            if clinical is not None:
                fields = header[CLINICAL_FIELD]
                parts += [(clinical.db, fields["db_size"]), (clinical.wal, fields["wal_size"])]
            for path, size in parts:
                with open(path, "rb") as src:
                    _copy_with_hash(src, handle, size)
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
    path: Path, header: dict[str, Any], db_key: bytes, revision: str | None, scratch: Path
) -> None:
    """Read the written file back as a restore would: same header, same content digest."""
    copy = scratch / "check.db"
    read = extract_database(path, copy, scratch / "check-clinical.db")
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
        snapshot, clinical = _snapshots(db, scratch)
        digest = _digest_of(snapshot, db.db_key, expected_revision)
        header = _header_for(db, snapshot, digest, clinical)
        header[ANCHOR_FIELD] = _signed_head(snapshot, db.db_key)
        tmp = _write_beside(target, header, snapshot, clinical)
        try:
            for done in (snapshot, *((clinical.db, clinical.wal) if clinical else ())):
                done.unlink()  # one copy of the record in the scratch folder at a time
            _check_written(tmp, header, db.db_key, expected_revision, scratch)
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


def _clinical_fields(header: dict[str, Any]) -> dict[str, Any] | None:
    fields = header.get(CLINICAL_FIELD)
    if fields is None:
        return None
    sizes_ok = isinstance(fields, dict) and all(
        isinstance(fields.get(k), int) and fields[k] >= 0 for k in ("db_size", "wal_size"))
    if not sizes_ok or not all(isinstance(fields.get(k), str)
                               for k in ("db_sha256", "wal_sha256")):
        raise BackupInvalid(detail="unreadable header")
    return dict(fields)


def _extract_part(handle: BinaryIO, target: Path, size: int, sha: str, what: str) -> None:
    with open_private(target) as out:
        found = _copy_with_hash(handle, out, size)
        out.flush()
        os.fsync(out.fileno())
    if found != sha:
        raise BackupInvalid(detail=f"the {what} part is damaged (checksum mismatch)")


def extract_database(
    path: Path, target: Path, clinical_target: Path | None = None
) -> dict[str, Any]:
    """Copy the encrypted database out of a backup (owner-only), checking its hash.

    The clinical file's parts, when the backup has them, go to ``clinical_target`` and
    ``clinical_target``-wal (a WAL only when it holds frames).
    """
    with open(path, "rb") as handle:
        header = _header(handle)
        clinical = _clinical_fields(header)
        _extract_part(handle, target, int(header["db_size"]), header["db_sha256"], "database")
        if clinical is not None:
            clinical_db = clinical_target or target.with_name(target.name + ".clinical")
            _extract_part(handle, clinical_db, clinical["db_size"], clinical["db_sha256"],
                          "clinical database")
            wal = Path(f"{clinical_db}-wal")
            _extract_part(handle, wal, clinical["wal_size"], clinical["wal_sha256"],
                          "clinical WAL")
            if clinical["wal_size"] == 0:
                wal.unlink()
        if handle.read(1):
            raise BackupInvalid(detail="trailing data after the database")
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
    header = extract_database(backup, staged.db, staged.clinical_db)
    # An older schema is restored as it is and migrated when next opened.
    digest = _digest_of(staged.db, db_key, _backup_revision(staged.db, db_key))
    if contents.digest is not None and digest != contents.digest:
        raise BackupInvalid(detail="content digest differs from the one recorded")
    _check_signed_head(staged.db, db_key, header)
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
    clinical = [(staged.root / name, paths.root / name)
                for name in ("clinical.db", "clinical.db-wal") if (staged.root / name).exists()]
    try:
        for source, target in ((staged.keys, paths.keys), (staged.db, paths.db), *clinical):
            os.replace(source, target)
            moved.append(target)
        os.replace(staged.info, paths.info)
    except BaseException:
        for path in moved:
            path.unlink(missing_ok=True)
        raise
    fsync_dir(paths.root)


def _new_epoch(paths: CenterPaths, db_key: bytes, username: str) -> None:
    """The restored record numbers its changes under a new origin id (ADR 0022)."""
    engine = open_engine(paths.db, db_key, writer=True)
    try:
        with engine.begin() as conn:
            user_id = conn.exec_driver_sql(
                "SELECT id FROM user WHERE username = ?", (username,)).scalar()
            actor = Actor(str(user_id) if user_id else None, username, "admin",
                          workstation_name())
            start_new_epoch(conn, actor)
    finally:
        engine.dispose()


def _anchor_restored(paths: CenterPaths, db_key: bytes) -> None:
    """A restore is an admin's decision, like a re-key: the anchors start from it."""
    engine = open_engine(paths.db, db_key, writer=False)
    try:
        with engine.connect() as conn:
            head = read_head(conn)
    finally:
        engine.dispose()
    try:
        write_anchor(paths.root, db_key, head, replace=True)
    except OSError as exc:  # the record is restored; verify will say it has no anchor
        log.warning("cannot write the anchor of the restored record: %s", exc)


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
            _new_epoch(paths, db_key, username)
            _anchor_restored(paths, db_key)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except BaseException:
        for folder in reversed(created):
            folder.rmdir()
        raise
    return digest
