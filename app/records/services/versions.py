"""The one path every clinical write takes: a signed first version, or a new version."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from app.core.clock import utc_now
from app.core.errors import InvalidInput, NotFound
from app.records import kinds
from app.records.model import EntryStatus, Patient
from app.records.services import entries
from app.records.services.base import Service


class EntryWriter(Service):
    """Creates and versions clinical entries, with audit and change log in one transaction."""

    def _write_permission(self, kind: str, verb: str) -> None:
        """Nurses record vitals, device results and vaccinations; the rest is the GP's."""
        permission = kinds.entry_kind(kind).write
        assert permission is not None
        self._authorize(permission, f"{verb} {kind}")

    def _create(self, kind: str, patient_id: str, fields: dict[str, Any]) -> str:
        self._write_permission(kind, "create")
        entries.check_fields(kind, fields)
        now = utc_now()
        base = {
            "version": 1,
            "status": EntryStatus.SIGNED.value,
            "hidden": False,
            "author_id": self._actor.user_id,
            "recorded_at": now,
            "signed_at": now,
        }
        with self._writing() as batch:
            require_patient(batch.conn, patient_id)
            row = entries.insert_version(batch.conn, kind, patient_id, fields, base)
            batch.record(kind, row["id"], "create", row, patient_id=patient_id)
        return str(row["id"])

    def _new_version(
        self, kind: str, entry_id: str, changes: dict[str, Any], reason: str, **base: Any
    ) -> str:
        self._write_permission(kind, "amend")
        if not reason.strip():
            raise InvalidInput(detail="a correction needs a reason")
        entries.table_of(kind)
        unknown = set(changes) - set(entries.specific_columns(kind))
        if unknown:
            raise InvalidInput(detail=f"{kind}: unknown fields {', '.join(sorted(unknown))}")
        now = utc_now()
        with self._writing() as batch:
            conn = batch.conn
            old = entries.load_version(conn, kind, entry_id)
            latest = entries.latest_version(conn, kind, old["lineage_id"])
            # Hidden means absent: no message may reveal that a hidden entry exists.
            user = self._actor.user_id
            if not entries.visible_to(old, user) or not entries.visible_to(latest, user):
                raise NotFound(what=f"{kind} {entry_id}")
            if latest["id"] != entry_id:
                raise InvalidInput(detail="this entry was already corrected; amend the newest")
            fields = {k: old[k] for k in entries.specific_columns(kind)} | changes
            version = {
                "lineage_id": old["lineage_id"],
                "version": old["version"] + 1,
                "supersedes_id": entry_id,
                "correction_reason": reason.strip(),
                "status": EntryStatus.SIGNED.value,
                "hidden": old["hidden"],
                "author_id": self._actor.user_id,
                "recorded_at": now,
                "signed_at": now,
            } | base
            row = entries.insert_version(conn, kind, old["patient_id"], fields, version)
            batch.record(kind, row["id"], "amend", row, patient_id=old["patient_id"],
                         detail=str(version["status"]))
        return str(row["id"])


def require_patient(conn: Connection, patient_id: str) -> None:
    if conn.execute(select(Patient.id).where(Patient.id == patient_id)).first() is None:
        raise NotFound(what=f"patient {patient_id}")
