"""The clinical file: clinical content under a key that only clinical users hold.

``clinical.db`` holds every clinical table and their change log, encrypted by SQLCipher
with the clinical key; ``record.db`` keeps what the front desk and the admin need
(patients, agenda, staff, audit) under the record key every user holds. The clinical key
is sealed in ``keys.json`` to the public key of each clinical user who holds it, and to
nobody else: a secretary's or an admin's password opens nothing that decrypts clinical
content (docs/decisions/0011-clinical-key.md).

- The first clinical user to open a center with no clinical file creates it and its key.
- A record written before schema 0006 is split by the first clinical user who opens it:
  a new key sealed to every clinical user, the clinical file created, the clinical rows
  copied and compared table by table, and only then dropped from ``record.db``.
- A clinical user whose key is not (or no longer) sealed opens the record as the front
  desk does until a colleague grants it (``grant_clinical``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.exc import DBAPIError

from app.core.clock import new_id
from app.core.errors import MedireteError, SchemaTooNew
from app.core.files import open_private
from app.records.journal import SCHEMA_VERSION_KEY, Actor, append_audit, set_meta
from app.records.model import ClinicalMeta, User
from app.records.permissions import CLINICAL_ROLES
from app.records.storage.center import (
    MIN_RECORD_BYTES,
    CenterPaths,
    Database,
    LoggedUser,
    load_keys,
    workstation_name,
)
from app.records.storage.engine import (
    CLINICAL_SCHEMA,
    Attached,
    checkpoint,
    open_engine,
)
from app.records.storage.lock import ClinicalGate, hold_still
from app.records.storage.migrate import (
    PROGRAM_VERSION_KEY,
    clinical_head_revision,
    clinical_revision,
    program_version,
    upgrade,
    upgrade_clinical,
)
from app.records.storage.sqlerrors import translating_db_errors

log = logging.getLogger(__name__)

KEY_BYTES = 32
# The main revision that moves clinical content out, and the clinical revision it fills.
SPLIT_REVISION = "0006"
SPLIT_CLINICAL_REVISION = "c0001"
# Frozen with migration 0006: what the split moves (the clinical tables of schema 0005).
SPLIT_TABLES = (
    "esenzione", "allergy", "problem", "medication", "encounter", "observation",
    "prescription", "vaccination", "document", "device_recording", "care_plan",
    "care_plan_activity", "certificate", "family_history",
)
CHANGE_COLUMNS = "origin, seq, hlc, schema_version, entity, entity_id, op, payload, hash"


class ClinicalAccessPending(MedireteError):
    message = (
        "Your access to clinical content has not been granted yet: a doctor or nurse of "
        "the center grants it from their session"
    )


class ClinicianMustUpgrade(MedireteError):
    message = (
        "This record must first be upgraded by a doctor or a nurse of the center (it "
        "separates clinical content under its own key): ask one of them to log in"
    )


class ClinicalFileMissing(MedireteError):
    message = (
        "The clinical file {path} is missing or belongs to another record: restore it "
        "from a backup"
    )


class SplitFailed(MedireteError):
    message = "Separating clinical content failed, nothing was removed: {detail}"


# -- the file --------------------------------------------------------------------------------
def _direct(paths: CenterPaths, key: bytes, *, writer: bool = True) -> Engine:
    """An engine on the clinical file alone (its migrations and checks)."""
    return open_engine(paths.clinical_db, key, writer=writer)


def remove_clinical_file(paths: CenterPaths) -> None:
    """Delete a clinical file and its WAL (a dead attempt, never live content)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{paths.clinical_db}{suffix}").unlink(missing_ok=True)


def create_clinical_file(
    paths: CenterPaths, key: bytes, center_id: str, generation: str, target: str = "head"
) -> None:
    """A new, empty clinical file at ``target`` belonging to this center and key."""
    remove_clinical_file(paths)
    open_private(paths.clinical_db).close()  # owner-only from the first byte
    engine = _direct(paths, key)
    try:
        with translating_db_errors(), engine.begin() as conn:
            upgrade_clinical(conn, target)
            conn.execute(insert(ClinicalMeta), [
                {"key": "center_id", "value": center_id},
                {"key": "generation", "value": generation},
            ])
        with translating_db_errors():
            checkpoint(engine)
    finally:
        engine.dispose()


def _file_facts(conn: Connection) -> dict[str, str]:
    return {str(k): str(v) for k, v in conn.execute(select(ClinicalMeta.key, ClinicalMeta.value))}


