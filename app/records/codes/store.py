"""The code lists in the record: loading them into ``code_entry`` and searching them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, and_, case, delete, func, insert, or_, select

from app.records.codes.catalog import (
    CODE_SYSTEMS,
    CodeRow,
    Unrepaired,
    check_system,
    read_codes,
    repair_rows,
    shipped_codes,
)
from app.records.model.codes import CodeEntry

BATCH_SIZE = 1000
FOLD_FUNCTION = "medirete_fold"
_TABLE: Table = CodeEntry.__table__  # type: ignore[assignment]
_CODE_QUERY = re.compile(r"[A-Za-z]?\d[\dA-Za-z.]*|[A-Za-z]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_MAY_BE_ACCENTED = re.compile(r"[aeiouycns]")


@dataclass
class ImportReport:
    """What an import of an official code file did."""

    system: str
    count: int
    unrepaired: list[Unrepaired] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def fold(text: str | None) -> str:
    """Text reduced for matching: lower case, no accents, words between single spaces."""
    if not text:
        return " "
    stripped = "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    )
    return " " + " ".join(_NOT_WORD.split(stripped.lower())).strip() + " "


def _batches(rows: Iterable[CodeRow], system: str) -> Iterator[list[dict[str, str]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH_SIZE)):
        yield [
            {"system": system, "code": r.code, "description": r.description, "release": r.release}
            for r in batch
        ]


def replace_codes(conn: Connection, system: str, rows: Iterable[CodeRow]) -> int:
    """Replace every code of ``system`` with ``rows``; the caller owns the transaction."""
    check_system(system)
    conn.execute(delete(_TABLE).where(_TABLE.c.system == system))
    count = 0
    for batch in _batches(rows, system):
        conn.execute(insert(_TABLE), batch)  # executemany: one statement per batch
        count += len(batch)
    return count


def load_shipped_codes(conn: Connection) -> dict[str, int]:
    """Load the ICD-9-CM and ATC lists shipped with Medirete; return the count per system."""
    return {system: replace_codes(conn, system, shipped_codes(system)) for system in CODE_SYSTEMS}


def import_codes(conn: Connection, system: str, path: Path, release: str = "") -> ImportReport:
    """Replace ``system`` with a newer official file, repairing its descriptions."""
    parsed = read_codes(path, system, default_release=release or path.stem)
    rows, unrepaired = repair_rows(parsed.rows)
    count = replace_codes(conn, system, rows)
    return ImportReport(system, count, unrepaired, parsed.notes)


def _ensure_fold(conn: Connection) -> None:
    # SQLite has no accent folding: give each DB-API connection ours (SQLCipher alike).
    dbapi: Any = conn.connection.driver_connection
    dbapi.create_function(FOLD_FUNCTION, 1, fold)


def _rough_pattern(word: str) -> str:
    """A LIKE pattern run in C before the Python fold: letters that may carry accents are wild."""
    return "%" + _MAY_BE_ACCENTED.sub("_", word) + "%"


def search_codes(conn: Connection, system: str, text: str, limit: int = 50) -> list[CodeRow]:
    """Codes starting with ``text``, then descriptions with all its words (any case or accent)."""
    check_system(system)
    words = fold(text).split()
    if not words or limit <= 0:
        return []
    _ensure_fold(conn)
    folded = getattr(func, FOLD_FUNCTION)(_TABLE.c.description)
    by_words = and_(
        *(
            and_(_TABLE.c.description.like(_rough_pattern(word)), folded.like(f"% {word}%"))
            for word in words
        )
    )
    stmt = select(_TABLE.c.code, _TABLE.c.description, _TABLE.c.release)
    query = text.strip().upper()
    if _CODE_QUERY.fullmatch(query):
        by_code = _TABLE.c.code.like(query + "%")
        # Codes starting with what was typed come first: a GP types 250 to mean 250.xx.
        stmt = stmt.where(or_(by_code, by_words)).order_by(case((by_code, 0), else_=1))
    else:
        stmt = stmt.where(by_words)
    stmt = stmt.where(_TABLE.c.system == system).order_by(_TABLE.c.code).limit(limit)
    return [
        CodeRow(code, description, release) for code, description, release in conn.execute(stmt)
    ]


def describe_code(conn: Connection, system: str, code: str) -> CodeRow | None:
    """The entry of ``code`` in ``system``, or None when the list does not have it."""
    check_system(system)
    stmt = select(_TABLE.c.code, _TABLE.c.description, _TABLE.c.release).where(
        _TABLE.c.system == system, _TABLE.c.code == code.strip().upper()
    )
    found = conn.execute(stmt).first()
    return CodeRow(found[0], found[1], found[2]) if found else None
