"""Stamps that move whenever a code list is replaced, so a cached search index knows."""

from __future__ import annotations

from sqlalchemy import Connection

from app.core.clock import new_id
from app.records.journal import get_meta, set_meta

_KEY = "codes.{name}"  # in ``meta``: not content, never replicated


def touch(conn: Connection, name: str) -> None:
    """The list ``name`` was just replaced (in the caller's transaction)."""
    set_meta(conn, _KEY.format(name=name), new_id())


def stamp(conn: Connection, *names: str) -> str:
    """The stamps of the lists ``names``, as one string an index is checked against."""
    return "|".join(get_meta(conn, _KEY.format(name=name)) or "" for name in names)
