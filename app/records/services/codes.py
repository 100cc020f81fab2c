"""Code lists for clinicians (search, ICD-10-IM candidates, medicines) and the admin
(import a newer official file)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import insert

from app.core.clock import new_id, utc_now
from app.records.codes.aifa import AIFA, Drug
from app.records.codes.catalog import CodeRow
from app.records.codes.drugs import describe_drug, drug_index, search_drugs
from app.records.codes.imports import import_list
from app.records.codes.store import ImportReport, code_index, describe_code, search_codes
from app.records.codes.transcoding import icd9cm_candidates, icd10im_candidates, icd10im_loaded
from app.records.model import CodeImport
from app.records.services.access import Permission, requires
from app.records.services.base import Service


class CodeService(Service):
    """ICD-9-CM, ICD-10-IM, ATC and the AIFA medicines."""

    @property
    def _index_key(self) -> str:
        # Search indexes are kept per record file for the whole process (codes.search).
        return str(self._db.paths.db)

    @requires(Permission.READ_CODES)
    def search(self, system: str, text: str, limit: int = 50, *,
               diagnoses_only: bool = False) -> list[CodeRow]:
        """Codes by code prefix or by words of the description, ranked; ICD-10-IM headings
        (non-terminal codes) come back with ``heading`` set: shown, never picked.
        ``diagnoses_only`` leaves out ICD-9-CM procedures (a problem picker)."""
        with self._read() as conn:
            return search_codes(conn, system, text, limit, key=self._index_key,
                                diagnoses_only=diagnoses_only)

    @requires(Permission.READ_CODES)
    def prepare_search(self, system: str) -> int:
        """Build the search index of ``system`` (or ``aifa``) now, as a picker opens, so that
        the first keystroke does not wait for it; returns the number of rows."""
        with self._read() as conn:
            if system == AIFA:
                return len(drug_index(conn, key=self._index_key))
            return len(code_index(conn, system, key=self._index_key))

    @requires(Permission.READ_CODES)
    def describe(self, system: str, code: str) -> CodeRow | None:
        """One code of ``system``, or None when the list does not have it."""
        with self._read() as conn:
            return describe_code(conn, system, code)

    @requires(Permission.READ_CODES)
    def icd10im_loaded(self) -> bool:
        """Whether the center has loaded the Ministry's ICD-10-IM systematic list."""
        with self._read() as conn:
            return icd10im_loaded(conn)

    @requires(Permission.READ_CODES)
    def icd10im_candidates(self, icd9_code: str) -> list[CodeRow]:
        """The ICD-10-IM codes corresponding to an ICD-9-CM code, for the GP to choose."""
        with self._read() as conn:
            return icd10im_candidates(conn, icd9_code)

    @requires(Permission.READ_CODES)
    def icd9cm_candidates(self, icd10im_code: str) -> list[CodeRow]:
        """The ICD-9-CM codes corresponding to an ICD-10-IM code (the reverse look-up)."""
        with self._read() as conn:
            return icd9cm_candidates(conn, icd10im_code)

    @requires(Permission.READ_CODES)
    def drugs(self, text: str, limit: int = 50) -> list[Drug]:
        """Medicines of the AIFA list by name, AIC, ATC code or active ingredient."""
        with self._read() as conn:
            return search_drugs(conn, text, limit, key=self._index_key)

    @requires(Permission.READ_CODES)
    def drug(self, aic: str) -> Drug | None:
        """The pack with this AIC, or None."""
        with self._read() as conn:
            return describe_drug(conn, aic)

    @requires(Permission.MANAGE_CODES)
    def import_file(self, system: str, path: Path) -> ImportReport:
        """Replace a list with an official file (CSV, or the Ministry's ICD-10-IM workbooks),
        in one transaction; ``system`` is one of ``app.records.codes.IMPORT_KINDS``."""
        content = path.read_bytes()
        with self._writing() as batch:
            report = import_list(batch.conn, system, path)
            row_id = new_id()
            row = {"id": row_id, "system": system, "file_name": path.name[:200],
                   "content": content, "sha256": hashlib.sha256(content).hexdigest(),
                   "count": report.count, "imported_at": utc_now(),
                   "imported_by": self._actor.username}
            batch.conn.execute(insert(CodeImport).values(**row))
            # Logged: every workstation of the center imports the same file (ADR 0024).
            batch.record("code_import", row_id, "create", row, patient_id=None,
                         action="codes.import",
                         detail=f"{system}: {report.count} from {path.name}")
        return report
