"""Files only their owner can read: the record, its keys, its backups and the logs.

On POSIX files are created 0600 and folders 0700, explicitly where we create them: the
process-wide umask that both programs set (``restrict_umask``) is only a belt, since the
code may run embedded or under a test runner without it. SQLite gives a database's
-wal and -shm files the mode of the database itself, so a 0600 ``record.db`` is enough
for those. On Windows a file mode means nothing: the hook gives a path an owner-only
ACL with ``icacls`` (inheritance removed, full control to the current user only; on
folders inherited by what is created inside, so SQLite's -wal and -shm get it too).
``set_windows_hook`` replaces it (tests on POSIX record the calls).
"""

from __future__ import annotations

import logging
import os
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

OWNER_FILE = 0o600
OWNER_DIR = 0o700
PRIVATE_UMASK = 0o077

log = logging.getLogger(__name__)

WindowsHook = Callable[[Path], None]
_CREATE_NO_WINDOW = 0x08000000


def icacls_command(path: Path, user: str, *, folder: bool) -> list[str]:
    """The ``icacls`` call that leaves ``path`` to ``user`` alone (DOMAIN\\user)."""
    rights = "(OI)(CI)F" if folder else "F"
    return ["icacls", str(path), "/inheritance:r", "/grant:r", f"{user}:{rights}", "/Q"]


def windows_user() -> str:
    """The account running the program, as icacls names it."""
    domain, user = os.environ.get("USERDOMAIN", ""), os.environ.get("USERNAME", "")
    return f"{domain}\\{user}" if domain else user


def icacls_owner_only(path: Path) -> None:
    """Give ``path`` an ACL that only the current Windows account can use."""
    command = icacls_command(path, windows_user(), folder=path.is_dir())
    done = subprocess.run(command, capture_output=True, check=False, timeout=30,
                          creationflags=_CREATE_NO_WINDOW)
    if done.returncode != 0:
        raise OSError(f"icacls could not restrict {path}: "
                      f"{done.stdout.decode(errors='replace').strip()[:200]}")


# Module state rather than a constant so that tests on POSIX can exercise the Windows path.
_is_posix = os.name == "posix"
_windows_hook: WindowsHook | None = None if _is_posix else icacls_owner_only
_warned = False


def restrict_umask() -> int:
    """Make every file this process creates from now on owner-only; returns the old umask."""
    return os.umask(PRIVATE_UMASK)


def set_windows_hook(hook: WindowsHook | None) -> WindowsHook | None:
    """Install the function that gives a path an owner-only ACL on Windows; returns the old one."""
    global _windows_hook
    previous, _windows_hook = _windows_hook, hook
    return previous


def _restrict(path: Path, fd: int | None = None) -> None:
    global _warned
    if _is_posix:
        mode = OWNER_DIR if fd is None and path.is_dir() else OWNER_FILE
        if fd is not None:
            os.chmod(fd, mode)  # an existing file keeps its old mode through os.open
        else:
            os.chmod(path, mode)
    elif _windows_hook is not None:
        _windows_hook(path)
    elif not _warned:
        _warned = True
        log.info("no owner-only ACL hook installed: files inherit their folder's ACL")


def make_private(path: Path) -> None:
    """Restrict an existing file (0600) or folder (0700) to its owner."""
    _restrict(path)


def private_fd(path: Path, *, append: bool = False) -> int:
    """A descriptor on ``path`` for writing (truncated, or appended to), owner-only."""
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0)
    flags |= os.O_APPEND if append else os.O_TRUNC
    fd = os.open(path, flags, OWNER_FILE)
    try:
        _restrict(path, fd)
    except BaseException:
        os.close(fd)
        raise
    return fd


def open_private(path: Path) -> BinaryIO:
    """Open ``path`` for writing from empty, readable and writable by its owner only."""
    return os.fdopen(private_fd(path), "wb")


def private_temp_file(folder: Path, prefix: str, suffix: str) -> tuple[BinaryIO, Path]:
    """A new, uniquely named, owner-only file in ``folder``, open for writing."""
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
    path = Path(name)
    try:
        _restrict(path, fd)
        return os.fdopen(fd, "wb"), path
    except BaseException:
        os.close(fd)
        path.unlink(missing_ok=True)
        raise


def replace_privately(path: Path, content: bytes, prefix: str) -> None:
    """Write ``content`` to ``path`` through an owner-only temporary file beside it.

    The file appears whole or not at all; ``OSError`` when it cannot be written (the
    temporary file is then removed).
    """
    handle, temporary = private_temp_file(path.parent, prefix, path.suffix)
    try:
        with handle:
            handle.write(content)
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise


def private_dirs(path: Path) -> list[Path]:
    """Create ``path`` and its missing parents as owner-only folders; returns those made."""
    missing: list[Path] = []
    folder = path
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    created: list[Path] = []
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=OWNER_DIR)
        except FileExistsError:  # made meanwhile by someone else: not ours to restrict
            continue
        created.append(folder)
        _restrict(folder)
    return created


def fsync_dir(folder: Path) -> None:
    """Make a rename or a creation in ``folder`` durable (POSIX only: Windows cannot)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
