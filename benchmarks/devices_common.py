"""What the device benchmarks share: their center, its patients, series, the script shell.

``benchmarks.devices_astm`` and ``benchmarks.devices_gdt`` each run on a benchmark center
(benchmarks/build.py: the GP ``medico`` and synthetic patients), built for the run or
given with ``--center`` (e.g. one kept by ``python -m benchmarks.run --keep``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event, select

from app.devices.astm.samples import SyntheticPatient
from app.records.model import DeviceMessageRow, Patient
from app.records.services import Records
from benchmarks import build
from benchmarks.report import Check, machine, write_json

USER = "medico"
Measure = Callable[[Path, Path], dict[str, Any]]


def build_center(root: Path, patients: int) -> Path:
    """A benchmark center (benchmarks.build) with ``patients`` synthetic patients."""
    writer, gp_id, nurse_id = build.create_bench_center(root)
    try:
        build.generate(writer, gp_id, nurse_id, patients)
    finally:
        writer.close()
    return root


def center_patients(records: Records, count: int) -> list[SyntheticPatient]:
    """``count`` patients of the center spread over its table, as an analyzer keeps them;
    none the inbox already holds a message for (a center may be measured again)."""
    with records.db.read_engine.connect() as conn:
        used = set(conn.execute(select(DeviceMessageRow.patient_identifier)).scalars())
        rows = [r for r in conn.execute(
            select(Patient.codice_fiscale, Patient.surname, Patient.given_name,
                   Patient.birth_date, Patient.sex).order_by(Patient.id))
            if r.codice_fiscale not in used]
    if len(rows) < count:
        raise RuntimeError(f"the center has {len(rows)} patients without results, not {count}")
    return [SyntheticPatient(r.codice_fiscale, r.surname, r.given_name,
                             r.birth_date.strftime("%Y%m%d") if r.birth_date else "",
                             r.sex or "") for r in rows[::len(rows) // count][:count]]


def patient_count(root: Path) -> int:
    """Patients in the center."""
    records = Records.open(root, USER, build.PASSWORD)
    try:
        with records.db.read_engine.connect() as conn:
            return int(conn.exec_driver_sql("SELECT count(*) FROM patient").scalar_one())
    finally:
        records.close()


def stats(values: list[float]) -> dict[str, float]:
    """n, p50, p95 (inclusive quantiles), max, min, mean; in the values' own unit."""
    if not values:
        return {"n": 0}
    cuts = (statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1
            else [values[0]] * 99)
    return {"n": len(values), "p50": round(cuts[49], 3), "p95": round(cuts[94], 3),
            "max": round(max(values), 3), "min": round(min(values), 3),
            "mean": round(statistics.fmean(values), 3)}


def sleep_wait(condition: Callable[[], bool], seconds: float) -> bool:
    """Wait for ``condition`` (checked every 10 ms) at most ``seconds``."""
    end = time.monotonic() + seconds
    while not condition() and time.monotonic() < end:
        time.sleep(0.01)
    return condition()


@contextmanager
def counting_statements(records: Records) -> Iterator[list[int]]:
    """How many SQL statements the writer connection runs meanwhile (in ``[0]``)."""
    count = [0]

    def counted(*_args: Any) -> None:
        count[0] += 1

    event.listen(records.db.write_engine, "before_cursor_execute", counted)
    try:
        yield count
    finally:
        event.remove(records.db.write_engine, "before_cursor_execute", counted)


def inbox_reader(conn: Any, root: str, wanted: list[str], results: int, poll_s: float,
                 timeout: float) -> None:
    """A separate reader (run it in a process of its own): polls the pending inbox on its
    own ``Records`` until each ``wanted`` patient identifier has ``results`` results.

    Sends "ready" once it can read, then ``{"seen": {identifier: CLOCK_MONOTONIC ns at
    the end of the poll that first saw it}, "poll_ms": ..., "list_inbox_ms": ...}`` when
    every one was seen, ``timeout`` passed or the parent sent anything.
    """
    records = Records.open(Path(root), USER, build.PASSWORD)
    try:
        seen: dict[str, int] = {}
        polls: list[float] = []
        records.inbox.items("pending")
        conn.send("ready")
        end = time.monotonic() + timeout
        while len(seen) < len(wanted) and time.monotonic() < end and not conn.poll():
            start = time.monotonic_ns()
            items = records.inbox.items("pending")
            now = time.monotonic_ns()
            polls.append((now - start) / 1e6)
            counts = Counter(item.patient_identifier for item in items)
            for identifier in wanted:
                if identifier not in seen and counts[identifier] >= results:
                    seen[identifier] = now
            time.sleep(poll_s)
        conn.send({"seen": seen, "poll_ms": stats(polls), "list_inbox_ms": _list_inbox(records)})
    finally:
        records.close()


def _list_inbox(records: Records) -> dict[str, float]:
    """The UI's ``ListInbox`` on the inbox as it is now (names looked up too), 5 times."""
    from app.ui.inbox_ops import ListInbox
    from app.ui.lanes import Backend

    backend = Backend()
    backend.records = records  # no attach: its close would close the reader's records
    times = []
    for _ in range(5):
        start = time.perf_counter()
        rows = ListInbox("pending")(backend).rows
        times.append((time.perf_counter() - start) * 1e3)
    return {**stats(times), "rows": len(rows)}


def center_arguments(parser: argparse.ArgumentParser) -> None:
    """The options every device script takes: where its center comes from, where JSON goes."""
    parser.add_argument("--patients", type=int, default=2000, help="center size (2,000)")
    parser.add_argument("--center", type=Path, help="an existing benchmark center to use")
    parser.add_argument("--workdir", type=Path,
                        help="where the center and files go (a temp dir, removed after)")
    parser.add_argument("--out", type=Path, help="JSON file")


def run_main(args: argparse.Namespace, name: str, run: Measure,
             show: Callable[[dict[str, Any]], str],
             targets: Callable[[dict[str, Any]], list[Check]]) -> int:
    """What both device scripts do around their measurement (center, machine, JSON)."""
    os.environ["MEDIRETE_SCRYPT_LOG_N"] = "14"  # unlock cost only (see benchmarks/run.py)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="medirete-devices-"))
    root = args.center or workdir / "center"
    try:
        if args.center is None:
            print(f"building {args.patients:,} patients in {root}", file=sys.stderr, flush=True)
            build_center(root, args.patients)
        load_before = os.getloadavg()[0]
        measured = run(root, workdir)
        patients = patient_count(root)
    finally:
        if args.workdir is None:  # a temporary center; give --workdir to keep one
            shutil.rmtree(workdir, ignore_errors=True)
    result: dict[str, Any] = {"date_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": machine(), "center": str(root), "patients": patients,
        "load_average_1m": {"before": round(load_before, 2),
                            "after": round(os.getloadavg()[0], 2)},
        name: measured, "targets": [c.as_json() for c in targets(measured)]}
    print(show(measured))
    for check in result["targets"]:
        print(f"  {'met' if check['met'] else 'MISSED':<7} {check['name']}  "
              f"measured {check['measured']:.1f}")
    if args.out:
        write_json(result, args.out)
        print(f"JSON: {args.out}")
    return 0
