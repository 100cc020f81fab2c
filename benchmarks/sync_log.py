"""The change log's size against the data it describes, page by page.

SQLCipher here is built without ``dbstat``; Python's SQLite has it. So the record is
exported to one plain SQLite file (benchmarks/build.py ``export_plain``: VACUUM, then
``sqlcipher_export`` of both files, row counts checked) and its pages are counted there.
The layout is the same (same page size; the encrypted pages only reserve 80 bytes each
for the IV and HMAC), so the ratio is the encrypted record's too.

- the log: ``change_log`` and ``clinical_change`` with their indexes;
- the domain data: the tables of every logged kind (app/records/kinds.py ``LOGGED``),
  with their indexes: what a replica rebuilds from the log.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from pathlib import Path
from typing import Any, NamedTuple

from app.records.kinds import LOGGED
from app.records.services import Records
from benchmarks import build

LOG_TABLES = ("change_log", "clinical_change")


def log_size_of_center(root: Path, plain_path: Path) -> dict[str, Any]:
    """Export the center at ``root`` to ``plain_path``, measure, delete the copy."""
    records = Records.open(root, "medico", build.PASSWORD)
    try:
        build.export_plain(records, plain_path)
    finally:
        records.close()
    try:
        return log_size(plain_path)
    finally:
        plain_path.unlink()


class Tree(NamedTuple):
    """One b-tree of the file (a table or an index)."""

    table: str  # the table it belongs to (itself for a table)
    size: int  # bytes of its pages
    payload: int  # bytes of its cells' content


def _pages(conn: sqlite3.Connection) -> dict[str, Tree]:
    """Every b-tree of the file by name."""
    owner = dict(conn.execute(
        "SELECT name, tbl_name FROM sqlite_master WHERE type IN ('table', 'index')").fetchall())
    # Page by page, summed in 64 bits: dbstat's own aggregate (aggregate = 1) wraps
    # around at 2 GiB for one b-tree (the clinical log of a 200,000-patient center).
    return {name: Tree(owner.get(name, name), int(size), int(payload))
            for name, size, payload in conn.execute(
                "SELECT name, sum(pgsize), sum(payload) FROM dbstat GROUP BY name")}


def log_size(plain_path: Path) -> dict[str, Any]:
    """Bytes of the log and of the domain tables (tables, indexes, payloads) in a plain copy."""
    conn = sqlite3.connect(plain_path)
    try:
        pages = _pages(conn)
        patients = conn.execute("SELECT count(*) FROM patient").fetchone()[0]
        log_rows = json_bytes = 0  # payload bytes as stored
        for table in LOG_TABLES:
            count, size = conn.execute(
                f"SELECT count(*), coalesce(sum(length(CAST(payload AS BLOB))), 0) "
                f'FROM "{table}"').fetchone()
            log_rows, json_bytes = log_rows + count, json_bytes + size
        domain_rows = sum(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                          for t in sorted(LOGGED) if t in pages)
    finally:
        conn.close()

    def total(tables: Collection[str], *, indexes: bool, payload: bool = False) -> int:
        return sum(tree.payload if payload else tree.size for name, tree in pages.items()
                   if tree.table in tables and (indexes or name == tree.table))

    log_bytes = total(LOG_TABLES, indexes=True)
    domain_bytes = total(LOGGED, indexes=True)
    file_bytes = sum(tree.size for tree in pages.values())
    return {
        "patients": patients, "log_entries": log_rows, "domain_rows": domain_rows,
        "log_bytes": log_bytes, "log_table_bytes": total(LOG_TABLES, indexes=False),
        "log_payload_bytes": json_bytes,  # as stored (deflated since ADR 0025)
        "domain_bytes": domain_bytes, "domain_table_bytes": total(LOGGED, indexes=False),
        "domain_payload_bytes": total(LOGGED, indexes=False, payload=True),
        "file_bytes": file_bytes,
        "ratio_pages": round(log_bytes / domain_bytes, 3),
        "ratio_tables": round(total(LOG_TABLES, indexes=False)
                              / total(LOGGED, indexes=False), 3),
        "ratio_payload": round(json_bytes / total(LOGGED, indexes=False, payload=True), 3),
        "largest": _largest(pages),
    }


def _largest(pages: dict[str, Tree]) -> dict[str, int]:
    """The ten largest b-trees (tables and indexes), bytes of pages."""
    ranked = sorted(pages.items(), key=lambda item: -item[1].size)[:10]
    return {name: tree.size for name, tree in ranked}
