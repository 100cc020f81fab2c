"""Every center an earlier program wrote opens with this one, content unchanged."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import Connection, create_engine, select

from app.core.errors import MigrationFailed
from app.records.integrity import CONTENT_TABLES, DERIVED_COLUMNS, _table_rows
from app.records.journal import SCHEMA_VERSION_KEY, canonical_json, get_meta
from app.records.model import AuditEvent
from app.records.services import Records
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
# Written before the clinical split (schema 0006): one file, one key for everything.
UNSPLIT = [folder for folder in CENTERS if folder.name < "schema-0006"]


def test_there_is_an_old_center_fixture():
    assert [p.name for p in CENTERS][:1] == ["schema-0002"]
    for folder in CENTERS:
        files = ["center.json", "keys.json", "record.db"]
        if folder.name >= "schema-0006":  # after the clinical split
            files = ["center.json", "clinical.db", "keys.json", "record.db"]
        assert sorted(p.name for p in folder.iterdir()) == files


def _main_content(conn: Connection) -> tuple[str, set[tuple[str, str]]]:
    """The record file's content alone (fixtures written after the clinical split)."""
    return _content(conn, "main")


def _content(conn: Connection, schema: str | None = None) -> tuple[str, set[tuple[str, str]]]:
    """The content digest over both files, the appointments' free texts set apart.

    The split moves an appointment's ``note`` and ``clinical_reason`` into
    ``appointment_note`` in the clinical file: the same texts, another table.
    """
    digest = hashlib.sha256()
    notes: set[tuple[str, str]] = set()
    for name in sorted(set(CONTENT_TABLES) - {"appointment_note"}):
        derived = DERIVED_COLUMNS.get(name, frozenset())
        for stored in _table_rows(conn, name, schema):
            fields = {key: value for key, value in stored.items() if key not in derived}
            if name == "appointment":
                for key in ("note", "clinical_reason"):
                    if key in fields:
                        notes.add((fields["id"], fields.pop(key)))
            digest.update(f"#{name}\n".encode() + canonical_json(fields).encode())
    for fields in _table_rows(conn, "appointment_note", schema):
        notes |= {(fields["appointment_id"], fields[key])
                  for key in ("note", "clinical_reason") if key in fields}
    return digest.hexdigest(), notes


@pytest.mark.parametrize("fixture", CENTERS, ids=lambda p: p.name)
def test_old_center_opens_migrated_with_the_same_content(fixture, tmp_path):
    password = fixture_password(fixture)
    root = copy_center(fixture, tmp_path / "center")
    found = read_record(root, password, current_revision)
    split = found < "0006"  # written before the clinical split: one file holds everything
    content = _content if split else _main_content
    before = read_record(root, password, content)

    records = Records.open(root, "medico", password)  # a clinician splits the record
    try:
        report = records.audit.verify()
        with records.db.read_engine.connect() as conn:
            upgrades = conn.execute(
                select(AuditEvent.detail).where(AuditEvent.action == "record.upgrade")
            ).all()
            meta = {k: get_meta(conn, k) for k in (SCHEMA_VERSION_KEY, PROGRAM_VERSION_KEY)}
            after = content(conn)
    finally:
        records.close()

    assert report.ok, report.problems
    assert report.schema_revision == head_revision()
    assert report.clinical_digest is not None
    assert after == before  # every row and every appointment text kept
    steps = ([f"{found} -> 0005"] if found < "0005" else [])
    steps += ["0005 -> 0006"] if split else []
    steps += [f"{max(found, '0006')} -> {head_revision()}"] if head_revision() > "0006" else []
    assert [u.detail for u in upgrades] == steps
    assert meta == {SCHEMA_VERSION_KEY: head_revision(), PROGRAM_VERSION_KEY: program_version()}
    # The pre-upgrade backup held clinical content under the record key: deleted once
    # the split was checked (ADR 0011). After the split, backups hold no clinical content
    # and the last one is kept as for any upgrade.
    assert len(pre_upgrade_backups(root)) == (0 if split else 1)


@pytest.mark.parametrize("fixture", UNSPLIT, ids=lambda p: p.name)
def test_a_failed_split_leaves_the_old_record_whole(fixture, tmp_path, monkeypatch):
    password = fixture_password(fixture)
    root = copy_center(fixture, tmp_path / "center")
    from app.records.storage import clinical

    def broken(engine: object) -> None:
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(clinical, "_compare", broken)
    with pytest.raises(MigrationFailed) as failed:
        Records.open(root, "medico", password)
    assert "the disk went away" in str(failed.value)
    assert read_record(root, password, current_revision) == "0005"
    assert not (root / "clinical.db").exists()
    [backup] = pre_upgrade_backups(root)  # kept: the split did not happen
    monkeypatch.undo()
    Records.open(root, "medico", password).close()  # the next clinician splits it
    assert read_record(root, password, current_revision) == head_revision()
    assert not backup.exists()


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
    # From 0008 every record also holds the shipped AIFA list, about 1 MB of pages that
    # do not compress (those fixtures have 3 patients instead of 10).
    budget = 5_000_000 if fixture.name < "schema-0008" else 6_000_000
    assert sum(p.stat().st_size for p in Path(fixture).iterdir()) < budget
