"""Applying the common case of a batch in bulk: new rows, inserted many at a time.

Most of what a peer sends is new: a signed entry created once, a row of demographics or
agenda created and not yet touched elsewhere. Applied one by one, each such entry cost
seven SQL statements built one at a time, and an initial sync ran at a few hundred
entries a second (docs/benchmarks.md, 2026-12-05). Here the log rows of a batch go in
with one ``executemany`` per stream, and the new rows with one per table, parents'
tables before their children's (the metadata's dependency order).

Nothing is decided differently from the one-by-one path of ``apply.py``: a row that
already exists, a row of a kind updated in place whose log holds other entries, or a
table that refuses the rows (a parent not here yet, a duplicate) sends its entries back
to that path, in their order, which then keeps, flags or applies each as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Dialect, Table, func, insert, select, tuple_
from sqlalchemy.exc import IntegrityError

from app.records.kinds import BY_NAME, Kind, Shape
from app.records.log_codec import pack
from app.records.model import Base
from app.sync.log import ENTRY_FIELDS, Entry, Stream, primary_key

# Kinds whose insertion does more than insert a row (codes re-imported, a double booking
# flagged): always applied one by one. A patient goes in bulk: one whose codice fiscale
# is held already is refused by the table's unique index, and the batch's rows then go
# one by one, where the code's holder is settled (``merges.Merges._one_holder_per_code``).
ONE_BY_ONE = frozenset({"appointment", "code_import"})
LOOKUP_CHUNK = 500  # ids per IN (...) lookup, under SQLite's variable limit
_PAYLOAD = ENTRY_FIELDS.index("payload")
# Parents' tables before their children's, so that one table's rows go in before the
# rows of the tables that point at them.
_TABLE_ORDER = {table.name: index for index, table in enumerate(Base.metadata.sorted_tables)}


def can_bulk(kind: Kind, entry: Entry) -> bool:
    """Whether the entry is a creation that may be inserted in bulk."""
    return entry.op == "create" and kind.name not in ONE_BY_ONE and kind.shape in (
        Shape.ENTRY, Shape.RECORD)


@dataclass
class _NewRow:
    kind: Kind
    entry: Entry
    values: dict[str, Any]


@dataclass
class Bulk:
    """The log rows and new rows of a batch waiting to be written together."""

    conn: Connection
    stream: Stream
    log_rows: list[tuple[Any, ...]] = field(default_factory=list)
    new_rows: list[_NewRow] = field(default_factory=list)
    _ids: set[tuple[str, str]] = field(default_factory=set)

    def add_log_row(self, entry: Entry) -> None:
        row = entry.as_wire()
        # As the log's column stores it: as it came when it came packed (``from_wire``
        # unpacked those very bytes to check the seal), else packed here.
        row[_PAYLOAD] = entry.stored if entry.stored is not None else pack(entry.payload)
        self.log_rows.append(tuple(row))

    def add_new_row(self, kind: Kind, entry: Entry, values: dict[str, Any]) -> bool:
        """Queue a new row; False when the batch already creates that row (one by one)."""
        key = (kind.name, entry.entity_id)
        if key in self._ids:
            return False
        self._ids.add(key)
        self.new_rows.append(_NewRow(kind, entry, values))
        return True

    def flush(self, one_by_one: Callable[[Entry], None]) -> list[Entry]:
        """Write what is queued; the entries inserted in bulk, in their order. The others
        are handed to ``one_by_one`` in the order they came."""
        if self.log_rows:
            # Straight to the driver (the payload packed above): building each row's
            # parameters through SQLAlchemy was a fifth of the time of applying a batch.
            self.conn.exec_driver_sql(_log_insert(self.stream), self.log_rows)
            self.log_rows = []
        queued, self.new_rows, self._ids = self.new_rows, [], set()
        if not queued:
            return []
        fresh = self._fresh(queued)
        inserted = self._insert(fresh)
        done = {id(row) for row in inserted}
        for row in queued:
            if id(row) not in done:
                one_by_one(row.entry)
        return [row.entry for row in inserted]

    def _fresh(self, queued: Sequence[_NewRow]) -> list[_NewRow]:
        """The queued rows that are new for sure: no row with their key, and (for a kind
        updated in place) no other entry of that row in the log."""
        existing: set[tuple[str, str]] = set()
        by_kind: dict[str, list[_NewRow]] = {}
        for row in queued:
            by_kind.setdefault(row.kind.name, []).append(row)
        for name, rows in by_kind.items():
            kind = BY_NAME[name]
            key = kind.table.c[primary_key(kind)]
            ids = [row.entry.entity_id for row in rows]
            for start in range(0, len(ids), LOOKUP_CHUNK):
                found = self.conn.execute(select(key).where(
                    key.in_(ids[start:start + LOOKUP_CHUNK]))).scalars()
                existing.update((name, entity_id) for entity_id in found)
        in_place = [(row.kind.name, row.entry.entity_id) for row in queued
                    if row.kind.shape is Shape.RECORD]
        table = self.stream.table
        for start in range(0, len(in_place), LOOKUP_CHUNK):
            chunk = in_place[start:start + LOOKUP_CHUNK]
            found_rows = self.conn.execute(
                select(table.entity, table.entity_id)
                .where(tuple_(table.entity, table.entity_id).in_(chunk))
                .group_by(table.entity, table.entity_id)
                .having(func.count() > 1)).all()
            existing.update((entity, entity_id) for entity, entity_id in found_rows)
        return [row for row in queued if (row.kind.name, row.entry.entity_id) not in existing]

    def _insert(self, rows: Sequence[_NewRow]) -> list[_NewRow]:
        """Insert the rows table by table, parents first; none of them when a table
        refuses one (they all go one by one then)."""
        by_table: dict[str, list[_NewRow]] = {}
        tables: dict[str, Table] = {}
        for row in rows:
            by_table.setdefault(row.kind.table.name, []).append(row)
            tables[row.kind.table.name] = row.kind.table
        order = sorted(by_table, key=lambda name: _TABLE_ORDER.get(name, len(_TABLE_ORDER)))
        savepoint = self.conn.begin_nested()
        try:
            for name in order:
                for shape in _same_columns(by_table[name]):
                    _insert_many(self.conn, tables[name], [row.values for row in shape])
        except IntegrityError:
            savepoint.rollback()
            return []
        savepoint.commit()
        return [row for name in order for row in by_table[name]]


def _log_insert(stream: Stream) -> str:
    """The INSERT of one log row, columns in wire order, with positional parameters."""
    table = stream.table.__table__
    assert isinstance(table, Table)
    return (f"INSERT INTO {table.name} ({', '.join(ENTRY_FIELDS)}) "
            f"VALUES ({', '.join('?' * len(ENTRY_FIELDS))})")


def _insert_many(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows that set the same columns, straight to the driver: each value goes
    through its column's bind processor, as SQLAlchemy would, without building every
    row's parameters through the compiler (most of the time of a bulk insert). A shape
    that leaves out a column with a default of Python's goes through SQLAlchemy."""
    plan = _insert_plan(conn.dialect, table, tuple(sorted(rows[0])))
    if plan is None:
        conn.execute(insert(table), rows)
        return
    sql, values_of, processors = plan
    params: list[tuple[Any, ...]] = []
    for row in rows:
        values = values_of(row)
        if processors:
            converted = list(values)
            for index, process in processors:
                converted[index] = process(converted[index])
            values = tuple(converted)
        params.append(values)
    conn.exec_driver_sql(sql, params)


