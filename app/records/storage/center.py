"""A center's folder: ``center.json`` (plain facts), ``keys.json`` (wrapped keys), ``record.db``."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import DBAPIError

from app.core.clock import new_id, utc_now
from app.core.errors import (
    CenterExists,
    CenterFileDamaged,
    CenterMissing,
    IntegrityFailure,
    RecordCorrupt,
    WrongPassword,
)
from app.core.files import open_private, private_dirs
from app.records.codes.store import load_shipped_codes
from app.records.journal import SCHEMA_VERSION_KEY, Actor, append_audit, set_meta
from app.records.model import Role, User
from app.records.storage.engine import Attached, checkpoint, open_engine
from app.records.storage.keys import KeyFile, write_atomically
from app.records.storage.lock import CenterLock, ClinicalGate, RekeyUnfinished
from app.records.storage.migrate import (
    PROGRAM_VERSION_KEY,
    check_revision,
    head_revision,
    program_version,
    upgrade,
)
from app.records.storage.sqlerrors import translating_db_errors

CENTER_FORMAT = 1
MIN_RECORD_BYTES = 512  # less than one page: not a record, whatever else it is
ROLES = {
    "gp": "Medico di medicina generale",
    "nurse": "Infermiere",
    "secretary": "Segreteria",
    "admin": "Amministratore del centro",
}


@dataclass(frozen=True)
class CenterPaths:
    """The files of one center folder."""

    root: Path

    @property
    def info(self) -> Path:
        return self.root / "center.json"

    @property
    def keys(self) -> Path:
        return self.root / "keys.json"

    @property
    def db(self) -> Path:
        return self.root / "record.db"

    @property
    def clinical_db(self) -> Path:
        """Clinical content, under the clinical key (absent until a clinician opens)."""
        return self.root / "clinical.db"

    def exists(self) -> bool:
        """A center is complete once its info file is written (the last step of init)."""
        return self.info.is_file() and self.keys.is_file() and self.db.is_file()

    def record_files(self) -> list[Path]:
        """Every file that holds record data (databases, WALs, shared memory)."""
        names = ("record.db", "record.db-wal", "record.db-shm",
                 "clinical.db", "clinical.db-wal", "clinical.db-shm")
        return [self.root / n for n in names if (self.root / n).exists()]


def workstation_name() -> str:
    """This computer's name as shown in the audit trail."""
    return os.environ.get("MEDIRETE_WORKSTATION") or socket.gethostname() or "workstation"


@dataclass
class Database:
    """An unlocked record: the key in memory and engines on the encrypted file.

    ``lock`` holds the center lock shared for as long as the record is open (None only
    while a center is being created); a re-key turns it exclusive for its duration.
    ``key_id`` names the key file's generation ``db_key`` came from (it changes on re-key).
    ``clinical_key`` is set only for a clinical user holding it: then every connection has
    the clinical file attached, and ``gate`` keeps it still while a backup copies it.
    """

    paths: CenterPaths
    db_key: bytes
    center_id: str
    write_engine: Engine
    read_engine: Engine
    lock: CenterLock | None = None
    key_id: str | None = None
    clinical_key: bytes | None = None
    gate: ClinicalGate | None = None

    @property
    def clinical(self) -> bool:
        """True when the clinical file is attached (a clinical user holding the key)."""
        return self.clinical_key is not None

    def attach_clinical(self, clinical_key: bytes) -> None:
        """Reopen the engines with the clinical file attached to every connection."""
        self._dispose()
        attached = Attached(self.paths.clinical_db, clinical_key)
        self.write_engine = open_engine(self.paths.db, self.db_key, writer=True,
                                        clinical=attached)
        self.read_engine = open_engine(self.paths.db, self.db_key, writer=False,
                                       clinical=attached)
        self.clinical_key = clinical_key
        self.gate = ClinicalGate(self.paths.root)

    @contextmanager
    def writing_clinical(self) -> Iterator[None]:
        """Hold the clinical gate around a write (a no-op without the clinical file)."""
        if self.gate is None:
            yield
            return
        self.gate.enter()
        try:
            yield
        finally:
            self.gate.leave()

    def _dispose(self) -> None:
        # Closing the last connection may checkpoint the clinical file: inside the gate.
        with self.writing_clinical():
            self.write_engine.dispose()
            self.read_engine.dispose()

    def close(self) -> None:
        """Release the connections, then the locks; closing twice is harmless."""
        self._dispose()
        if self.gate is not None:
            self.gate.close()
        if self.lock is not None:
            self.lock.close()


