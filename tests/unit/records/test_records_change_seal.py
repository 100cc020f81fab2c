"""Issue 11: a change-log entry's hash seals every field a peer will rely on.

Before, the hash covered (origin, seq, entity, entity_id, op, payload) joined with "|":
an entry's hybrid clock time or schema version could be changed and ``verify`` said OK,
and two different entries could share one hash. The tamper tests of ``hlc`` and
``schema_version`` failed on main before the issue.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from app.records.integrity import table_columns
from app.records.journal import (
    SEALED_CHANGE_FIELDS,
    change_hash,
    change_hash_v1,
    change_hash_v2,
    sealed_value,
)
from app.records.log_codec import pack, unpack
from app.records.model import ChangeLogEntry, ClinicalChange
from app.records.services.views import PatientInput

# Columns of a change log that its hash deliberately leaves out, and why. A column added
# to the log must be sealed (a new formula and a migration, ADR 0022) or listed here.
NOT_SEALED = {
    "hash": "the seal itself",
}
LOGS = {"change_log": ChangeLogEntry, "clinical_change": ClinicalChange}


@pytest.mark.parametrize("log", sorted(LOGS))
def test_every_column_of_the_change_log_is_sealed(log, open_as):
    assert len(set(SEALED_CHANGE_FIELDS)) == len(SEALED_CHANGE_FIELDS)
    assert not set(NOT_SEALED) & set(SEALED_CHANGE_FIELDS)
    modelled = {column.name for column in LOGS[log].__table__.columns}
    assert modelled - set(NOT_SEALED) == set(SEALED_CHANGE_FIELDS)
    gp = open_as("medico")  # both files as a migrated record has them
    with gp.db.read_engine.connect() as conn:
        assert set(table_columns(conn, log)) - set(NOT_SEALED) == set(SEALED_CHANGE_FIELDS)


def _entry(**changes: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "origin": "0193a5b0-0000-7000-8000-000000000001", "seq": 7, "hlc": 1 << 40,
        "schema_version": "0009", "entity": "patient", "entity_id": "a|b", "op": "create",
        "payload": '{"surname":"Sala"}',
    }
    return entry | changes


def test_fields_cannot_run_into_each_other():
    one, other = _entry(entity_id="a|b", op="c"), _entry(entity_id="a", op="b|c")
    assert change_hash_v1(one) == change_hash_v1(other)  # what the first formula allowed
    assert change_hash(one) != change_hash(other)


def test_every_sealed_field_changes_the_hash():
    base = change_hash(_entry())
    assert change_hash(_entry(seq="7")) != base  # the integer 7 is not the text "7"
    for name in SEALED_CHANGE_FIELDS:
        value = _entry()[name]
        changed = value + 1 if isinstance(value, int) else value + "x"
        assert change_hash(_entry(**{name: changed})) != base, name


def _decode(data: bytes) -> list[object]:
    """Read back what ``sealed_value`` wrote (proof that no two value lists share bytes)."""
    values: list[object] = []
    read: dict[bytes, Callable[[bytes], object]] = {
        b"n": lambda _raw: None, b"i": lambda raw: int(raw), b"f": lambda raw: float(raw),
        b"s": lambda raw: raw.decode("utf-8"), b"b": bytes,
    }
    at = 0
    while at < len(data):
        tag, size = data[at:at + 1], int.from_bytes(data[at + 1:at + 9], "big")
        values.append(read[tag](data[at + 9:at + 9 + size]))
        at += 9 + size
    assert at == len(data)
    return values


SQLITE_VALUES = (st.none() | st.integers(-(2**63), 2**63 - 1) | st.floats(allow_nan=False)
                 | st.text() | st.binary())


@given(st.lists(SQLITE_VALUES, max_size=10))
def test_the_encoding_reads_back_exactly(values):
    decoded = _decode(b"".join(sealed_value(value) for value in values))
    assert decoded == values
    assert [type(v) for v in decoded] == [type(v) for v in values]


def test_a_new_entry_is_sealed_over_every_field(open_as):
    gp = open_as("medico")
    patient = gp.patients.register(PatientInput("Sala", "Bruno", "M", date(1950, 1, 30), "Lecco"))
    gp.clinical.add_problem(patient.id, "401.9", "Ipertensione essenziale")
    with gp.db.read_engine.connect() as conn:
        for log in LOGS:
            rows = conn.exec_driver_sql(f"SELECT * FROM {log}").mappings().all()
            assert rows
            for stored in rows:
                row = {**stored, "payload": unpack(stored["payload"])}  # stored deflated
                assert row["hash"] == change_hash_v2(row) != change_hash_v1(row)


# -- verify names any entry with one sealed field changed -------------------------------------
# One plausible forgery per sealed field (a field added to the seal needs one here).
TAMPER: dict[str, Callable[[Any], Any]] = {
    "origin": lambda origin: "f" + origin[1:],
    "seq": lambda seq: seq + 1000,
    "hlc": lambda hlc: hlc + 1,  # one tick later
    "schema_version": lambda _version: "0001",
    "entity": {"patient": "appointment", "problem": "allergy"}.__getitem__,
    "entity_id": lambda entity_id: "f" + entity_id[1:],
    "op": {"create": "amend"}.__getitem__,
    "payload": lambda payload: pack(  # stored deflated (ADR 0025): the text is what changes
        unpack(payload).replace('"Sala"', '"Sale"').replace('"401.9"', '"042"')),
}


@pytest.fixture
def written(open_as):
    gp = open_as("medico")
    patient = gp.patients.register(PatientInput("Sala", "Bruno", "M", date(1950, 1, 30), "Lecco"))
    gp.clinical.add_problem(patient.id, "401.9", "Ipertensione essenziale")
    return gp


@pytest.mark.parametrize("field", SEALED_CHANGE_FIELDS)
@pytest.mark.parametrize(("log", "entity", "name"), [
    ("change_log", "patient", "change log"),
    ("clinical_change", "problem", "clinical change log"),
])
def test_verify_names_an_entry_with_any_field_changed(written, open_as, field, log, entity, name):
    with written.db.write_engine.begin() as conn:  # someone with the key sets the guard aside
        row = conn.exec_driver_sql(
            f"SELECT * FROM {log} WHERE entity = ? AND op = 'create'", (entity,)
        ).mappings().one()
        value = TAMPER[field](row[field])
        assert value != row[field]
        conn.execute(text(f"DROP TRIGGER {log}_append_only_update"))
        conn.exec_driver_sql(f"UPDATE {log} SET {field} = ? WHERE origin = ? AND seq = ?",
                             (value, row["origin"], row["seq"]))
    now = {"origin": row["origin"], "seq": row["seq"], field: value}  # the entry as it is now
    report = open_as("medico2").audit.verify()  # a clinician checks both files
    assert f"{name} entry {now['origin']}/{now['seq']} was changed" in report.problems
