"""Re-encrypting the record with a new database key, safely across a crash and other programs."""

from __future__ import annotations

import os
from pathlib import Path

import sqlcipher3
from sqlalchemy import text

from app.core.clock import new_id
from app.core.errors import IntegrityFailure
from app.records.storage.anchor import load_anchor, read_head, write_anchor
from app.records.storage.center import Database, load_keys
from app.records.storage.engine import open_engine, raw_key_pragma_value
from app.records.storage.lock import CenterLock, RecordInUse

NEXT_SUFFIX = ".next"


def rekey(db: Database) -> None:
    """Generate a new key, re-encrypt every page, and seal the key to every user.

    The whole re-key holds the center lock exclusive (RecordInUse if another program
    has the record open), so no other program unlocks, and none resolves the
    ``keys.json.next`` written here, until the new key file is in place. The new key
    file is written as ``keys.json.next`` before the database changes and renamed over
    ``keys.json`` after: if the process dies in between, the next unlock that can hold
    the lock alone finds the key the database opens with and finishes the switch.
    """
    lock = db.lock if db.lock is not None else CenterLock(db.paths.root)
    # No connection of this program stays open across the change of lock mode: one left
    # open during another program's PRAGMA rekey keeps that re-key's pages in the WAL.
    db.read_engine.dispose()
    db.write_engine.dispose()
    lock.exclusive()
    try:
        _rekey_alone(db)
    finally:
        if lock is db.lock:
            lock.shared()  # the record stays open in this program
        else:
            lock.close()


def _rekey_alone(db: Database) -> None:
    keys = load_keys(db.paths)
    if db.key_id is not None and keys.key_id != db.key_id:
        # Another program re-keyed while this one was changing lock modes.
        raise RecordInUse()
    try:
        anchored = load_anchor(db.paths.root, db.db_key)
    except ValueError:
        anchored = None  # verify reports a damaged anchor; the re-key replaces it
    new_key = os.urandom(32)
    keys.reseal_all(new_id(), new_key)
    pending = db.paths.keys.with_name(db.paths.keys.name + NEXT_SUFFIX)
    keys.save(pending)
    db.read_engine.dispose()
    db.write_engine.dispose()
    _reencrypt(db.paths.db, db.db_key, new_key)
    os.replace(pending, db.paths.keys)
    db.db_key, db.key_id = new_key, keys.key_id
    db.write_engine = open_engine(db.paths.db, new_key, writer=True)
    db.read_engine = open_engine(db.paths.db, new_key, writer=False)
    with db.read_engine.connect() as conn:
        if conn.execute(text("PRAGMA cipher_integrity_check")).first() is not None:
            raise IntegrityFailure(detail="re-encrypted pages fail their check")
        head = read_head(conn)
    if anchored is not None:  # the anchor moves to the new key, never backwards
        write_anchor(db.paths.root, new_key, anchored, replace=True)
    write_anchor(db.paths.root, new_key, head)


def _reencrypt(path: Path, old_key: bytes, new_key: bytes) -> None:
    """Run PRAGMA rekey on the database file (tests wrap this to act at this moment)."""
    # A plain driver connection: PRAGMA rekey must run outside any transaction, and
    # each PRAGMA's result row is fetched so no statement stays open.
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    try:
        conn.execute(f'PRAGMA key = "{raw_key_pragma_value(old_key)}"').fetchall()
        conn.execute("PRAGMA cipher_log_level = NONE").fetchall()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        conn.execute(f'PRAGMA rekey = "{raw_key_pragma_value(new_key)}"').fetchall()
    finally:
        conn.close()