@dataclass(frozen=True)
class _Plan:
    sql: str  # the INSERT, positional parameters
    values_of: Callable[[dict[str, Any]], tuple[Any, ...]]  # a row's values in its order
    processors: tuple[tuple[int, Callable[[Any], Any]], ...]  # (index, bind processor)

    def __iter__(self) -> Iterator[Any]:
        return iter((self.sql, self.values_of, self.processors))


_PLANS: dict[tuple[str, tuple[str, ...]], _Plan | None] = {}


def _insert_plan(dialect: Dialect, table: Table, columns: tuple[str, ...]) -> _Plan | None:
    """How to insert rows setting ``columns`` through the driver, or None when
    SQLAlchemy must fill a column left out (a default computed in Python)."""
    key = (table.name, columns)
    if key not in _PLANS:
        missing_default = any(column.default is not None for column in table.columns
                              if column.name not in columns)
        processors = tuple(
            (index, process) for index, name in enumerate(columns)
            if (process := table.c[name].type._cached_bind_processor(dialect)) is not None)
        getter = itemgetter(*columns)
        _PLANS[key] = None if missing_default or not columns else _Plan(
            f"INSERT INTO {table.name} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})",
            getter if len(columns) > 1 else lambda row: (getter(row),), processors)
    return _PLANS[key]


def _same_columns(rows: Sequence[_NewRow]) -> list[list[_NewRow]]:
    """The rows grouped by the columns they set (one executemany needs one shape)."""
    groups: dict[tuple[str, ...], list[_NewRow]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row.values)), []).append(row)
    return list(groups.values())
