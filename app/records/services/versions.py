"""The one path every clinical write takes: a signed first version, or a new version."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from app.core.clock import utc_now
from app.core.errors import InvalidInput, NotFound
from app.records.journal import append_audit, append_change
from app.records.model import EntryStatus, Patient
from app.records.services import entries
from app.records.services.access import Permission
from app.records.services.base import Service

# Nurses record vitals, device results and vaccinations; everything else is the GP's.
KIND_PERMISSION: dict[str, Permission] = {
    kind: Permission.WRITE_CLINICAL for kind in entries.ENTRY_MODELS
} | {
    "observation": Permission.WRITE_OBSERVATION,
    "device_recording": Permission.WRITE_OBSERVATION,
    "vaccination": Permission.WRITE_VACCINATION,
}


class EntryWriter(Service):
    """Creates and versions clinical entries, with audit and change log in one transaction."""

    def _create(self, kind: str, patient_id: str, fields: dict[str, Any]) -> str:
        self._authorize(KIND_PERMISSION[kind], f"create {kind}")
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
        with self._write() as conn:
            require_patient(conn, patient_id)
            row = entries.insert_version(conn, kind, patient_id, fields, base)
            append_audit(
                conn,
                self._actor,
                f"{kind}.create",
                entity=kind,
                entity_id=row["id"],
                patient_id=patient_id,
            )
            append_change(conn, kind, row["id"], "create", row)
        return str(row["id"])

    def _new_version(
        self, kind: str, entry_id: str, changes: dict[str, Any], reason: str, **base: Any
    ) -> str:
        self._authorize(KIND_PERMISSION[kind], f"amend {kind}")
        if not reason.strip():
            raise InvalidInput(detail="a correction needs a reason")
        entries.table_of(kind)
        unknown = set(changes) - set(entries.specific_columns(kind))
        if unknown:
            raise InvalidInput(detail=f"{kind}: unknown fields {', '.join(sorted(unknown))}")
        now = utc_now()
        with self._write() as conn:
            old = entries.load_version(conn, kind, entry_id)
            latest = entries.latest_version(conn, kind, old["lineage_id"])
            if latest["id"] != entry_id:
                raise InvalidInput(detail="this entry was already corrected; amend the newest")
            if not entries.visible_to(old, self._actor.user_id):
                raise NotFound(what=f"{kind} {entry_id}")
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
            append_audit(
                conn,
                self._actor,
                f"{kind}.amend",
                entity=kind,
                entity_id=row["id"],
                patient_id=old["patient_id"],
                detail=str(version["status"]),
            )
            append_change(conn, kind, row["id"], "amend", row)
        return str(row["id"])


def require_patient(conn: Connection, patient_id: str) -> None:
    if conn.execute(select(Patient.id).where(Patient.id == patient_id)).first() is None:
        raise NotFound(what=f"patient {patient_id}")
