"""The center lock: a re-key never races another program's login (real processes)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import app.records.storage.rekey as rekey_module
from app.records.services import Records
from app.records.storage import lock as lock_module
from app.records.storage.center import CenterPaths
from app.records.storage.lock import RecordInUse, RekeyInProgress
from tests.conftest import PASSWORD
from tests.integration.admin_cli import REPO, run_admin
from tests.integration.processes import LineReader, stop

GOOD = PASSWORD + "\n"


def start_admin(*args: str, stdin: str, data_dir: Path) -> subprocess.Popen[str]:
    """Start ``medirete-admin`` without waiting; its log goes under ``data_dir``."""
    env = dict(os.environ, MEDIRETE_LANG="en", PYTHONPATH=str(REPO))
    env["MEDIRETE_DATA_DIR"] = str(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    typed = data_dir / "stdin.txt"  # a file, not a pipe: the passwords are all there at once
    typed.write_text(stdin)
    with open(typed) as given:
        return subprocess.Popen(
            [sys.executable, "-m", "app.admin.cli", *args],
            stdin=given,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=REPO,
        )


def admin_log(data_dir: Path) -> str:
    """What the CLI wrote to its log so far."""
    path = data_dir / "logs" / "medirete-admin.log"
    return path.read_text("utf-8") if path.exists() else ""


class Holder:
    """tests/integration/center_holder.py running: it holds the center until released."""

    def __init__(self, mode: str, center: Path, username: str = "medico") -> None:
        env = dict(os.environ, PYTHONPATH=str(REPO))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.integration.center_holder", mode, str(center),
             username, PASSWORD],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            cwd=REPO,
        )
        assert self.proc.stdout is not None
        self.reader = LineReader(self.proc.stdout, mode)
        try:
            first = self.reader.next_line(time.monotonic() + 60)
            assert first == "READY", self.reader.seen
        except BaseException:
            self.stop()
            raise

    def release(self) -> None:
        """Let it close the record and exit (bounded)."""
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)

    def kill(self) -> None:
        """SIGKILL: no chance to release anything itself."""
        self.proc.kill()
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        """Make sure it is gone and its pipes are closed."""
        stop(self.proc)
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()
        self.reader.join(10)


def wait_until(condition: Callable[[], bool], seconds: float) -> None:
    """Poll ``condition`` until it holds; TimeoutError after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        time.sleep(0.05)


def test_a_login_during_rekey_never_loses_the_new_key(center, tmp_path, monkeypatch):
    """A real ``medirete-admin verify`` starts between keys.json.next and PRAGMA rekey.

    Before the center lock (today's main), the verify's unlock saw the database still
    open with the old key and deleted keys.json.next; rekey then re-encrypted the record
    with the key it had just lost (here: FileNotFoundError at the final rename, and a
    record that opens with no key on disk). Now the verify waits for the re-key to
    finish, then opens the record with the new key.
    """
    paths = CenterPaths(center)
    pending = paths.keys.with_name("keys.json.next")
    data_dir = tmp_path / "verify-data"
    original = rekey_module._reencrypt
    started: list[subprocess.Popen[str]] = []

    def reencrypt_during_a_login(path: Path, old_key: bytes, new_key: bytes) -> None:
        assert pending.exists()
        proc = start_admin("verify", str(center), "--user", "admin", stdin=GOOD,
                           data_dir=data_dir)
        started.append(proc)
        # Deterministic: the other program has either finished its unlock or is
        # waiting on the lock (its log says so) before the database changes.
        wait_until(
            lambda: proc.poll() is not None or "waiting for the re-key" in admin_log(data_dir),
            90,
        )
        original(path, old_key, new_key)

    monkeypatch.setattr(rekey_module, "_reencrypt", reencrypt_during_a_login)
    admin = Records.open(center, "admin", PASSWORD)
    try:
        admin.maintenance.rekey()
        new_key = admin.db.db_key
    finally:
        admin.close()
        for proc in started:
            if proc.poll() is None:
                proc.wait(timeout=90)
    [verify] = started
    out, err = verify.communicate(timeout=30)
    assert verify.returncode == 0, err
    assert "verify: OK" in out
    assert not pending.exists()
    reopened = Records.open(center, "medico", PASSWORD)
    try:
        assert reopened.db.db_key == new_key
    finally:
        reopened.close()
    again = run_admin("verify", str(center), "--user", "admin", stdin=GOOD)
    assert again.returncode == 0, again.stderr


