"""The audit trail (hash-chained) and the change log, written inside the caller's transaction."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, tuple_, update

from app.core.clock import new_id, utc_now
from app.core.hlc import Timestamp, tick
from app.records.kinds import BY_NAME
from app.records.model import AuditEvent, ChangeLogEntry, ClinicalChange, Meta

GENESIS_HASH = "0" * 64
SCHEMA_VERSION_KEY = "schema_version"
HLC_KEY = "hlc_last"  # the last hybrid timestamp this workstation issued (packed)


@dataclass(frozen=True)
class Actor:
    """Who is acting: the logged-in user on this workstation."""

    user_id: str | None
    username: str
    role: str
    workstation: str


def json_value(value: Any) -> Any:
    """A value as canonical JSON holds it: a date or time as ISO text, bytes as their
    SHA-256; anything else as it is."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    return value


def _json_default(value: object) -> str:
    if isinstance(value, datetime | date | bytes):
        return str(json_value(value))
    raise TypeError(f"cannot serialise {type(value).__name__}")


def canonical_json(data: Mapping[str, Any]) -> str:
    """Deterministic JSON used for hashing and payloads."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), default=_json_default)


def audit_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    """The chained hash of one audit row."""
    return hashlib.sha256((prev_hash + canonical_json(fields)).encode("utf-8")).hexdigest()


def audit_fields(row: Mapping[Any, Any]) -> dict[str, Any]:
    """The columns of an audit row that its hash covers."""
    keys = (
        "seq",
        "id",
        "at",
        "user_id",
        "username",
        "workstation",
        "action",
        "entity",
        "entity_id",
        "patient_id",
        "detail",
    )
    out = {k: row[k] for k in keys}
    at = out["at"]
    if isinstance(at, datetime):
        out["at"] = at.replace(tzinfo=None).isoformat()
    return out


def append_audit(
    conn: Connection,
    actor: Actor,
    action: str,
    *,
    entity: str | None = None,
    entity_id: str | None = None,
    patient_id: str | None = None,
    detail: str = "",
) -> None:
    """Append one audit event chained to the previous one (caller holds the write lock)."""
    last = conn.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
    row: dict[str, Any] = {
        "seq": seq,
        "id": new_id(),
        "at": utc_now(),
        "user_id": actor.user_id,
        "username": actor.username,
        "workstation": actor.workstation,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "patient_id": patient_id,
        "detail": detail,
    }
    row["prev_hash"] = prev
    row["hash"] = audit_hash(prev, audit_fields(row))
    conn.execute(insert(AuditEvent), [row])


def _meta(conn: Connection, key: str) -> str | None:
    return conn.execute(select(Meta.value).where(Meta.key == key)).scalar_one_or_none()


def node_id(conn: Connection) -> str:
    """This record's origin id in the change log."""
    value = _meta(conn, "node_id")
    if value is None:
        raise RuntimeError("record has no node_id")
    return value


# How a change-log entry is sealed. A formula is never edited once released: a new one
# gets a new version and a migration that checks every entry against the old one before
# resealing it (docs/decisions/0022-sync-foundations.md). ``verify`` picks the formula by
# the file's schema revision, so an older record or backup still checks.
ChangeSeal = Callable[[Mapping[Any, Any]], str]

# v1 (schemas up to 0008 and c0002): six fields joined with "|", hlc and schema_version
# left out. Kept only to check entries written before the v2 migrations.
CHANGE_FIELDS_V1 = ("origin", "seq", "entity", "entity_id", "op", "payload")

# v2: every column of the change log but the hash itself, in this order.
CHANGE_FIELDS_V2 = (
    "origin", "seq", "hlc", "schema_version", "entity", "entity_id", "op", "payload",
)
_CHANGE_DOMAIN_V2 = b"medirete change-log entry v2\n"

# The fields new entries are sealed over (a test compares them with the table's columns).
SEALED_CHANGE_FIELDS = CHANGE_FIELDS_V2


def change_hash_v1(entry: Mapping[Any, Any]) -> str:
    """The first seal: ambiguous ("|" inside a field) and blind to hlc and schema_version."""
    return hashlib.sha256("|".join(str(entry[k]) for k in CHANGE_FIELDS_V1).encode()).hexdigest()


def sealed_value(value: object) -> bytes:
    """One SQLite value as a type tag, an 8-byte big-endian length and its bytes.

    Every value SQLite can hold has exactly one encoding and no two values share one
    (the integer 7 and the text "7" differ, and a field can never run into the next).
    """
    if isinstance(value, str):
        tag, data = b"s", value.encode("utf-8")
    elif isinstance(value, int):  # a bool too: SQLite stores it as 0 or 1
        tag, data = b"i", str(int(value)).encode("ascii")
    elif value is None:
        tag, data = b"n", b""
    elif isinstance(value, float):
        tag, data = b"f", repr(value).encode("ascii")
    elif isinstance(value, bytes):
        tag, data = b"b", value
    else:
        raise TypeError(f"a change-log field cannot hold {type(value).__name__}")
    return tag + len(data).to_bytes(8, "big") + data


