"""Integrity of a record: SQLCipher page check, schema revision, audit chain, digest."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import Connection, Table, select, text

from app.records.journal import (
    GENESIS_HASH,
    audit_fields,
    audit_hash,
    canonical_json,
    change_hash,
)
from app.records.model import AuditEvent, Base, ChangeLogEntry
from app.records.storage.migrate import current_revision, head_revision

# What the record holds for patients and staff: the digest covers these, not the
# audit trail or the change log, which grow with every read and every backup.
CONTENT_TABLES = (
    "patient",
    "esenzione",
    "consent",
    "encounter",
    "problem",
    "allergy",
    "medication",
    "prescription",
    "observation",
    "vaccination",
    "document",
    "device_recording",
    "care_plan",
    "care_plan_activity",
    "certificate",
    "appointment",
    "user",
    "role",
)


@dataclass
class VerifyReport:
    """What ``verify`` found."""

    schema_revision: str | None
    expected_revision: str
    audit_rows: int = 0
    problems: list[str] = field(default_factory=list)
    digest: str = ""

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems


def check_audit_chain(conn: Connection) -> tuple[int, list[str]]:
    """Walk the chain; name the first row that was changed or removed."""
    problems: list[str] = []
    expected_seq, prev = 1, GENESIS_HASH
    count = 0
    for row in conn.execute(select(AuditEvent.__table__).order_by(AuditEvent.seq)).mappings():
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


def check_change_log(conn: Connection) -> list[str]:
    """Every change-log entry still matches its hash (first few mismatches named)."""
    problems: list[str] = []
    columns = (
        ChangeLogEntry.origin,
        ChangeLogEntry.seq,
        ChangeLogEntry.entity,
        ChangeLogEntry.entity_id,
        ChangeLogEntry.op,
        ChangeLogEntry.payload,
        ChangeLogEntry.hash,
    )
    for *parts, stored in conn.execute(select(*columns)):
        if change_hash(parts) != stored:
            problems.append(f"change log entry {parts[0]}/{parts[1]} was changed")
            if len(problems) >= 5:
                break
    return problems


def content_digest(conn: Connection) -> str:
    """SHA-256 over every content row, in primary-key order."""
    digest = hashlib.sha256()
    for name in CONTENT_TABLES:
        table = Base.metadata.tables[name]
        assert isinstance(table, Table)
        order = list(table.primary_key.columns)
        digest.update(f"#{name}\n".encode())
        for row in conn.execute(select(table).order_by(*order)).mappings():
            digest.update(canonical_json(dict(row)).encode("utf-8"))
            digest.update(b"\n")
    return digest.hexdigest()


def verify_connection(conn: Connection) -> VerifyReport:
    """Integrity, schema revision, audit chain and digest on one connection."""
    report = VerifyReport(current_revision(conn), head_revision())
    for pragma in ("cipher_integrity_check", "integrity_check"):
        rows = [r[0] for r in conn.execute(text(f"PRAGMA {pragma}"))]
        if rows and rows != ["ok"]:
            report.problems.append(f"{pragma}: {'; '.join(str(r) for r in rows[:5])}")
    if report.schema_revision != report.expected_revision:
        report.problems.append(
            f"schema {report.schema_revision} but expected {report.expected_revision}"
        )
    report.audit_rows, chain_problems = check_audit_chain(conn)
    report.problems.extend(chain_problems)
    report.problems.extend(check_change_log(conn))
    report.digest = content_digest(conn)
    return report
