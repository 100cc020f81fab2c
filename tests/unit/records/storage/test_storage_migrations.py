"""The Alembic migrations build exactly the schema the model describes."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from app.records.model import Base
from app.records.storage.migrate import current_revision, head_revision, upgrade


def test_upgrade_matches_the_model_and_installs_guards(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    with engine.begin() as conn:
        upgrade(conn)
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == []
        triggers = {
            name
            for (name,) in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'"
            )
        }
    assert "audit_event_append_only_update" in triggers
    assert "observation_signed_immutable" in triggers
    assert set(inspect(engine).get_table_names()) >= set(Base.metadata.tables)
    engine.dispose()
