"""The audit trail travels between workstations: one chain per origin, checked link by
link, and a chain cut short on one workstation is noticed by the others."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, func, select, text

from app.records.model import AuditEvent, PeerAuditEvent, SyncJournalEvent
from app.records.services import Records
from app.records.services.views import PatientInput
from app.records.storage.epoch import start_new_epoch
from app.sync.replica import Replica
from tests.conftest import PASSWORD
from tests.sync.test_sync_exchange import sync


def _audit_both_ways(a: Replica, b: Replica) -> tuple[int, int]:
    to_b = b.apply_audit(a.audit_batch(b.audit_vector(), 100_000), "A")
    to_a = a.apply_audit(b.audit_batch(a.audit_vector(), 100_000), "B")
    return to_b, to_a


def _journal(replica: Replica, event: str) -> list[str]:
    with replica.db.read_engine.connect() as conn:
        return list(conn.execute(select(SyncJournalEvent.detail)
                                 .where(SyncJournalEvent.event == event)).scalars())


def test_a_patients_access_list_covers_every_workstation(pair):
    a, b = pair
    patient = a.records.patients.register(
        PatientInput("Neri", "Lucia", "F", date(1958, 3, 4), "Pavia")).id
    sync(a, b)
    a.records.chart.open(patient)
    b.records.chart.open(patient)
    kept_b, kept_a = _audit_both_ways(a, b)
    assert kept_b > 0 and kept_a > 0
    assert _audit_both_ways(a, b) == (0, 0)  # asked again: nothing new
    assert a.audit_vector() == b.audit_vector()
    for replica in (a, b):
        admin = Records.open(replica.db.paths.root, "admin", PASSWORD)
        try:
            opened = [e for e in admin.audit.access_log(patient) if e.action == "chart.read"]
        finally:
            admin.close()
        assert len(opened) == 2, opened  # the GP on A and the GP on B


def test_an_event_changed_on_the_way_breaks_the_chain_and_is_refused(pair):
    a, b = pair
    rows = a.audit_batch({}, 100_000)
    assert len(rows) >= 3
    forged = [list(row) for row in rows]
    forged[1][11] = "nothing happened here"  # the detail of the second event
    kept = b.apply_audit(forged, "A")
    assert kept == 1  # the first; the forged one and all after it are refused
    assert any("hash does not match" in d for d in _journal(b, "audit.refused"))
    assert b.apply_audit(rows, "A") == len(rows) - 1  # the true ones still arrive
    with b.db.read_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(PeerAuditEvent)).scalar() \
            == len(rows)


def test_a_deleted_tail_is_noticed_by_the_peer_and_by_the_workstation_itself(pair):
    a, b = pair
    a.records.patients.search("Neri")
    _audit_both_ways(a, b)
    held = b.audit_vector()[a.origin()]
    with a.db.write_engine.begin() as conn:  # someone deletes A's last three audit rows
        for (name,) in conn.execute(text(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'audit_event'")).all():
            conn.execute(text(f'DROP TRIGGER "{name}"'))
        conn.execute(delete(AuditEvent).where(AuditEvent.seq > held - 3))
    told_b = b.check_audit_heads(a.origin(), a.audit_vector(), "A")
    told_a = a.check_audit_heads(b.origin(), b.audit_vector(), "B")
    assert told_b and f"up to {held - 3}" in told_b[0] and f"up to {held}" in told_b[0]
    assert told_a and "this workstation's audit trail" in told_a[0]
    assert _journal(b, "audit.tail-missing") and _journal(a, "audit.tail-missing")


def test_after_a_restore_the_new_origin_continues_the_chain_without_a_clash(pair):
    a, b = pair
    _audit_both_ways(a, b)
    old = a.origin()
    with a.db.write_engine.begin() as conn:
        start_new_epoch(conn, a.records.actor)
    a.records.patients.search("Rossi")
    assert a.origin() != old
    _audit_both_ways(a, b)
    vector = b.audit_vector()
    assert vector[old] < vector[a.origin()]
    assert vector[old] + 1 == min(r[1] for r in a.audit_batch({old: vector[old]}, 100)
                                  if r[0] == a.origin())
    assert not _journal(b, "audit.refused")
    assert a.audit_vector() == vector
