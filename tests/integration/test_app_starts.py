"""The real ``medirete --demo`` program starts, builds the demo center and shows its login."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from app.records.storage.center import CenterPaths
from tests.integration.admin_cli import REPO
from tests.integration.processes import LineReader, stop

STARTUP_SECONDS = 120  # building the demo center on a slow, busy machine
LOG_FILE_SECONDS = 10


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
    assert proc.stderr is not None
    stderr = LineReader(proc.stderr, "medirete-stderr")
    try:
        try:
            shown = stderr.wait_for(
                "window shown: LoginWindow", time.monotonic() + STARTUP_SECONDS
            )
        except TimeoutError:
            stop(proc)
            pytest.fail(
                f"no login window within {STARTUP_SECONDS} s; the program was killed. "
                "Its stderr so far:\n" + "\n".join(stderr.seen)
            )
        seen = stderr.seen
        assert shown, f"the program ended (code {proc.poll()}) before its login:\n" + "\n".join(
            seen
        )
        assert any("window shown: BusyPage" in s for s in seen), seen
        assert not any("Traceback" in s or " ERROR " in s for s in seen), seen
        # The console handler writes before the file handler: give the file a moment.
        log_file = tmp_path / "data" / "logs" / "medirete.log"
        file_deadline = time.monotonic() + LOG_FILE_SECONDS
        while "window shown: LoginWindow" not in _text_of(log_file):
            assert time.monotonic() < file_deadline, "the log file never got the line"
            time.sleep(0.05)
    finally:
        stop(proc)
        stderr.join(timeout=10)  # the pipe ends with the process
        proc.stderr.close()
    assert CenterPaths(tmp_path / "data" / "demo-center").exists()


def _text_of(path):
    """The file's text so far ('' until the program creates it)."""
    try:
        return path.read_text("utf-8")
    except FileNotFoundError:
        return ""
