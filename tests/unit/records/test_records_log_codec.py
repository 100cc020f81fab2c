"""Change-log payloads are stored deflated against a preset dictionary (ADR 0025): the
same text comes back, older text rows still read and verify, damage is named."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select, text

from app.core.errors import IntegrityFailure
from app.records.journal import canonical_json
from app.records.log_codec import pack, unpack
from app.records.log_dictionary import DICTIONARY_V1
from app.records.model import ChangeLogEntry
from app.records.services.views import PatientInput

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-2**63, 2**63 - 1) | st.text()
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12)


@given(st.dictionaries(st.text(), JSON_VALUES, max_size=8))
def test_any_payload_comes_back_as_the_same_text(fields):
    payload = canonical_json(fields)
    assert unpack(pack(payload)) == payload


def test_the_dictionary_of_stored_payloads_never_changes():
    # Payloads on disk are deflated against these very bytes: a changed dictionary would
    # make every stored payload unreadable. A new one is a new version beside it.
    assert hashlib.sha256(DICTIONARY_V1).hexdigest() == (
        "0796b50affd2453b1a4ac516ef6be0773a9a20df6b47662afab8aac93bed3428")


def _register(gp) -> str:
    return gp.patients.register(
        PatientInput("Sala", "Bruno", "M", date(1950, 1, 30), "Lecco")).id


def test_a_payload_is_stored_as_a_quarter_of_its_text_and_read_back(open_as):
    gp = open_as("segreteria")
    patient = _register(gp)
    with gp.db.read_engine.connect() as conn:
        stored, kind = conn.execute(text(
            "SELECT payload, typeof(payload) FROM change_log WHERE entity_id = :id"),
            {"id": patient}).one()
        read = conn.execute(select(ChangeLogEntry.payload).where(
            ChangeLogEntry.entity_id == patient)).scalar_one()
    assert kind == "blob" and stored[0] == 1
    assert '"surname":"Sala"' in read and unpack(stored) == read
    assert len(stored) < len(read.encode()) / 2


def test_text_stored_by_an_older_version_is_read_as_it_is_and_verifies(open_as):
    gp = open_as("segreteria")
    patient = _register(gp)
    with gp.db.write_engine.begin() as conn:  # as an older version stored it: text
        conn.execute(text("DROP TRIGGER change_log_append_only_update"))
        packed = conn.execute(text("SELECT payload FROM change_log WHERE entity_id = :id"),
                              {"id": patient}).scalar_one()
        conn.execute(text("UPDATE change_log SET payload = :text WHERE entity_id = :id"),
                     {"text": unpack(packed), "id": patient})
        assert conn.execute(text("SELECT typeof(payload) FROM change_log "
                                 "WHERE entity_id = :id"), {"id": patient}).scalar() == "text"
    report = open_as("admin").audit.verify()
    assert not [p for p in report.problems if "change log" in p], report.problems


@pytest.mark.parametrize("damage", [b"\x01garbage", b"\x09" + b"x" * 20, b""])
def test_a_damaged_payload_is_named_not_a_crash(damage):
    with pytest.raises(IntegrityFailure, match="change-log payload"):
        unpack(damage)


def test_a_payload_cut_short_is_named(open_as):
    payload = canonical_json({"surname": "Sala", "given_name": "Bruno", "note": "x" * 200})
    with pytest.raises(IntegrityFailure, match="cannot be read"):
        unpack(pack(payload)[:-6])
