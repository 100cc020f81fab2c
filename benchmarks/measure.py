"""Timed series: patient search and heavy-chart load, interleaved over the databases."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Connection, Engine, create_engine, event

from app.records import kinds
from app.records.services import Records, entries
from app.records.services.patients import run_search
from app.records.storage.center import CenterPaths, Database
from app.records.storage.engine import open_plain_engine


@dataclass
class Series:
    """One timed series: wall and CPU milliseconds per call, plus rows returned."""

    samples_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    rows_returned: list[int] = field(default_factory=list)

    def stats(self) -> dict[str, float]:
        """Wall p50/p95/p99 (inclusive quantiles), mean, min, max; CPU p50/p95; mean rows."""
        wall = statistics.quantiles(self.samples_ms, n=100, method="inclusive")
        cpu = statistics.quantiles(self.cpu_ms, n=100, method="inclusive")
        return {
            "n": len(self.samples_ms),
            "p50_ms": round(wall[49], 4),
            "p95_ms": round(wall[94], 4),
            "p99_ms": round(wall[98], 4),
            "mean_ms": round(statistics.fmean(self.samples_ms), 4),
            "min_ms": round(min(self.samples_ms), 4),
            "max_ms": round(max(self.samples_ms), 4),
            "cpu_p50_ms": round(cpu[49], 4),
            "cpu_p95_ms": round(cpu[94], 4),
            "mean_rows": round(statistics.fmean(self.rows_returned), 1),
        }


Call = Callable[[Any], Sequence[Any]]


def interleaved(calls: dict[str, Call], args: Sequence[Any], warmup: int) -> dict[str, Series]:
    """Time ``call(arg)`` on every database for each arg, rotating which goes first.

    Interleaving spreads background load (other processes, disk) evenly over the
    databases, so their ratio stays fair on a busy machine. ``warmup`` args run untimed.
    """
    for arg in args[:warmup]:
        for call in calls.values():
            call(arg)
    names = list(calls)
    series = {name: Series() for name in names}
    for i, arg in enumerate(args):
        for name in names[i % len(names):] + names[: i % len(names)]:
            wall, cpu = time.perf_counter_ns(), time.thread_time_ns()
            result = calls[name](arg)
            series[name].cpu_ms.append((time.thread_time_ns() - cpu) / 1e6)
            series[name].samples_ms.append((time.perf_counter_ns() - wall) / 1e6)
            series[name].rows_returned.append(len(result))
    return series


def search_texts(engine: Engine, count: int, seed: int) -> tuple[list[str], list[str]]:
    """Seeded search texts: 2-4 letter surname prefixes and full codici fiscali of patients."""
    with engine.connect() as conn:
        people = conn.exec_driver_sql(
            "SELECT surname, codice_fiscale FROM patient ORDER BY id").all()
    rng = random.Random(seed)
    prefixes = [rng.choice(people)[0][: rng.randint(2, 4)] for _ in range(count)]
    codes = [rng.choice(people)[1] for _ in range(count)]
    return prefixes, codes


def search_series(engines: dict[str, Engine], texts: list[str],
                  warmup: int) -> tuple[dict[str, Series], dict[str, list[tuple[str, ...]]]]:
    """run_search on one reused connection per database, as the service runs it.

    Also returns the patient ids each database found, to check they agree.
    """
    found: dict[str, list[tuple[str, ...]]] = {name: [] for name in engines}
    with ExitStack() as stack:
        conns = {name: stack.enter_context(e.connect()) for name, e in engines.items()}

        def searcher(name: str) -> Call:
            def search(text: str) -> list[Any]:
                result = run_search(conns[name], text, limit=50)
                found[name].append(tuple(p.id for p in result))
                return result
            return search

        series = interleaved({name: searcher(name) for name in conns}, texts, warmup)
    return series, {name: ids[warmup:] for name, ids in found.items()}


def service_search_series(records: Records, texts: list[str], warmup: int) -> Series:
    """The full service: permission check, read engine connection, snapshot, search."""
    return interleaved({"service": records.patients.search}, texts, warmup)["service"]


def chart_series(sessions: dict[str, Records], patient_id: str,
                 loads: int) -> tuple[dict[str, Series], dict[str, float]]:
    """``records.chart.open`` repeatedly (each one audited); also each first load's ms."""
    first_ms = {}
    for name, records in sessions.items():
        start = time.perf_counter_ns()
        records.chart.open(patient_id)
        first_ms[name] = (time.perf_counter_ns() - start) / 1e6

    def loader(records: Records) -> Call:
        def load(pid: str) -> list[Any]:
            chart = records.chart.open(pid)
            return [e for views in chart.entries.values() for e in views]
        return load

    calls = {name: loader(records) for name, records in sessions.items()}
    return interleaved(calls, [patient_id] * loads, warmup=0), first_ms


