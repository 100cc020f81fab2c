"""Logging: a rotating file in the user data folder, warnings also on stderr."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from app.core.paths import user_data_dir

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_file(program: str) -> Path:
    """Where ``program`` writes its log."""
    return user_data_dir() / "logs" / f"{program}.log"


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
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        logging.getLogger(__name__).warning("cannot write the log file %s", path)
        return None
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(handler)
    return path
