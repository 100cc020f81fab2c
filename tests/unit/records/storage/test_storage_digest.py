"""The content digest is defined by the stored rows alone, so it survives migrations."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import create_engine

from app.records.integrity import content_digest
from app.records.services import Records
from app.records.storage.backup import DIGEST_VERSION_FIELD, MAGIC, read_header, restore_backup
from tests.conftest import PASSWORD


def _digest_of_statements(tmp_path, statements: list[str]) -> str:
    engine = create_engine(f"sqlite:///{tmp_path / 'd.db'}")
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)
            return content_digest(conn)
    finally:
        engine.dispose()


def test_digest_is_the_rows_as_stored_without_nulls(tmp_path):
    digest = _digest_of_statements(
        tmp_path,
        [
            "CREATE TABLE patient (id TEXT PRIMARY KEY, surname TEXT, phone TEXT)",
            "CREATE TABLE role (name TEXT PRIMARY KEY, description TEXT)",  # empty
            "INSERT INTO patient VALUES ('b', 'Rossi', NULL), ('a', 'Bianchi', '02 123')",
        ],
    )
    expected = hashlib.sha256(
        b"#patient\n"
        b'{"id":"a","phone":"02 123","surname":"Bianchi"}\n'
        b'{"id":"b","surname":"Rossi"}\n'
    ).hexdigest()
    assert digest == expected


def test_new_tables_and_null_columns_do_not_change_the_digest(tmp_path):
    rows = [
        "CREATE TABLE patient (id TEXT PRIMARY KEY, surname TEXT)",
        "INSERT INTO patient VALUES ('a', 'Bianchi')",
    ]
    grown = [
        "CREATE TABLE patient (id TEXT PRIMARY KEY, surname TEXT, nickname TEXT)",
        "CREATE TABLE family_history (id TEXT PRIMARY KEY)",
        "CREATE TABLE scratch (id TEXT PRIMARY KEY)",
        "INSERT INTO patient VALUES ('a', 'Bianchi', NULL)",
    ]
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    before = _digest_of_statements(tmp_path / "one", rows)
    assert before == _digest_of_statements(tmp_path / "two", grown)
    assert before != _digest_of_statements(tmp_path, [*rows, "UPDATE patient SET surname = 'X'"])


def test_backup_from_before_digest_v2_still_restores(center, tmp_path):
    records = Records.open(center, "admin", PASSWORD)
    try:
        result = records.maintenance.backup(tmp_path / "b.mrb")
    finally:
        records.close()
    header = read_header(result.path)
    assert header[DIGEST_VERSION_FIELD] == 2
    # An earlier program wrote no digest version and a digest by the old definition.
    data = result.path.read_bytes()
    body = data[len(MAGIC) :].split(b"\n", 1)[1]
    del header[DIGEST_VERSION_FIELD]
    header["content_digest"] = "0" * 64
    old = tmp_path / "old.mrb"
    old.write_bytes(MAGIC + json.dumps(header, sort_keys=True).encode() + b"\n" + body)
    assert restore_backup(old, tmp_path / "restored", "admin", PASSWORD) == result.digest
