"""The real programs leave nothing another local user can read (issue 6, items 2 and 14).

The test process runs under umask 022, which the children inherit: every mode checked
here comes from the programs. Before the fix the center, its backup and the log were
0644 (folders 0755), and ``backup C C/record.db`` replaced the record with its backup.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.records.model import AuditEvent
from app.records.services import Records
from app.records.services.views import PatientInput
from tests.conftest import PASSWORD
from tests.integration.admin_cli import REPO, run_admin

GOOD = PASSWORD + "\n"
pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes")


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def modes(*paths: Path) -> dict[str, int]:
    """The mode of each path and of everything below it."""
    found: dict[str, int] = {}
    for path in paths:
        for item in (path, *path.rglob("*")):
            found[str(item)] = stat.S_IMODE(item.stat().st_mode)
    return found


def owner_only(found: dict[str, int]) -> dict[str, int]:
    """What ``found`` should be: folders 0700, files 0600."""
    return {name: 0o700 if os.path.isdir(name) else 0o600 for name in found}


def test_center_backup_and_logs_made_by_the_cli_are_owner_only(tmp_path):
    data, root, backup = tmp_path / "data", tmp_path / "center", tmp_path / "centro.mrb"
    steps = [
        (("center", "init", str(root), "--name", "Centro", "--admin", "admin"), GOOD),
        (
            ("user", "add", str(root), "--as", "admin", "--user", "medico", "--role", "gp"),
            GOOD + "medico-password\n",
        ),
        (("backup", str(root), str(backup), "--user", "admin"), GOOD),
        (("verify", str(root), "--user", "admin"), GOOD),
    ]
    for argv, stdin in steps:
        done = run_admin(*argv, stdin=stdin, data_dir=data)
        assert done.returncode == 0, (argv, done.stderr)
    # While a program has the record open, SQLite's -wal and -shm take record.db's mode.
    records = Records.open(root, "medico", "medico-password")
    try:
        records.patients.register(PatientInput("Villa", "Rita", "F", date(1958, 7, 9), "Monza"))
        assert (root / "record.db-wal").exists() and (root / "record.db-shm").exists()
        found = modes(root, backup, data)
    finally:
        records.close()
    assert (data / "logs" / "medirete-admin.log").is_file()
    assert found == owner_only(found)


@pytest.mark.parametrize("name", ["record.db", "keys.json"])
def test_backup_onto_a_file_of_the_center_is_one_line_and_touches_nothing(center, tmp_path, name):
    keys_before = (center / "keys.json").read_bytes()
    before = run_admin("verify", str(center), "--user", "admin", stdin=GOOD)
    done = run_admin("backup", str(center), str(center / name), "--user", "admin", stdin=GOOD)
    assert done.returncode == 1, done.stdout
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert "center folder" in done.stderr and "written" not in done.stdout
    assert (center / "keys.json").read_bytes() == keys_before
    after = run_admin("verify", str(center), "--user", "admin", stdin=GOOD)
    assert after.returncode == 0, after.stderr
    digest = [line for line in before.stdout.splitlines() if line.startswith("content digest")]
    assert digest and digest[0] in after.stdout.splitlines()
    records = Records.open(center, "admin", PASSWORD)
    try:
        with records.db.read_engine.connect() as conn:
            actions = set(conn.execute(select(AuditEvent.action)).scalars())
    finally:
        records.close()
    assert "session.login" in actions and "record.backup" not in actions


UMASK_OF_MAIN = """
import os, sys
import {module} as program

def stop(*_args, **_kwargs):
    print(oct(os.umask(0o022)))
    raise SystemExit(0)

program.{first_call} = stop
program.main({argv})
"""


@pytest.mark.parametrize(
    ("module", "first_call", "argv"),
    [("app.admin.cli", "build_parser", "['verify']"), ("app.ui.main", "parse_args", "[]")],
)
def test_both_programs_start_with_an_owner_only_umask(module, first_call, argv):
    code = UMASK_OF_MAIN.format(module=module, first_call=first_call, argv=argv)
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0o77"
