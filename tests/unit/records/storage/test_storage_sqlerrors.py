"""Database errors are classified by SQLite result code, provoked on real SQLCipher files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import URL, Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlcipher3 import dbapi2

from app.core.errors import (
    DatabaseLocked,
    DiskFull,
    MedireteError,
    NotADatabase,
    RecordCorrupt,
    RecordReadOnly,
)
from app.records.storage.engine import open_engine, open_plain_engine, raw_key_pragma_value
from app.records.storage.sqlerrors import (
    RecordFileError,
    SqliteCode,
    classify,
    describe_for_log,
    sqlite_code,
    translating_db_errors,
)

KEY = bytes(range(32))
SECRET = "RSSMRA50C12F205X Mario Rossi"  # stands for user data in SQL parameters
PAGE = 4096  # SQLCipher 4's default page size


@pytest.fixture
def engines() -> Iterator[list[Engine]]:
    """Engines a test opens; all disposed afterwards (a mount can then be released)."""
    opened: list[Engine] = []
    yield opened
    for engine in opened:
        engine.dispose()


def make_record(path: Path, rows: int = 0) -> Path:
    """An encrypted record with one table ``t`` of ``rows`` 500-byte rows, checkpointed."""
    engine = open_engine(path, KEY)
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (x BLOB)"))
            for i in range(rows):
                conn.execute(text("INSERT INTO t VALUES (:x)"), {"x": bytes([i % 256]) * 500})
    finally:
        engine.dispose()  # the last connection checkpoints and removes the -wal file
    assert not Path(f"{path}-wal").exists()
    return path


def failure(action: Callable[[], object]) -> DBAPIError:
    """The DBAPIError ``action`` raises."""
    with pytest.raises(DBAPIError) as caught:
        action()
    return caught.value


def code_of(error: BaseException) -> SqliteCode:
    """The SQLite code ``error`` carries (a real driver error always has one)."""
    found = sqlite_code(error)
    assert found is not None, repr(error)
    return found


def insert(engine: Engine, value: object = SECRET) -> None:
    """Write one row in its own transaction."""
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (:x)"), {"x": value})


def count(engine: Engine) -> object:
    """Read every row of ``t`` (so every page is decrypted)."""
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*), sum(length(x)) FROM t")).one()


def no_wait(engine: Engine) -> Engine:
    """Make ``engine`` fail at once on a lock instead of waiting (runs after its own set-up)."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute("PRAGMA busy_timeout = 0")

    return engine


@contextmanager
def tmpfs(where: Path, size: str) -> Iterator[Path]:
    """A real tiny filesystem at ``where`` (root on Linux only; skipped elsewhere)."""
    if sys.platform != "linux" or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root on Linux")
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True, text=True, timeout=30, check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        done = subprocess.run(["umount", str(where)], capture_output=True, timeout=30, check=False)
        if done.returncode != 0:  # something still holds a file: detach it anyway
            subprocess.run(["umount", "-l", str(where)], timeout=30, check=False)


# --- locked -------------------------------------------------------------------------


def test_a_writer_blocked_by_an_exclusive_lock_is_database_locked(tmp_path, engines):
    path = make_record(tmp_path / "record.db")
    holder = dbapi2.connect(str(path), isolation_level=None)
    try:
        holder.execute(f'PRAGMA key = "{raw_key_pragma_value(KEY)}"')
        holder.execute("BEGIN EXCLUSIVE")
        engines.append(engine := no_wait(open_engine(path, KEY)))
        error = failure(lambda: insert(engine))
        assert code_of(error).primary == 5
        assert isinstance(classify(error), DatabaseLocked)
        with pytest.raises(DatabaseLocked) as caught, translating_db_errors():
            insert(engine)
        assert isinstance(caught.value.__cause__, DBAPIError)
    finally:
        holder.rollback()
        holder.close()


# --- read-only ----------------------------------------------------------------------


