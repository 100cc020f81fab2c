"""Migrate on open: backup first, one transaction, untouched file on failure, newer refused.

A temporary migration 0099 on top of the real head proves the path whatever the head is.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from app.core.errors import IntegrityFailure, MigrationFailed, SchemaTooNew
from app.records.integrity import content_digest, table_columns, verify_connection
from app.records.journal import SCHEMA_VERSION_KEY, get_meta
from app.records.model import AuditEvent
from app.records.services import Records
from app.records.storage import backup as backup_module
from app.records.storage import migrate
from app.records.storage.backup import restore_backup
from app.records.storage.center import unlock
from app.records.storage.migrate import (
    PROGRAM_VERSION_KEY,
    current_revision,
    head_revision,
    program_version,
)
from app.records.storage.upgrade import pre_upgrade_backups, upgrade_on_open
from tests.conftest import PASSWORD
from tests.unit.records.storage.old_centers import file_sha, read_record, write_record

MIGRATION = '''"""test-only migration"""
import sqlalchemy as sa
from alembic import op

revision = "0099"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scratch_note",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("text", sa.Text(), nullable=True),
    )
    op.add_column("patient", sa.Column("nickname", sa.String(40), nullable=True))
{extra}

def downgrade() -> None:
    op.drop_table("scratch_note")
'''
FAIL = '    raise RuntimeError("0099 failed on purpose")\n'


@pytest.fixture
def add_migration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], str]:
    """Point Alembic at a copy of the scripts plus 0099; returns the head it builds on."""

    def install(extra: str = "") -> str:
        head = head_revision()
        scripts = tmp_path / "migrations"
        shutil.copytree(
            migrate.migrations_dir(), scripts, ignore=shutil.ignore_patterns("__pycache__")
        )
        body = MIGRATION.format(head=head, extra=extra)
        (scripts / "versions" / "0099_test_only.py").write_text(body)
        monkeypatch.setattr(migrate, "script_location", scripts)
        assert head_revision() == "0099"
        return head

    return install


def _meta(conn) -> dict[str, str | None]:
    return {k: get_meta(conn, k) for k in (SCHEMA_VERSION_KEY, PROGRAM_VERSION_KEY)}


def test_new_center_records_the_program_version(center):
    meta = read_record(center, PASSWORD, _meta)
    assert meta == {SCHEMA_VERSION_KEY: head_revision(), PROGRAM_VERSION_KEY: program_version()}


def test_older_record_is_backed_up_then_migrated_on_open(center, tmp_path, add_migration):
    before = read_record(center, PASSWORD, content_digest)
    old = add_migration()
    # verify still insists on the newest schema for a record that has not been opened
    report = read_record(center, PASSWORD, verify_connection)
    assert report.problems == [f"schema {old} but expected 0099"]
    assert read_record(center, PASSWORD, lambda c: verify_connection(c, old)).ok

    records = Records.open(center, "medico", PASSWORD)
    records.close()
    records = Records.open(center, "admin", PASSWORD)
    try:
        report = records.audit.verify()
        with records.db.read_engine.connect() as conn:
            upgrades = conn.execute(
                select(AuditEvent.username, AuditEvent.detail).where(
                    AuditEvent.action == "record.upgrade"
                )
            ).all()
            meta = _meta(conn)
            added = table_columns(conn, "scratch_note")
    finally:
        records.close()
    assert report.ok, report.problems
    assert report.schema_revision == "0099"
    assert report.digest == before  # a new table and a null column change nothing
    assert added == ["id", "text"]
    assert [tuple(u) for u in upgrades] == [("medico", f"{old} -> 0099")]
    assert meta == {SCHEMA_VERSION_KEY: "0099", PROGRAM_VERSION_KEY: program_version()}
    [backup] = pre_upgrade_backups(center)
    assert backup.parent == center and backup.name.startswith(f"record-before-{old}-2")
    restored = tmp_path / "restored"
    assert restore_backup(backup, restored, "admin", PASSWORD) == before
    assert read_record(restored, PASSWORD, current_revision) == old


def test_failed_migration_leaves_the_record_byte_identical(center, add_migration):
    old = add_migration(FAIL)
    before = file_sha(center / "record.db")
    with pytest.raises(MigrationFailed) as failed:
        Records.open(center, "admin", PASSWORD)
    [backup] = pre_upgrade_backups(center)
    assert str(backup) in str(failed.value)
    assert "0099 failed on purpose" in str(failed.value)
    assert failed.value.fields["found"] == old
    assert file_sha(center / "record.db") == before
    assert sorted(p.name for p in center.iterdir()) == sorted(
        ["center.json", "keys.json", "record.db", "record.lock", backup.name,
         "clinical.db", "clinical.lock"]
        + (["record.anchor"] if (center / "record.anchor").exists() else [])
    )
    assert read_record(center, PASSWORD, current_revision) == old
    assert read_record(center, PASSWORD, lambda c: table_columns(c, "scratch_note")) == []
    assert read_record(center, PASSWORD, lambda c: verify_connection(c, old)).ok


def test_newer_schema_is_refused_naming_both_versions(center):
    write_record(
        center,
        PASSWORD,
        [
            "UPDATE alembic_version SET version_num = '9999'",
            "INSERT INTO meta (key, value) VALUES ('program_version', '9.9') "
            "ON CONFLICT (key) DO UPDATE SET value = '9.9'",
        ],
    )
    before = file_sha(center / "record.db")
    with pytest.raises(SchemaTooNew) as refused:
        Records.open(center, "admin", PASSWORD)
    assert refused.value.fields == {"found": "9999", "known": head_revision(), "version": "9.9"}
    assert "9999" in str(refused.value) and "9.9" in str(refused.value)
    assert file_sha(center / "record.db") == before
    assert pre_upgrade_backups(center) == []


def test_newer_schema_without_a_program_version_says_so(center):
    write_record(
        center,
        PASSWORD,
        [
            "UPDATE alembic_version SET version_num = 'abcdef'",
            "DELETE FROM meta WHERE key = 'program_version'",
        ],
    )
    with pytest.raises(SchemaTooNew) as refused:
        unlock(center, "admin", PASSWORD)
    assert refused.value.fields["version"] == "?"


def test_wrong_user_is_refused_before_any_backup(center, add_migration):
    add_migration()
    write_record(center, PASSWORD, ["UPDATE user SET active = 0 WHERE username = 'medico'"])
    before = file_sha(center / "record.db")
    with pytest.raises(Exception, match="Wrong user name or password"):
        Records.open(center, "medico", PASSWORD)
    assert pre_upgrade_backups(center) == []
    assert file_sha(center / "record.db") == before


def _fake_backup(root: Path, stamp: str) -> Path:
    path = root / f"record-before-0001-{stamp}.mrb"
    path.write_bytes(b"an older pre-upgrade backup")
    return path


def test_only_the_last_three_pre_upgrade_backups_are_kept(center, add_migration):
    old = [_fake_backup(center, f"2025010{i}T000000Z") for i in range(1, 5)]
    unrelated = center / "record-before-notes.txt"
    unrelated.write_text("not a backup")
    previous = add_migration()
    Records.open(center, "admin", PASSWORD).close()
    kept = pre_upgrade_backups(center)
    assert kept[:2] == old[2:]
    assert len(kept) == 3 and kept[2].name.startswith(f"record-before-{previous}-")
    assert unrelated.exists()


def test_no_migration_and_no_pruning_when_the_backup_fails_its_check(
    center, add_migration, monkeypatch
):
    old = [_fake_backup(center, f"2025010{i}T000000Z") for i in range(1, 5)]
    previous = add_migration()
    before = file_sha(center / "record.db")

    def unreadable(*_args: object, **_kwargs: object) -> None:
        raise IntegrityFailure(detail="the backup read back differs from the record")

    # The file is written, then reading it back fails: it must not stay as a "backup".
    monkeypatch.setattr(backup_module, "extract_database", unreadable)
    with pytest.raises(IntegrityFailure):
        Records.open(center, "admin", PASSWORD)
    assert pre_upgrade_backups(center) == old
    assert not list(center.glob("*.partial"))
    assert file_sha(center / "record.db") == before
    assert read_record(center, PASSWORD, current_revision) == previous


def test_a_record_migrated_meanwhile_is_not_migrated_again(center, add_migration):
    add_migration()
    db, user = unlock(center, "admin", PASSWORD)
    try:
        assert upgrade_on_open(db, user) is None  # what a second opener finds under the lock
    finally:
        db.close()
    assert len(pre_upgrade_backups(center)) == 1


def test_two_openers_at_once_migrate_once(center, add_migration):
    add_migration()
    errors: list[BaseException] = []

    def open_and_close(username: str) -> None:
        try:
            Records.open(center, username, PASSWORD).close()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_and_close, args=(u,)) for u in ("admin", "medico")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    assert errors == []
    details = read_record(
        center,
        PASSWORD,
        lambda c: c.execute(
            select(AuditEvent.detail).where(AuditEvent.action == "record.upgrade")
        ).all(),
    )
    assert len(details) == 1
    assert len(pre_upgrade_backups(center)) == 1
