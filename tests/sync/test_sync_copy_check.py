"""The second process that checks a copy's seals (``app.sync.copy_check``): it reports
what it finds, and it never outlives the program that started it."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from app.core.clock import utc_now
from app.records.services import Records
from app.records.services.patients import PatientInput
from app.sync import snapshot
from app.sync.copy_check import check_copy
from app.sync.replica import Replica
from tests.conftest import PASSWORD

REPO = Path(__file__).resolve().parents[2]

# A program that starts the helper's guard in a spawned child, then waits, as
# ``sync serve`` does while the seals are checked.
PARENT = '''
import multiprocessing, os, sys, time
from app.sync.copy_check import _end_with_parent

def child(path):
    _end_with_parent()
    with open(path, "w") as out:
        out.write(str(os.getpid()))
    print("the child writes here", flush=True)  # must not reach the parent's output
    time.sleep(600)

if __name__ == "__main__":
    multiprocessing.get_context("spawn").Process(target=child, args=(sys.argv[1],)).start()
    print("parent", flush=True)
    time.sleep(600)
'''


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")  # ended, not yet reaped by whoever adopted it


def _wait_for(condition, timeout_s: float) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return bool(condition())


def test_the_helper_ends_with_its_parent_and_leaves_its_output(tmp_path: Path) -> None:
    script, pid_file = tmp_path / "parent.py", tmp_path / "child.pid"
    script.write_text(PARENT)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    parent = subprocess.Popen([sys.executable, str(script), str(pid_file)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert parent.stdout is not None
        assert parent.stdout.readline() == b"parent\n"
        assert _wait_for(lambda: pid_file.exists() and pid_file.read_text(), 60)
        child = int(pid_file.read_text())
        assert not _gone(child)
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        assert _wait_for(lambda: _gone(child), 10), "the helper outlived its parent"
        # Nobody holds the parent's output any more, and the child wrote nothing to it.
        ready, _w, _x = select.select([parent.stdout], [], [], 10)
        assert ready and parent.stdout.read() == b""
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        if parent.stdout is not None:
            parent.stdout.close()
        if pid_file.exists() and pid_file.read_text():
            try:
                os.kill(int(pid_file.read_text()), signal.SIGKILL)
            except ProcessLookupError:
                pass


def test_both_processes_report_what_they_find(center: Path, tmp_path: Path) -> None:
    records = Records.open(center, "medico", PASSWORD)
    try:
        patient = records.patients.register(
            PatientInput("Quercioli", "Ada", "F", date(1948, 5, 1), "Monza"))
        for value in (128.0, 131.0):
            records.clinical.record_observation(patient.id, "8480-6", utc_now(),
                                                value_num=value, unit="mm[Hg]")
        staging = tmp_path / "copy"
        staging.mkdir()
        for name, path in snapshot._copies(Replica(records), staging).items():
            path.rename(staging / name)
        db_key, clinical_key = records.db.db_key, records.db.clinical_key
        assert clinical_key is not None
    finally:
        records.close()
    assert check_copy(staging, db_key, clinical_key) == []

    # A signed version changed behind the triggers' back: only the helper sees it.
    import sqlcipher3

    from app.records.storage.engine import raw_key_pragma_value

    conn = sqlcipher3.connect(str(staging / "record.db"), isolation_level=None)
    conn.execute(f'PRAGMA key = "{raw_key_pragma_value(db_key)}"').fetchall()
    conn.execute("ATTACH DATABASE ? AS clinical KEY ?",
                 (str(staging / "clinical.db"), raw_key_pragma_value(clinical_key)))
    tables = [t for (t,) in conn.execute(
        "SELECT name FROM clinical.sqlite_master WHERE type = 'trigger'")]
    for trigger in tables:
        conn.execute(f'DROP TRIGGER clinical."{trigger}"')
    changed = conn.execute("UPDATE clinical.observation SET value_num = value_num + 1 "
                           "WHERE id = (SELECT min(id) FROM clinical.observation "
                           "WHERE value_num IS NOT NULL)").rowcount
    conn.close()
    assert changed == 1
    problems = check_copy(staging, db_key, clinical_key)
    assert len(problems) == 1 and problems[0].startswith("observation ")
    assert problems[0].endswith("differs from what was signed")
