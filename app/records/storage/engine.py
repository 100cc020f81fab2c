"""SQLCipher engines keyed with the raw database key."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event

from app.core.errors import DatabaseLocked

PLAIN_SQLITE_HEADER = b"SQLite format 3\x00"


def raw_key_pragma_value(db_key: bytes) -> str:
    """SQLCipher's raw-key literal: x'<64 hex>' (no passphrase KDF on open)."""
    return f"x'{db_key.hex()}'"


CLINICAL_SCHEMA = "clinical"
# Page cache of a writer's connection, per database (KiB; SQLite's default is 2 MiB).
# A batch of an initial sync inserts thousands of rows into indexes keyed by random ids:
# with 2 MiB, dirty pages were spilled and re-encrypted mid-transaction, and applying a
# batch of 20,000 entries took 9 times as long per entry as one of 5,000 (measured in
# docs/benchmarks.md). The cache grows only as pages are used.
WRITER_CACHE_KIB = 65536


@dataclass(frozen=True)
class Attached:
    """The clinical database attached to every connection of an engine, with its key."""

    path: Path
    key: bytes


def _attach(cursor: Any, clinical: Attached, cache: str) -> None:
    # ATTACH cannot run inside a transaction: on connect is the only place for it.
    cursor.execute(f"ATTACH DATABASE ? AS {CLINICAL_SCHEMA} KEY ?",
                   (str(clinical.path), raw_key_pragma_value(clinical.key)))
    cursor.execute(f"PRAGMA {CLINICAL_SCHEMA}.journal_mode = WAL")
    cursor.execute(f"PRAGMA {CLINICAL_SCHEMA}.synchronous = FULL")
    if cache:
        cursor.execute(f"PRAGMA {CLINICAL_SCHEMA}.cache_size = {cache}")


def _configure(
    engine: Engine, *, immediate: bool, cipher: bool = True, clinical: Attached | None = None
) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event drive transactions (pysqlite quirk).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        if cipher:
            cursor.execute("PRAGMA cipher_memory_security = OFF")
            # SQLCipher's own log goes to stderr: a damaged file is our message, not 7,000 lines.
            cursor.execute("PRAGMA cipher_log_level = NONE")
        cursor.execute("PRAGMA journal_mode = WAL")
        # FULL: a commit acknowledged to the user survives power loss, not only a crash.
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 10000")
        cache = f"-{WRITER_CACHE_KIB}" if immediate else ""
        if cache:
            cursor.execute(f"PRAGMA cache_size = {cache}")
        if clinical is not None:
            _attach(cursor, clinical, cache)
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Any) -> None:
        # Writers take the lock up front so two processes never deadlock on upgrade.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def open_engine(
    path: Path, db_key: bytes, *, writer: bool = True, clinical: Attached | None = None
) -> Engine:
    """An engine on the encrypted database at ``path`` (with the clinical one attached)."""
    url = URL.create(
        "sqlite+pysqlcipher",
        password=raw_key_pragma_value(db_key),
        database=str(path),
    )
    # SQL parameters (names, addresses, codici fiscali) never reach an error text or a log.
    engine = create_engine(url, hide_parameters=True)
    _configure(engine, immediate=writer, clinical=clinical)
    return engine


def open_plain_engine(path: Path, *, writer: bool = True) -> Engine:
    """An engine on a plain SQLite file (benchmark baseline only)."""
    engine = create_engine(f"sqlite:///{path}", hide_parameters=True)
    _configure(engine, immediate=writer, cipher=False)
    return engine


def checkpoint(engine: Engine) -> None:
    """Copy the WAL into the database file and empty it, checking SQLite's answer.

    An automatic checkpoint that fails (a full disk) is silent: the data stay in the WAL
    and the program carries on. After a bulk job the result is read: an error (disk full)
    propagates, and "busy" (another connection still reading) is DatabaseLocked.
    """
    raw = engine.raw_connection()
    try:
        driver = raw.driver_connection
        assert driver is not None
        schemas = [row[1] for row in driver.execute("PRAGMA database_list")]
        rows = [driver.execute(f"PRAGMA {schema}.wal_checkpoint(TRUNCATE)").fetchone()
                for schema in schemas if schema != "temp"]
    finally:
        raw.close()
    if any(row is None or row[0] != 0 for row in rows):
        raise DatabaseLocked()