def _open(
    paths: CenterPaths,
    db_key: bytes,
    center_id: str,
    lock: CenterLock | None = None,
    key_id: str | None = None,
) -> Database:
    write = open_engine(paths.db, db_key, writer=True)
    read = open_engine(paths.db, db_key, writer=False)
    return Database(paths, db_key, center_id, write, read, lock, key_id)


def create_center(
    root: Path, name: str, admin_username: str, admin_password: str, admin_full_name: str = ""
) -> None:
    """Create a new center with its first administrator."""
    paths = CenterPaths(root)
    # center.json is written last: with it, this is a center (even a damaged one) whose
    # files must not be replaced; without it, what is there is a dead init's leftover.
    if paths.exists() or paths.info.exists():
        raise CenterExists(path=str(root))
    private_dirs(root)
    for leftover in (paths.db, paths.keys, root / "record.db-wal", root / "record.db-shm"):
        leftover.unlink(missing_ok=True)  # an init that died half-way
    # Owner-only from the first byte; SQLite gives -wal and -shm the same mode.
    open_private(paths.db).close()
    db_key = os.urandom(32)
    center_id = new_id()
    keys = KeyFile(center_id=center_id, key_id=new_id())
    keys.add_user(admin_username, admin_password, db_key)
    db = _open(paths, db_key, center_id)
    try:
        with db.write_engine.begin() as conn:
            upgrade(conn)
            set_meta(conn, "center_id", center_id)
            set_meta(conn, "center_name", name)
            set_meta(conn, "node_id", new_id())
            set_meta(conn, SCHEMA_VERSION_KEY, head_revision())
            set_meta(conn, PROGRAM_VERSION_KEY, program_version())
            load_shipped_codes(conn)
            conn.execute(insert(Role), [{"name": k, "description": v} for k, v in ROLES.items()])
            admin_id = new_id()
            conn.execute(
                insert(User).values(
                    id=admin_id,
                    username=admin_username,
                    full_name=admin_full_name or admin_username,
                    role="admin",
                    active=True,
                    created_at=utc_now(),
                )
            )
            actor = Actor(admin_id, admin_username, "admin", workstation_name())
            append_audit(conn, actor, "center.create", detail=name)
        with translating_db_errors():  # a full disk says so here, not silently later
            checkpoint(db.write_engine)
    finally:
        db.close()
    keys.save(paths.keys)
    info = {"format": CENTER_FORMAT, "center_id": center_id}
    write_atomically(paths.info, json.dumps(info, indent=1).encode("utf-8"))


def read_center_id(paths: CenterPaths) -> str:
    """The center id from ``center.json`` (CenterFileDamaged when unreadable)."""
    if not paths.exists():
        raise CenterMissing(path=str(paths.root))
    try:
        data = json.loads(paths.info.read_bytes().decode("utf-8"))
        center_id = data["center_id"] if isinstance(data, dict) else None
    except (OSError, UnicodeDecodeError, ValueError, KeyError):
        center_id = None
    if not isinstance(center_id, str) or not center_id:
        raise CenterFileDamaged(path=str(paths.info))
    return center_id


def load_keys(paths: CenterPaths) -> KeyFile:
    """The center's key file, checked against ``center.json`` (same center)."""
    center_id = read_center_id(paths)
    if paths.db.stat().st_size < MIN_RECORD_BYTES:
        # SQLite would take an empty file for a new database and write into it.
        raise RecordCorrupt(detail=f"{paths.db.name} is empty")
    keys = KeyFile.load(paths.keys)
    if keys.center_id != center_id:
        raise CenterFileDamaged(path=str(paths.info))
    return keys


