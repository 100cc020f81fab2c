"""End to end: the real ``medirete --demo`` on a real X server, driven by xdotool.

The secretary logs in, finds a patient, opens the agenda, asks for the first free slot
and books it, all from the keyboard as a person would; the test waits on the program's
own log lines (the booking's line names the appointment's id, never the patient).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.core.i18n import translate
from app.records.demo import DEMO_PASSWORD
from app.records.services import Records
from tests.integration.admin_cli import REPO
from tests.integration.processes import LineReader, stop

pytestmark = pytest.mark.skipif(
    not (shutil.which("Xvfb") and shutil.which("xdotool")),
    reason="needs Xvfb and xdotool (scripts/bootstrap installs them)",
)

STARTUP_SECONDS = 120  # the demo center is generated on first start
STEP_SECONDS = 30


class Desk:
    """The running program, its log and the keyboard of its X server."""

    def __init__(self, display: str, stderr: LineReader) -> None:
        self.env = dict(os.environ, DISPLAY=display)
        self.stderr = stderr

    def wait_log(self, pattern: str, seconds: float = STEP_SECONDS) -> str:
        """The first log line matching ``pattern`` (a regex), waiting for it."""
        deadline = time.monotonic() + seconds
        regex = re.compile(pattern)
        found = next((line for line in self.stderr.seen if regex.search(line)), None)
        try:
            while found is None:
                line = self.stderr.next_line(deadline)
                if line is None:
                    pytest.fail(f"the program ended before /{pattern}/; its log:\n"
                                + "\n".join(self.stderr.seen))
                found = line if regex.search(line) else None
        except TimeoutError:
            pytest.fail(f"no log line /{pattern}/ within {seconds} s; the log:\n"
                        + "\n".join(self.stderr.seen))
        return found

    def xdotool(self, *args: str) -> str:
        """Run xdotool on this display (bounded in time)."""
        done = subprocess.run(["xdotool", *args], env=self.env, capture_output=True, text=True,
                              timeout=STEP_SECONDS, check=True)
        return done.stdout

    def focus_window(self, title: str) -> None:
        """Give the keyboard to the visible window called ``title`` (there is no WM)."""
        deadline = time.monotonic() + STEP_SECONDS
        while True:  # a window logged as shown may not be mapped yet: ask again, bounded
            try:
                window = self.xdotool("search", "--sync", "--onlyvisible", "--name",
                                      f"^{re.escape(title)}").split()[-1]
                self.xdotool("windowfocus", "--sync", window)
                return
            except subprocess.CalledProcessError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def wait_closed(self, title: str) -> None:
        """Wait until no visible window is called ``title``."""
        deadline = time.monotonic() + STEP_SECONDS
        while subprocess.run(["xdotool", "search", "--onlyvisible", "--name",
                              f"^{re.escape(title)}"], env=self.env, capture_output=True,
                             timeout=STEP_SECONDS).returncode == 0:
            assert time.monotonic() < deadline, f"the window {title!r} stayed open"
            time.sleep(0.1)

    def type(self, text: str) -> None:
        """Type like a person (one key at a time)."""
        self.xdotool("type", "--delay", "40", text)

    def key(self, *keys: str) -> None:
        """Press keys (xdotool names: Return, Tab, F2, ctrl+shift+f)."""
        self.xdotool("key", "--delay", "80", *keys)


def it(msgid: str) -> str:
    """A window title as the Italian program shows it."""
    return translate(msgid, "it")


def test_the_secretary_books_an_appointment_from_the_keyboard(tmp_path: Path, display: str):
    data = tmp_path / "data"
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", PYTHONPATH=str(REPO),
               MEDIRETE_DATA_DIR=str(data), MEDIRETE_LANG="it")
    proc = subprocess.Popen([sys.executable, "-m", "app.ui.main", "--demo"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env=env, cwd=REPO)
    assert proc.stderr is not None
    stderr = LineReader(proc.stderr, "medirete-stderr")
    desk = Desk(display, stderr)
    try:
        desk.wait_log("window shown: LoginWindow", STARTUP_SECONDS)
        desk.focus_window("Medirete")
        desk.type("segreteria")
        desk.key("Tab")
        desk.type(DEMO_PASSWORD)
        desk.key("Return")
        desk.wait_log("window shown: MainWindow")
        desk.focus_window("Medirete")
        patient = _a_demo_patient_surname(data / "demo-center")
        desk.key("F2")
        desk.wait_log("page shown: patients")
        desk.type(patient)
        time.sleep(0.5)  # the results of the last keystroke (a few ms each)
        desk.key("Return")
        desk.wait_log("page shown: patient")
        desk.key("F3")
        desk.wait_log("page shown: agenda")
        desk.key("ctrl+shift+f")  # the first free slot for the patient's GP
        desk.focus_window(it("First free slot"))
        desk.key("Return")  # search: the agenda jumps to the slot and selects it
        desk.wait_closed(it("First free slot"))
        desk.focus_window("Medirete")
        desk.key("Return")  # book the selected slot
        desk.focus_window(it("Book an appointment"))
        desk.key("Return")
        booked = desk.wait_log(r"appointment booked: [0-9a-f-]{36}")
        assert not any("Traceback" in line or " ERROR " in line for line in stderr.seen)
    finally:
        stop(proc)
        stderr.join(timeout=10)
        proc.stderr.close()
    appointment_id = booked.rsplit(" ", 1)[-1]
    records = Records.open(data / "demo-center", "segreteria", DEMO_PASSWORD)
    try:
        [found] = records.patients.search(patient)
        mine = [a for a in records.agenda.for_patient(found.id) if a.id == appointment_id]
    finally:
        records.close()
    # The booking is the patient's, with the patient's GP, in the future, as booked.
    assert [(a.status, a.clinician_id) for a in mine] == [("booked", found.gp_id)]


def _a_demo_patient_surname(center: Path) -> str:
    """A surname that finds exactly one patient of the demo, with a GP of choice."""
    records = Records.open(center, "segreteria", DEMO_PASSWORD)
    try:
        for letters in ("Ca", "Co", "Ma", "Ro", "Be", "Fe", "Ga"):
            for found in records.patients.search(letters):
                if found.gp_id and len(records.patients.search(
                        f"{found.surname} {found.given_name}")) == 1:
                    return f"{found.surname} {found.given_name}"
    finally:
        records.close()
    raise AssertionError("the demo center has no patient with a unique name")
