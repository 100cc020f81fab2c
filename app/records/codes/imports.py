"""One entry point for the admin's ``import-codes``: which reader and store each kind uses."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection

from app.core.errors import InvalidInput
from app.core.i18n import _
from app.records.codes.aifa import AIFA, read_aifa
from app.records.codes.catalog import ATC, ICD9CM, ICD10IM
from app.records.codes.drugs import replace_drugs
from app.records.codes.store import ImportReport, import_codes
from app.records.codes.transcoding import ICD9_ICD10IM, import_icd10im, import_transcoding

# What ``import-codes --kind`` accepts: the CSV exports (ICD-9-CM, ATC), the Ministry's
# two ICD-10-IM workbooks and a newer AIFA list of medicines.
IMPORT_KINDS = (ICD9CM, ATC, ICD10IM, ICD9_ICD10IM, AIFA)


def import_list(conn: Connection, kind: str, path: Path) -> ImportReport:
    """Replace the list ``kind`` with the official file at ``path``, in the caller's transaction."""
    if kind == ICD10IM:
        return import_icd10im(conn, path)
    if kind == ICD9_ICD10IM:
        return import_transcoding(conn, path)
    if kind == AIFA:
        parsed = read_aifa(path, default_release=path.stem[:40])
        return ImportReport(AIFA, replace_drugs(conn, parsed.drugs), notes=parsed.notes)
    if kind in (ICD9CM, ATC):
        return import_codes(conn, kind, path)
    raise InvalidInput(detail=_("unknown code system {system}").format(system=kind))
