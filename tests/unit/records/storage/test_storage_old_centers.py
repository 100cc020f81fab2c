"""Every center an earlier program wrote opens with this one, content unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Connection, create_engine, select

from app.records.integrity import content_digest
from app.records.journal import SCHEMA_VERSION_KEY, get_meta
from app.records.model import AuditEvent
from app.records.services import Records
from app.records.storage.backup import read_header, restore_backup
from app.records.storage.migrate import (
    PROGRAM_VERSION_KEY,
    current_revision,
    head_revision,
    program_version,
    upgrade,
)
from app.records.storage.upgrade import pre_upgrade_backups
from tests.unit.records.storage.old_centers import (
    copy_center,
    fixture_password,
    old_centers,
    read_record,
)

CENTERS = old_centers()


def test_there_is_an_old_center_fixture():
    assert [p.name for p in CENTERS][:1] == ["schema-0002"]
    for folder in CENTERS:
        assert sorted(p.name for p in folder.iterdir()) == ["center.json", "keys.json", "record.db"]


@pytest.mark.parametrize("fixture", CENTERS, ids=lambda p: p.name)
def test_old_center_opens_migrated_with_the_same_content(fixture, tmp_path):
    password = fixture_password(fixture)
    root = copy_center(fixture, tmp_path / "center")
    found = read_record(root, password, current_revision)
    before = read_record(root, password, content_digest)

    records = Records.open(root, "admin", password)
    try:
        report = records.audit.verify()
        with records.db.read_engine.connect() as conn:
            upgrades = conn.execute(
                select(AuditEvent.detail).where(AuditEvent.action == "record.upgrade")
            ).all()
            meta = {k: get_meta(conn, k) for k in (SCHEMA_VERSION_KEY, PROGRAM_VERSION_KEY)}
    finally:
        records.close()

    assert report.ok, report.problems
    assert report.schema_revision == head_revision()
    assert report.digest == before
    backups = pre_upgrade_backups(root)
    if found == head_revision():  # nothing newer than this fixture yet
        assert backups == [] and upgrades == []
        return
    assert [b.name.startswith(f"record-before-{found}-") for b in backups] == [True]
    assert [u.detail for u in upgrades] == [f"{found} -> {head_revision()}"]
    assert meta == {SCHEMA_VERSION_KEY: head_revision(), PROGRAM_VERSION_KEY: program_version()}
    # The pre-upgrade backup restores the old record exactly (an admin may go back).
    assert read_header(backups[0])["content_digest"] == before
    restored = tmp_path / "restored"
    assert restore_backup(backups[0], restored, "admin", password) == before
    assert read_record(restored, password, current_revision) == found


@pytest.mark.parametrize("fixture", CENTERS, ids=lambda p: p.name)
def test_staff_of_an_old_center_can_open_it(fixture, tmp_path):
    password = fixture_password(fixture)
    root = copy_center(fixture, tmp_path / "center")
    for username in ("medico", "infermiere", "segreteria"):
        Records.open(root, username, password).close()
    assert len(pre_upgrade_backups(root)) <= 1  # the first opener migrated, the rest did not


def _schema(conn: Connection) -> dict[str, object]:
    rows = conn.exec_driver_sql(
        "SELECT type, name, tbl_name, sql FROM sqlite_master "
        "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
    ).all()
    triggers = {r.name: (r.tbl_name, r.sql) for r in rows if r.type == "trigger"}
    tables = sorted(r.name for r in rows if r.type == "table")
    columns = {
        t: [tuple(c) for c in conn.exec_driver_sql(f'PRAGMA table_info("{t}")')] for t in tables
    }
    indexes = sorted((r.tbl_name, r.name) for r in rows if r.type == "index")
    return {"triggers": triggers, "columns": columns, "indexes": indexes}


@pytest.mark.parametrize("fixture", CENTERS, ids=lambda p: p.name)
def test_migrations_rebuild_exactly_the_schema_of_each_fixture(fixture, tmp_path):
    """The migrations are frozen: replaying them to a fixture's revision gives its schema."""
    password = fixture_password(fixture)
    root = copy_center(fixture, tmp_path / "center")
    found = read_record(root, password, current_revision)
    expected = read_record(root, password, _schema)
    engine = create_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        with engine.begin() as conn:
            upgrade(conn, found)
        with engine.connect() as conn:
            assert _schema(conn) == expected
    finally:
        engine.dispose()


@pytest.mark.parametrize("fixture", CENTERS, ids=lambda p: p.name)
def test_fixture_files_are_small(fixture):
    assert sum(p.stat().st_size for p in Path(fixture).iterdir()) < 5_000_000
