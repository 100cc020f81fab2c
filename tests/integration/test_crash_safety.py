"""Killing a writer with SIGKILL loses nothing acknowledged and never breaks the record."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import date

from app.records.services import Records
from app.records.services.views import PatientInput
from tests.conftest import PASSWORD
from tests.integration.admin_cli import REPO, run_admin
from tests.integration.processes import LineReader

KILLS = 30


def test_sigkill_thirty_times_keeps_every_acknowledged_write(center):
    records = Records.open(center, "medico", PASSWORD)
    patient = records.patients.register(
        PatientInput("Crashtest", "Olga", "F", date(1939, 12, 30), "Pavia")
    )
    records.close()
    rng = random.Random(20261124)
    acknowledged: list[str] = []
    env = dict(os.environ, PYTHONPATH=str(REPO))
    for _ in range(KILLS):
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.integration.writer_loop",
                str(center),
                "medico",
                PASSWORD,
                patient.id,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            cwd=REPO,
            env=env,
        )
        assert proc.stdout is not None
        reader = LineReader(proc.stdout, "writer")
        try:
            deadline = time.monotonic() + 60
            assert reader.next_line(deadline) == "READY"
            for _ in range(rng.randint(1, 12)):
                line = reader.next_line(deadline)
                assert line and line.startswith("ACK ")
                acknowledged.append(line.split()[1])
            # Kill at a random moment, usually in the middle of the next write.
            time.sleep(rng.random() * 0.02)
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)
            # Acks written just before the kill count too: they followed a commit.
            while (line := reader.next_line(time.monotonic() + 10)) is not None:
                if line.startswith("ACK "):
                    acknowledged.append(line.split()[1])
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
            reader.join(10)
            proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    verified = run_admin("verify", str(center), "--user", "admin", stdin=PASSWORD + "\n")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    records = Records.open(center, "medico", PASSWORD)
    try:
        stored = {e.id for e in records.chart.open(patient.id).of("observation")}
    finally:
        records.close()
    assert len(acknowledged) >= KILLS
    missing = [entry for entry in acknowledged if entry not in stored]
    assert not missing, f"{len(missing)} acknowledged writes lost"
