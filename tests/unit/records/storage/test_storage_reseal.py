"""Migrations 0009 and c0003: every change-log entry resealed over all its fields.

Each entry is checked against the first formula before it is resealed; one that does not
match stops the migration of its file, which is left as it was (ADR 0022).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Connection

from app.core.errors import IntegrityFailure
from app.records.journal import CHANGE_FIELDS_V2, change_hash_v1, change_hash_v2
from app.records.services import Records
from app.records.storage.engine import open_engine
from app.records.storage.guards import append_only_guard_sql
from app.records.storage.migrate import current_revision, head_revision, upgrade
from app.records.storage.upgrade import pre_upgrade_backups
from tests.unit.records.storage.old_centers import (
    FIXTURES,
    clinical_key,
    copy_center,
    file_sha,
    fixture_password,
    old_centers,
    read_file,
    read_record,
    record_key,
    write_file,
)

Entry = tuple[object, ...]
# The last center written with the first formula, both files (record 0008, clinical c0002).
LAST_V1 = FIXTURES / "schema-0008"


def _entries(conn: Connection, log: str) -> dict[Entry, dict[str, object]]:
    """(origin, seq) -> every field of that entry of ``log``."""
    rows = conn.exec_driver_sql(f"SELECT * FROM {log}").mappings()
    return {(row["origin"], row["seq"]): dict(row) for row in rows}


def _update_guards(conn: Connection, schema: str = "main") -> dict[str, str]:
    rows = conn.exec_driver_sql(f"SELECT name, sql FROM {schema}.sqlite_master "
                                "WHERE type = 'trigger' AND name LIKE '%append_only_update'")
    return {str(name): str(sql) for name, sql in rows}


def _before(root: Path, password: str) -> tuple[dict[Entry, dict[str, object]], dict[str, str]]:
    """The entries and the append-only guards of both files, as the fixture has them."""
    entries = read_record(root, password, lambda conn: _entries(conn, "change_log"))
    guards = read_record(root, password, _update_guards)
    if (root / "clinical.db").exists():
        key, path = clinical_key(root, password), root / "clinical.db"
        entries |= read_file(path, key, lambda conn: _entries(conn, "clinical_change"))
        guards |= read_file(path, key, _update_guards)
    return entries, guards


def _sealed(entry: dict[str, object]) -> tuple[object, ...]:
    return tuple(entry[name] for name in CHANGE_FIELDS_V2)


@pytest.mark.parametrize("fixture", old_centers(), ids=lambda p: p.name)
def test_every_entry_is_resealed_and_nothing_else_changes(fixture, tmp_path):
    password = fixture_password(fixture)
    root = copy_center(fixture, tmp_path / "center")
    before, guards = _before(root, password)
    assert before and all(change_hash_v1(e) == e["hash"] for e in before.values())

    records = Records.open(root, "medico", password)  # migrates both files
    try:
        with records.db.read_engine.connect() as conn:
            after = _entries(conn, "change_log") | _entries(conn, "clinical_change")
            guards_after = _update_guards(conn) | _update_guards(conn, "clinical")
    finally:
        records.close()

    assert {key: _sealed(e) for key, e in after.items()} == {
        key: _sealed(e) for key, e in before.items()}
    assert all(change_hash_v2(e) == e["hash"] != change_hash_v1(e) for e in after.values())
    # The append-only guards were set aside for the rewrite and put back as they were (a
    # record from before the clinical split gets its clinical file, and that guard, new).
    assert guards_after.items() >= guards.items()
    assert {"change_log_append_only_update", "clinical_change_append_only_update"} <= set(
        guards_after)


def _tamper(path: Path, key: bytes, log: str) -> Entry:
    """Change one entry's payload behind the append-only guard; its (origin, seq)."""
    origin, seq = read_file(path, key, lambda conn: conn.exec_driver_sql(
        f"SELECT origin, seq FROM {log} ORDER BY origin, seq LIMIT 1 OFFSET 3").one())
    write_file(path, key, [
        f"DROP TRIGGER {log}_append_only_update",
        f"UPDATE {log} SET payload = replace(payload, '\"', '''') "
        f"WHERE origin = '{origin}' AND seq = {seq}",
        append_only_guard_sql(log)[0],
    ])
    return origin, seq


def test_a_changed_entry_stops_migration_0009(tmp_path):
    password = fixture_password(LAST_V1)
    root = copy_center(LAST_V1, tmp_path / "center")
    key = record_key(root, password)
    origin, seq = _tamper(root / "record.db", key, "change_log")
    before = file_sha(root / "record.db")

    engine = open_engine(root / "record.db", key, writer=True)
    try:
        with pytest.raises(IntegrityFailure, match=(
            f"change log entry {origin}/{seq} does not match its hash"
        )), engine.begin() as conn:
            upgrade(conn)
    finally:
        engine.dispose()
    assert read_record(root, password, current_revision) == "0008"
    assert file_sha(root / "record.db") == before

    # On open, the pre-upgrade backup's own check names the entry first; nothing is kept.
    with pytest.raises(IntegrityFailure, match=f"change log entry {origin}/{seq} was changed"):
        Records.open(root, "medico", password)
    assert file_sha(root / "record.db") == before
    assert pre_upgrade_backups(root) == []


def test_a_changed_entry_stops_migration_c0003(tmp_path):
    password = fixture_password(LAST_V1)
    root = copy_center(LAST_V1, tmp_path / "center")
    key = clinical_key(root, password)
    origin, seq = _tamper(root / "clinical.db", key, "clinical_change")
    before = file_sha(root / "clinical.db")

    with pytest.raises(IntegrityFailure, match=(
        f"clinical change log entry {origin}/{seq} does not match its hash"
    )):
        Records.open(root, "medico", password)

    def revision(conn: Connection) -> str:
        return str(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one())

    assert read_file(root / "clinical.db", key, revision) == "c0002"
    assert file_sha(root / "clinical.db") == before
    # The record file has nothing wrong: it was migrated, and the front desk still works.
    assert read_record(root, password, current_revision) == head_revision()
    Records.open(root, "segreteria", password).close()
