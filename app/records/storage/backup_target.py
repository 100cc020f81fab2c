"""Where a backup may go: never over the record it copies.

``backup C C/record.db`` once replaced the live record with its own backup. A destination
is refused when it is the center folder or anything below it, whatever the path says:
symlinks are resolved, letter case ignored where the system ignores it, and the same
folder reached under another name (a bind mount, a case-insensitive disk) is caught by
comparing device and inode.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from app.core.errors import MedireteError
from app.records.storage.center import CenterPaths

# Every name a center folder may hold besides backups.
CENTER_FILES = (
    "center.json",
    "keys.json",
    "keys.json.next",
    "record.db",
    "record.db-wal",
    "record.db-shm",
    "record.db-journal",
    "record.lock",
    "clinical.db",
    "clinical.db-wal",
    "clinical.db-shm",
    "clinical.lock",
    "record.anchor",
)


class BackupDestinationRefused(MedireteError):
    """A backup would overwrite the record it copies (or a folder, or a device)."""

    message = (
        "Cannot write the backup to {path}: it is in the center folder {center} or is one "
        "of its files; choose a file in another folder"
    )


def _same_path(a: Path, b: Path) -> bool:
    if os.path.normcase(a) == os.path.normcase(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:  # either is missing
        return False


def _inside(target: Path, root: Path) -> bool:
    """Whether ``target`` is ``root`` or below it: symlinks resolved, any letter case."""
    real_root = root.resolve()
    if Path(os.path.normcase(target)).is_relative_to(Path(os.path.normcase(real_root))):
        return True
    # The same folder under another name (a case-insensitive disk, a bind mount).
    return any(_same_path(folder, real_root) for folder in (target, *target.parents))


def _is_center_file(target: Path, root: Path) -> bool:
    """Whether ``target`` is one of the center's files, which may be symlinks elsewhere."""
    return any(_same_path(target, (root / name).resolve()) for name in CENTER_FILES)


def check_destination(paths: CenterPaths, destination: Path, *, into_center: bool = False) -> Path:
    """The real path a backup to ``destination`` writes; refuses the center's own folder.

    ``into_center`` is for the pre-upgrade backups only, which go into the center folder on
    purpose under a fresh name: even then an existing file is never replaced.
    """
    target = destination.resolve()
    if into_center:
        if os.path.lexists(target):
            raise BackupDestinationRefused(path=str(destination), center=str(paths.root))
    elif _inside(target, paths.root) or _is_center_file(target, paths.root):
        raise BackupDestinationRefused(path=str(destination), center=str(paths.root))
    if not target.parent.is_dir():  # named here, not through the temporary file's name
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(target.parent))
    if target.exists() and not target.is_file():  # a folder, a device (/dev/null as root)
        raise BackupDestinationRefused(
            "Cannot write the backup to {path}: it exists and is not a file",
            path=str(destination),
        )
    return target
