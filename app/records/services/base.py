"""What every service shares: the unlocked record, the actor, transactions and the guard."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection

from app.core.errors import AccessDenied
from app.core.i18n import _
from app.records.journal import Actor, append_audit
from app.records.services.access import ROLE_PERMISSIONS, Permission
from app.records.storage.center import Database


class Service:
    """Base of the service facade: one per feature, all sharing one record and actor."""

    def __init__(self, db: Database, actor: Actor) -> None:
        self._db = db
        self._actor = actor

    @property
    def actor(self) -> Actor:
        """Who is acting."""
        return self._actor

    def _authorize(self, permission: Permission, action: str) -> None:
        if permission in ROLE_PERMISSIONS.get(self._actor.role, frozenset()):
            return
        # A refused attempt is itself worth auditing (who tried what).
        with self._write() as conn:
            append_audit(conn, self._actor, "access.denied", detail=action)
        raise AccessDenied(role=_(self._actor.role), action=action)

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction (BEGIN IMMEDIATE); audit and change log go in it too."""
        with self._db.write_engine.begin() as conn:
            yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        """A read-only snapshot."""
        with self._db.read_engine.connect() as conn, conn.begin():
            yield conn
