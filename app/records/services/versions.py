"""The one path every clinical write takes: a signed first version, or a new version."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from app.core.clock import utc_now
from app.core.errors import InvalidInput, NotFound
from app.records import kinds
from app.records.model import EntryStatus, Patient
from app.records.permissions import Permission
from app.records.services import entries
from app.records.services.base import Service, WriteBatch

# A nurse's visit (notes, vitals, medications given): the one visit kind she may write.
NURSING_VISIT = "nursing"


class EntryWriter(Service):
    """Creates and versions clinical entries, with audit and change log in one transaction."""

    def _write_permission(self, kind: str, verb: str) -> None:
        """Nurses record vitals, device results and vaccinations; the rest is the GP's."""
        permission = kinds.entry_kind(kind).write
        assert permission is not None
        self._authorize(permission, f"{verb} {kind}")

    def _check_rules(self, kind: str, fields: dict[str, Any]) -> None:
        """Rules finer than a kind's permission: a nurse writes visits of her own kind only."""
        if kind == "encounter" and fields.get("kind") != NURSING_VISIT:
            self._authorize(Permission.WRITE_CLINICAL, "create encounter")

    def _create(self, kind: str, patient_id: str, fields: dict[str, Any]) -> str:
        # Refusals are audited in their own transaction: check before the write opens.
        self._write_permission(kind, "create")
        self._check_rules(kind, fields)
        with self._writing() as batch:
            row = self._insert_entry(batch, kind, patient_id, fields)
        return str(row["id"])

    def _insert_entry(
        self, batch: WriteBatch, kind: str, patient_id: str, fields: dict[str, Any]
    ) -> dict[str, Any]:
        """A signed first version inside the caller's transaction."""
        self._write_permission(kind, "create")
        self._check_rules(kind, fields)
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
        require_patient(batch.conn, patient_id)
        row = entries.insert_version(batch.conn, kind, patient_id, fields, base)
        batch.record(kind, row["id"], "create", row, patient_id=patient_id)
        return row

    def _new_version(
        self, kind: str, entry_id: str, changes: dict[str, Any], reason: str, **base: Any
    ) -> str:
        self._write_permission(kind, "amend")
        with self._read() as conn:
            old = entries.load_version(conn, kind, entry_id)
        # Refusals are audited in their own transaction: check before the write opens.
        self._check_rules(kind, old)
        self._check_rules(kind, {k: old[k] for k in entries.specific_columns(kind)} | changes)
        with self._writing() as batch:
            row = self._insert_version(batch, kind, entry_id, changes, reason, **base)
        return str(row["id"])

    def _insert_version(
        self, batch: WriteBatch, kind: str, entry_id: str, changes: dict[str, Any],
        reason: str, **base: Any,
    ) -> dict[str, Any]:
        """A new version of the newest version ``entry_id``, inside the caller's transaction."""
        self._write_permission(kind, "amend")
        if not reason.strip():
            raise InvalidInput(detail="a correction needs a reason")
        entries.table_of(kind)
        unknown = set(changes) - set(entries.specific_columns(kind))
        if unknown:
            raise InvalidInput(detail=f"{kind}: unknown fields {', '.join(sorted(unknown))}")
        now = utc_now()
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
        self._check_rules(kind, old)
        self._check_rules(kind, fields)
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
        return row


def require_patient(conn: Connection, patient_id: str) -> None:
    if conn.execute(select(Patient.id).where(Patient.id == patient_id)).first() is None:
        raise NotFound(what=f"patient {patient_id}")
