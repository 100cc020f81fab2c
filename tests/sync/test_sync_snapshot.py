"""A copy of a peer's record made this workstation's own (``app.sync.snapshot``), in one
process on real encrypted files: what it keeps of this workstation, and what it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.records.services import Records
from app.sync import snapshot
from app.sync.pki import PeerIdentity
from app.sync.replica import Replica
from app.sync.replica_files import create_replica
from tests.conftest import PASSWORD
from tests.sync.conftest import _bundle


def _staged(source: Records, staging: Path) -> None:
    """The files as a peer sends them."""
    staging.mkdir()
    for name, path in snapshot._copies(Replica(source), staging).items():
        path.rename(staging / name)


def _chain(records: Records) -> list[tuple[int, str]]:
    with records.db.read_engine.connect() as conn:
        return [(int(seq), str(h)) for seq, h in conn.exec_driver_sql(
            "SELECT seq, hash FROM audit_event ORDER BY seq")]


def _new_replica(source: Records, root: Path) -> Records:
    create_replica(root, _bundle(source), "medico", PASSWORD)
    return Records.open(root, "medico", PASSWORD)


def test_the_copy_becomes_this_record_under_its_own_origin(center: Path, tmp_path: Path) -> None:
    a = Records.open(center, "medico", PASSWORD)
    b = _new_replica(a, tmp_path / "b")
    try:
        _staged(a, tmp_path / "staging")
        mine = Replica(b)
        origin, chain = mine.origin(), _chain(b)
        paths = b.db.paths
        assert b.db.clinical_key is not None
        keys = snapshot.Keys(b.db.db_key, b.db.clinical_key)
        b.close()
        snapshot.install(paths, keys, tmp_path / "staging", "A")
        b = Records.open(tmp_path / "b", "medico", PASSWORD)
        copied, source = Replica(b), Replica(a)
        assert copied.origin() == origin != source.origin()
        assert copied.vectors() == source.vectors() and copied.digests() == source.digests()
        assert _chain(b)[:len(chain)] == chain  # its own chain as it was (then a login)
        held = copied.audit_vector()
        assert held[source.origin()] == source.audit_vector()[source.origin()]  # A's, a peer's
        copied.adopt_copy("A", "9 entries in 1.0 s (received in 0.1 s, checked in 0.9 s)")
        seen = copied.status().peers["A"]  # the giver was seen, and was in step
        assert seen["last_sync"] and seen["last_seen"] and seen["online"] is False
        assert seen["vectors"] == source.vectors()
        [line] = copied.journal_lines(None, events=["snapshot"])
        assert (line.peer, line.detail) == ("A", "9 entries in 1.0 s (received in 0.1 s, "
                                                 "checked in 0.9 s)")
    finally:
        a.close()
        b.close()


def test_a_damaged_copy_is_refused_and_the_record_left_as_it_was(
        center: Path, tmp_path: Path) -> None:
    a = Records.open(center, "medico", PASSWORD)
    b = _new_replica(a, tmp_path / "b")
    try:
        _staged(a, tmp_path / "staging")
        damaged = tmp_path / "staging" / "record.db"
        with open(damaged, "r+b") as handle:  # one byte of a page in the middle
            handle.seek(damaged.stat().st_size // 2)
            byte = handle.read(1)
            handle.seek(-1, 1)
            handle.write(bytes([byte[0] ^ 0xFF]))
        before = Replica(b).digests()
        paths = b.db.paths
        assert b.db.clinical_key is not None
        keys = snapshot.Keys(b.db.db_key, b.db.clinical_key)
        b.close()
        with pytest.raises(snapshot.SnapshotUnusable):
            snapshot.install(paths, keys, tmp_path / "staging", "A")
        b = Records.open(tmp_path / "b", "medico", PASSWORD)
        assert Replica(b).digests() == before and not any(Replica(b).vectors().values())
    finally:
        a.close()
        b.close()


def test_no_copy_for_a_front_desk_nor_a_peer_of_another_schema(center: Path) -> None:
    a = Records.open(center, "medico", PASSWORD)
    try:
        replica = Replica(a)
        desk = PeerIdentity(a.db.center_id, "reception", "front-desk")
        full = PeerIdentity(a.db.center_id, "studio-2", "full")
        hello = {"schema": snapshot.head_revision(), "role": "full"}
        assert snapshot.refusal(replica, hello, full) is None
        assert "front desk" in str(snapshot.refusal(replica, hello | {"role": "front-desk"}, desk))
        assert "schema" in str(snapshot.refusal(replica, hello | {"schema": "0001"}, full))
    finally:
        a.close()
