"""``medirete-admin`` on centers written by earlier programs: migrated, verified, refused."""

from __future__ import annotations

import pytest

from app.records.storage.migrate import current_revision, head_revision
from tests.integration.admin_cli import run_admin
from tests.unit.records.storage.old_centers import (
    copy_center,
    file_sha,
    fixture_password,
    old_centers,
    read_record,
    write_record,
)


@pytest.mark.parametrize("fixture", old_centers(), ids=lambda p: p.name)
def test_verify_on_an_old_center_migrates_and_passes(fixture, tmp_path):
    password = fixture_password(fixture)
    root = copy_center(fixture, tmp_path / "center")
    found = read_record(root, password, current_revision)
    if found < "0006":  # before the clinical split
        # An admin cannot split it (their program would hold the new clinical key).
        before = file_sha(root / "record.db")
        refused = run_admin("verify", str(root), "--user", "admin", stdin=password + "\n")
        assert refused.returncode == 1
        [line] = refused.stderr.strip().splitlines()
        assert "doctor or a nurse" in line
        assert file_sha(root / "record.db") == before
    for user in ("medico", "medico", "admin"):  # the second run finds nothing to migrate
        done = run_admin("verify", str(root), "--user", user, stdin=password + "\n")
        assert done.returncode == 0, done.stderr
        assert "verify: OK" in done.stdout
        assert f"schema: {head_revision()}" in done.stdout
        assert ("clinical content digest:" in done.stdout) == (user == "medico")
    # The backup taken before the split held clinical content under the record key; one
    # taken after it holds none and is kept.
    assert len(sorted(root.glob("record-before-*.mrb"))) == (0 if found < "0006" else 1)


def test_a_newer_center_is_refused_in_one_line(tmp_path):
    fixture = old_centers()[0]
    password = fixture_password(fixture)
    root = copy_center(fixture, tmp_path / "center")
    write_record(
        root,
        password,
        [
            "UPDATE alembic_version SET version_num = '9999'",
            "INSERT INTO meta (key, value) VALUES ('program_version', '9.9')",
        ],
    )
    before = file_sha(root / "record.db")
    done = run_admin("verify", str(root), "--user", "admin", stdin=password + "\n")
    assert done.returncode == 1
    [line] = done.stderr.strip().splitlines()
    assert "9999" in line and "9.9" in line and head_revision() in line
    assert file_sha(root / "record.db") == before