def test_a_record_opened_read_only_is_record_read_only(tmp_path, engines):
    path = make_record(tmp_path / "record.db")
    url = URL.create(
        "sqlite+pysqlcipher",
        password=raw_key_pragma_value(KEY),
        database=f"file:{path}",
        query={"mode": "ro", "uri": "true"},
    )
    engines.append(engine := create_engine(url))
    assert count(engine) == (0, None)  # the key is right: only writing fails
    error = failure(lambda: insert(engine))
    assert code_of(error).name == "SQLITE_READONLY"
    assert isinstance(classify(error), RecordReadOnly)


def test_a_read_only_file_is_record_read_only(tmp_path, engines):
    if sys.platform != "linux" or os.geteuid() == 0:
        # Root writes through any mode bits, so chmod cannot make the file read-only;
        # the read-only filesystem and ?mode=ro tests cover that case for root.
        pytest.skip("file permissions do not stop root")
    path = make_record(tmp_path / "record.db")
    path.chmod(0o444)
    engines.append(engine := open_engine(path, KEY))
    assert isinstance(classify(failure(lambda: insert(engine))), RecordReadOnly)


def test_a_read_only_filesystem_is_record_read_only(tmp_path, engines):
    with tmpfs(tmp_path / "mnt", "1m") as mnt:
        path = make_record(mnt / "record.db")
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], timeout=30, check=True)
        engines.append(engine := open_engine(path, KEY))
        # A WAL record cannot create its -shm beside it: SQLITE_CANTOPEN.
        assert isinstance(classify(failure(lambda: insert(engine))), RecordReadOnly)
        engine.dispose()


def test_a_record_in_a_missing_folder_cannot_be_opened(tmp_path, engines):
    engines.append(engine := open_engine(tmp_path / "gone" / "record.db", KEY))
    error = failure(lambda: count(engine))
    assert code_of(error).name == "SQLITE_CANTOPEN"
    assert isinstance(classify(error), RecordReadOnly)


# --- not a database -----------------------------------------------------------------


def test_the_wrong_key_is_not_a_database(tmp_path, engines):
    path = make_record(tmp_path / "record.db", rows=3)
    engines.append(engine := open_engine(path, bytes(32)))
    error = failure(lambda: count(engine))
    assert code_of(error).name == "SQLITE_NOTADB"
    assert isinstance(classify(error), NotADatabase)


def test_random_bytes_are_not_a_database(tmp_path, engines):
    path = tmp_path / "record.db"
    path.write_bytes(os.urandom(4 * PAGE))
    engines.append(engine := open_engine(path, KEY))
    assert isinstance(classify(failure(lambda: count(engine))), NotADatabase)


# --- corrupt ------------------------------------------------------------------------


def test_damaged_pages_are_record_corrupt_without_user_data(tmp_path, engines):
    path = make_record(tmp_path / "record.db", rows=200)
    data = bytearray(path.read_bytes())
    assert len(data) > 10 * PAGE
    # Pages 3 and 4 fail their HMAC; page 1 stays intact so the key still opens the file.
    data[2 * PAGE : 4 * PAGE] = b"\xa5" * (2 * PAGE)
    path.write_bytes(bytes(data))
    engines.append(engine := open_engine(path, KEY))
    error = failure(lambda: count(engine))
    known = classify(error)
    assert isinstance(known, RecordCorrupt)
    assert known.fields == {"detail": "SQLITE_CORRUPT"}
    assert "SELECT" not in known.user_message("en")


# --- disk full ----------------------------------------------------------------------


