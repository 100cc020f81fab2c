"""The Alembic migrations build exactly the schema the model describes, file by file."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, create_engine, inspect

from app.records import kinds
from app.records.model import Base
from app.records.storage.migrate import (
    clinical_head_revision,
    clinical_revision,
    current_revision,
    head_revision,
    upgrade,
    upgrade_clinical,
)


def _only(names: tuple[str, ...]) -> MetaData:
    metadata = MetaData()
    for name in names:
        Base.metadata.tables[name].to_metadata(metadata)
    return metadata


def _triggers(conn) -> set[str]:
    rows = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    return {name for (name,) in rows}


def test_upgrade_matches_the_model_and_installs_guards(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    with engine.begin() as conn:
        upgrade(conn)
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        metadata = _only(kinds.MAIN_FILE_TABLES)
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
        triggers = _triggers(conn)
    assert "audit_event_append_only_update" in triggers
    assert "change_log_append_only_delete" in triggers
    # No clinical table is left in the record file.
    assert set(inspect(engine).get_table_names()) == set(kinds.MAIN_FILE_TABLES) | {
        "alembic_version"}
    engine.dispose()


def test_the_clinical_file_matches_the_model_and_installs_guards(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'c.db'}")
    with engine.begin() as conn:
        upgrade_clinical(conn)
    with engine.connect() as conn:
        assert clinical_revision(conn) == clinical_head_revision()
        metadata = _only(kinds.CLINICAL_FILE_TABLES)
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
        triggers = _triggers(conn)
    assert {"observation_signed_immutable", "observation_no_replace",
            "clinical_change_append_only_update", "clinical_change_no_replace"} <= triggers
    assert set(inspect(engine).get_table_names()) == set(kinds.CLINICAL_FILE_TABLES) | {
        "alembic_version"}
    engine.dispose()