def chart_query_series(engines: dict[str, Engine], patient_id: str,
                       loads: int) -> dict[str, Series]:
    """Only the chart's SELECTs (entries.chart_rows per kind): the SQL share of a load."""
    with ExitStack() as stack:
        conns = {name: stack.enter_context(e.connect()) for name, e in engines.items()}

        def selector(conn: Connection) -> Call:
            def select_all(pid: str) -> list[Any]:
                with conn.begin():
                    return [r for kind in kinds.ENTRY_NAMES
                            for r in entries.chart_rows(conn, kind, pid)]
            return select_all

        calls = {name: selector(conn) for name, conn in conns.items()}
        return interleaved(calls, [patient_id] * loads, warmup=1)


def chart_raw_series(engines: dict[str, Engine], patient_id: str,
                     loads: int) -> dict[str, Series]:
    """The same rows through the bare DB-API cursor: the floor SQLite (and the cipher) set."""
    tables = [entries.table_of(kind).name for kind in kinds.ENTRY_NAMES]
    raws = [engine.raw_connection() for engine in engines.values()]
    try:

        def fetcher(raw: Any) -> Call:
            def fetch_all(pid: str) -> list[Any]:
                cursor = raw.cursor()
                try:
                    return [r for t in tables for r in cursor.execute(
                        f'SELECT * FROM "{t}" WHERE patient_id = ?', (pid,)).fetchall()]
                finally:
                    cursor.close()
            return fetch_all

        calls = {name: fetcher(raw) for name, raw in zip(engines, raws, strict=True)}
        return interleaved(calls, [patient_id] * loads, warmup=1)
    finally:
        for raw in raws:
            raw.close()


def chart_entry_counts(records: Records, patient_id: str) -> dict[str, int]:
    """Current entries of each kind in the heavy chart, as the GP sees them."""
    chart = records.chart.open(patient_id)
    return {kind: len(views) for kind, views in chart.entries.items() if views}


def records_on(write: Engine, read: Engine, plain_path: Path, like: Records) -> Records:
    """The same services over the plain copy (same user, same code, no encryption)."""
    # The plain copy holds both files' tables in one: the session reads clinical content
    # like the GP's (clinical_key set) without an attached file or a gate.
    db = Database(CenterPaths(plain_path.parent), like.db.db_key, like.db.center_id, write, read,
                  clinical_key=like.db.clinical_key)
    return Records(db, like.user, "bench")


def plain_records(plain_path: Path, like: Records) -> Records:
    """Services on the plain copy through Python's sqlite3 (open_plain_engine)."""
    return records_on(open_plain_engine(plain_path),
                      open_plain_engine(plain_path, writer=False), plain_path, like)


def unkeyed_records(plain_path: Path, like: Records) -> Records:
    """Services on the plain copy through the sqlcipher3 library without a key."""
    return records_on(open_unkeyed_engine(plain_path),
                      open_unkeyed_engine(plain_path, writer=False), plain_path, like)


def open_unkeyed_engine(plain_path: Path, *, writer: bool = True) -> Engine:
    """The plain copy read through the sqlcipher3 library with no key.

    Same SQLite build as the record (version, compile options, cache size), no
    encryption: separates the cost of the cipher from the difference between SQLite
    builds. Pragmas as in open_plain_engine.
    """
    engine = create_engine(f"sqlite:///{plain_path}", module=sqlcipher3.dbapi2)

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        for pragma in ("journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON"):
            dbapi_conn.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")

    return engine
