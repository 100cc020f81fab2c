"""A visit being typed survives the program being killed (SIGKILL, no chance to clean up).

The real ``medirete --demo`` on its own X server: the GP opens a patient, starts a visit
(F11) and types; once the program logs that the draft was saved it is killed. The draft is
on disk (read back through the records layer), and the next start brings it back in the
editor (the program logs that it restored it).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from app.records.demo import DEMO_PASSWORD
from app.records.services import Records
from tests.integration.admin_cli import REPO
from tests.integration.processes import LineReader, stop
from tests.integration.test_desk_e2e import (  # noqa: F401 - pytestmark: needs Xvfb
    STARTUP_SECONDS,
    Desk,
    pytestmark,
)

TYPED = "cefalea frontale da tre giorni"


def _start(data: Path, display: str) -> tuple[subprocess.Popen[str], Desk]:
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", PYTHONPATH=str(REPO),
               MEDIRETE_DATA_DIR=str(data), MEDIRETE_LANG="it")
    proc = subprocess.Popen([sys.executable, "-m", "app.ui.main", "--demo"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env=env, cwd=REPO)
    assert proc.stderr is not None
    return proc, Desk(display, LineReader(proc.stderr, "medirete-stderr"))


def _open_visit(desk: Desk, patient: str) -> None:
    desk.wait_log("window shown: LoginWindow", STARTUP_SECONDS)
    desk.focus_window("Medirete")
    desk.type("medico")
    desk.key("Tab")
    desk.type(DEMO_PASSWORD)
    desk.key("Return")
    desk.wait_log("window shown: MainWindow")
    desk.focus_window("Medirete")
    desk.key("F2")
    desk.wait_log("page shown: patients")
    desk.type(patient)
    time.sleep(0.5)  # the results of the last keystroke
    desk.key("Return")
    desk.wait_log("page shown: patient")
    desk.key("F11")
    desk.wait_log("page shown: chart")


def _a_patient(center: Path) -> tuple[str, str]:
    """The full name and id of a demo patient whose name finds only them."""
    records = Records.open(center, "medico", DEMO_PASSWORD)
    try:
        for letters in ("Ca", "Co", "Ma", "Ro", "Be", "Fe", "Ga"):
            for found in records.patients.search(letters):
                name = f"{found.surname} {found.given_name}"
                if len(records.patients.search(name)) == 1:
                    return name, found.id
    finally:
        records.close()
    raise AssertionError("the demo center has no patient with a unique name")


def test_a_visit_draft_survives_sigkill_and_comes_back(tmp_path: Path, display: str):
    data = tmp_path / "data"
    proc, desk = _start(data, display)
    try:
        desk.wait_log("window shown: LoginWindow", STARTUP_SECONDS)
        patient, patient_id = _a_patient(data / "demo-center")
        _open_visit(desk, patient)
        desk.type(TYPED)
        saved = desk.wait_log(r"visit draft saved: [0-9a-f-]{36}")
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        stop(proc)
        desk.stderr.join(timeout=10)
        assert proc.stderr is not None
        proc.stderr.close()
    draft_id = saved.rsplit(" ", 1)[-1]
    records = Records.open(data / "demo-center", "medico", DEMO_PASSWORD)
    try:
        [draft] = records.visits.drafts(patient_id)
    finally:
        records.close()
    assert draft.draft_id == draft_id
    # Saved a couple of seconds after the last key: the whole text or all but its end.
    assert draft.subjective and TYPED.startswith(draft.subjective)

    proc, desk = _start(data, display)
    try:
        _open_visit(desk, patient)
        restored = desk.wait_log(r"visit draft restored: [0-9a-f-]{36}")
        assert restored.rsplit(" ", 1)[-1] == draft_id
        assert not any("Traceback" in line for line in desk.stderr.seen)
    finally:
        stop(proc)
        desk.stderr.join(timeout=10)
        assert proc.stderr is not None
        proc.stderr.close()
