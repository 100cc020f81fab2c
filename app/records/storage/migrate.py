"""Schema migrations with Alembic, run inside Medirete's own transaction."""

from __future__ import annotations

import functools
import logging
import threading
from importlib.metadata import PackageNotFoundError, version
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from app.core.errors import IntegrityFailure, SchemaTooNew
from app.records.journal import get_meta

if TYPE_CHECKING:  # Alembic (with Mako and Pygments) costs ~120 ms to import: only when used
    from alembic.config import Config

# Meta key: the version of the program that created or last migrated the record, so an
# older program refusing a newer schema can name the version to install.
PROGRAM_VERSION_KEY = "program_version"

# Where the migration scripts live; None means the ones packaged with the program.
# Tests point it at a copy holding extra revisions (monkeypatch this attribute).
script_location: Path | None = None


def migrations_dir() -> str:
    """The folder of migration scripts in use."""
    if script_location is not None:
        return str(script_location)
    return str(files("app.records") / "migrations")


def program_version() -> str:
    """This program's version as installed ("0" when running from an uninstalled tree)."""
    try:
        return version("medirete")
    except PackageNotFoundError:
        return "0"


def clinical_migrations_dir() -> str:
    """The folder of the clinical file's migration scripts."""
    return str(files("app.records") / "clinical_migrations")


def alembic_config(url: str = "sqlite://", location: str | None = None) -> Config:
    """An Alembic config pointing at the migration scripts (the main file's by default)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", location or migrations_dir())
    config.set_main_option("sqlalchemy.url", url)
    return config


@functools.lru_cache(maxsize=8)
def _revisions_in(location: str) -> tuple[str, frozenset[str]]:
    # Parsing the scripts costs ~10 ms and every open asks several times; the scripts of
    # a location never change while the program runs (tests use a fresh folder each).
    from alembic.script import ScriptDirectory

    config = alembic_config()
    config.set_main_option("script_location", location)
    scripts = ScriptDirectory.from_config(config)
    head = scripts.get_current_head()
    assert head is not None
    return head, frozenset(script.revision for script in scripts.walk_revisions())


def head_revision() -> str:
    """The newest schema revision this program knows."""
    return _revisions_in(migrations_dir())[0]


def known_revisions() -> frozenset[str]:
    """Every schema revision this program's migration scripts know."""
    return _revisions_in(migrations_dir())[1]


def current_revision(conn: Connection) -> str | None:
    """The revision the database is at."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def _stored_program_version(conn: Connection) -> str:
    try:
        return get_meta(conn, PROGRAM_VERSION_KEY) or "?"
    except DBAPIError:  # a newer schema may keep its metadata elsewhere
        return "?"


def check_revision(conn: Connection) -> str:
    """The database's revision; SchemaTooNew when it is newer than this program knows."""
    found = current_revision(conn)
    if found is None:
        raise IntegrityFailure(detail="the record has no schema revision")
    if found not in known_revisions():
        raise SchemaTooNew(
            found=found, known=head_revision(), version=_stored_program_version(conn)
        )
    return found


def revision_order() -> list[str]:
    """The main file's revisions, oldest first."""
    from alembic.script import ScriptDirectory

    config = alembic_config()
    scripts = ScriptDirectory.from_config(config)
    return [script.revision for script in reversed(list(scripts.walk_revisions()))]


def clinical_head_revision() -> str:
    """The newest revision of the clinical file this program knows."""
    return _revisions_in(clinical_migrations_dir())[0]


def clinical_revision(conn: Connection) -> str | None:
    """The revision a connection to the clinical file alone is at."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


# Alembic's ``context`` and ``op`` are proxies global to the process: two migrations run
# at once on two threads (the demo's second workstation joining while the window creates
# or upgrades a record) each ran the other's steps on its own file ("no such table:
# document"). One migration at a time in a process (re-entrant: an upgrade may create
# the clinical file, which runs its own migrations, on the same thread).
_ONE_MIGRATION = threading.RLock()


def upgrade_clinical(conn: Connection, target: str = "head") -> None:
    """Bring the clinical file (a connection to it alone) to ``target``."""
    from alembic import command

    config = alembic_config(location=clinical_migrations_dir())
    config.attributes["connection"] = conn
    logging.getLogger("alembic").setLevel(logging.WARNING)
    with _ONE_MIGRATION:
        command.upgrade(config, target)


def upgrade(conn: Connection, target: str = "head") -> None:
    """Bring the database to ``target`` (within the caller's transaction)."""
    from alembic import command

    config = alembic_config()
    config.attributes["connection"] = conn
    # Alembic narrates every step at INFO; the user needs none of it.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    with _ONE_MIGRATION:
        command.upgrade(config, target)
