"""Issue 11: a local change is ordered after every change already logged for its row.

A peer whose clock runs far ahead is flagged, not followed (app/core/hlc.receive), so
this workstation's clock stays its own. Before this fix, an edit of a row that peer had
changed was stamped below the peer's change: here the edit held, on every other replica
the fold put the peer's value last, and the records differed for good. The first test
failed on main before the fix.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import insert, select

from app.core.clock import utc_now
from app.core.hlc import Timestamp
from app.records.journal import change_hash, last_timestamp
from app.records.model import ChangeLogEntry
from app.records.services.views import PatientInput

DAY_MS = 24 * 3600 * 1000
PEER = "0193a5b0-0000-7000-8000-00000000beef"


def _now_ms() -> int:
    return int(utc_now().timestamp() * 1000)


def _peer_change(gp, patient_id: str, hlc: int) -> None:
    """A change of the patient's phone logged by a peer whose clock is a day ahead."""
    row = {"origin": PEER, "seq": 1, "hlc": hlc, "schema_version": "0013",
           "entity": "patient", "entity_id": patient_id, "op": "update",
           "payload": '{"phone":"02 0000 1111"}'}
    row["hash"] = change_hash(row)
    with gp.db.write_engine.begin() as conn:
        conn.execute(insert(ChangeLogEntry), [row])


def _stamps(gp, patient_id: str) -> list[tuple[str, int]]:
    with gp.db.read_engine.connect() as conn:
        return [tuple(r) for r in conn.execute(
            select(ChangeLogEntry.origin, ChangeLogEntry.hlc)
            .where(ChangeLogEntry.entity_id == patient_id)
            .order_by(ChangeLogEntry.seq, ChangeLogEntry.origin))]


def test_an_edit_after_a_change_from_a_clock_far_ahead_is_ordered_after_it(open_as):
    gp = open_as("medico")
    patient = gp.patients.register(PatientInput("Sala", "Bruno", "M", date(1950, 1, 30), "Lecco"))
    ahead = Timestamp(_now_ms() + DAY_MS, 3).packed
    _peer_change(gp, patient.id, ahead)
    gp.patients.update_contacts(patient.id, {"phone": "02 0000 2222"})
    mine = [hlc for origin, hlc in _stamps(gp, patient.id) if origin != PEER]
    assert mine[-1] > ahead  # the edit, after the peer's change of the same row
    # ...without dragging this workstation's clock a day ahead for everything else.
    with gp.db.read_engine.connect() as conn:
        assert last_timestamp(conn).physical_ms < _now_ms() + 60_000


def test_other_rows_keep_this_workstations_own_clock(open_as):
    gp = open_as("medico")
    first = gp.patients.register(PatientInput("Sala", "Bruno", "M", date(1950, 1, 30), "Lecco"))
    other = gp.patients.register(PatientInput("Riva", "Anna", "F", date(1961, 5, 2), "Como"))
    _peer_change(gp, first.id, Timestamp(_now_ms() + DAY_MS).packed)
    gp.patients.update_contacts(first.id, {"phone": "02 0000 2222"})
    before = _now_ms()
    gp.patients.update_contacts(other.id, {"phone": "02 0000 3333"})
    stamp = Timestamp.unpack(_stamps(gp, other.id)[-1][1])
    assert before - 1 <= stamp.physical_ms < before + 60_000
