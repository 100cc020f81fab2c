"""Integrity of a record: SQLCipher page check, schema revision, audit chain, digest."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, select, text

from app.records import kinds
from app.records.journal import (
    GENESIS_HASH,
    ChangeSeal,
    ChangeTable,
    audit_fields,
    audit_hash,
    canonical_json,
    change_hash,
    change_hash_v1,
)
from app.records.model import AuditEvent, ChangeLogEntry, ClinicalChange
from app.records.seals import check_entry_seals
from app.records.storage.anchor import clinical_attached
from app.records.storage.engine import CLINICAL_SCHEMA
from app.records.storage.migrate import clinical_head_revision, current_revision, head_revision

# What the record holds for patients and staff, from the registry of kinds: the digest
# covers these, not the audit trail or the change log, which grow with every read and
# every backup. A table absent from an older file contributes nothing.
CONTENT_TABLES = kinds.CONTENT_TABLES


@dataclass
class VerifyReport:
    """What ``verify`` found."""

    schema_revision: str | None
    expected_revision: str
    audit_rows: int = 0
    problems: list[str] = field(default_factory=list)
    digest: str = ""  # the record file's content (every user can check it)
    clinical_digest: str | None = None  # the clinical file's, when it was attached

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems


def check_audit_chain(conn: Connection) -> tuple[int, list[str]]:
    """Walk the chain; name the first row that was changed or removed."""
    problems: list[str] = []
    expected_seq, prev = 1, GENESIS_HASH
    count = 0
    table = AuditEvent.__table__
    assert isinstance(table, Table)
    # Only the columns the file has: an older schema may lack ones added since.
    present = set(table_columns(conn, table.name))
    columns = [c for c in table.columns if c.name in present]
    for row in conn.execute(select(*columns).order_by(AuditEvent.seq)).mappings():
        count += 1
        seq = row["seq"]
        if seq != expected_seq:
            problems.append(f"audit rows {expected_seq}..{seq - 1} are missing")
            return count, problems
        if row["prev_hash"] != prev:
            problems.append(f"audit row {seq} does not follow row {seq - 1} (removed or replaced)")
            return count, problems
        if audit_hash(prev, audit_fields(row)) != row["hash"]:
            problems.append(f"audit row {seq} ({row['id']}) was changed")
            return count, problems
        expected_seq, prev = seq + 1, row["hash"]
    return count, problems


# The first revision of each file whose change log is sealed with change_hash_v2 (every
# field); an older file, or a backup of one, holds v1 seals until it is migrated.
# Revisions are zero-padded sequence numbers, so they compare as strings.
V2_SEALS_FROM = {"main": "0009", CLINICAL_SCHEMA: "c0003"}


def change_seal(conn: Connection, schema: str) -> ChangeSeal:
    """The formula the change log in ``schema`` ("main" or "clinical") is sealed with."""
    found = None
    if _table_info(conn, "alembic_version", schema):
        found = conn.exec_driver_sql(
            f"SELECT version_num FROM {schema}.alembic_version"
        ).scalar_one_or_none()
    return change_hash_v1 if found is not None and found < V2_SEALS_FROM[schema] else change_hash


def check_change_log(conn: Connection) -> list[str]:
    """Every change-log entry still matches its hash (first few mismatches named)."""
    problems: list[str] = []
    logs: list[tuple[str, ChangeTable, str]] = [("change log", ChangeLogEntry, "main")]
    if clinical_attached(conn):
        logs.append(("clinical change log", ClinicalChange, CLINICAL_SCHEMA))
    for name, log, schema in logs:
        seal = change_seal(conn, schema)
        table = log.__table__
        assert isinstance(table, Table)
        for row in conn.execute(select(table).order_by(log.origin, log.seq)).mappings():
            if seal(row) != row["hash"]:
                problems.append(f"{name} entry {row['origin']}/{row['seq']} was changed")
                if len(problems) >= 5:
                    return problems
    return problems


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _prefix(schema: str | None) -> str:
    return "" if schema is None else f"{schema}."


def _table_info(conn: Connection, table: str, schema: str | None = None) -> list[tuple[str, int]]:
    """(column, position in the primary key or 0) as the file has them.

    ``schema`` None: wherever SQLite finds the table (the record file first, then the
    clinical file when attached), as an unqualified query would.
    """
    rows = conn.exec_driver_sql(f"PRAGMA {_prefix(schema)}table_info({_quoted(table)})")
    return [(str(row[1]), int(row[5])) for row in rows]


def table_columns(conn: Connection, table: str) -> list[str]:
    """The columns ``table`` has in this file, in order (empty when it does not exist)."""
    return [name for name, _pk in _table_info(conn, table)]


def _table_rows(
    conn: Connection, table: str, schema: str | None = None
) -> Iterator[dict[str, Any]]:
    """Every row as stored, in primary-key order, without its null fields."""
    info = _table_info(conn, table, schema)
    if not info:  # not in this file (an older schema)
        return
    columns = [name for name, _pk in info]
    key = [name for name, pk in sorted(info, key=lambda c: c[1]) if pk] or ["rowid"]
    query = (
        f"SELECT {', '.join(map(_quoted, columns))} FROM {_prefix(schema)}{_quoted(table)} "
        f"ORDER BY {', '.join(map(_quoted, key))}"
    )
    for values in conn.exec_driver_sql(query):
        yield {c: v for c, v in zip(columns, values, strict=True) if v is not None}


# Columns that only repeat others in a searchable form (migration 0007 derives them from
# the numbers already stored): left out, so deriving them changes no digest.
DERIVED_COLUMNS: dict[str, frozenset[str]] = {"patient": frozenset({"phone_key", "mobile_key"})}


def content_digest(conn: Connection, schema: str | None = None) -> str:
    """SHA-256 over every content row as stored, whatever the schema revision.

    Tables of CONTENT_TABLES in name order (so the list's order does not matter): each
    one that exists and has rows contributes ``#name``, then one canonical JSON object per
    row in primary-key order holding the columns the file has, null fields left out;
    absent and empty tables contribute nothing. So a migration that only adds tables or
    nullable columns leaves the digest unchanged. ``schema`` "main" or "clinical" limits
    it to one file; None takes each table wherever it is (both files, for a clinician).
    """
    digest = hashlib.sha256()
    for name in sorted(CONTENT_TABLES):
        derived = DERIVED_COLUMNS.get(name, frozenset())
        for index, fields in enumerate(_table_rows(conn, name, schema)):
            if index == 0:
                digest.update(f"#{name}\n".encode())
            kept = {key: value for key, value in fields.items() if key not in derived}
            digest.update(canonical_json(kept).encode("utf-8") + b"\n")
    return digest.hexdigest()


def verify_connection(conn: Connection, expected_revision: str | None = None) -> VerifyReport:
    """Integrity, schema revision (the newest unless told), audit chain and digest."""
    expected = head_revision() if expected_revision is None else expected_revision
    report = VerifyReport(current_revision(conn), expected)
    report.problems.extend(check_pages(conn))
    if report.schema_revision != report.expected_revision:
        report.problems.append(
            f"schema {report.schema_revision} but expected {report.expected_revision}"
        )
    report.audit_rows, chain_problems = check_audit_chain(conn)
    report.problems.extend(chain_problems)
    report.problems.extend(check_change_log(conn))
    present = {k.name: set(table_columns(conn, k.name)) for k in kinds.ENTRY_KINDS}
    split = bool(table_columns(conn, "clinical_change"))
    report.problems.extend(check_entry_seals(conn, present, split=split))
    report.digest = content_digest(conn, "main")
    if clinical_attached(conn):
        report.problems.extend(check_clinical_file(conn))
        report.clinical_digest = content_digest(conn, CLINICAL_SCHEMA)
    return report


def check_pages(conn: Connection) -> list[str]:
    """SQLCipher's page check and SQLite's integrity check of the record file (and of
    every index and table SQLite reaches through it)."""
    problems = []
    for pragma in ("cipher_integrity_check", "integrity_check"):
        rows = [r[0] for r in conn.execute(text(f"PRAGMA {pragma}"))]
        if rows and rows != ["ok"]:
            problems.append(f"{pragma}: {'; '.join(str(r) for r in rows[:5])}")
    return problems


def check_clinical_file(conn: Connection) -> list[str]:
    """SQLCipher's page check and the revision of the attached clinical file."""
    problems = []
    rows = [r[0] for r in conn.exec_driver_sql(f"PRAGMA {CLINICAL_SCHEMA}.cipher_integrity_check")]
    if rows and rows != ["ok"]:
        problems.append(f"clinical file: {'; '.join(str(r) for r in rows[:5])}")
    found = conn.exec_driver_sql(
        f"SELECT version_num FROM {CLINICAL_SCHEMA}.alembic_version"
    ).scalar_one_or_none()
    if found != clinical_head_revision():
        problems.append(f"clinical file at schema {found}, expected {clinical_head_revision()}")
    return problems
