"""Bringing an older record up to this program's schema when it is opened.

Under the write lock: re-read the revision, write a verified backup next to the database
(``record-before-<revision>-<UTC time>.mrb``), then migrate, stamp the metadata and audit
the upgrade in that same transaction. Any failure rolls everything back.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from sqlalchemy import Connection

from app.core.clock import utc_now
from app.core.errors import MigrationFailed
from app.records.journal import SCHEMA_VERSION_KEY, Actor, append_audit, set_meta
from app.records.storage.backup import write_backup
from app.records.storage.center import Database, LoggedUser, workstation_name
from app.records.storage.migrate import (
    PROGRAM_VERSION_KEY,
    check_revision,
    head_revision,
    program_version,
    upgrade,
)

log = logging.getLogger(__name__)

KEEP_BACKUPS = 3
BACKUP_PREFIX = "record-before-"
BACKUP_SUFFIX = ".mrb"
_BACKUP_NAME = re.compile(
    r"^record-before-(?P<revision>.+)-(?P<stamp>\d{8}T\d{6}Z)(?:\.(?P<n>\d+))?\.mrb$"
)


def pre_upgrade_backups(root: Path) -> list[Path]:
    """The pre-upgrade backups in a center folder, oldest first."""

    def order(path: Path) -> tuple[str, int]:
        match = _BACKUP_NAME.match(path.name)
        assert match is not None
        return match["stamp"], int(match["n"] or 0)

    found = [p for p in root.glob(f"{BACKUP_PREFIX}*{BACKUP_SUFFIX}") if _BACKUP_NAME.match(p.name)]
    return sorted(found, key=order)


def _backup_path(root: Path, revision: str) -> Path:
    stem = f"{BACKUP_PREFIX}{revision}-{utc_now().strftime('%Y%m%dT%H%M%SZ')}"
    path, n = root / (stem + BACKUP_SUFFIX), 0
    while path.exists():  # a second attempt within the same second
        n += 1
        path = root / f"{stem}.{n}{BACKUP_SUFFIX}"
    return path


def _verified_backup(db: Database, revision: str) -> Path:
    """A verified backup of the record as it is (at ``revision``); nothing left on failure."""
    path = _backup_path(db.paths.root, revision)
    # Into the center folder on purpose (write_backup refuses it to everyone else). A failure
    # leaves no file: the backup gets its name only once it has been read back and checked.
    return write_backup(db, path, expected_revision=revision, into_center=True).path


def _prune(root: Path, keep: int = KEEP_BACKUPS) -> None:
    """Delete all but the newest ``keep`` pre-upgrade backups (called once one is verified)."""
    backups = pre_upgrade_backups(root)
    for old in backups[: max(0, len(backups) - keep)]:
        try:
            old.unlink(missing_ok=True)
        except OSError as exc:  # an old copy left behind is no reason to refuse the upgrade
            log.warning("cannot delete the old backup %s: %s", old, exc)


def _short(exc: BaseException) -> str:
    """One line naming what went wrong (the log has the traceback)."""
    cause = getattr(exc, "orig", None) or exc  # a DBAPIError's message repeats the SQL
    text = str(cause).strip()
    line = text.splitlines()[0] if text else ""
    return f"{type(cause).__name__}: {line}"[:200]


def _migrate(conn: Connection, actor: Actor, found: str, head: str) -> None:
    upgrade(conn)
    set_meta(conn, SCHEMA_VERSION_KEY, head)
    set_meta(conn, PROGRAM_VERSION_KEY, program_version())
    append_audit(conn, actor, "record.upgrade", detail=f"{found} -> {head}")


def upgrade_on_open(db: Database, user: LoggedUser) -> Path | None:
    """Back up and migrate an older record; returns the backup written, if any."""
    actor = Actor(user.user_id, user.username, user.role, workstation_name())
    head = head_revision()
    with db.write_engine.connect() as conn:
        transaction = conn.begin()  # BEGIN IMMEDIATE: one upgrader at a time
        try:
            found = check_revision(conn)  # another program may have migrated meanwhile
            if found == head:
                transaction.rollback()
                return None
            # The lock is held during the backup, so it holds exactly what is migrated.
            backup = _verified_backup(db, found)
        except BaseException:
            transaction.rollback()
            raise
        _prune(db.paths.root)
        try:
            _migrate(conn, actor, found, head)
            transaction.commit()
        except Exception as exc:
            if transaction.is_active:
                transaction.rollback()
            log.exception("migration from schema %s failed", found)
            raise MigrationFailed(found=found, backup=str(backup), detail=_short(exc)) from exc
    log.info("record upgraded from schema %s to %s; backup %s", found, head, backup)
    return backup
