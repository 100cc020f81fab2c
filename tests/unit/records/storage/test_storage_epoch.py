"""A restore starts a new epoch: a new origin id, the old one kept, the audit says so."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from app.records.journal import get_meta
from app.records.model import AuditEvent, ChangeLogEntry
from app.records.services import Records
from app.records.services.views import PatientInput
from app.records.storage.backup import restore_backup
from app.records.storage.epoch import epochs
from tests.conftest import PASSWORD


def _origin_and_seqs(records: Records) -> tuple[str, list[tuple[str, int]]]:
    with records.db.read_engine.connect() as conn:
        origin = get_meta(conn, "node_id") or ""
        rows = conn.execute(select(ChangeLogEntry.origin, ChangeLogEntry.seq)).all()
    return origin, [tuple(r) for r in rows]


def test_a_restored_record_writes_under_a_new_origin(center: Path, tmp_path: Path):
    admin = Records.open(center, "admin", PASSWORD)
    try:
        backup = tmp_path / "copia.mrb"
        admin.maintenance.backup(backup)
    finally:
        admin.close()
    assert backup.exists()
    restored = tmp_path / "ripristino"
    restore_backup(backup, restored, "admin", PASSWORD)
    old_records = Records.open(center, "segreteria", PASSWORD)
    new_records = Records.open(restored, "segreteria", PASSWORD)
    try:
        old_origin, before = _origin_and_seqs(old_records)
        new_origin, copied = _origin_and_seqs(new_records)
        assert new_origin != old_origin and sorted(copied) == sorted(before)
        with new_records.db.read_engine.connect() as conn:
            history = epochs(conn)
            audited = conn.execute(select(AuditEvent.action, AuditEvent.detail)
                                   .where(AuditEvent.action == "restore.new_epoch")).all()
        assert [item["origin"] for item in history] == [old_origin]
        assert [tuple(a) for a in audited] == [("restore.new_epoch",
                                                f"{old_origin} -> {new_origin}")]
        # Both copies write: the same (origin, seq) never names two different changes.
        for records in (old_records, new_records):
            records.patients.register(PatientInput("Galli", "Rita", "F", date(1970, 5, 4),
                                                   "Lodi"))
        _o, after_old = _origin_and_seqs(old_records)
        _n, after_new = _origin_and_seqs(new_records)
        fresh = set(after_new) - set(copied)
        assert fresh and {origin for origin, _seq in fresh} == {new_origin}
        assert min(seq for _origin, seq in fresh) == 1
        assert not (set(after_old) - set(before)) & fresh
    finally:
        old_records.close()
        new_records.close()
    admin = Records.open(restored, "admin", PASSWORD)
    try:
        assert admin.audit.verify().ok
    finally:
        admin.close()