def check_clinical_file(paths: CenterPaths, key: bytes, center_id: str, generation: str) -> None:
    """The clinical file is there, opens with ``key``, is this center's; migrate it if old."""
    path = paths.clinical_db
    if not path.is_file() or path.stat().st_size < MIN_RECORD_BYTES:
        raise ClinicalFileMissing(path=str(path))
    engine = _direct(paths, key, writer=False)
    try:
        with engine.connect() as conn:
            facts = _file_facts(conn)
            revision = clinical_revision(conn)
    except DBAPIError:
        raise ClinicalFileMissing(path=str(path)) from None
    finally:
        engine.dispose()
    if facts.get("center_id") != center_id or facts.get("generation") != generation:
        raise ClinicalFileMissing(path=str(path))
    if revision != clinical_head_revision():
        _upgrade_file(paths, key, revision)


def _upgrade_file(paths: CenterPaths, key: bytes, found: str | None) -> None:
    from app.records.storage.migrate import _revisions_in, clinical_migrations_dir

    if found not in _revisions_in(clinical_migrations_dir())[1]:
        raise SchemaTooNew(found=str(found), known=clinical_head_revision(), version="?")
    gate = ClinicalGate(paths.root)
    gate.enter()
    engine = _direct(paths, key)
    try:
        with translating_db_errors(), engine.begin() as conn:  # BEGIN IMMEDIATE: one upgrader
            if clinical_revision(conn) != clinical_head_revision():
                upgrade_clinical(conn)
    finally:
        engine.dispose()
        gate.leave()
        gate.close()


# -- opening -----------------------------------------------------------------------------
def open_clinical(db: Database, user: LoggedUser, private: X25519PrivateKey) -> None:
    """Attach the clinical file for a clinical user holding its key (else: front desk)."""
    if user.role not in CLINICAL_ROLES:
        return
    keys = load_keys(db.paths)
    key = keys.unseal_clinical(user.username, private)
    if key is None and keys.clinical_key_id is None:
        key = _found(db, user, private)
        keys = load_keys(db.paths)
    if key is None or keys.clinical_key_id is None:
        log.info("clinical access of %s is pending a grant", user.username)
        return
    check_clinical_file(db.paths, key, db.center_id, keys.clinical_key_id)
    db.attach_clinical(key)


def _actor(user: LoggedUser) -> Actor:
    return Actor(user.user_id, user.username, user.role, workstation_name())


def _found(db: Database, user: LoggedUser, private: X25519PrivateKey) -> bytes | None:
    """The first clinical user of a new center creates the clinical file and its key."""
    lock = hold_still(db.paths.root)  # one founder, even if two clinicians log in at once
    try:
        keys = load_keys(db.paths)
        if keys.clinical_key_id is not None:  # another clinician was first
            return keys.unseal_clinical(user.username, private)
        key, generation = os.urandom(KEY_BYTES), new_id()
        create_clinical_file(db.paths, key, db.center_id, generation)
        keys.clinical_key_id = generation
        keys.seal_clinical(user.username, key)
        keys.save(db.paths.keys)  # from here on the file's key exists outside this program
        with translating_db_errors(), db.write_engine.begin() as conn:
            append_audit(conn, _actor(user), "clinical.create", detail=generation)
        return key
    finally:
        lock.close()


def clinical_users(conn: Connection) -> list[str]:
    """The active users whose role reads clinical content."""
    rows = conn.execute(
        select(User.username).where(User.active, User.role.in_(sorted(CLINICAL_ROLES)))
    )
    return [str(row[0]) for row in rows]


# -- the split of an older record ------------------------------------------------------------
def split_record(db: Database, user: LoggedUser) -> None:
    """Move the clinical content of a schema-0005 record into a new clinical file."""
    if user.role not in CLINICAL_ROLES:
        raise ClinicianMustUpgrade()
    paths = db.paths
    lock = hold_still(paths.root)
    try:
        keys = load_keys(paths)
        key, generation = os.urandom(KEY_BYTES), new_id()
        with db.read_engine.connect() as conn:
            sealed_to = [name for name in clinical_users(conn) if name in keys.users]
        keys.clinical_key_id = generation
        for name in sealed_to:
            keys.seal_clinical(name, key)
        create_clinical_file(paths, key, db.center_id, generation, SPLIT_CLINICAL_REVISION)
        keys.save(paths.keys)  # before anything is copied: the key never lives only here
        engine = open_engine(paths.db, db.db_key, writer=True,
                             clinical=Attached(paths.clinical_db, key))
        try:
            _copy(engine)
            _compare(engine)
            _drop_from_main(engine, _actor(user), generation, len(sealed_to))
            with translating_db_errors():
                checkpoint(engine)
        finally:
            engine.dispose()
    finally:
        lock.close()


