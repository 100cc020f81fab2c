"""SQLite/SQLCipher failures classified by result code: known ones become MedireteErrors.

The model is qutebrowser's ``misc/sql.py``: a few primary result codes are conditions a
person can act on (busy, disk full, read-only, damaged file, wrong key); every other
code is a bug and is left alone so the front ends show a report. The message text of a
driver error is never matched (it is not stable and may be localised), and the text of a
SQLAlchemy ``DBAPIError`` is never logged: it carries the SQL and its parameters.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.exc import DBAPIError

from app.core.errors import (
    DatabaseLocked,
    DiskFull,
    MedireteError,
    NotADatabase,
    RecordCorrupt,
    RecordReadOnly,
)

# Primary result codes (https://sqlite.org/rescode.html); extended codes keep these
# in their low byte, e.g. SQLITE_IOERR_WRITE = SQLITE_IOERR | (3 << 8).
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26

_ERROR_NAME = re.compile(r"SQLITE_[A-Z0-9_]+")


class RecordFileError(MedireteError):
    """The operating system failed to read or write the record file (SQLITE_IOERR)."""

    # Reuses the CLI's catalogued msgid; ``detail`` is the SQLite error name only.
    message = "File error: {detail}"


@dataclass(frozen=True)
class SqliteCode:
    """The result code a driver error carries, as reported (possibly extended)."""

    code: int
    name: str

    @property
    def primary(self) -> int:
        """The primary result code (the low byte of an extended one)."""
        return self.code & 0xFF


def sqlite_code(exc: BaseException | None) -> SqliteCode | None:
    """The SQLite result code behind ``exc`` (a SQLAlchemy DBAPIError or a driver error)."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    # sqlcipher3 (like the stdlib sqlite3 since 3.11) sets these on every error raised
    # from a SQLite call; errors of the module itself (closed connection...) have none.
    code = getattr(orig, "sqlite_errorcode", None)
    if not isinstance(code, int) or isinstance(code, bool):
        return None
    name = getattr(orig, "sqlite_errorname", None)
    if not isinstance(name, str) or not _ERROR_NAME.fullmatch(name):
        name = f"SQLITE_ERROR_{code}"
    return SqliteCode(code, name)


def _corrupt(name: str) -> MedireteError:
    return RecordCorrupt(detail=name)


def _file_error(name: str) -> MedireteError:
    return RecordFileError(detail=name)


# Each known primary code and the error a person sees; ``name`` is the SQLite error name.
_KNOWN: dict[int, Callable[[str], MedireteError]] = {
    SQLITE_BUSY: lambda _name: DatabaseLocked(),
    SQLITE_LOCKED: lambda _name: DatabaseLocked(),
    SQLITE_READONLY: lambda _name: RecordReadOnly(),
    # SQLite cannot open the file or create its -wal/-shm beside it: almost always the
    # permissions of the file or of its folder, which is what RecordReadOnly asks to check.
    SQLITE_CANTOPEN: lambda _name: RecordReadOnly(),
    SQLITE_IOERR: _file_error,
    SQLITE_CORRUPT: _corrupt,
    SQLITE_FULL: lambda _name: DiskFull(),
    SQLITE_NOTADB: lambda _name: NotADatabase(),
}


def classify(exc: BaseException) -> MedireteError | None:
    """The expected failure a database error stands for, or None when it is a bug."""
    found = sqlite_code(exc)
    if found is None:
        return None
    make = _KNOWN.get(found.primary)
    return make(found.name) if make is not None else None


@contextmanager
def translating_db_errors() -> Iterator[None]:
    """Re-raise known database errors as their MedireteError, chained ``from`` the original."""
    try:
        yield
    except Exception as exc:
        known = classify(exc)
        if known is None:
            raise
        raise known from exc


def describe_for_log(exc: BaseException) -> str:
    """A log line for ``exc`` with no user data: class names, msgid and SQLite code only."""
    found = sqlite_code(exc)
    if found is not None:
        driver = exc.orig if isinstance(exc, DBAPIError) else None
        kind = type(exc).__name__
        if driver is not None:
            kind += f" ({type(driver).__name__})"
        return f"{kind} {found.name} ({found.code})"
    if isinstance(exc, MedireteError):
        # The msgid, not the message: its fields may hold a name or a codice fiscale.
        text = f"{type(exc).__name__} [{exc.msgid}]"
        cause = exc.__cause__
        if cause is not None and sqlite_code(cause) is not None:
            text += f" from {describe_for_log(cause)}"
        return text
    return type(exc).__name__
