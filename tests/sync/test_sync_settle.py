"""A conflict is settled by a person's later write, on every workstation (app/sync/settle.py).

Two replicas exchange their logs in process (``sync`` of test_sync_exchange); each
conflict is made as in that file, then a person does what settles it on one
workstation, and the conflict leaves the list where it was listed; nothing else moves.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from app.records.model import ClinicalSyncConflict, SyncConflict, SyncJournalEvent
from app.records.services.views import PatientInput
from app.sync.replica import Replica
from app.sync.settle import SETTLED_BY
from tests.sync.test_sync_exchange import sync

SLOT = datetime(2026, 12, 9, 8, 0, tzinfo=UTC)


def _open(side: Replica, table: type = SyncConflict) -> list[str]:
    with side.db.read_engine.connect() as conn:
        return list(conn.execute(select(table.kind).where(table.resolved_at.is_(None)))
                    .scalars())


def _settled(side: Replica, table: type = SyncConflict) -> list[tuple[str, str]]:
    with side.db.read_engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(table.kind, table.resolved_by).where(
            table.resolved_at.is_not(None)))]


def _phone_conflict(a: Replica, b: Replica) -> tuple[str, Replica, Replica]:
    """Both edit one phone at once; (patient, the side listing it, the other)."""
    patient = a.records.patients.register(
        PatientInput("Villa", "Marta", "F", date(1980, 7, 8), "Pavia")).id
    sync(a, b)
    a.records.patients.update_demographics(patient, {"phone": "0382 111111"})
    b.records.patients.update_demographics(patient, {"phone": "0382 222222"})
    sync(a, b)
    listing = a if _open(a) else b
    assert _open(listing) == ["demographics"]
    return patient, listing, (b if listing is a else a)


def test_a_field_written_again_on_the_other_workstation_settles_the_conflict(pair):
    a, b = pair
    patient, listing, other = _phone_conflict(a, b)
    other.records.patients.update_demographics(patient, {"phone": "0382 333333"})
    sync(a, b)
    assert _open(listing) == [] and _settled(listing) == [("demographics", SETTLED_BY)]
    assert a.records.patients.get(patient).fields["phone"] == "0382 333333"
    assert a.digests() == b.digests()
    with listing.db.read_engine.connect() as conn:
        assert conn.execute(select(SyncJournalEvent.detail).where(
            SyncJournalEvent.event == "conflict.settled")).scalar_one().startswith(
                "demographics: patient ")


def test_confirming_the_value_kept_settles_it_where_it_is_listed(pair):
    a, b = pair
    patient, listing, _other = _phone_conflict(a, b)
    kept = listing.records.patients.get(patient).fields["phone"]
    history = listing.records.patients.history(patient)
    # The value held is right: confirmed as it is, it is written again, unchanged.
    listing.records.patients.update_demographics(patient, {}, confirmed=["phone"])
    assert listing.settle_conflicts() == 1
    assert _open(listing) == []
    sync(a, b)
    assert a.records.patients.get(patient).fields["phone"] == kept
    assert a.digests() == b.digests()
    # Confirming changed nothing: no new version in the patient's history.
    assert listing.records.patients.history(patient) == history


def test_a_write_of_another_field_leaves_it_listed(pair):
    a, b = pair
    patient, listing, other = _phone_conflict(a, b)
    other.records.patients.update_demographics(patient, {"email": "marta@example.test"})
    sync(a, b)
    assert listing.settle_conflicts() == 0
    assert _open(listing) == ["demographics"]


def test_cancelling_one_of_two_bookings_of_a_slot_settles_it(pair):
    a, b = pair
    patient = a.records.patients.register(
        PatientInput("Conti", "Aldo", "M", date(1950, 2, 2), "Pavia")).id
    sync(a, b)
    gp = a.records.actor.user_id
    first = a.records.agenda.book(gp, patient, SLOT)
    b.records.agenda.book(gp, patient, SLOT)
    sync(a, b)
    listing = a if _open(a) else b
    assert _open(listing) == ["booking"]
    a.records.agenda.cancel(first, "doppia prenotazione")
    sync(a, b)
    listing.settle_conflicts()  # what the node does after a write made here
    assert _open(listing) == [] and _settled(listing) == [("booking", SETTLED_BY)]


def test_correcting_one_of_two_corrections_settles_it(pair):
    a, b = pair
    patient = a.records.patients.register(
        PatientInput("Galli", "Ugo", "M", date(1949, 9, 9), "Pavia")).id
    problem = a.records.clinical.add_problem(patient, "250.00", "Diabete")
    sync(a, b)
    kept = a.records.clinical.correct("problem", problem, {"description": "Diabete tipo 2"},
                                      "precisato")
    b.records.clinical.correct("problem", problem, {"description": "Diabete tipo 1"}, "errore")
    sync(a, b)
    assert _open(a, ClinicalSyncConflict) == ["amendment"]
    assert _open(b, ClinicalSyncConflict) == ["amendment"]
    a.records.clinical.correct("problem", kept, {"description": "Diabete mellito tipo 2"},
                               "scelta tra due correzioni")
    assert a.settle_conflicts() == 1
    sync(a, b)
    for side in (a, b):
        assert _open(side, ClinicalSyncConflict) == []
        assert _settled(side, ClinicalSyncConflict) == [("amendment", SETTLED_BY)]
    assert a.digests() == b.digests()
