"""ICD-10-IM in the record: the systematic list in ``code_entry`` and the ICD-9-CM ->
ICD-10-IM correspondences in ``code_transcoding``, loaded from the Ministry's workbooks.

The correspondences come from the transcoding table; until a center loads it, those
listed in column Q of the systematic list stand in (origin ``list``). Several
candidates for one ICD-9-CM code are all offered: the GP chooses, never the program.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, and_, delete, exists, insert, select

from app.core.i18n import _
from app.records.codes.catalog import ICD9CM, ICD10IM, CodeRow
from app.records.codes.icd10im import (
    Icd10imCode,
    Transcoding,
    read_systematic_list,
    read_transcoding_table,
    release_label,
)
from app.records.codes.stamps import touch
from app.records.codes.store import ImportReport
from app.records.model.codes import CodeEntry, CodeTranscoding

ICD9_ICD10IM = "icd9-icd10im"
FROM_TABLE = "table"
FROM_LIST = "list"
BATCH_SIZE = 1000
_CODES: Table = CodeEntry.__table__  # type: ignore[assignment]
_MAP: Table = CodeTranscoding.__table__  # type: ignore[assignment]


def _insert(conn: Connection, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    iterator = iter(rows)
    count = 0
    while batch := list(islice(iterator, BATCH_SIZE)):
        conn.execute(insert(table), batch)
        count += len(batch)
    return count


def _list_pairs(codes: list[Icd10imCode], release: str) -> Iterator[dict[str, Any]]:
    seen: set[tuple[str, str]] = set()
    for code in codes:
        for icd9 in code.icd9_codes:
            if code.terminal and (icd9, code.code) not in seen:
                seen.add((icd9, code.code))
                yield {"origin": FROM_LIST, "icd9_code": icd9, "icd10im_code": code.code,
                       "icd9_description": "", "icd10im_description": code.title,
                       "release": release}


def replace_icd10im(conn: Connection, codes: list[Icd10imCode], release: str) -> int:
    """Replace the ICD-10-IM list (and column Q's correspondences); the caller's transaction."""
    conn.execute(delete(_CODES).where(_CODES.c.system == ICD10IM))
    count = _insert(conn, _CODES, (
        {"system": ICD10IM, "code": c.code, "description": c.title, "release": release,
         "kind": c.kind, "parent": c.parent, "terminal": c.terminal}
        for c in codes
    ))
    conn.execute(delete(_MAP).where(_MAP.c.origin == FROM_LIST))
    _insert(conn, _MAP, _list_pairs(codes, release))
    touch(conn, ICD10IM)
    return count


def replace_transcodings(conn: Connection, rows: Iterable[Transcoding], release: str) -> int:
    """Replace the correspondences of the transcoding table; the caller's transaction."""
    conn.execute(delete(_MAP).where(_MAP.c.origin == FROM_TABLE))
    count = _insert(conn, _MAP, (
        {"origin": FROM_TABLE, "icd9_code": r.icd9_code, "icd10im_code": r.icd10im_code,
         "icd9_description": r.icd9_description,
         "icd10im_description": r.icd10im_description, "release": release}
        for r in rows
    ))
    touch(conn, ICD9_ICD10IM)
    return count


def import_icd10im(conn: Connection, path: Path) -> ImportReport:
    """Replace ICD-10-IM with the Ministry's systematic list at ``path``."""
    parsed = read_systematic_list(path)
    count = replace_icd10im(conn, parsed.codes, release_label(path))
    terminal = sum(code.terminal for code in parsed.codes)
    notes = [_("{count} of them can be chosen for a diagnosis; the others are headings")
             .format(count=terminal), *parsed.notes]
    return ImportReport(ICD10IM, count, notes=notes)


def import_transcoding(conn: Connection, path: Path) -> ImportReport:
    """Replace the correspondences with the Ministry's transcoding table at ``path``."""
    parsed = read_transcoding_table(path)
    count = replace_transcodings(conn, parsed.rows, release_label(path))
    return ImportReport(ICD9_ICD10IM, count, notes=parsed.notes)


def icd10im_loaded(conn: Connection) -> bool:
    """Whether the center has loaded the ICD-10-IM systematic list."""
    return bool(conn.execute(select(exists().where(_CODES.c.system == ICD10IM))).scalar())


def _origin(conn: Connection) -> str:
    """The transcoding table when loaded, else column Q of the systematic list."""
    table = select(exists().where(_MAP.c.origin == FROM_TABLE))
    return FROM_TABLE if conn.execute(table).scalar() else FROM_LIST


def _candidates(conn: Connection, known: str, wanted: str, system: str,
                code: str) -> list[CodeRow]:
    entry = _CODES.alias("entry")
    joined = _MAP.outerjoin(entry, and_(entry.c.system == system,
                                        entry.c.code == _MAP.c[f"{wanted}_code"]))
    stmt = (
        select(_MAP.c[f"{wanted}_code"], entry.c.description,
               _MAP.c[f"{wanted}_description"], _MAP.c.release, entry.c.terminal)
        .select_from(joined)
        .where(_MAP.c.origin == _origin(conn), _MAP.c[f"{known}_code"] == code.strip().upper())
        .order_by(_MAP.c[f"{wanted}_code"])
    )
    return [
        CodeRow(found, listed or published or "", release, heading=terminal is False)
        for found, listed, published, release, terminal in conn.execute(stmt)
    ]


def icd10im_candidates(conn: Connection, icd9_code: str) -> list[CodeRow]:
    """The ICD-10-IM codes the Ministry gives for an ICD-9-CM code (none, one or several)."""
    return _candidates(conn, "icd9", "icd10im", ICD10IM, icd9_code)


def icd9cm_candidates(conn: Connection, icd10im_code: str) -> list[CodeRow]:
    """The ICD-9-CM codes that correspond to an ICD-10-IM code (the reverse look-up)."""
    return _candidates(conn, "icd10im", "icd9", ICD9CM, icd10im_code)
