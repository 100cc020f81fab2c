"""Triggers that keep signed clinical rows immutable and journals append-only.

Migrations call these with ``op.execute``: 0001 for its tables, and every later migration
that adds a clinical or append-only table for that table. The services never try to change
a signed row; the triggers catch bugs and hand edits below the program.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Execute = Callable[[str], Any]


def clinical_guard_sql(table: str) -> list[str]:
    """The statements that make ``table``'s signed rows immutable and undeletable."""
    return [
        f"CREATE TRIGGER {table}_signed_immutable BEFORE UPDATE ON {table} "
        f"WHEN OLD.status != 'draft' BEGIN "
        f"SELECT RAISE(ABORT, 'signed clinical entry is immutable'); END",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        f"WHEN OLD.status != 'draft' BEGIN "
        f"SELECT RAISE(ABORT, 'signed clinical entry cannot be deleted'); END",
    ]


def no_replace_guard_sql(table: str, key: tuple[str, ...] = ("id",)) -> list[str]:
    """The statement that refuses an INSERT reusing an existing primary key.

    ``INSERT OR REPLACE`` deletes the old row without firing DELETE triggers (unless
    recursive triggers are on), so it could rewrite a signed entry or an audit row; a
    BEFORE INSERT trigger runs before the conflict is resolved and stops it (0004).
    """
    same = " AND ".join(f"{column} = NEW.{column}" for column in key)
    return [
        f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
        f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {same}) BEGIN "
        f"SELECT RAISE(ABORT, '{table} rows cannot be replaced'); END",
    ]


def append_only_guard_sql(table: str) -> list[str]:
    """The statements that forbid updating or deleting any row of ``table``."""
    return [
        f"CREATE TRIGGER {table}_append_only_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
        f"CREATE TRIGGER {table}_append_only_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
    ]


def create_clinical_guards(execute: Execute, table: str) -> None:
    """Install the signed-row guards on a clinical table (``execute`` is ``op.execute``)."""
    for statement in clinical_guard_sql(table):
        execute(statement)


def create_entry_guards(execute: Execute, table: str) -> None:
    """Every guard a new clinical entry table needs: immutable, undeletable, irreplaceable."""
    create_clinical_guards(execute, table)
    for statement in no_replace_guard_sql(table):
        execute(statement)


def create_append_only_guards(execute: Execute, table: str) -> None:
    """Install the append-only guards on a journal table (``execute`` is ``op.execute``)."""
    for statement in append_only_guard_sql(table):
        execute(statement)
