"""Run ``medirete-admin`` as a real process."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run_admin(
    *args: str,
    stdin: str = "",
    lang: str = "en",
    timeout: float = 120,
    data_dir: Path | None = None,
):
    """Run the CLI to completion; a run longer than ``timeout`` is killed and raises."""
    env = dict(os.environ, MEDIRETE_LANG=lang, PYTHONPATH=str(REPO))
    if data_dir is not None:  # where its log goes
        env["MEDIRETE_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "app.admin.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        cwd=REPO,
        check=False,
    )


def snapshot(*folders: Path) -> dict[str, str]:
    """Every file under the folders with its SHA-256."""
    found = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found
