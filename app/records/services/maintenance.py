"""Backups and re-keying, for the center's admin."""

from __future__ import annotations

from pathlib import Path

from app.records.services.access import Permission, requires
from app.records.services.base import Service
from app.records.storage.backup import BackupResult, write_backup
from app.records.storage.backup_target import check_destination
from app.records.storage.rekey import rekey
from app.records.storage.workstation import enroll


class MaintenanceService(Service):
    """Keeping the record safe: backups and key changes."""

    @requires(Permission.MAINTAIN)
    def backup(self, destination: Path) -> BackupResult:
        """Write a verified, encrypted backup to ``destination`` (never into the center)."""
        check_destination(self._db.paths, destination)  # refused before the audit: no write
        with self._writing() as batch:
            batch.audit("record.backup", detail=str(destination))
        return write_backup(self._db, destination)

    @requires(Permission.MAINTAIN)
    def rekey(self) -> None:
        """Re-encrypt the record with a new random key (every user keeps their password)."""
        rekey(self._db)
        with self._writing() as batch:
            batch.audit("record.rekey")

    @requires(Permission.MAINTAIN)
    def enroll_workstation(self, name: str) -> None:
        """Keep a wrapping secret for this workstation in the OS keyring."""
        with self._writing() as batch:  # the write lock serialises key-file edits
            enroll(self._db, name)
            batch.audit("workstation.enroll", detail=name)
