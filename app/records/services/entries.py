"""Reading and writing versioned clinical entries, shared by the chart and clinical services."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, insert, select

from app.core.clock import new_id
from app.core.errors import InvalidInput, NotFound
from app.records import kinds
from app.records.services.views import EntryView

COMMON = frozenset(
    {
        "id",
        "lineage_id",
        "version",
        "supersedes_id",
        "correction_reason",
        "status",
        "hidden",
        "author_id",
        "recorded_at",
        "signed_at",
        "patient_id",
    }
)
# Large payloads stay out of chart reads; they are fetched one at a time.
BLOB_COLUMNS = frozenset({"content", "text_content"})
_NOT_FIELDS = COMMON | BLOB_COLUMNS


def table_of(kind: str) -> Table:
    """The table behind an entry kind (InvalidInput for anything else)."""
    return kinds.entry_kind(kind).table


def specific_columns(kind: str) -> list[str]:
    """The columns that belong to one kind (not the shared version columns)."""
    return [c.key for c in table_of(kind).columns if c.key not in COMMON]


def check_fields(kind: str, fields: Mapping[Any, Any]) -> None:
    """Refuse unknown or missing required fields with a clear message."""
    table = table_of(kind)
    allowed = set(specific_columns(kind))
    unknown = set(fields) - allowed
    if unknown:
        raise InvalidInput(detail=f"{kind}: unknown fields {', '.join(sorted(unknown))}")
    for column in table.columns:
        required = not column.nullable and column.default is None
        if column.key in allowed and required and fields.get(column.key) in (None, ""):
            raise InvalidInput(detail=f"{kind}: {column.key} is required")


def insert_version(
    conn: Connection, kind: str, patient_id: str, fields: Mapping[Any, Any], base: Mapping[Any, Any]
) -> dict[str, Any]:
    """Insert one signed version; ``base`` carries lineage, version, status and author."""
    row = dict(fields) | dict(base) | {"id": new_id(), "patient_id": patient_id}
    row.setdefault("lineage_id", row["id"])
    conn.execute(insert(table_of(kind)).values(**row))
    return row


def load_version(conn: Connection, kind: str, entry_id: str) -> dict[str, Any]:
    """One version by id, or NotFound."""
    table = table_of(kind)
    row = conn.execute(select(table).where(table.c.id == entry_id)).mappings().first()
    if row is None:
        raise NotFound(what=f"{kind} {entry_id}")
    return dict(row)


def latest_version(conn: Connection, kind: str, lineage_id: str) -> dict[str, Any]:
    """The newest version of a lineage."""
    table = table_of(kind)
    row = (
        conn.execute(
            select(table).where(table.c.lineage_id == lineage_id).order_by(table.c.version.desc())
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound(what=f"{kind} {lineage_id}")
    return dict(row)


def to_view(kind: str, row: Mapping[Any, Any]) -> EntryView:
    """A plain view of one version."""
    fields = {k: v for k, v in row.items() if k not in _NOT_FIELDS}
    return EntryView(
        kind=kind,
        id=row["id"],
        lineage_id=row["lineage_id"],
        version=row["version"],
        status=row["status"],
        author_id=row["author_id"],
        recorded_at=row["recorded_at"],
        fields=fields,
        correction_reason=row["correction_reason"],
        hidden=bool(row["hidden"]),
    )


def visible_to(row: Mapping[Any, Any], user_id: str | None) -> bool:
    """Oscuramento: a hidden entry exists only for its author, without a trace for others."""
    return not row["hidden"] or row["author_id"] == user_id


def current_rows(rows: Iterable[Mapping[Any, Any]]) -> list[Mapping[Any, Any]]:
    """Keep the newest version of each lineage."""
    newest: dict[str, Mapping[Any, Any]] = {}
    for row in rows:
        kept = newest.get(row["lineage_id"])
        if kept is None or row["version"] > kept["version"]:
            newest[row["lineage_id"]] = row
    return list(newest.values())


# Chart reads skip what a view never shows: blobs, and columns the view rebuilds.
CHART_SKIPPED = BLOB_COLUMNS | {"signed_at", "patient_id", "supersedes_id"}


def chart_rows(conn: Connection, kind: str, patient_id: str) -> list[dict[str, Any]]:
    """All versions of one kind for a patient, as plain dicts, without blobs."""
    table = table_of(kind)
    columns = [c for c in table.columns if c.key not in CHART_SKIPPED]
    keys = [c.key for c in columns]
    result = conn.execute(select(*columns).where(table.c.patient_id == patient_id))
    return [dict(zip(keys, row, strict=True)) for row in result.all()]


def sort_key(kind: str) -> str:
    """The column a kind is ordered by in the chart (newest first)."""
    return kinds.entry_kind(kind).clinical_time or "recorded_at"


def newest_first(kind: str, views: list[EntryView]) -> list[EntryView]:
    """Order views by their clinical time, newest first."""
    key = sort_key(kind)

    def when(view: EntryView) -> datetime:
        value = view.fields.get(key, view.recorded_at)
        return value if isinstance(value, datetime) else view.recorded_at

    return sorted(views, key=when, reverse=True)

