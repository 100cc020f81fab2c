"""The service facade: the only way into the record."""

from __future__ import annotations

from pathlib import Path

from app.records.changes import ChangeFeed
from app.records.journal import Actor, append_audit, get_meta
from app.records.services.agenda import AgendaService
from app.records.services.audit import AuditService
from app.records.services.base import AuditScheduler, RecordContext, Service
from app.records.services.chart import ChartService
from app.records.services.clinical import ClinicalService
from app.records.services.codes import CodeService
from app.records.services.documents import DocumentService
from app.records.services.inbox import InboxService
from app.records.services.maintenance import MaintenanceService
from app.records.services.patients import PatientService
from app.records.services.schedules import ScheduleService
from app.records.services.settings import SettingsService
from app.records.services.therapy import TherapyService
from app.records.services.users import UserService
from app.records.services.visits import VisitService
from app.records.services.workstations import WorkstationService
from app.records.storage.anchor import read_head, write_anchor
from app.records.storage.center import Database, LoggedUser, unlock, workstation_name
from app.records.storage.sqlerrors import translating_db_errors


class Records:
    """An unlocked record seen by one user: one attribute per service."""

    def __init__(self, db: Database, user: LoggedUser, workstation: str) -> None:
        self.db = db
        self.user = user
        actor = Actor(user.user_id, user.username, user.role, workstation)
        self.actor = actor
        self._context = context = RecordContext(db, actor)
        self.patients = PatientService(context)
        self.chart = ChartService(context)
        self.clinical = ClinicalService(context)
        self.agenda = AgendaService(context)
        self.schedules = ScheduleService(context)
        self.settings = SettingsService(context)
        self.users = UserService(context)
        self.audit = AuditService(context)
        self.maintenance = MaintenanceService(context)
        self.codes = CodeService(context)
        self.inbox = InboxService(context)
        self.visits = VisitService(context)
        self.therapy = TherapyService(context)
        self.documents = DocumentService(context)
        self.workstations = WorkstationService(context)

    @classmethod
    def open(cls, root: Path, username: str, password: str) -> Records:
        """Unlock the center at ``root`` and log the session start."""
        db, user = unlock(root, username, password)
        records = cls(db, user, workstation_name())
        try:
            with translating_db_errors(), db.writing_clinical(), db.write_engine.begin() as conn:
                append_audit(conn, records.actor, "session.login")
                head = read_head(conn)
            write_anchor(db.paths.root, db.db_key, head)
        except BaseException:
            db.close()  # the key and the center lock go with it
            raise
        return records

    @property
    def feed(self) -> ChangeFeed:
        """Where committed writes announce their Changes."""
        return self._context.feed

    def defer_read_audits(self, schedule: AuditScheduler | None) -> None:
        """Send the audit events of reads to ``schedule`` (the writer lane); None: at once."""
        self._context.schedule_audit = schedule

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
