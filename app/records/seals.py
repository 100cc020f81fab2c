"""Every signed version still holds what its change-log entry sealed when it was written.

The triggers stop ordinary edits of a signed entry, but someone holding the database key
can drop them, or use ``INSERT OR REPLACE`` on an older record. The change-log entry of
each version (``create`` or ``amend``) carries the row as written, hashed with the entry;
``verify`` compares the two, kind by kind, walking both in id order.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, Table, select

from app.records import kinds
from app.records.journal import canonical_json, change_table, json_value
from app.records.model import ChangeLogEntry

MAX_NAMED = 5
SEALING_OPS = ("create", "amend")


def _payloads(conn: Connection, kind: str, split: bool) -> Iterator[tuple[str, str]]:
    # A record from before the clinical split keeps every change in its one log.
    log = change_table(kind) if split else ChangeLogEntry
    query = (
        select(log.entity_id, log.payload)
        .where(log.entity == kind, log.op.in_(SEALING_OPS))
        .order_by(log.entity_id)
    )
    for entity_id, payload in conn.execute(query):
        yield str(entity_id), str(payload)


def _rows(conn: Connection, table: Table, present: set[str]) -> Iterator[dict[str, Any]]:
    columns = [c for c in table.columns if c.name in present]
    for row in conn.execute(select(*columns).order_by(table.c.id)).mappings():
        yield dict(row)


def _matches(row: dict[str, Any], payload: str) -> bool:
    """The row holds the sealed values, compared as JSON values (61 and 61.0 are equal:
    a Float column stores the integer a caller passed as a float)."""
    sealed = json.loads(payload)
    if not set(sealed) <= set(row):
        return False
    # Equal as plain values is equal as JSON values; anything else (a tuple, a NaN, a
    # key that is not text) is compared the long way, through the JSON text.
    if {key: json_value(row[key]) for key in sealed} == sealed:
        return True
    stored = json.loads(canonical_json({key: row[key] for key in sealed}))
    return bool(stored == sealed)


def check_entry_seals(
    conn: Connection, present_columns: dict[str, set[str]], *, split: bool = True
) -> list[str]:
    """Signed versions that differ from, or lack, the change-log entry that sealed them.

    ``split`` False: a record from before schema 0006, whose clinical entries and their
    change-log entries are still in the one file.
    """
    problems: list[str] = []
    for kind in kinds.ENTRY_KINDS:
        present = present_columns.get(kind.name)
        if not present:
            continue  # a table this (older) file does not have
        payloads = _payloads(conn, kind.name, split)
        sealed = next(payloads, None)
        for row in _rows(conn, kind.table, present):
            while sealed is not None and sealed[0] < row["id"]:
                problems.append(f"{kind.name} {sealed[0]} was signed but is gone")
                sealed = next(payloads, None)
            if sealed is None or sealed[0] != row["id"]:
                problems.append(f"{kind.name} {row['id']} has no change-log entry (not sealed)")
            elif not _matches(row, sealed[1]):
                problems.append(f"{kind.name} {row['id']} differs from what was signed")
            if sealed is not None and sealed[0] == row["id"]:
                sealed = next(payloads, None)
            if len(problems) >= MAX_NAMED:
                return problems[:MAX_NAMED]
        if sealed is not None:
            problems.append(f"{kind.name} {sealed[0]} was signed but is gone")
        problems.extend(f"{kind.name} {entity_id} was signed but is gone"
                        for entity_id, _payload in payloads)
        if len(problems) >= MAX_NAMED:
            return problems[:MAX_NAMED]
    return problems
    return problems
