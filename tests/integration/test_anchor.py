"""Issue 6, items 5 and 13 (part): a record behind its anchor is reported by ``verify``.

On main before this change, a committed write that lived only in the WAL vanished when the
WAL was lost after a crash, and ``verify`` said OK: nothing outside the database knew.
"""

from __future__ import annotations

import json
import shutil
import stat
from datetime import date
from pathlib import Path

from sqlalchemy import text

from app.records.services import Records
from app.records.services.views import PatientInput
from app.records.storage.anchor import ANCHOR_NAME
from tests.conftest import PASSWORD
from tests.integration.admin_cli import run_admin


def _verify(root: Path):
    return run_admin("verify", str(root), "--user", "admin", stdin=PASSWORD + "\n")


def test_a_lost_wal_is_reported_as_a_record_behind_its_anchor(center, tmp_path):
    gp = Records.open(center, "medico", PASSWORD)
    try:
        gp.patients.register(PatientInput("Lupi", "Ada", "F", date(1961, 4, 4), "Sondrio"))
        # The commit is in record.db-wal (no checkpoint yet): copy the center as a crash
        # that lost the WAL would leave it.
        crashed = tmp_path / "crashed"
        crashed.mkdir()
        for name in ("center.json", "keys.json", "record.db", ANCHOR_NAME):
            shutil.copy2(center / name, crashed / name)
    finally:
        gp.close()
    assert _verify(center).returncode == 0
    done = _verify(crashed)
    assert done.returncode == 1
    assert "behind its anchor" in done.stdout + done.stderr
    assert stat.S_IMODE((center / ANCHOR_NAME).stat().st_mode) == 0o600


def test_a_rewritten_audit_tail_or_a_forged_anchor_is_reported(center):
    admin = Records.open(center, "admin", PASSWORD)
    try:
        with admin.db.write_engine.begin() as conn:  # holding the key: rewrite the tail
            conn.execute(text("DROP TRIGGER audit_event_append_only_delete"))
            last = conn.execute(text("SELECT max(seq) FROM audit_event")).scalar_one()
            conn.execute(text("DELETE FROM audit_event WHERE seq = :s"), {"s": last})
    finally:
        admin.close()
    # verify's own login re-used the deleted sequence number: a rewritten tail.
    done = _verify(center)
    assert done.returncode == 1
    assert "is not the one anchored (the audit trail was rewritten)" in done.stdout
    anchor = center / ANCHOR_NAME
    data = json.loads(anchor.read_text())
    data["audit_seq"] = 1
    anchor.write_text(json.dumps(data))
    assert "does not match this record's key" in (done := _verify(center)).stdout


def test_a_rekey_carries_the_anchor_to_the_new_key(center):
    assert run_admin("rekey", str(center), "--user", "admin",
                     stdin=PASSWORD + "\n").returncode == 0
    assert _verify(center).returncode == 0


def test_an_anchor_re_authenticated_with_the_record_key_fails_its_signature(center):
    """Item 13: before, the anchor's only protection was an HMAC keyed from the record
    key, which every user holds: a secretary could move it back and re-MAC it."""
    from app.records.storage.anchor import _mac
    from app.records.storage.keys import KeyFile

    _verify(center)
    anchor = center / ANCHOR_NAME
    data = json.loads(anchor.read_text())
    assert {"signer", "signature"} <= set(data)
    key = KeyFile.load(center / "keys.json").unlock("segreteria", PASSWORD)
    fields = {k: v for k, v in data.items() if k not in ("mac", "signer", "signature")}
    fields["audit_seq"] = 1
    data = fields | {"mac": _mac(key, fields), "signer": data["signer"],
                     "signature": data["signature"]}
    anchor.write_text(json.dumps(data))
    done = _verify(center)
    assert done.returncode == 1
    assert "signature does not verify" in done.stdout


def test_a_record_replaced_with_its_anchor_by_an_older_copy_is_seen_by_the_workstation(
    center, tmp_path
):
    """Item 13: the anchor beside the record goes with it; this workstation's copy does not."""
    older = tmp_path / "older"
    assert _verify(center).returncode == 0
    shutil.copytree(center, older)
    gp = Records.open(center, "medico", PASSWORD)
    try:
        gp.patients.register(PatientInput("Moro", "Ugo", "M", date(1950, 1, 1), "Como"))
    finally:
        gp.close()
    for name in ("record.db", "record.db-wal", "record.db-shm", ANCHOR_NAME):
        (center / name).unlink(missing_ok=True)
        if (older / name).exists():
            shutil.copy2(older / name, center / name)
    done = _verify(center)
    assert done.returncode == 1
    assert "behind what this workstation last saw" in done.stdout


def test_a_backup_carries_a_signed_head_that_a_restore_checks(center, tmp_path):
    from app.core.errors import BackupInvalid
    from app.records.storage.backup import MAGIC, read_header, restore_backup

    assert run_admin("backup", str(center), str(tmp_path / "b.mrb"), "--user", "admin",
                     stdin=PASSWORD + "\n").returncode == 0
    header = read_header(tmp_path / "b.mrb")
    assert {"audit_seq", "audit_hash", "signer", "signature"} <= set(header["anchor"])
    # Someone edits the header's head (to pass off a shortened trail): the signature fails.
    raw = (tmp_path / "b.mrb").read_bytes()
    rest = raw[len(MAGIC):]
    line, body = rest.split(b"\n", 1)
    edited = json.loads(line)
    edited["anchor"]["audit_seq"] -= 1
    (tmp_path / "forged.mrb").write_bytes(MAGIC + json.dumps(edited).encode() + b"\n" + body)
    try:
        restore_backup(tmp_path / "forged.mrb", tmp_path / "restored", "admin", PASSWORD)
    except BackupInvalid as exc:
        assert "signed head" in str(exc)
    else:
        raise AssertionError("a forged head was restored")
    assert not (tmp_path / "restored").exists()
    restore_backup(tmp_path / "b.mrb", tmp_path / "ok", "admin", PASSWORD)
    assert _verify(tmp_path / "ok").returncode == 0
