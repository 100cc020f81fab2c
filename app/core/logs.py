"""Logging: a rotating file in the user data folder, warnings also on stderr.

The log files and their folder are owner-only (app.core.files), rotated files included:
even without user data, a log tells who worked when on which workstation.
"""

from __future__ import annotations

import logging
import logging.handlers
import traceback
from io import TextIOWrapper
from pathlib import Path

from app.core.files import make_private, private_dirs, private_fd
from app.core.paths import user_data_dir

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class OwnerOnlyRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose every file (the current one and each new one) is owner-only."""

    def _open(self) -> TextIOWrapper:
        fd = private_fd(Path(self.baseFilename), append=True)
        return open(fd, "a", encoding=self.encoding, errors=self.errors)


def log_file(program: str) -> Path:
    """Where ``program`` writes its log."""
    return user_data_dir() / "logs" / f"{program}.log"


def _restrict_log_folder(path: Path) -> None:
    """Make the log folder and the files earlier versions left there owner-only."""
    private_dirs(path.parent)
    make_private(path.parent)
    for old in path.parent.glob(f"{path.name}*"):
        if old.is_file():
            make_private(old)


def setup_logging(program: str, *, console_level: int = logging.WARNING) -> Path | None:
    """Log INFO and above to the program's file; returns its path (None if unwritable)."""
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    console = logging.StreamHandler()
    console.setLevel(console_level)
    console.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(console)
    path = log_file(program)
    try:
        _restrict_log_folder(path)
        handler = OwnerOnlyRotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        logging.getLogger(__name__).warning("cannot write the log file %s", path)
        return None
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(handler)
    return path


def log_safe_traceback(exc: BaseException) -> str:
    """Where a bug happened, without what its messages say.

    An exception's text may carry what the user typed or a row's values (a codice
    fiscale, an address): the log keeps the type and the frames of every exception in
    the chain, never their messages (hardening item 15). The bug report the user may
    copy keeps them: that is shown, not written anywhere.
    """
    lines: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        kind = type(current)
        lines.append(f"{kind.__module__}.{kind.__qualname__} (message not logged)\n")
        lines.extend(traceback.format_tb(current.__traceback__))
        current = current.__cause__ or current.__context__
    return "".join(lines)
