"""A center's folder: ``center.json`` (plain facts), ``keys.json`` (wrapped keys), ``record.db``."""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import DBAPIError

from app.core.clock import new_id, utc_now
from app.core.errors import CenterExists, CenterMissing, IntegrityFailure, WrongPassword
from app.records.codes.store import load_shipped_codes
from app.records.journal import SCHEMA_VERSION_KEY, Actor, append_audit, set_meta
from app.records.model import Role, User
from app.records.storage.engine import open_engine
from app.records.storage.keys import KeyFile, write_atomically
from app.records.storage.migrate import (
    PROGRAM_VERSION_KEY,
    check_revision,
    head_revision,
    program_version,
    upgrade,
)

CENTER_FORMAT = 1
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

    def exists(self) -> bool:
        """A center is complete once its info file is written (the last step of init)."""
        return self.info.is_file() and self.keys.is_file() and self.db.is_file()

    def record_files(self) -> list[Path]:
        """Every file that holds record data (database, WAL, shared memory)."""
        names = ("record.db", "record.db-wal", "record.db-shm")
        return [self.root / n for n in names if (self.root / n).exists()]


def workstation_name() -> str:
    """This computer's name as shown in the audit trail."""
    return os.environ.get("MEDIRETE_WORKSTATION") or socket.gethostname() or "workstation"


@dataclass
class Database:
    """An unlocked record: the key in memory and engines on the encrypted file."""

    paths: CenterPaths
    db_key: bytes
    center_id: str
    write_engine: Engine
    read_engine: Engine

    def close(self) -> None:
        """Release the connections (the key stays only as long as this object)."""
        self.write_engine.dispose()
        self.read_engine.dispose()


def _open(paths: CenterPaths, db_key: bytes, center_id: str) -> Database:
    write = open_engine(paths.db, db_key, writer=True)
    read = open_engine(paths.db, db_key, writer=False)
    return Database(paths, db_key, center_id, write, read)


def create_center(
    root: Path, name: str, admin_username: str, admin_password: str, admin_full_name: str = ""
) -> None:
    """Create a new center with its first administrator."""
    paths = CenterPaths(root)
    if paths.exists():
        raise CenterExists(path=str(root))
    root.mkdir(parents=True, exist_ok=True)
    for leftover in (paths.db, paths.keys, root / "record.db-wal", root / "record.db-shm"):
        leftover.unlink(missing_ok=True)  # an init that died half-way
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
    finally:
        db.close()
    keys.save(paths.keys)
    info = {"format": CENTER_FORMAT, "center_id": center_id}
    write_atomically(paths.info, json.dumps(info, indent=1).encode("utf-8"))


def read_center_id(paths: CenterPaths) -> str:
    """The center id from ``center.json``."""
    if not paths.exists():
        raise CenterMissing(path=str(paths.root))
    data = json.loads(paths.info.read_text("utf-8"))
    return str(data["center_id"])


def load_keys(paths: CenterPaths) -> KeyFile:
    """The center's key file."""
    if not paths.exists():
        raise CenterMissing(path=str(paths.root))
    return KeyFile.load(paths.keys)


@dataclass(frozen=True)
class LoggedUser:
    """The user an unlock authenticated."""

    user_id: str
    username: str
    full_name: str
    role: str


def unlock(root: Path, username: str, password: str) -> tuple[Database, LoggedUser]:
    """Open the record as ``username`` (migrating an older one); WrongPassword first."""
    paths = CenterPaths(root)
    keys = load_keys(paths)
    db_key = keys.unlock(username, password)
    pending = paths.keys.with_name(paths.keys.name + ".next")
    if pending.exists():
        db_key = _finish_rekey(paths, pending, db_key, username, password)
    db = _open(paths, db_key, keys.center_id)
    try:
        user = _check_user_and_schema(db, username)
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


def _opens_with(paths: CenterPaths, db_key: bytes) -> bool:
    engine = open_engine(paths.db, db_key, writer=False)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").first()
        return True
    except DBAPIError:
        return False
    finally:
        engine.dispose()


def _finish_rekey(
    paths: CenterPaths, pending: Path, db_key: bytes, username: str, password: str
) -> bytes:
    """A re-key was interrupted: keep whichever key the database really opens with."""
    if _opens_with(paths, db_key):
        pending.unlink()
        return db_key
    new_key = KeyFile.load(pending).unlock(username, password)
    if not _opens_with(paths, new_key):
        raise IntegrityFailure(detail="the database opens with neither the old nor the new key")
    os.replace(pending, paths.keys)
    return new_key