_NAMES_V2 = tuple((name, sealed_value(name)) for name in CHANGE_FIELDS_V2)


def change_hash_v2(entry: Mapping[Any, Any]) -> str:
    """SHA-256 over a domain tag, then each field of CHANGE_FIELDS_V2 as name and value."""
    parts = [_CHANGE_DOMAIN_V2]
    for name, encoded_name in _NAMES_V2:
        parts += (encoded_name, sealed_value(entry[name]))
    return hashlib.sha256(b"".join(parts)).hexdigest()


def change_hash(entry: Mapping[Any, Any]) -> str:
    """The seal a new change-log entry gets: every field but the hash (v2)."""
    return change_hash_v2(entry)


ChangeTable = type[ChangeLogEntry] | type[ClinicalChange]


def change_table(entity: str) -> ChangeTable:
    """The change log an entity's changes go to: the clinical file's for clinical kinds."""
    kind = BY_NAME.get(entity)
    return ClinicalChange if kind is not None and kind.in_clinical_file else ChangeLogEntry


def append_changes(
    conn: Connection,
    changes: Iterable[tuple[str, str, str, Mapping[str, Any]]],
) -> int:
    """Append (entity, entity_id, op, payload) changes with consecutive sequence numbers.

    Clinical kinds go to the clinical file's change log, the others to the record's; each
    log numbers its own entries.
    """
    by_table: dict[ChangeTable, list[tuple[str, str, str, Mapping[str, Any]]]] = {}
    for change in changes:
        by_table.setdefault(change_table(change[0]), []).append(change)
    return sum(_append_to(conn, table, rows) for table, rows in by_table.items())


def _append_to(
    conn: Connection,
    table: ChangeTable,
    changes: Iterable[tuple[str, str, str, Mapping[str, Any]]],
) -> int:
    origin = node_id(conn)
    schema = _meta(conn, SCHEMA_VERSION_KEY) or ""
    last = conn.execute(
        select(func.max(table.seq)).where(table.origin == origin)
    ).scalar_one_or_none()
    seq = last or 0
    clock = last_timestamp(conn)
    wall_ms = int(utc_now().timestamp() * 1000)
    changes = list(changes)
    latest = _latest_stamps(conn, table, changes)
    rows = []
    for entity, entity_id, op, payload in changes:
        seq += 1
        clock = tick(clock, wall_ms)
        stamp = clock
        above = latest.get((entity, entity_id))
        if above is not None and above >= stamp:
            # The row's last change came from a peer whose clock runs ahead of ours (too
            # far to follow, see app/core/hlc.receive): this change is made after it, so
            # it is ordered after it, on every replica, whatever the clocks say.
            stamp = above.after()
        latest[(entity, entity_id)] = stamp
        row: dict[str, Any] = {
            "origin": origin,
            "seq": seq,
            "hlc": stamp.packed,
            "schema_version": schema,
            "entity": entity,
            "entity_id": entity_id,
            "op": op,
            "payload": canonical_json(payload),
        }
        row["hash"] = change_hash(row)
        rows.append(row)
    if rows:
        conn.execute(insert(table), rows)
        set_meta(conn, HLC_KEY, str(clock.packed))
    return len(rows)


_STAMP_LOOKUP_CHUNK = 500


def _latest_stamps(
    conn: Connection, table: ChangeTable, changes: list[tuple[str, str, str, Mapping[str, Any]]]
) -> dict[tuple[str, str], Timestamp]:
    """The highest timestamp logged so far for each row that ``changes`` update.

    Only updates and deletes are looked up: a create names a new row.
    """
    wanted = sorted({(entity, entity_id) for entity, entity_id, op, _ in changes
                     if op != "create"})
    latest: dict[tuple[str, str], Timestamp] = {}
    for start in range(0, len(wanted), _STAMP_LOOKUP_CHUNK):
        chunk = wanted[start:start + _STAMP_LOOKUP_CHUNK]
        found = conn.execute(
            select(table.entity, table.entity_id, func.max(table.hlc))
            .where(tuple_(table.entity, table.entity_id).in_(chunk))
            .group_by(table.entity, table.entity_id)
        ).all()
        for entity, entity_id, hlc in found:
            if hlc is not None:
                latest[(entity, entity_id)] = Timestamp.unpack(hlc)
    return latest


def last_timestamp(conn: Connection) -> Timestamp:
    """The last hybrid timestamp this record issued (zero for a new record)."""
    stored = _meta(conn, HLC_KEY)
    return Timestamp.unpack(int(stored)) if stored else Timestamp(0)


def append_change(
    conn: Connection, entity: str, entity_id: str, op: str, payload: Mapping[str, Any]
) -> None:
    """Append one change-log entry."""
    append_changes(conn, [(entity, entity_id, op, payload)])


def set_meta(conn: Connection, key: str, value: str) -> None:
    """Insert or replace a metadata value."""
    if _meta(conn, key) is None:
        conn.execute(insert(Meta).values(key=key, value=value))
    else:
        conn.execute(update(Meta).where(Meta.key == key).values(value=value))


def get_meta(conn: Connection, key: str) -> str | None:
    """A metadata value, or None."""
    return _meta(conn, key)
