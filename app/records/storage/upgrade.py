"""Bringing an older record up to this program's schema when it is opened.

Under the write lock: re-read the revision, write a verified backup next to the database
(``record-before-<revision>-<UTC time>.mrb``), then migrate, stamp the metadata and audit
the upgrade in that same transaction. Any failure rolls everything back.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from sqlalchemy import Connection, RootTransaction

from app.core.clock import utc_now
from app.core.errors import MigrationFailed
from app.core.logs import log_safe_traceback
from app.records.journal import SCHEMA_VERSION_KEY, Actor, append_audit, set_meta
from app.records.permissions import CLINICAL_ROLES
from app.records.storage.backup import write_backup
from app.records.storage.center import Database, LoggedUser, workstation_name
from app.records.storage.clinical import (
    SPLIT_REVISION,
    ClinicianMustUpgrade,
    remove_clinical_file,
    split_record,
)
from app.records.storage.migrate import (
    PROGRAM_VERSION_KEY,
    check_revision,
    head_revision,
    program_version,
    revision_order,
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


def _migrate(conn: Connection, actor: Actor, found: str, target: str) -> None:
    upgrade(conn, target)
    set_meta(conn, SCHEMA_VERSION_KEY, target)
    set_meta(conn, PROGRAM_VERSION_KEY, program_version())
    append_audit(conn, actor, "record.upgrade", detail=f"{found} -> {target}")


def _before(found: str, revision: str) -> bool:
    order = revision_order()
    return order.index(found) < order.index(revision)


def upgrade_on_open(db: Database, user: LoggedUser) -> Path | None:
    """Back up and migrate an older record; returns the backup written, if any.

    A record from before the clinical split (schema 0006) is migrated up to 0005, split
    by a clinical user (``split_record``), then migrated on; a non-clinical user cannot
    open it until then (ClinicianMustUpgrade), and nothing is written.
    """
    actor = Actor(user.user_id, user.username, user.role, workstation_name())
    head = head_revision()
    with db.write_engine.connect() as conn:
        transaction = conn.begin()  # BEGIN IMMEDIATE: one upgrader at a time
        try:
            found = check_revision(conn)  # another program may have migrated meanwhile
            if found == head:
                transaction.rollback()
                return None
            split = _before(found, SPLIT_REVISION)
            if split and user.role not in CLINICAL_ROLES:
                raise ClinicianMustUpgrade()
            # The lock is held during the backup, so it holds exactly what is migrated.
            backup = _verified_backup(db, found)
        except BaseException:
            transaction.rollback()
            raise
        _prune(db.paths.root)
        target = revision_order()[revision_order().index(SPLIT_REVISION) - 1] if split else head
        _step(conn, transaction, actor, found, target=target, backup=backup)
    if split:
        _split(db, user, found, backup)
        if head != SPLIT_REVISION:
            with db.write_engine.connect() as conn:
                _step(conn, conn.begin(), actor, SPLIT_REVISION, target=head, backup=backup)
    log.info("record upgraded from schema %s to %s; backup %s", found, head, backup)
    return backup


def _step(
    conn: Connection, transaction: RootTransaction, actor: Actor, found: str, *, target: str,
    backup: Path,
) -> None:
    """Migrate ``found`` -> ``target`` and commit, or roll back into MigrationFailed."""
    try:
        if found != target:
            _migrate(conn, actor, found, target)
        transaction.commit()
    except Exception as exc:
        if transaction.is_active:
            transaction.rollback()
        log.error("migration from schema %s failed:\n%s", found, log_safe_traceback(exc))
        raise MigrationFailed(found=found, backup=str(backup), detail=_short(exc)) from exc


def _split(db: Database, user: LoggedUser, found: str, backup: Path) -> None:
    """The clinical split; then the backups written before it are deleted.

    Those backups carry clinical content under the record key, which every user holds:
    once the split is done and checked, keeping them would undo it (ADR 0011).
    """
    try:
        split_record(db, user)
    except ClinicianMustUpgrade:
        raise
    except Exception as exc:
        log.error("the clinical split failed:\n%s", log_safe_traceback(exc))
        with db.read_engine.connect() as conn:
            still_whole = _before(check_revision(conn), SPLIT_REVISION)
        if still_whole:  # the record kept everything: the clinical file was a dead attempt
            remove_clinical_file(db.paths)
        raise MigrationFailed(found=found, backup=str(backup), detail=_short(exc)) from exc
    for old in pre_upgrade_backups(db.paths.root):
        old.unlink(missing_ok=True)
    log.info("clinical content moved to %s; pre-split backups deleted", db.paths.clinical_db)
