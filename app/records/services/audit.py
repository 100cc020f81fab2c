"""Reading and verifying the audit trail for the center's admin."""

from __future__ import annotations

from sqlalchemy import select

from app.records.integrity import VerifyReport, verify_connection
from app.records.model import AuditEvent, PeerAuditEvent
from app.records.services.access import Permission, requires
from app.records.services.base import Service
from app.records.services.views import AuditView
from app.records.storage.anchor import behind_anchor


class AuditService(Service):
    """The audit trail for the admin: verify it and list who accessed a chart."""

    @requires(Permission.VERIFY)
    def verify(self) -> VerifyReport:
        """Check the whole record and compute its content digest.

        An admin's verify covers the record file; a clinician's also the clinical file.
        """
        with self._read() as conn:
            report = verify_connection(conn)
            # Outside the database: is the record behind what it was known to hold?
            report.problems.extend(behind_anchor(conn, self._db.paths.root, self._db.db_key))
        return report

    @requires(Permission.READ_AUDIT)
    def access_log(self, patient_id: str) -> list[AuditView]:
        """Who read or wrote this patient's record, on any workstation of the center
        (the others' audit events arrive with sync), oldest first."""
        columns = ("seq", "at", "username", "workstation", "action", "entity", "patient_id",
                   "detail")
        with self._read() as conn:
            rows = [*conn.execute(
                select(*(getattr(AuditEvent, c) for c in columns))
                .where(AuditEvent.patient_id == patient_id)).all(),
                *conn.execute(
                select(*(getattr(PeerAuditEvent, c) for c in columns))
                .where(PeerAuditEvent.patient_id == patient_id)).all()]
        rows.sort(key=lambda r: (r.at, r.workstation, r.seq))
        return [
            AuditView(
                r.seq, r.at, r.username, r.workstation, r.action, r.entity, r.patient_id, r.detail
            )
            for r in rows
        ]