def _quoted_list(names: Iterable[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)


def _columns(conn: Connection, schema: str, table: str) -> list[str]:
    return [str(row[1]) for row in conn.exec_driver_sql(f'PRAGMA {schema}.table_info("{table}")')]


def _copy(engine: Engine) -> None:
    """One transaction that writes only the clinical file (so it commits atomically)."""
    c = CLINICAL_SCHEMA
    with translating_db_errors(), engine.begin() as conn:
        for table in SPLIT_TABLES:
            columns = ", ".join(f'"{name}"' for name in _columns(conn, "main", table))
            conn.exec_driver_sql(
                f"INSERT INTO {c}.{table} ({columns}) SELECT {columns} FROM main.{table}"
            )
        conn.exec_driver_sql(
            f"INSERT INTO {c}.clinical_change ({CHANGE_COLUMNS}) SELECT {CHANGE_COLUMNS} "
            f"FROM main.change_log WHERE entity IN ({_quoted_list(SPLIT_TABLES)})"
        )
        conn.exec_driver_sql(
            f"INSERT INTO {c}.appointment_note (appointment_id, patient_id, note, "
            "clinical_reason) SELECT id, patient_id, note, clinical_reason FROM main.appointment "
            "WHERE note IS NOT NULL OR clinical_reason IS NOT NULL"
        )


def _rows(conn: Connection, sql: str) -> list[tuple[object, ...]]:
    return [tuple(row) for row in conn.exec_driver_sql(sql)]


def _compare(engine: Engine) -> None:
    """Every copied row is in the clinical file exactly as it was in the record."""
    c = CLINICAL_SCHEMA
    with engine.connect() as conn:
        for table in SPLIT_TABLES:
            columns = ", ".join(f'"{name}"' for name in _columns(conn, "main", table))
            query = f"SELECT {columns} FROM {{}}.{table} ORDER BY id"
            if _rows(conn, query.format("main")) != _rows(conn, query.format(c)):
                raise SplitFailed(detail=f"{table} differs after the copy")
        changes = (f"SELECT {CHANGE_COLUMNS} FROM {{}} WHERE entity IN "
                   f"({_quoted_list(SPLIT_TABLES)}) ORDER BY origin, seq")
        if _rows(conn, changes.format("main.change_log")) != _rows(
            conn, changes.format(f"{c}.clinical_change")
        ):
            raise SplitFailed(detail="the clinical change log differs after the copy")


def _drop_from_main(engine: Engine, actor: Actor, generation: str, sealed: int) -> None:
    """Migration 0006 on the record: clinical tables and notes dropped, pages zeroed."""
    from app.records.storage.guards import append_only_guard_sql

    quoted = _quoted_list(SPLIT_TABLES)
    with translating_db_errors(), engine.begin() as conn:
        # Freed pages are overwritten with zeros: the record key must not read them later.
        conn.exec_driver_sql("PRAGMA main.secure_delete = ON")
        conn.exec_driver_sql("DROP TRIGGER main.change_log_append_only_delete")
        conn.exec_driver_sql(f"DELETE FROM main.change_log WHERE entity IN ({quoted})")
        for statement in append_only_guard_sql("change_log"):
            if "append_only_delete" in statement:
                conn.exec_driver_sql(statement)
        upgrade(conn, SPLIT_REVISION)
        set_meta(conn, SCHEMA_VERSION_KEY, SPLIT_REVISION)
        set_meta(conn, PROGRAM_VERSION_KEY, program_version())
        append_audit(conn, actor, "record.upgrade", detail=f"0005 -> {SPLIT_REVISION}")
        append_audit(conn, actor, "clinical.split",
                     detail=f"generation {generation}, sealed to {sealed} clinical users")


# -- grants --------------------------------------------------------------------------------
def pending_clinical_users(db: Database) -> list[str]:
    """Active clinical users to whom the clinical key is not sealed."""
    keys = load_keys(db.paths)
    with db.read_engine.connect() as conn:
        names = clinical_users(conn)
    return [name for name in names if name in keys.users and not keys.has_clinical(name)]


def grant_clinical(db: Database, username: str) -> None:
    """Seal the clinical key (which this program holds) to ``username``'s public key."""
    if db.clinical_key is None:
        raise ClinicalAccessPending()
    keys = load_keys(db.paths)
    if username not in keys.users:
        raise ValueError(f"{username} has no key entry")
    keys.seal_clinical(username, db.clinical_key)
    keys.save(db.paths.keys)
