"""The code lists in the record: loading them into ``code_entry`` and searching them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from sqlalchemy import Connection, Table, delete, insert, select

from app.records.codes.catalog import (
    ATC,
    CODE_SYSTEMS,
    ICD9CM,
    CodeRow,
    Unrepaired,
    check_system,
    read_codes,
    repair_rows,
    shipped_codes,
)
from app.records.codes.folding import fold
from app.records.codes.search import Entry, FoldedIndex, IndexCache
from app.records.codes.stamps import stamp, touch
from app.records.model.codes import CodeEntry

__all__ = ["BATCH_SIZE", "ImportReport", "code_index", "describe_code", "fold", "import_codes",
           "replace_codes", "search_codes"]

BATCH_SIZE = 1000
_PROCEDURE = re.compile(r"\d{2}(\.\d{1,2})?")
_TABLE: Table = CodeEntry.__table__  # type: ignore[assignment]
_INDEXES: IndexCache[CodeRow] = IndexCache()
# Words GPs use that the ICD-9-CM titles lack, by code (and its subdivisions): a GP
# writes "ipertensione arteriosa" and "BPCO", the 2007 list "Ipertensione essenziale" and
# "Ostruzioni croniche delle vie respiratorie". Found after the titles' own matches.
ICD9CM_ALIASES: tuple[tuple[str, str], ...] = (
    ("401", "ipertensione arteriosa"),
    ("491.2", "broncopneumopatia cronica ostruttiva BPCO"),
    ("496", "broncopneumopatia cronica ostruttiva BPCO"),
    ("585", "insufficienza renale cronica IRC"),
)


@dataclass
class ImportReport:
    """What an import of an official code file did."""

    system: str
    count: int
    unrepaired: list[Unrepaired] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


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
    touch(conn, system)
    return count


def load_shipped_codes(conn: Connection) -> dict[str, int]:
    """Load the ICD-9-CM, ATC and AIFA lists shipped with Medirete; the count per list."""
    from app.records.codes.drugs import AIFA, load_shipped_drugs  # drugs reads code_entry

    counts = {system: replace_codes(conn, system, shipped_codes(system))
              for system in CODE_SYSTEMS}
    counts[AIFA] = load_shipped_drugs(conn)
    return counts


def import_codes(conn: Connection, system: str, path: Path, release: str = "") -> ImportReport:
    """Replace ``system`` with a newer official file, repairing its descriptions."""
    parsed = read_codes(path, system, default_release=release or path.stem)
    rows, unrepaired = repair_rows(parsed.rows)
    count = replace_codes(conn, system, rows)
    return ImportReport(system, count, unrepaired, parsed.notes)


def _alias_words(code: str) -> str:
    return " ".join(words for prefix, words in ICD9CM_ALIASES
                    if code == prefix or code.startswith(prefix if "." in prefix else prefix + "."))


def _parent(system: str, code: str, listed: dict[str, str]) -> str:
    """The nearest code above ``code`` in the list: 997.91 -> 997.9, A10BA02 -> A10BA.

    ICD codes stop at their category (the part before the dot): 401 is not under the
    procedures' chapter 40.
    """
    shortest = 1 if system == ATC else len(code.split(".", maxsplit=1)[0])
    for end in range(len(code) - 1, shortest - 1, -1):
        above = code[:end].rstrip(".")
        if above in listed and above != code:
            return above
    return ""


def _code_entries(conn: Connection, system: str) -> list[Entry[CodeRow]]:
    stmt = select(_TABLE.c.code, _TABLE.c.description, _TABLE.c.release, _TABLE.c.terminal,
                  _TABLE.c.parent)
    rows = conn.execute(stmt.where(_TABLE.c.system == system).order_by(_TABLE.c.code)).all()
    titles = {row[0]: row[1] for row in rows}
    entries = []
    for code, description, release, terminal, parent in rows:
        above = titles.get(parent or _parent(system, code, titles), "")
        row = CodeRow(code, description, release, terminal is False, above)
        aliases = _alias_words(code) if system == ICD9CM else ""
        entries.append(Entry(row, (code,), description, aliases))
    return entries


def code_index(conn: Connection, system: str, key: str | None = None) -> FoldedIndex[CodeRow]:
    """The search index of ``system``: cached under ``key`` (the record's path), or built."""
    check_system(system)
    if key is None:
        return FoldedIndex(_code_entries(conn, system))
    return _INDEXES.get((key, system), stamp(conn, system),
                        lambda: FoldedIndex(_code_entries(conn, system)))


def is_diagnosis(row: CodeRow) -> bool:
    """Not an ICD-9-CM procedure (89.52): those have two digits before the dot."""
    return _PROCEDURE.fullmatch(row.code) is None


def search_codes(
    conn: Connection, system: str, text: str, limit: int = 50, key: str | None = None,
    *, diagnoses_only: bool = False,
) -> list[CodeRow]:
    """Codes by code prefix, then by words of the description (any case or accent), ranked.

    ``key`` (the record's path) keeps the index for the next keystroke (codes.search);
    ``diagnoses_only`` leaves out the ICD-9-CM procedures (a problem is a diagnosis).
    """
    check_system(system)
    if not fold(text).split() or limit <= 0:
        return []
    keep = is_diagnosis if diagnoses_only else None
    return code_index(conn, system, key).search(text, limit, keep)


def describe_code(conn: Connection, system: str, code: str) -> CodeRow | None:
    """The entry of ``code`` in ``system``, or None when the list does not have it."""
    check_system(system)
    stmt = select(_TABLE.c.code, _TABLE.c.description, _TABLE.c.release,
                  _TABLE.c.terminal).where(
        _TABLE.c.system == system, _TABLE.c.code == code.strip().upper()
    )
    found = conn.execute(stmt).first()
    return CodeRow(found[0], found[1], found[2], heading=found[3] is False) if found else None
