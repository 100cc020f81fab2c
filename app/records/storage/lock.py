"""The center lock: every program with the record open shares it; a re-key holds it alone.

``record.lock`` in the center folder is locked as a whole: shared by ``unlock`` and for
the whole life of an open record (until ``Database.close()``), exclusive while a re-key
runs and while a leftover ``keys.json.next`` is resolved. The operating system drops
the lock of a process that dies (``flock`` on POSIX, ``LockFileEx`` on Windows), so a
crash never leaves the center locked. Locks belong to one open file: two handles in one
process conflict like two processes do. Moving between shared and exclusive is done by
releasing and taking again (neither platform promises an atomic change), so whoever
holds the key after a change must re-read ``keys.json``.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
import weakref
from pathlib import Path
from typing import Literal

from app.core.errors import MedireteError

log = logging.getLogger(__name__)

LOCK_FILE = "record.lock"
# An opener waits this long for a re-key to finish before refusing.
OPEN_WAIT_SECONDS = 60.0
# A re-key waits this long for other programs to close the record before refusing.
REKEY_WAIT_SECONDS = 3.0
_POLL_SECONDS = 0.05
Mode = Literal["shared", "exclusive"]
_O_BINARY = getattr(os, "O_BINARY", 0)


class RecordInUse(MedireteError):
    message = "The record is open in another program: close it, then re-key"


class RekeyInProgress(MedireteError):
    message = "A re-key of the record is in progress: try again in a few minutes"


class RekeyUnfinished(MedireteError):
    message = (
        "A re-key of the record was interrupted: close the record in every other program,"
        " then open it again"
    )


if sys.platform == "win32":
    import ctypes
    import msvcrt
    from ctypes import wintypes

    _LOCKFILE_FAIL_IMMEDIATELY = 0x1
    _LOCKFILE_EXCLUSIVE_LOCK = 0x2
    _ERROR_LOCK_VIOLATION = 33
    _ERROR_IO_PENDING = 997

    class _Overlapped(ctypes.Structure):
        _fields_ = [
            ("Internal", ctypes.c_size_t),
            ("InternalHigh", ctypes.c_size_t),
            ("Offset", wintypes.DWORD),
            ("OffsetHigh", wintypes.DWORD),
            ("hEvent", wintypes.HANDLE),
        ]

    _kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    _lock_file_ex = _kernel32.LockFileEx
    _lock_file_ex.argtypes = [
        wintypes.HANDLE,
        wintypes.DWORD,
        wintypes.DWORD,
        wintypes.DWORD,
        wintypes.DWORD,
        ctypes.POINTER(_Overlapped),
    ]
    _lock_file_ex.restype = wintypes.BOOL
    _unlock_file_ex = _kernel32.UnlockFileEx
    _unlock_file_ex.argtypes = [
        wintypes.HANDLE,
        wintypes.DWORD,
        wintypes.DWORD,
        wintypes.DWORD,
        ctypes.POINTER(_Overlapped),
    ]
    _unlock_file_ex.restype = wintypes.BOOL

    def _try_lock(fd: int, exclusive: bool) -> bool:
        # LockFileEx (unlike msvcrt.locking) has shared locks; the first byte stands for
        # the whole file (locking past the end of a file is allowed).
        flags = _LOCKFILE_FAIL_IMMEDIATELY | (_LOCKFILE_EXCLUSIVE_LOCK if exclusive else 0)
        overlapped = _Overlapped()
        handle = msvcrt.get_osfhandle(fd)
        if _lock_file_ex(handle, flags, 0, 1, 0, ctypes.byref(overlapped)):
            return True
        error = ctypes.get_last_error()
        if error in (_ERROR_LOCK_VIOLATION, _ERROR_IO_PENDING):
            return False
        raise ctypes.WinError(error)

    def _unlock(fd: int) -> None:
        overlapped = _Overlapped()
        if not _unlock_file_ex(msvcrt.get_osfhandle(fd), 0, 1, 0, ctypes.byref(overlapped)):
            raise ctypes.WinError(ctypes.get_last_error())

else:
    import fcntl

    def _try_lock(fd: int, exclusive: bool) -> bool:
        operation = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
        try:
            fcntl.flock(fd, operation)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class CenterLock:
    """This program's hold on one center's ``record.lock`` (shared, exclusive or none)."""

    def __init__(self, root: Path, name: str = LOCK_FILE) -> None:
        self.path = root / name
        try:
            # Owner-only, like the other files of the center; the file itself stays empty.
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | _O_BINARY, 0o600)
        except OSError:
            # A read-only folder or disk: an existing lock file still locks when read-only.
            fd = os.open(self.path, os.O_RDONLY | _O_BINARY)
        self._fd: int | None = fd
        self.mode: Mode | None = None
        # A lock never closed (an open that failed half-way) goes with its object:
        # closing the file drops the lock on both platforms.
        self._closer = weakref.finalize(self, os.close, fd)

    def _file(self) -> int:
        if self._fd is None:
            raise RuntimeError("the center lock was closed")  # a bug, not a user error
        return self._fd

    def _release(self) -> None:
        if self.mode is not None:
            _unlock(self._file())
            self.mode = None

    def _take(self, exclusive: bool, seconds: float) -> bool:
        """Release what is held, then try for ``seconds``; False if others kept it."""
        fd = self._file()
        self._release()
        deadline = time.monotonic() + seconds
        while not _try_lock(fd, exclusive):
            if time.monotonic() >= deadline:
                return False
            time.sleep(_POLL_SECONDS)
        self.mode = "exclusive" if exclusive else "shared"
        return True

    def shared(self, seconds: float | None = None) -> None:
        """Hold the lock shared, waiting a bounded time for a re-key to end."""
        wait = OPEN_WAIT_SECONDS if seconds is None else seconds
        if self._take(exclusive=False, seconds=0):
            return
        log.info("waiting for the re-key in progress in %s", self.path.parent)
        if not self._take(exclusive=False, seconds=wait):
            raise RekeyInProgress()

    def try_exclusive(self, seconds: float = 0.0) -> bool:
        """Hold the lock alone if no other program has the record open within ``seconds``.

        On failure the lock is held as before (shared or not at all).
        """
        before = self.mode
        if self._take(exclusive=True, seconds=seconds):
            return True
        if before == "shared":
            self.shared()
        return False

    def exclusive(self, seconds: float | None = None) -> None:
        """Hold the lock alone, or raise RecordInUse (the lock is then held as before)."""
        wait = REKEY_WAIT_SECONDS if seconds is None else seconds
        if not self.try_exclusive(wait):
            raise RecordInUse()

    def release(self) -> None:
        """Hold nothing (the file stays open for a later ``shared``)."""
        self._release()

    def close(self) -> None:
        """Release the lock and close the file; closing twice is harmless."""
        if self._fd is None:
            return
        try:
            self._release()
        finally:
            self._closer()
            self._fd = None



CLINICAL_GATE_FILE = "clinical.lock"
# A clinical write waits this long for a backup's copy of the clinical file to finish.
GATE_WAIT_SECONDS = 120.0
# A backup waits this long for clinical writes in progress to end.
COPY_WAIT_SECONDS = 30.0


class BackupCopyInProgress(MedireteError):
    message = "A backup is copying the clinical record: try again in a minute"


class ClinicalBusy(MedireteError):
    message = "The clinical record is being written without pause: try the backup again"


class ClinicalGate:
    """Keeps the clinical file still while a backup copies its bytes (``clinical.lock``).

    An admin backs up the clinical file without its key, so the copy is of the raw
    encrypted ``clinical.db`` and its WAL, and they are only consistent while nobody
    commits or checkpoints. Every program that writes the clinical file holds this lock
    shared around each write transaction and each close (commits and checkpoints happen
    only there); a backup holds it exclusive for the copy (ADR 0011).
    """

    def __init__(self, root: Path) -> None:
        self._root = root
        self._lock: CenterLock | None = None
        self._holders = 0
        self._mutex = threading.Lock()

    def enter(self) -> None:
        """One more write in this program; the first takes the lock shared."""
        with self._mutex:
            if self._holders == 0:
                if self._lock is None:
                    self._lock = CenterLock(self._root, CLINICAL_GATE_FILE)
                if not self._lock._take(exclusive=False, seconds=GATE_WAIT_SECONDS):
                    raise BackupCopyInProgress()
            self._holders += 1

    def leave(self) -> None:
        """One write fewer; the last releases the lock."""
        with self._mutex:
            self._holders -= 1
            if self._holders == 0 and self._lock is not None:
                self._lock.release()

    def close(self) -> None:
        """Forget the lock file (after the engines are closed)."""
        with self._mutex:
            if self._lock is not None:
                self._lock.close()
                self._lock = None


def hold_still(root: Path, seconds: float = COPY_WAIT_SECONDS) -> CenterLock:
    """The clinical gate held exclusive (close the returned lock to let writes go on)."""
    lock = CenterLock(root, CLINICAL_GATE_FILE)
    if not lock._take(exclusive=True, seconds=seconds):
        lock.close()
        raise ClinicalBusy()
    return lock
