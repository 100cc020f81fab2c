"""Entries travel with their payload as stored (deflated, ADR 0025) to a peer that reads
that encoding, and as text to one that does not say it does (an earlier version)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from app.records.log_codec import VERSIONS, pack
from app.records.services.views import PatientInput
from app.sync.log import BadEntry, Entry, encodings_read_by


def _pull_all(src, dst, encodings) -> int:
    moved = 0
    for stream in dst.streams:
        entries, blobs = src.batch_for(stream, dst.vectors()[stream], 10_000)
        wire = [e.as_wire(encodings) for e in entries]
        moved += sum(isinstance(w[7], bytes) for w in wire)
        dst.apply(stream, [Entry.from_wire(w) for w in wire], blobs, src.name)
    return moved


def _stored(replica, table: str) -> dict[tuple[str, int], object]:
    with replica.db.read_engine.connect() as conn:
        return {(o, s): p for o, s, p in conn.execute(
            text(f"SELECT origin, seq, payload FROM {table}"))}


@pytest.mark.parametrize("encodings", [VERSIONS, ()], ids=["packed", "text"])
def test_a_replica_stores_the_same_bytes_whichever_way_entries_travel(pair, encodings):
    a, b = pair
    patient = a.records.patients.register(
        PatientInput("Neri", "Lucia", "F", date(1958, 3, 4), "Pavia")).id
    a.records.clinical.add_problem(patient, "250.00", "Diabete mellito tipo 2")
    sent_packed = _pull_all(a, b, encodings)
    assert (sent_packed > 0) == bool(encodings)
    assert a.digests() == b.digests()
    for table in ("change_log", "clinical_change"):
        assert _stored(b, table) == _stored(a, table)  # packed here too, byte for byte
    report = b.records.audit.verify()
    assert not report.problems, report.problems


def test_a_peer_of_an_earlier_version_is_sent_text():
    assert encodings_read_by({"schema": "0013"}) == frozenset()
    assert encodings_read_by({"payloads": [1, "2", None]}) == {1}
    entry = Entry("o", 1, 5, "0013", "patient", "p1", "create", '{"a":1}', "h",
                  pack('{"a":1}'))
    assert entry.as_wire(frozenset())[7] == '{"a":1}'
    assert entry.as_wire(VERSIONS)[7] == pack('{"a":1}')


def _wire_of(pair) -> list:
    a, _b = pair
    a.records.patients.register(PatientInput("Neri", "Lucia", "F", date(1958, 3, 4), "Pavia"))
    entries, _blobs = a.batch_for("record", {}, 10_000)
    return next(e.as_wire(VERSIONS) for e in entries if e.entity == "patient")


@pytest.mark.parametrize(("damage", "why"), [
    (lambda b: b[:-3], "cannot be read"),
    (lambda b: b + b"\x00", "cannot be read"),
    (lambda b: b"\x07" + b[1:], "unknown encoding"),
    (lambda b: pack('{"surname":"Nero"}'), "does not match its hash"),
])
def test_a_damaged_or_forged_packed_payload_is_refused(pair, damage, why):
    wire = _wire_of(pair)
    wire[7] = damage(wire[7])
    with pytest.raises(BadEntry, match=why):
        Entry.from_wire(wire)
