"""The workstations paired to the center: shared data, so that every peer knows who may
connect and who was revoked (docs/decisions/0024-center-sync.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update

from app.core.clock import new_id, utc_now
from app.core.errors import InvalidInput, NotFound
from app.records.model import Workstation
from app.records.services.access import Permission, requires
from app.records.services.base import Service

ROLES = ("full", "front-desk")
MAX_NAME = 80


@dataclass(frozen=True)
class PairedWorkstation:
    """One workstation of the center, as every peer knows it."""

    name: str
    role: str
    fingerprint: str
    paired_at: datetime
    paired_by: str
    revoked_at: datetime | None
    revocation: str | None

    @property
    def revoked(self) -> bool:
        """True once an admin revoked it: peers refuse it."""
        return self.revoked_at is not None


class WorkstationService(Service):
    """Pair and revoke workstations (admin); everyone may read the list."""

    @requires(Permission.OWN_ACCOUNT)
    def list(self) -> list[PairedWorkstation]:
        """Every workstation ever paired, by name."""
        with self._read() as conn:
            rows = conn.execute(select(
                Workstation.name, Workstation.role, Workstation.fingerprint,
                Workstation.paired_at, Workstation.paired_by, Workstation.revoked_at,
                Workstation.revocation).order_by(Workstation.name)).all()
        return [PairedWorkstation(r.name, r.role, r.fingerprint, r.paired_at, r.paired_by,
                                  r.revoked_at, r.revocation) for r in rows]

    @requires(Permission.OWN_ACCOUNT)
    def find(self, name: str) -> PairedWorkstation | None:
        """The workstation called ``name``, or None."""
        return next((w for w in self.list() if w.name == name), None)

    @requires(Permission.MANAGE_USERS)
    def pair(self, name: str, role: str, fingerprint: str) -> None:
        """Record a newly paired workstation (a name is paired once, never reused)."""
        name = name.strip()
        if not name or len(name) > MAX_NAME:
            raise InvalidInput(detail="a workstation needs a name of 1 to 80 characters")
        if role not in ROLES:
            raise InvalidInput(detail=f"unknown workstation role {role!r}")
        with self._writing() as batch:
            taken = batch.conn.execute(
                select(Workstation.id).where(Workstation.name == name)).first()
            if taken is not None:
                raise InvalidInput("A workstation called {name} is already paired", name=name)
            row_id = new_id()
            row = {"id": row_id, "name": name, "role": role, "fingerprint": fingerprint,
                   "paired_at": utc_now(), "paired_by": self._actor.username,
                   "revoked_at": None, "revocation": None}
            batch.conn.execute(insert(Workstation).values(**row))
            batch.record("workstation", row_id, "create", row, patient_id=None,
                         action="workstation.pair", detail=f"{name} ({role})")

    @requires(Permission.MANAGE_USERS)
    def revoke(self, name: str, revocation: str) -> None:
        """Revoke a workstation; ``revocation`` is the CA-signed statement peers check."""
        with self._writing() as batch:
            found = batch.conn.execute(
                select(Workstation.id, Workstation.revoked_at).where(Workstation.name == name)
            ).first()
            if found is None:
                raise NotFound(what=f"workstation {name}")
            if found.revoked_at is not None:
                raise InvalidInput("The workstation {name} is already revoked", name=name)
            changes = {"revoked_at": utc_now(), "revocation": revocation}
            batch.conn.execute(update(Workstation).where(Workstation.id == found.id)
                               .values(**changes))
            batch.record("workstation", found.id, "update", changes, patient_id=None,
                         action="workstation.revoke", detail=name)
