"""Schema migrations with Alembic, run inside Medirete's own transaction."""

from __future__ import annotations

import logging
from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection


def alembic_config(url: str = "sqlite://") -> Config:
    """An Alembic config pointing at the packaged migration scripts."""
    config = Config()
    config.set_main_option("script_location", str(files("app.records") / "migrations"))
    config.set_main_option("sqlalchemy.url", url)
    return config


def head_revision() -> str:
    """The newest schema revision this program knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(conn: Connection) -> str | None:
    """The revision the database is at."""
    return MigrationContext.configure(conn).get_current_revision()


def upgrade(conn: Connection) -> None:
    """Bring the database to the newest revision (within the caller's transaction)."""
    config = alembic_config()
    config.attributes["connection"] = conn
    # Alembic narrates every step at INFO; the user needs none of it.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    command.upgrade(config, "head")