def test_a_record_at_its_page_limit_is_disk_full(tmp_path, engines):
    path = make_record(tmp_path / "record.db")
    engines.append(engine := open_engine(path, KEY))

    @event.listens_for(engine, "connect")
    def limit(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute("PRAGMA max_page_count = 8")

    error = failure(lambda: insert(engine, os.urandom(16 * PAGE)))
    assert code_of(error).name == "SQLITE_FULL"
    assert isinstance(classify(error), DiskFull)


def test_a_full_filesystem_is_disk_full(tmp_path, engines):
    with tmpfs(tmp_path / "mnt", "512k") as mnt:
        path = make_record(mnt / "record.db")
        engines.append(engine := open_engine(path, KEY))

        def fill() -> None:
            for _ in range(64):  # 64 x 64 KiB is far beyond the 512 KiB of the filesystem
                insert(engine, os.urandom(16 * PAGE))

        assert isinstance(classify(failure(fill)), DiskFull)
        engine.dispose()


# --- I/O errors and extended codes ----------------------------------------------------


PROC_MEM = Path("/proc/self/mem")  # reading its offset 0 fails with EIO: a real I/O error


@pytest.mark.skipif(not PROC_MEM.exists(), reason="needs Linux /proc/self/mem")
def test_an_unreadable_file_is_a_file_error(engines):
    engines.append(engine := open_engine(PROC_MEM, KEY, writer=False))
    error = failure(lambda: count(engine))
    assert code_of(error).primary == 10
    known = classify(error)
    assert isinstance(known, RecordFileError)
    assert known.user_message("en") == f"File error: {code_of(error).name}"


@pytest.mark.skipif(not PROC_MEM.exists(), reason="needs Linux /proc/self/mem")
def test_an_extended_code_is_classified_by_its_primary_code(engines):
    # The stdlib driver reports extended codes (sqlcipher3 reports primary ones).
    engines.append(engine := open_plain_engine(PROC_MEM, writer=False))
    error = failure(lambda: count(engine))
    found = code_of(error)
    assert found.code > 0xFF and found.primary == 10
    assert found.name.startswith("SQLITE_IOERR_")
    assert isinstance(classify(error), RecordFileError)


# --- bugs stay bugs -----------------------------------------------------------------


def test_other_database_errors_are_bugs(tmp_path, engines):
    path = make_record(tmp_path / "record.db")
    engines.append(engine := open_engine(path, KEY))
    with engine.begin() as conn:
        conn.execute(text("CREATE UNIQUE INDEX t_x ON t (x)"))
    insert(engine)
    duplicate = failure(lambda: insert(engine))
    syntax = failure(lambda: _bad_sql(engine))
    closed = dbapi2.connect(":memory:")
    closed.close()
    with pytest.raises(dbapi2.ProgrammingError) as caught:
        closed.execute("SELECT 1")
    for error in (duplicate, syntax, caught.value, ValueError("x")):
        assert classify(error) is None
    with pytest.raises(DBAPIError) as raw, translating_db_errors():
        insert(engine)
    assert raw.value.__cause__ is not None  # the original exception, not a translation


def _bad_sql(engine: Engine) -> None:
    with engine.connect() as conn:
        conn.execute(text("SELEC x FROM t"))


def test_log_text_names_the_code_never_the_parameters(tmp_path, engines):
    path = make_record(tmp_path / "record.db")
    engines.append(engine := open_engine(path, KEY))

    @event.listens_for(engine, "connect")
    def limit(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute("PRAGMA max_page_count = 8")

    row = SECRET + "." * (16 * PAGE)
    error = failure(lambda: insert(engine, row))
    assert SECRET not in str(error)  # open_engine hides SQL parameters (hide_parameters)
    assert describe_for_log(error) == "OperationalError (OperationalError) SQLITE_FULL (13)"
    with pytest.raises(MedireteError) as caught, translating_db_errors():
        insert(engine, row)
    assert describe_for_log(caught.value) == (
        f"DiskFull [{DiskFull.message}] from OperationalError (OperationalError) SQLITE_FULL (13)"
    )
    assert describe_for_log(MedireteError("Not found: {what}", what=SECRET)) == (
        "MedireteError [Not found: {what}]"
    )
    assert describe_for_log(KeyError(SECRET)) == "KeyError"