def test_rekey_is_refused_while_another_program_has_the_record_open(center, tmp_path):
    paths = CenterPaths(center)
    before = paths.keys.read_bytes()
    holder = Holder("open", center)
    try:
        admin = Records.open(center, "admin", PASSWORD)
        try:
            old_key = admin.db.db_key
            with pytest.raises(RecordInUse) as refused:
                admin.maintenance.rekey()
            assert refused.value.user_message("en") == (
                "The record is open in another program: close it, then re-key"
            )
            # Nothing changed, and this program still has the record open, shared.
            assert admin.db.db_key == old_key and admin.db.lock is not None
            assert admin.db.lock.mode == "shared"
            assert "medico" in {user.username for user in admin.users.list()}
        finally:
            admin.close()
        assert paths.keys.read_bytes() == before
        assert not paths.keys.with_name("keys.json.next").exists()
        by_cli = run_admin("rekey", str(center), "--user", "admin", stdin=GOOD,
                           data_dir=tmp_path / "cli")
        assert by_cli.returncode == 1
        assert by_cli.stderr.strip().splitlines() == [
            "medirete-admin: The record is open in another program: close it, then re-key"
        ]
        assert paths.keys.read_bytes() == before
        # SIGKILL: the operating system must drop the dead program's lock.
        holder.kill()
    finally:
        holder.stop()
    done = run_admin("rekey", str(center), "--user", "admin", stdin=GOOD)
    assert done.returncode == 0, done.stderr
    assert paths.keys.read_bytes() != before


def test_an_unlock_during_a_rekey_waits_or_refuses_and_never_deletes_next(
    center, monkeypatch
):
    paths = CenterPaths(center)
    pending = paths.keys.with_name("keys.json.next")
    before = paths.keys.read_bytes()
    # The moment after rekey wrote keys.json.next and before PRAGMA rekey: the
    # database still opens with the old key, and .next holds a key not yet in use.
    pending.write_bytes(before.replace(b'"key_id": "', b'"key_id": "next-'))
    written = pending.read_bytes()
    holder = Holder("rekey", center)
    try:
        monkeypatch.setattr(lock_module, "OPEN_WAIT_SECONDS", 0.5)
        started = time.monotonic()
        with pytest.raises(RekeyInProgress) as refused:
            Records.open(center, "medico", PASSWORD)
        assert time.monotonic() - started >= 0.5
        assert "re-key" in refused.value.user_message("en")
        assert pending.read_bytes() == written and paths.keys.read_bytes() == before
        # With a longer wait the unlock simply waits for the re-key to end.
        monkeypatch.setattr(lock_module, "OPEN_WAIT_SECONDS", 60)
        releaser = threading.Timer(1.0, holder.release)
        started = time.monotonic()
        releaser.start()
        records = Records.open(center, "medico", PASSWORD)
        try:
            assert time.monotonic() - started >= 1.0
            # It could not hold the lock alone when it looked: .next is left alone.
            assert pending.read_bytes() == written
        finally:
            records.close()
            releaser.join(30)
    finally:
        holder.stop()
    # Alone, the next unlock may resolve it: the database never used that key.
    Records.open(center, "segreteria", PASSWORD).close()
    assert not pending.exists()
    assert paths.keys.read_bytes() == before


def test_a_rekey_that_dies_before_pragma_rekey_is_undone_by_the_next_unlock(center):
    paths = CenterPaths(center)
    before = paths.keys.read_bytes()
    env = dict(os.environ, PYTHONPATH=str(REPO))
    died = subprocess.run(
        [sys.executable, "-m", "tests.integration.center_holder", "die-before-pragma",
         str(center), "admin", PASSWORD],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=120, check=False,
    )
    assert died.returncode == 9, died.stderr
    pending = paths.keys.with_name("keys.json.next")
    assert pending.exists() and paths.keys.read_bytes() == before
    verified = run_admin("verify", str(center), "--user", "admin", stdin=GOOD)
    assert verified.returncode == 0, verified.stderr
    assert not pending.exists()
    assert paths.keys.read_bytes() == before
    done = run_admin("rekey", str(center), "--user", "admin", stdin=GOOD)
    assert done.returncode == 0, done.stderr
