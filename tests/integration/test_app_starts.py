"""The real ``medirete --demo`` program starts, builds the demo center and shows its login."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from app.records.storage.center import CenterPaths
from tests.integration.admin_cli import REPO


def test_demo_starts_to_the_login_window(tmp_path):
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        MEDIRETE_DATA_DIR=str(tmp_path / "data"),
        PYTHONPATH=str(REPO),
        MEDIRETE_LANG="it",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.ui.main", "--demo"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    seen: list[str] = []
    try:
        deadline = time.monotonic() + 120
        assert proc.stderr is not None
        while time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line:
                break
            seen.append(line.rstrip())
            if "window shown: LoginWindow" in line:
                break
        assert any("window shown: BusyPage" in s for s in seen), seen
        assert any("window shown: LoginWindow" in s for s in seen), seen
        assert not any("Traceback" in s or " ERROR " in s for s in seen), seen
        # The console handler writes before the file handler: give the file a moment.
        log_file = tmp_path / "data" / "logs" / "medirete.log"
        file_deadline = time.monotonic() + 10
        while "window shown: LoginWindow" not in log_file.read_text("utf-8"):
            assert time.monotonic() < file_deadline, "the log file never got the line"
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()
    assert CenterPaths(tmp_path / "data" / "demo-center").exists()
