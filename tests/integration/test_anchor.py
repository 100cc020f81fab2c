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
