"""Where Medirete keeps its files on each platform."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def user_data_dir() -> Path:
    """The per-user data folder (%APPDATA%\\Medirete on Windows, XDG on Linux)."""
    override = os.environ.get("MEDIRETE_DATA_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = os.environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
        return Path(base) / "Medirete"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "Medirete"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "medirete"


def demo_center_dir() -> Path:
    """The demo center opened by ``medirete --demo``."""
    return user_data_dir() / "demo-center"
