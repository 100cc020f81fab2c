"""The service facade: the only way into the record."""

from __future__ import annotations

from pathlib import Path

from app.records.journal import Actor, append_audit, get_meta
from app.records.services.agenda import AgendaService
from app.records.services.audit import AuditService
from app.records.services.base import Service
from app.records.services.chart import ChartService
from app.records.services.clinical import ClinicalService
from app.records.services.codes import CodeService
from app.records.services.maintenance import MaintenanceService
from app.records.services.patients import PatientService
from app.records.services.users import UserService
from app.records.storage.center import Database, LoggedUser, unlock, workstation_name


class Records:
    """An unlocked record seen by one user: one attribute per service."""

    def __init__(self, db: Database, user: LoggedUser, workstation: str) -> None:
        self.db = db
        self.user = user
        actor = Actor(user.user_id, user.username, user.role, workstation)
        self.actor = actor
        self.patients = PatientService(db, actor)
        self.chart = ChartService(db, actor)
        self.clinical = ClinicalService(db, actor)
        self.agenda = AgendaService(db, actor)
        self.users = UserService(db, actor)
        self.audit = AuditService(db, actor)
        self.maintenance = MaintenanceService(db, actor)
        self.codes = CodeService(db, actor)

    @classmethod
    def open(cls, root: Path, username: str, password: str) -> Records:
        """Unlock the center at ``root`` and log the session start."""
        db, user = unlock(root, username, password)
        records = cls(db, user, workstation_name())
        with db.write_engine.begin() as conn:
            append_audit(conn, records.actor, "session.login")
        return records

    @property
    def center_name(self) -> str:
        """The center's name as given at creation."""
        with self.db.read_engine.connect() as conn:
            return get_meta(conn, "center_name") or ""

    def services(self) -> dict[str, Service]:
        """Every service by name (tests enumerate them)."""
        return {name: value for name, value in vars(self).items() if isinstance(value, Service)}

    def close(self) -> None:
        """Forget the key and close the connections."""
        self.db.close()


__all__ = ["Records"]
