"""``devsim astm --replay`` into ``device listen`` through a socat pty pair: the results
are in ``inbox list`` (issue 9, "Must show"). Three real processes, real ptys."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date

import pytest

from app.records.services import Records
from app.records.services.views import PatientInput
from tests.conftest import PASSWORD
from tests.integration.admin_cli import REPO, run_admin
from tests.integration.processes import LineReader

TRANSCRIPT = REPO / "tests" / "devices" / "astm_transcripts" / "poc_two_messages.astm"
LUCA_CF = "LCUMGR48S42H224X"  # the first patient of the transcript (synthetic)


def _env() -> dict[str, str]:
    return dict(os.environ, MEDIRETE_LANG="en", PYTHONPATH=str(REPO))


def _start(*args: str, stdin: str | None = None) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.admin.cli", *args], stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(), cwd=REPO)
    assert proc.stdin is not None
    if stdin is not None:
        proc.stdin.write(stdin)
    proc.stdin.close()
    return proc


@pytest.mark.skipif(shutil.which("socat") is None, reason="socat is installed by bootstrap")
def test_a_replayed_transcript_reaches_the_inbox(center, tmp_path):
    gp = Records.open(center, "medico", PASSWORD)
    try:
        gp.patients.register(PatientInput("Lucà", "Maria Grazia", "F", date(1948, 11, 2),
                                          "Reggio di Calabria", codice_fiscale=LUCA_CF))
    finally:
        gp.close()
    a, b = tmp_path / "analyzer", tmp_path / "lis"
    socat = subprocess.Popen(["socat", f"pty,raw,echo=0,link={a}", f"pty,raw,echo=0,link={b}"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    listen = None
    try:
        deadline = time.monotonic() + 10
        while not (a.exists() and b.exists()) and time.monotonic() < deadline:
            time.sleep(0.05)
        listen = _start("device", "listen", str(center), "--driver", "astm", "--port", str(b),
                        "--user", "medico", stdin=PASSWORD + "\n")
        errors = LineReader(listen.stderr, "listen-stderr")
        assert errors.wait_for("listening: astm", time.monotonic() + 60), errors.seen
        sent = subprocess.run(
            [sys.executable, "-m", "app.admin.cli", "devsim", "astm", "--port", str(a),
             "--replay", str(TRANSCRIPT)],
            capture_output=True, text=True, env=_env(), cwd=REPO, timeout=120, check=False)
        assert sent.returncode == 0, sent.stderr
        received = LineReader(listen.stdout, "listen-stdout")
        lines = [received.next_line(time.monotonic() + 30) for _ in range(2)]
        assert [line.split("\t")[1:] for line in lines if line] == [
            ["astm", LUCA_CF, "7"], ["astm", "DNGNCL56C14F839Q", "24"]]
        listen.send_signal(signal.SIGTERM)
        assert listen.wait(timeout=30) == 0
    finally:
        if listen is not None:
            if listen.poll() is None:
                listen.kill()
            listen.wait(timeout=30)
            for stream in (listen.stdout, listen.stderr):
                if stream is not None:
                    stream.close()
        socat.terminate()
        socat.wait(timeout=10)
    done = run_admin("inbox", "list", str(center), "--user", "medico", stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    rows = [line.split("\t") for line in done.stdout.splitlines()]
    assert len(rows) == 31
    luca = [row for row in rows if row[2] == LUCA_CF]
    assert len(luca) == 7 and {row[3] for row in luca} == {LUCA_CF}  # matched
    assert ["59261-8", "53", "mmol/mol", "pending"] in [row[4:] for row in luca]
    other = [row for row in rows if row[2] == "DNGNCL56C14F839Q"]
    assert len(other) == 24 and {row[3] for row in other} == {"-"}  # not a patient here
