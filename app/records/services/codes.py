"""Code lists for clinicians (search) and the admin (import a newer official file)."""

from __future__ import annotations

from pathlib import Path

from app.records.codes.catalog import CodeRow
from app.records.codes.store import ImportReport, import_codes, search_codes
from app.records.services.access import Permission, requires
from app.records.services.base import Service


class CodeService(Service):
    """ICD-9-CM and ATC."""

    @requires(Permission.READ_CODES)
    def search(self, system: str, text: str, limit: int = 50) -> list[CodeRow]:
        """Codes by code prefix or by words of the description."""
        with self._read() as conn:
            return search_codes(conn, system, text, limit)

    @requires(Permission.MANAGE_CODES)
    def import_file(self, system: str, path: Path) -> ImportReport:
        """Replace a code system with an official CSV, in one transaction."""
        with self._writing() as batch:
            report = import_codes(batch.conn, system, path)
            batch.record("code_entry", system, "import", {"system": system, "count": report.count},
                         patient_id=None, action="codes.import",
                         detail=f"{system}: {report.count} from {path.name}")
        return report
