"""Two replicas exchange their logs in process: rows follow, conflicts are kept, nothing
is lost (the transport is tested on its own; here batches are handed over directly)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app.core.errors import WrongPassword
from app.records.model import ClinicalSyncConflict, Document, SyncConflict, SyncDeferred
from app.records.services import Records
from app.records.services.views import PatientInput
from app.sync.log import Entry
from app.sync.replica import Replica
from tests.conftest import PASSWORD


def sync(left: Replica, right: Replica, limit: int = 7) -> None:
    """Pull both ways until neither lacks anything (small batches on purpose)."""
    for _ in range(1000):
        moved = 0
        for src, dst in ((left, right), (right, left)):
            for stream in [s for s in dst.streams if s in src.streams]:
                entries, blobs = src.batch_for(stream, dst.vectors()[stream], limit)
                wire = [Entry.from_wire(e.as_wire()) for e in entries]
                result = dst.apply(stream, wire, blobs, src.name)
                moved += result.applied + result.deferred
        if not moved:
            return
    raise AssertionError("sync does not settle")


def test_a_new_replica_catches_up_and_digests_match(pair):
    a, b = pair
    gp = a.records
    patient = gp.patients.register(PatientInput("Neri", "Lucia", "F", date(1958, 3, 4), "Pavia")).id
    gp.clinical.add_problem(patient, "250.00", "Diabete mellito tipo 2")
    gp.clinical.attach_document(patient, "Referto", b"%PDF-1.4 synthetic\n" * 50)
    gp.agenda.book(gp.actor.user_id, patient, datetime(2026, 12, 9, 9, 0, tzinfo=UTC))
    gp.patients.update_demographics(patient, {"phone": "0382 123456"})
    assert a.digests() != b.digests()
    sync(a, b)
    assert a.digests() == b.digests()
    chart = b.records.chart.open(patient)
    assert [p.fields["description"] for p in chart.of("problem")] == ["Diabete mellito tipo 2"]
    with b.db.read_engine.connect() as conn:
        content = conn.execute(select(Document.content)).scalar_one()
    assert content.startswith(b"%PDF-1.4 synthetic")
    assert b.records.patients.get(patient).fields["phone"] == "0382 123456"


def test_writes_on_both_sides_converge_and_reapplying_is_harmless(pair):
    a, b = pair
    sync(a, b)
    p1 = a.records.patients.register(
        PatientInput("Riva", "Anna", "F", date(1970, 1, 2), "Como")).id
    p2 = b.records.patients.register(
        PatientInput("Sala", "Piero", "M", date(1965, 5, 6), "Lodi")).id
    a.records.clinical.add_problem(p1, "401.9", "Ipertensione")
    b.records.clinical.add_problem(p2, "493.90", "Asma")
    sync(a, b)
    assert a.digests() == b.digests()
    entries, blobs = a.batch_for("record", {}, 10_000)
    again = b.apply("record", entries, blobs, "A")
    assert again.applied == 0 and again.duplicates == len(entries)
    assert a.digests() == b.digests()


def test_concurrent_demographic_edits_keep_both_values_and_converge(pair):
    a, b = pair
    patient = a.records.patients.register(
        PatientInput("Villa", "Marta", "F", date(1980, 7, 8), "Pavia")).id
    sync(a, b)
    a.records.patients.update_demographics(patient, {"phone": "0382 111111"})
    b.records.patients.update_demographics(patient, {"phone": "0382 222222",
                                                     "email": "marta@example.test"})
    sync(a, b)
    assert a.digests() == b.digests()
    phone_a = a.records.patients.get(patient).fields["phone"]
    assert phone_a == b.records.patients.get(patient).fields["phone"]
    assert b.records.patients.get(patient).fields["email"] == "marta@example.test"  # no rival: kept
    conflicts = []
    for side in (a, b):
        with side.db.read_engine.connect() as conn:
            conflicts += conn.execute(select(SyncConflict.kind, SyncConflict.detail)).all()
    assert [c.kind for c in conflicts] == ["demographics"]
    assert "0382 111111" in conflicts[0].detail and "0382 222222" in conflicts[0].detail


def test_two_corrections_of_one_entry_are_both_kept_and_listed(pair):
    a, b = pair
    patient = a.records.patients.register(
        PatientInput("Conti", "Aldo", "M", date(1950, 2, 2), "Pavia")).id
    problem = a.records.clinical.add_problem(patient, "250.00", "Diabete")
    sync(a, b)
    a.records.clinical.correct("problem", problem, {"description": "Diabete tipo 2"}, "precisato")
    b.records.clinical.correct("problem", problem, {"description": "Diabete tipo 1"}, "errore")
    sync(a, b)
    assert a.digests() == b.digests()
    for side in (a, b):
        with side.db.read_engine.connect() as conn:
            listed = conn.execute(select(ClinicalSyncConflict.kind)).all()
        assert len(listed) == 1 and listed[0].kind == "amendment"


def test_an_entry_of_a_newer_schema_is_kept_not_applied(pair):
    from app.records.journal import change_hash

    a, b = pair
    row = {"origin": "future-origin", "seq": 1, "hlc": 1 << 40, "schema_version": "0099",
           "entity": "hologram", "entity_id": "x1", "op": "create", "payload": "{}"}
    entry = Entry(**row, hash=change_hash(row))
    result = b.apply("record", [Entry.from_wire(entry.as_wire())], {}, "A")
    assert (result.applied, result.deferred) == (0, 1)
    with b.db.read_engine.connect() as conn:
        assert conn.execute(select(SyncDeferred.reason)).scalar_one() == "newer-schema"
    sync(a, b)  # and it is forwarded to a peer
    assert "future-origin" in a.vectors()["record"]


def test_a_forged_entry_is_refused_and_a_fork_stops_its_origin(pair):
    from app.sync.log import BadEntry

    a, b = pair
    a.records.patients.register(PatientInput("Galli", "Ugo", "M", date(1949, 9, 9), "Pavia"))
    entries, _ = a.batch_for("record", {}, 100)
    first = next(e for e in entries if e.entity == "patient")
    forged = first.as_wire()
    forged[7] = forged[7].replace("Galli", "Gallo")
    with pytest.raises(BadEntry):
        Entry.from_wire(forged)
    sync(a, b)
    # A different change under an identity B already holds: a fork.
    from app.records.journal import change_hash

    row = first.as_row() | {"payload": first.payload.replace("Galli", "Gallo")}
    row.pop("hash")
    twin = Entry(**row, hash=change_hash(row))
    result = b.apply("record", [twin], {}, "C")
    assert result.forks == [first.origin]
    assert b.status().forked == {"record": [first.origin]}


def test_users_and_passwords_made_on_one_workstation_hold_on_the_other(pair, tmp_path):
    a, b = pair
    a.records.close()
    admin = Records.open(a.db.paths.root, "admin", PASSWORD)
    admin.users.add("medico3", "Dott.ssa Neri", "gp", "new-gp-password-1")
    admin.users.reset_password("medico2", "reset-password-22")
    admin.users.deactivate("infermiere")
    admin_a = Replica(admin, "A")
    sync(admin_a, b)
    b.records.close()
    root_b = b.db.paths.root
    gp = Records.open(root_b, "medico", PASSWORD)
    assert gp.db.clinical  # the key entries logged before the clinical key keep its seal
    gp.close()
    assert Records.open(root_b, "medico3", "new-gp-password-1").actor.role == "gp"
    assert Records.open(root_b, "medico2", "reset-password-22").actor.username == "medico2"
    for user, password in (("medico2", PASSWORD), ("infermiere", PASSWORD)):
        with pytest.raises(WrongPassword):
            Records.open(root_b, user, password)
    # And back: a password changed on B opens A.
    gp_b = Records.open(root_b, "medico", PASSWORD)
    gp_b.users.change_own_password(PASSWORD, "changed-on-b-33")
    sync(Replica(gp_b, "B"), admin_a)
    moved = Records.open(a.db.paths.root, "medico", "changed-on-b-33")
    assert moved.actor.username == "medico" and moved.db.clinical
    moved.close()
    with pytest.raises(WrongPassword):
        Records.open(a.db.paths.root, "medico", PASSWORD)
    assert admin_a.digests()[0] == Replica(gp_b, "B").digests()[0]  # the record file


def test_paired_workstations_are_listed_and_a_revocation_travels(pair):
    a, b = pair
    a.records.close()
    admin = Records.open(a.db.paths.root, "admin", PASSWORD)
    admin.workstations.pair("studio-2", "full", "AAAA BBBB")
    admin.workstations.pair("reception", "front-desk", "CCCC DDDD")
    admin.workstations.revoke("reception", "signed statement")
    listed = {w.name: w for w in admin.workstations.list()}
    assert set(listed) == {"studio-2", "reception"}
    assert listed["reception"].revoked and not listed["studio-2"].revoked
    sync(Replica(admin, "A"), b)
    there = b.records.workstations.find("reception")
    assert there is not None and there.revoked and there.revocation == "signed statement"
    admin.close()


def test_entries_kept_for_a_newer_schema_are_applied_once_this_program_knows_it(pair):
    from app.records.journal import change_hash

    a, b = pair
    summary = a.records.patients.register(
        PatientInput("Riva", "Elsa", "F", date(1950, 2, 2), "Pavia"))
    entries, _ = a.batch_for("record", {}, 10_000)
    mine = [e for e in entries if e.entity == "patient" and e.entity_id == summary.id][0]
    row = {**mine.as_row(), "origin": "future-origin", "seq": 1, "schema_version": "0099"}
    row.pop("hash")
    future = Entry(**row, hash=change_hash(row))
    assert b.apply("record", [future], {}, "A").deferred == 1
    assert b.retry_kept() == 0  # still unknown to this program: still kept
    b._known = b._known | {"0099"}  # the program is upgraded
    assert b.retry_kept() == 1
    assert [p.id for p in b.records.patients.search("Riva Elsa")] == [summary.id]
    with b.db.read_engine.connect() as conn:
        assert conn.execute(select(SyncDeferred.reason)).all() == []


def test_a_code_list_imported_on_one_workstation_is_imported_on_the_others(pair, tmp_path):
    from tests.unit.records.codes.icd10im_workbooks import systematic_list

    a, b = pair
    a.records.close()
    admin = Records.open(a.db.paths.root, "admin", PASSWORD)
    assert not b.records.codes.icd10im_loaded()
    admin.codes.import_file("icd10im", systematic_list(tmp_path))
    sync(Replica(admin, "A"), b)
    admin.close()
    assert b.records.codes.icd10im_loaded()
    found = b.records.codes.describe("icd10im", "I10")
    assert found is not None and "Ipertensione" in found.description
    with b.db.read_engine.connect() as conn:
        assert conn.execute(select(SyncDeferred.reason)).all() == []
