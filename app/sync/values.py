"""Column values from a change-log payload: dates parsed, blobs resolved and checked.

A payload is JSON: dates and times travel as ISO text and bytes as the SHA-256 of a blob
sent beside the log (``app.sync.log``). How each column of a kind is decoded does not
change while the program runs, so the plan is worked out once per kind: applying an
initial sync decodes hundreds of thousands of payloads.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Date, DateTime

from app.records.kinds import Kind
from app.sync.log import binary_columns, blob_hash

_BLOB = "blob"  # a column decoded by looking its hash up among the blobs


def decoded(kind: Kind, fields: Mapping[str, Any], blobs: Mapping[str, bytes], *,
            keep_missing_blobs: bool = False) -> dict[str, Any] | None:
    """Column values from a payload's fields; None when a blob is missing
    (``keep_missing_blobs``: leave that column out instead, as it is in the row)."""
    out: dict[str, Any] = {}
    for name, how in _plan(kind):
        if name not in fields:
            continue
        value = fields[name]
        if value is None:
            out[name] = None
        elif how is _BLOB:
            data = blobs.get(value) if isinstance(value, str) else None
            if data is None or blob_hash(data) != value:
                if keep_missing_blobs:
                    continue
                return None
            out[name] = data
        elif how is None:
            out[name] = value
        else:
            out[name] = how(value)
    return out


def _plan(kind: Kind) -> tuple[tuple[str, Any], ...]:
    """(column, how to decode it) for each column of the kind, in table order: a
    function, ``_BLOB``, or None for a value stored as it travels."""
    plan = _PLANS.get(kind.name)
    if plan is None:
        plan = _PLANS[kind.name] = _planned(kind)
    return plan


_PLANS: dict[str, tuple[tuple[str, Any], ...]] = {}


def _planned(kind: Kind) -> tuple[tuple[str, Any], ...]:
    binary = set(binary_columns(kind))
    plan: list[tuple[str, Any]] = []
    for column in kind.table.columns:
        how: Callable[[object], object] | str | None = None
        if column.name in binary:
            how = _BLOB
        elif isinstance(column.type, DateTime) or _is_datetime(column.type):
            how = _datetime
        elif isinstance(column.type, Date):
            how = _date
        plan.append((column.name, how))
    return tuple(plan)


def _is_datetime(column_type: object) -> bool:
    impl = getattr(column_type, "impl", None)
    return isinstance(impl, DateTime) or impl is DateTime


def _datetime(value: object) -> datetime:
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _date(value: object) -> date:
    return date.fromisoformat(str(value))
