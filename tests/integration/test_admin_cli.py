"""``medirete-admin`` end to end: exit codes, wrong passwords, backup/restore, tampering."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlcipher3

from app.records.services import Records
from app.records.storage.engine import raw_key_pragma_value
from tests.conftest import PASSWORD
from tests.integration.admin_cli import run_admin, snapshot

GOOD = PASSWORD + "\n"
WRONG = "wrong-password-1\n"


def test_init_add_user_and_verify(tmp_path):
    root = tmp_path / "c"
    done = run_admin(
        "center", "init", str(root), "--name", "Centro Test", "--admin", "capo", stdin=GOOD
    )
    assert done.returncode == 0, done.stderr
    added = run_admin(
        "user",
        "add",
        str(root),
        "--as",
        "capo",
        "--user",
        "rossi",
        "--role",
        "gp",
        stdin=GOOD + "medico-password\n",
    )
    assert added.returncode == 0, added.stderr
    verified = run_admin("verify", str(root), "--user", "capo", stdin=GOOD)
    assert verified.returncode == 0, verified.stderr
    assert "verify: OK" in verified.stdout
    listed = run_admin("user", "list", str(root), "--user", "rossi", stdin="medico-password\n")
    assert listed.returncode == 0 and "rossi" in listed.stdout


@pytest.mark.parametrize(
    "argv",
    [
        ["user", "add", "{dir}", "--as", "admin", "--user", "nuovo", "--role", "nurse"],
        ["user", "passwd", "{dir}", "--user", "medico"],
        ["user", "passwd", "{dir}", "--user", "medico", "--as", "admin"],
        ["user", "list", "{dir}", "--user", "admin"],
        ["verify", "{dir}", "--user", "admin"],
        ["backup", "{dir}", "{out}/b.mrb", "--user", "admin"],
        ["rekey", "{dir}", "--user", "admin"],
        ["enroll-workstation", "{dir}", "--user", "admin"],
        ["import-codes", "{dir}", "{out}/codes.csv", "--kind", "icd9cm", "--user", "admin"],
    ],
)
def test_wrong_password_exits_1_with_one_line_and_touches_nothing(center, tmp_path, argv):
    out = tmp_path / "out"
    out.mkdir()
    (out / "codes.csv").write_text("version,code,description,release_date\n,250.00,Diabete,\n")
    before = snapshot(center, out)
    args = [a.format(dir=center, out=out) for a in argv]
    done = run_admin(*args, stdin=WRONG + "another-password\n" * 3, lang="it")
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "password" in lines[0].lower()
    assert snapshot(center, out) == before


def test_wrong_password_on_restore_writes_nothing(center, tmp_path):
    backup = tmp_path / "b.mrb"
    assert (
        run_admin("backup", str(center), str(backup), "--user", "admin", stdin=GOOD).returncode == 0
    )
    before = snapshot(tmp_path)
    done = run_admin(
        "restore", str(backup), str(tmp_path / "restored"), "--user", "admin", stdin=WRONG
    )
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1
    assert snapshot(tmp_path) == before
    assert not (tmp_path / "restored").exists()


def test_bad_usage_exits_2(tmp_path):
    assert run_admin("verify").returncode == 2
    assert run_admin("nonsense").returncode == 2
    assert run_admin("user", "add", str(tmp_path), "--role", "chef").returncode == 2


def _verbs(parser, prefix=()):
    import argparse

    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _verbs(sub, (*prefix, name))
            return
    yield prefix


def test_every_verb_has_help():
    from app.admin.cli import build_parser

    verbs = list(_verbs(build_parser()))
    assert ("center", "init") in verbs and ("enroll-workstation",) in verbs
    assert len(verbs) >= 11
    for verb in verbs:
        done = run_admin(*verb, "--help")
        assert done.returncode == 0 and "usage:" in done.stdout, verb


def test_missing_center_is_a_clear_user_error(tmp_path):
    done = run_admin("verify", str(tmp_path / "nowhere"), "--user", "admin", stdin=GOOD)
    assert done.returncode == 1
    assert "nowhere" in done.stderr and "Traceback" not in done.stderr


def _digest(out: str) -> str:
    [line] = [line for line in out.splitlines() if line.startswith("content digest:")]
    return line.split(":", 1)[1].strip()


def test_backup_then_restore_gives_the_same_digest(center, tmp_path):
    from datetime import date

    from app.records.services.views import PatientInput

    records = Records.open(center, "medico", PASSWORD)
    try:
        patient = records.patients.register(
            PatientInput("Brambilla", "Ezio", "M", date(1944, 10, 1), "Varese")
        )
        records.clinical.add_problem(patient.id, "496", "BPCO", clinical_status="chronic")
        records.clinical.attach_document(patient.id, "Spirometria", b"%PDF-1.4 synthetic")
    finally:
        records.close()
    before = run_admin("verify", str(center), "--user", "admin", stdin=GOOD)
    backup = tmp_path / "centro.mrb"
    made = run_admin("backup", str(center), str(backup), "--user", "admin", stdin=GOOD)
    assert made.returncode == 0, made.stderr
    restored_dir = tmp_path / "restored"
    restored = run_admin("restore", str(backup), str(restored_dir), "--user", "admin", stdin=GOOD)
    assert restored.returncode == 0, restored.stderr
    after = run_admin("verify", str(restored_dir), "--user", "admin", stdin=GOOD)
    assert after.returncode == 0, after.stderr
    assert _digest(before.stdout) == _digest(made.stdout) == _digest(after.stdout)
    again = run_admin("restore", str(backup), str(restored_dir), "--user", "admin", stdin=GOOD)
    assert again.returncode == 1  # never over an existing center


def test_damaged_backup_is_refused(center, tmp_path):
    backup = tmp_path / "b.mrb"
    assert (
        run_admin("backup", str(center), str(backup), "--user", "admin", stdin=GOOD).returncode == 0
    )
    data = bytearray(backup.read_bytes())
    data[-100] ^= 0xFF
    backup.write_bytes(bytes(data))
    done = run_admin("restore", str(backup), str(tmp_path / "r"), "--user", "admin", stdin=GOOD)
    assert done.returncode == 1 and "damaged" in done.stderr


def _raw(center: Path) -> sqlcipher3.Connection:
    records = Records.open(center, "admin", PASSWORD)
    key = records.db.db_key
    records.close()
    conn = sqlcipher3.connect(str(center / "record.db"), isolation_level=None)
    conn.execute(f'PRAGMA key = "{raw_key_pragma_value(key)}"').fetchall()
    return conn


def test_changed_audit_row_makes_verify_fail_and_name_it(center):
    conn = _raw(center)
    seq, row_id = conn.execute(
        "SELECT seq, id FROM audit_event ORDER BY seq LIMIT 1 OFFSET 2"
    ).fetchone()
    conn.execute("DROP TRIGGER audit_event_append_only_update")
    conn.execute("UPDATE audit_event SET detail = 'nothing to see' WHERE seq = ?", (seq,))
    conn.close()
    done = run_admin("verify", str(center), "--user", "admin", stdin=GOOD)
    assert done.returncode == 1
    assert f"audit row {seq} ({row_id}) was changed" in done.stdout + done.stderr


def test_removed_audit_row_makes_verify_fail_and_name_it(center):
    conn = _raw(center)
    conn.execute("DROP TRIGGER audit_event_append_only_delete")
    conn.execute("DELETE FROM audit_event WHERE seq = 4")
    conn.close()
    done = run_admin("verify", str(center), "--user", "admin", stdin=GOOD)
    assert done.returncode == 1
    assert "audit rows 4..4 are missing" in done.stdout + done.stderr


def test_import_codes_loads_a_newer_file(center, tmp_path):
    csv_file = tmp_path / "icd9.csv"
    csv_file.write_text(
        "version,code,description,release_date\n"
        ",250.00,Diabete mellito tipo II senza complicazioni,\n"
        ",401.9,Ipertensione essenziale non specificata,\n",
        encoding="utf-8",
    )
    done = run_admin(
        "import-codes",
        str(center),
        str(csv_file),
        "--kind",
        "icd9cm",
        "--user",
        "admin",
        stdin=GOOD,
    )
    assert done.returncode == 0, done.stderr
    assert "2 icd9cm" in done.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("version,code,description,release_date\n,XYZ!,?,\n", encoding="utf-8")
    refused = run_admin(
        "import-codes", str(center), str(bad), "--kind", "icd9cm", "--user", "admin", stdin=GOOD
    )
    assert refused.returncode == 1 and len(refused.stderr.strip().splitlines()) == 1


def test_plain_sqlite_cannot_read_the_record(center):
    conn = sqlite3.connect(center / "record.db")
    with pytest.raises(sqlite3.DatabaseError):
        conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
    conn.close()


def test_damaged_key_file_is_one_clear_line(center):
    (center / "keys.json").write_text("{ not json", encoding="utf-8")
    done = run_admin("verify", str(center), "--user", "admin", stdin=GOOD, lang="it")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "danneggiat" in done.stderr


def test_changed_change_log_entry_makes_verify_fail(center):
    from datetime import date

    from app.records.services.views import PatientInput

    records = Records.open(center, "segreteria", PASSWORD)
    records.patients.register(PatientInput("Galbiati", "Pia", "F", date(1970, 1, 1), "Lodi"))
    records.close()
    conn = _raw(center)
    conn.execute("DROP TRIGGER change_log_append_only_update")
    origin, seq = conn.execute("SELECT origin, seq FROM change_log LIMIT 1").fetchone()
    conn.execute(
        "UPDATE change_log SET payload = '{}' WHERE origin = ? AND seq = ?", (origin, seq)
    )
    conn.close()
    done = run_admin("verify", str(center), "--user", "admin", stdin=GOOD)
    assert done.returncode == 1
    assert f"change log entry {origin}/{seq} was changed" in done.stdout + done.stderr