@dataclass(frozen=True)
class LoggedUser:
    """The user an unlock authenticated."""

    user_id: str
    username: str
    full_name: str
    role: str


def unlock(root: Path, username: str, password: str) -> tuple[Database, LoggedUser]:
    """Open the record as ``username`` (migrating an older one); WrongPassword first.

    The password is checked before any file is touched; then the center lock is held
    shared (waiting a bounded time for a re-key) until the Database is closed.
    """
    paths = CenterPaths(root)
    keys = load_keys(paths)
    private = keys.private_key(username, password)
    lock = CenterLock(paths.root)
    try:
        db_key, keys = _key_under_lock(paths, lock, _Credentials(username, password, private))
        db = _open(paths, db_key, keys.center_id, lock, keys.key_id)
    except BaseException:
        lock.close()
        raise
    try:
        user = _check_user_and_schema(db, username)
        from app.records.storage.clinical import open_clinical  # it imports this module

        open_clinical(db, user, private)
    except BaseException:
        db.close()
        raise
    return db, user


def _check_user_and_schema(db: Database, username: str) -> LoggedUser:
    """The active user; an older schema is migrated, a newer one refused (SchemaTooNew)."""
    with db.read_engine.connect() as conn:
        revision = check_revision(conn)
        row = conn.execute(
            select(User.id, User.username, User.full_name, User.role, User.active).where(
                User.username == username
            )
        ).first()
    if row is None or not row.active:
        raise WrongPassword()
    user = LoggedUser(row.id, row.username, row.full_name, row.role)
    if revision != head_revision():
        from app.records.storage.upgrade import upgrade_on_open  # it imports this module

        upgrade_on_open(db, user)
    return user


@dataclass(frozen=True)
class _Credentials:
    """What unlock checked: the key pair opens any key file sealed to the user."""

    username: str
    password: str
    private: X25519PrivateKey

    def db_key(self, keys: KeyFile) -> bytes:
        """The database key ``keys`` holds for this user."""
        try:
            return keys.unseal(self.username, self.private)
        except WrongPassword:
            # The user's key pair changed since the check (a password change meanwhile).
            return keys.unlock(self.username, self.password)


def _pending(paths: CenterPaths) -> Path:
    return paths.keys.with_name(paths.keys.name + ".next")


def _key_under_lock(
    paths: CenterPaths, lock: CenterLock, user: _Credentials
) -> tuple[bytes, KeyFile]:
    """Hold the lock shared; the key the database opens with now, and its key file.

    A leftover ``keys.json.next`` is resolved only under the exclusive lock, which proves
    no re-key is running (a re-key holds it from writing ``.next`` to the rename).
    """
    if _pending(paths).exists() and lock.try_exclusive():
        try:
            _finish_rekey(paths, _pending(paths), user)
        finally:
            lock.release()
    lock.shared()  # RekeyInProgress after a bounded wait
    keys = load_keys(paths)  # re-read: a re-key may have ended meanwhile
    db_key = user.db_key(keys)
    if _pending(paths).exists() and not _opens_with(paths, db_key):
        # Only an interrupted re-key leaves this, and others have the record open.
        raise RekeyUnfinished()
    return db_key, keys


def _opens_with(paths: CenterPaths, db_key: bytes) -> bool:
    """True if the database decrypts with ``db_key``."""
    engine = open_engine(paths.db, db_key, writer=False)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").first()
        return True
    except DBAPIError:
        return False
    finally:
        engine.dispose()


def _finish_rekey(paths: CenterPaths, pending: Path, user: _Credentials) -> None:
    """A re-key died half-way: keep the key file the database really opens with.

    Call only with the center lock held exclusive: then no re-key is running, and a
    ``.next`` key the database does not open with was never used.
    """
    if not pending.exists():
        return  # another program finished it first
    if _opens_with(paths, user.db_key(load_keys(paths))):
        pending.unlink()  # died before PRAGMA rekey
        return
    if not _opens_with(paths, user.db_key(KeyFile.load(pending))):
        raise IntegrityFailure(detail="the database opens with neither the old nor the new key")
    os.replace(pending, paths.keys)  # died after PRAGMA rekey, before the rename
