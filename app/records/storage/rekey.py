"""Re-encrypting the record with a new database key, safely across a crash."""

from __future__ import annotations

import os

import sqlcipher3
from sqlalchemy import text

from app.core.clock import new_id
from app.core.errors import IntegrityFailure
from app.records.storage.center import Database, load_keys
from app.records.storage.engine import open_engine, raw_key_pragma_value

NEXT_SUFFIX = ".next"


def rekey(db: Database) -> None:
    """Generate a new key, re-encrypt every page, and seal the key to every user.

    The new key file is written (as keys.json.next) before the database changes, and
    renamed over keys.json after: if the process dies in between, ``unlock`` finds
    the database opens with the ``.next`` keys and finishes the switch.
    """
    keys = load_keys(db.paths)
    new_key = os.urandom(32)
    keys.reseal_all(new_id(), new_key)
    pending = db.paths.keys.with_name(db.paths.keys.name + NEXT_SUFFIX)
    keys.save(pending)
    db.read_engine.dispose()
    db.write_engine.dispose()
    # A plain driver connection: PRAGMA rekey must run outside any transaction, and
    # each PRAGMA's result row is fetched so no statement stays open.
    conn = sqlcipher3.connect(str(db.paths.db), isolation_level=None)
    try:
        conn.execute(f'PRAGMA key = "{raw_key_pragma_value(db.db_key)}"').fetchall()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        conn.execute(f'PRAGMA rekey = "{raw_key_pragma_value(new_key)}"').fetchall()
    finally:
        conn.close()
    os.replace(pending, db.paths.keys)
    db.db_key = new_key
    db.write_engine = open_engine(db.paths.db, new_key, writer=True)
    db.read_engine = open_engine(db.paths.db, new_key, writer=False)
    with db.read_engine.connect() as conn:
        if conn.execute(text("PRAGMA cipher_integrity_check")).first() is not None:
            raise IntegrityFailure(detail="re-encrypted pages fail their check")
