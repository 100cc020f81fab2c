"""Bulk writer: streams a synthetic center into the record with Core inserts in key order."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection, Table, insert

from app.records.journal import append_changes
from app.records.model import Base
from app.records.synthetic.center import CenterGenerator, CenterSpec, History
from app.records.synthetic.chart import TABLE_ORDER, Row


@dataclass
class SyntheticSummary:
    """What was written: rows per table and the ids of the heavy-chart patients."""

    counts: dict[str, int] = field(default_factory=dict)
    heavy_patient_ids: list[str] = field(default_factory=list)
    change_log_entries: int = 0

    @property
    def total_rows(self) -> int:
        """Rows written to the record's tables (change-log entries not counted)."""
        return sum(self.counts.values())


class _BatchWriter:
    """Buffers rows per table; a flush writes the patients first so foreign keys hold."""

    def __init__(self, conn: Connection, batch_size: int, change_log: bool,
                 summary: SyntheticSummary) -> None:
        self.conn = conn
        self.batch_size = batch_size
        self.change_log = change_log
        self.summary = summary
        self.tables: Mapping[str, Table] = {
            name: Base.metadata.tables[name] for name in TABLE_ORDER
        }
        self.buffers: dict[str, list[Row]] = {name: [] for name in TABLE_ORDER}

    def add(self, rows: Mapping[str, list[Row]]) -> None:
        """Queue one patient's rows, writing any table whose buffer is full."""
        for name, table_rows in rows.items():
            self.buffers[name].extend(table_rows)
        for name in TABLE_ORDER:
            if len(self.buffers[name]) >= self.batch_size:
                if name != "patient":
                    self._write("patient")
                self._write(name)

    def flush(self) -> None:
        """Write everything still buffered, in foreign-key order."""
        for name in TABLE_ORDER:
            self._write(name)

    def _write(self, name: str) -> None:
        rows = self.buffers[name]
        if not rows:
            return
        table = self.tables[name]
        self.conn.execute(insert(table), rows)
        if self.change_log:
            (key,) = [column.name for column in table.primary_key.columns]
            self.summary.change_log_entries += append_changes(
                self.conn, [(name, row[key], "create", row) for row in rows]
            )
        self.summary.counts[name] = self.summary.counts.get(name, 0) + len(rows)
        self.buffers[name] = []


def write_center_data(
    conn: Connection,
    *,
    patients: int,
    seed: int,
    gp_ids: list[str],
    nurse_ids: list[str],
    history: History = "full",
    heavy_charts: int = 0,
    batch_size: int = 1000,
    progress: Callable[[int], None] | None = None,
    change_log: bool = True,
    as_of: date | None = None,
    commit_every: int | None = None,
    on_commit: Callable[[Connection], None] | None = None,
    demo_extras: bool = False,
) -> SyntheticSummary:
    """Generate and insert a synthetic center inside the caller's transaction.

    The first ``heavy_charts`` patients get 20 years of dense history. ``progress``
    receives the number of patients written so far (every ``batch_size`` patients and
    at the end). With ``commit_every`` and ``on_commit`` the caller may commit (or
    otherwise checkpoint) after every that many patients; the buffers are flushed
    first so each checkpoint is consistent. The same seed and ``as_of`` give identical
    rows and ids; ``as_of`` defaults to today so appointments fall in the coming weeks.
    ``demo_extras`` files small PDFs in the charts and adds the named demo patient
    (Maggi Emilia, see ``synthetic/showcase.py``): for the demo center, not for benchmarks.
    """
    spec = CenterSpec(
        patients=patients, seed=seed, gp_ids=tuple(gp_ids), nurse_ids=tuple(nurse_ids),
        history=history, heavy_charts=heavy_charts, as_of=as_of or date.today(),
        documents=demo_extras, showcase=demo_extras,
    )
    summary = SyntheticSummary()
    writer = _BatchWriter(conn, batch_size, change_log, summary)
    for done, chart in enumerate(CenterGenerator(spec), start=1):
        writer.add(chart.rows)
        if chart.heavy:
            summary.heavy_patient_ids.append(chart.patient_id)
        if commit_every and on_commit and done % commit_every == 0:
            writer.flush()
            on_commit(conn)
        if progress and done % batch_size == 0:
            progress(done)
    writer.flush()
    if progress:
        progress(patients)
    return summary

