"""The chart's hot path: current, visible entries of one kind straight from the driver.

A heavy chart is 8,000 entries. Going through SQLAlchemy's result rows, then a dict per
row, then a second dict per view cost about a third of a chart open; here each kind's
SELECT is compiled once, the driver's tuples are filtered (newest version of each
lineage, oscuramento, entered in error) before anything is built, and only the entries
shown become views, their values converted by the columns' own result processors, so
the values are exactly what the ORM path returns (a test compares the two).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.engine import Dialect

from app.records.model import EntryStatus
from app.records.services.entries import CHART_SKIPPED, COMMON, table_of
from app.records.services.views import EntryView

Processor = Callable[[Any], Any] | None
_ERROR = EntryStatus.ENTERED_IN_ERROR.value


@dataclass(frozen=True)
class _Plan:
    """One kind's compiled SELECT and where each column lands."""

    sql: str
    position: dict[str, int]
    processors: dict[str, Processor]
    fields: tuple[tuple[str, int, Processor], ...]


@functools.cache
def _plan(kind: str, dialect: Dialect, since: bool = False) -> _Plan:
    table = table_of(kind)
    columns = [c for c in table.columns if c.key not in CHART_SKIPPED]
    statement = select(*columns).where(table.c.patient_id == bindparam("patient_id"))
    if since:  # only the versions recorded from a moment on (a refresh)
        statement = statement.where(table.c.recorded_at >= bindparam("since"))
    sql = str(statement.compile(dialect=dialect))
    processors: dict[str, Processor] = {
        c.key: c.type._cached_result_processor(dialect, None)  # SQLAlchemy's own converter
        for c in columns
    }
    position = {c.key: i for i, c in enumerate(columns)}
    fields = tuple((c.key, position[c.key], processors[c.key])
                   for c in columns if c.key not in COMMON)
    return _Plan(sql, position, processors, fields)


def _value(processor: Processor, value: Any) -> Any:
    return value if processor is None or value is None else processor(value)


def _newest(conn: Connection, plan: _Plan, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """The newest fetched version of each lineage, as the driver's tuples."""
    pos = plan.position
    lineage, version = pos["lineage_id"], pos["version"]
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        rows = cursor.execute(plan.sql, params).fetchall()
    finally:
        cursor.close()
    newest: dict[str, tuple[Any, ...]] = {}
    for row in rows:
        kept = newest.get(row[lineage])
        if kept is None or row[version] > kept[version]:
            newest[row[lineage]] = row
    return list(newest.values())


def _views(kind: str, plan: _Plan, rows: list[tuple[Any, ...]],
           user_id: str | None) -> tuple[list[EntryView], set[str]]:
    """Views of the rows the user may see and that are not in error; and the lineages
    of the others (gone from the chart)."""
    pos = plan.position
    lineage, version = pos["lineage_id"], pos["version"]
    hidden, author, status = pos["hidden"], pos["author_id"], pos["status"]
    recorded, reason, ident = pos["recorded_at"], pos["correction_reason"], pos["id"]
    hidden_of = plan.processors["hidden"]
    recorded_of = plan.processors["recorded_at"]
    views = []
    gone: set[str] = set()
    for row in rows:
        is_hidden = bool(_value(hidden_of, row[hidden]))
        if (is_hidden and row[author] != user_id) or row[status] == _ERROR:
            gone.add(row[lineage])
            continue
        fields = {key: _value(proc, row[i]) for key, i, proc in plan.fields}
        views.append(EntryView(kind, row[ident], row[lineage], row[version], row[status],
                               row[author], _value(recorded_of, row[recorded]), fields,
                               row[reason], is_hidden))
    return views, gone


def chart_views(conn: Connection, kind: str, patient_id: str,
                user_id: str | None) -> list[EntryView]:
    """The current version of every entry of ``kind`` the user may see, not in error."""
    plan = _plan(kind, conn.dialect)
    return _views(kind, plan, _newest(conn, plan, (patient_id,)), user_id)[0]


def chart_changes(conn: Connection, kind: str, patient_id: str, user_id: str | None,
                  since: datetime) -> tuple[list[EntryView], set[str]]:
    """What changed in ``kind`` from ``since`` on: the entries to show now (new ones and
    new versions), and the lineages to take away (entered in error, hidden)."""
    plan = _plan(kind, conn.dialect, since=True)
    bind = table_of(kind).c.recorded_at.type._cached_bind_processor(conn.dialect)
    at = bind(since) if bind is not None else since
    return _views(kind, plan, _newest(conn, plan, (patient_id, at)), user_id)
