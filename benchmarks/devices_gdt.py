"""1,000 GDT result files imported into the inbox (issue 9): files/s and results/s.

A spirometer program's result folder is filled with realistic GDT 2.1 6310 files, each
written to a temporary and renamed into place as device programs do
(app/devices/sim_gdt.py: FEV1, FVC, FEV1/FVC, PEF and FET of a patient of the center,
with the flow-volume curve CSV it names in 6305). Then, on the same center:

- ``parse_only``: ``read_result_file`` of every file, nothing stored (the baseline);
- ``runner``: the real ``GdtFolderRunner`` delivering into ``records.inbox.receive``, as
  ``medirete-admin device listen --driver gdt`` does (its defaults: a scan every second,
  a file taken once it held still for a second), timed from ``start`` until the last
  file is in the inbox; each file and its curve then move to ``imported/``;
- ``one_by_one``: ``read_result_file`` + ``receive`` for each file of a second folder, as
  ``medirete-admin device import`` does (without its process start and unlock per file).

    .venv/bin/python -m benchmarks.devices_gdt [--patients 2000 | --center DIR] \
        [--files 1000] [--profile] [--out FILE]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app.devices.gdt import encode_record, request_record, write_atomic
from app.devices.inbox_bridge import read_result_file, to_incoming
from app.devices.results import DeviceMessage, PatientRef
from app.devices.runtime import GdtFolderRunner
from app.devices.sim_gdt import GdtSimOptions, curve_csv, result_record, spirometry_for
from app.records.model import DeviceMessageRow, DeviceResultRow
from app.records.services import Records
from benchmarks import build
from benchmarks.devices_common import (
    USER,
    center_arguments,
    center_patients,
    counting_statements,
    run_main,
    stats,
)
from benchmarks.report import Check

TESTS_PER_FILE = 5  # FEV1, FVC, FEV1/FVC, PEF, FET
POLL_S = SETTLE_S = 1.0  # GdtFolderRunner's defaults, as device listen runs it


def write_results(folder: Path, patients: list[PatientRef], count: int,
                  first: int = 0) -> float:
    """``count`` result files (and their curves) in ``folder``; returns the seconds taken.

    File ``n`` is about patient ``n`` (cycling) and was measured ``first + n`` minutes
    before now, so no two files carry the same bytes (the inbox keeps a resend once).
    """
    folder.mkdir(parents=True, exist_ok=True)
    options = GdtSimOptions()
    now = datetime.now().replace(microsecond=0)
    start = time.perf_counter()
    for n in range(count):
        request = request_record(patients[n % len(patients)], receiver_id=options.device_id)
        when = now - timedelta(minutes=first + n)
        stem = f"{options.device_id}MEDIRETE{first + n:05d}"
        curve = folder / f"{stem}_curve.csv"
        write_atomic(curve, curve_csv(spirometry_for(request, when.date())))
        record = result_record(request, options, when, curve.name)
        write_atomic(folder / f"{stem}.gdt", encode_record(record))
    return time.perf_counter() - start


def gdt_patients(records: Records, count: int) -> list[PatientRef]:
    """Up to ``count`` patients of the center as the GDT request names them."""
    with records.db.read_engine.connect() as conn:
        total = conn.exec_driver_sql("SELECT count(*) FROM patient").scalar_one()
    return [PatientRef(p.codice_fiscale, p.family_name, p.given_name, p.birth_date, p.sex)
            for p in center_patients(records, min(count, total // 2))]


def inbox_counts(records: Records) -> dict[str, int]:
    """GDT messages and results in the inbox, and the results matched to a patient."""
    r, m = DeviceResultRow, DeviceMessageRow
    with records.db.read_engine.connect() as conn:
        messages = conn.execute(select(func.count()).select_from(m)
                                .where(m.driver == "gdt")).scalar_one()
        base = select(func.count()).select_from(r).join(m, m.id == r.message_id)
        results = conn.execute(base.where(m.driver == "gdt")).scalar_one()
        matched = conn.execute(base.where(m.driver == "gdt", r.patient_id.is_not(None))
                               ).scalar_one()
    return {"messages": messages, "results": results, "matched": matched}


def rates(files: int, seconds: float) -> dict[str, float]:
    """Files/s and results/s over ``seconds``."""
    return {"seconds": round(seconds, 3), "files_per_s": round(files / seconds, 1),
            "results_per_s": round(files * TESTS_PER_FILE / seconds, 1)}


def parse_only(folder: Path) -> dict[str, Any]:
    """Read every result file (and its curve), store nothing."""
    paths = sorted(folder.glob("*.gdt"))
    start = time.perf_counter()
    results = sum(len(m.results) for path in paths for m in read_result_file(path))
    elapsed = time.perf_counter() - start
    if results != len(paths) * TESTS_PER_FILE:
        raise RuntimeError(f"{results} results read from {len(paths)} files")
    return rates(len(paths), elapsed)


def runner_import(records: Records, folder: Path, files: int, *, poll: float = POLL_S,
                  settle: float = SETTLE_S) -> dict[str, Any]:
    """The folder runner delivering into the inbox until every file is in."""
    lock = threading.Lock()
    stored: list[float] = []

    def deliver(message: DeviceMessage) -> None:
        with lock:  # one writer at a time, as device listen does
            records.inbox.receive(to_incoming(message))
            stored.append(time.perf_counter())

    before = inbox_counts(records)
    runner = GdtFolderRunner(folder, deliver, poll_interval=poll, settle=settle)
    start = time.perf_counter()
    runner.start()
    end = start + 60 + files  # generous: a file takes milliseconds
    while runner.status.messages < files and time.perf_counter() < end:
        if runner.status.state == "error":
            break
        time.sleep(0.01)
    done = time.perf_counter()
    runner.stop()
    status = runner.status
    if status.messages != files or status.last_error:
        raise RuntimeError(f"the runner handed over {status.messages}/{files}: {status}")
    after = inbox_counts(records)
    imported = len(list((folder / "imported").glob("*.gdt")))
    return {"poll_s": poll, "settle_s": settle, "imported_files": imported,
            "inbox": {k: after[k] - before[k] for k in after},
            "from_start": rates(files, done - start),
            "first_to_last_store": rates(files - 1, stored[-1] - stored[0]),
            "first_store_after_s": round(stored[0] - start, 3)}


def one_by_one(records: Records, folder: Path) -> dict[str, Any]:
    """``device import`` of each file in turn (read, then receive each message)."""
    paths = sorted(folder.glob("*.gdt"))
    before = inbox_counts(records)
    times = []
    with counting_statements(records) as statements:
        start = time.perf_counter()
        for path in paths:
            begun = time.perf_counter()
            for message in read_result_file(path):
                records.inbox.receive(to_incoming(message))
            times.append((time.perf_counter() - begun) * 1e3)
        elapsed = time.perf_counter() - start
    after = inbox_counts(records)
    return {"inbox": {k: after[k] - before[k] for k in after}, **rates(len(paths), elapsed),
            "per_file_ms": stats(times), "sql_statements_per_file": statements[0] / len(paths)}


def profile_import(records: Records, folder: Path) -> str:
    """The one-by-one import of ``folder`` under cProfile: the top of the cumulative list."""
    profiler = cProfile.Profile()
    profiler.enable()
    for path in sorted(folder.glob("*.gdt")):
        for message in read_result_file(path):
            records.inbox.receive(to_incoming(message))
    profiler.disable()
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(30)
    return text.getvalue()


def measure(root: Path, workdir: Path, files: int, *, profile: bool = False,
            poll: float = POLL_S, settle: float = SETTLE_S) -> dict[str, Any]:
    """Write two folders of ``files`` results, parse one, import it, import the other."""
    records = Records.open(root, USER, build.PASSWORD)
    try:
        patients = gdt_patients(records, files * 2)
        watched, single = workdir / "gdt-results", workdir / "gdt-import"
        written = write_results(watched, patients[:len(patients) // 2] or patients, files)
        write_results(single, patients[len(patients) // 2:] or patients, files, first=files)
        sizes = [p.stat().st_size for p in watched.iterdir()]
        result: dict[str, Any] = {
            "files": files, "results_per_file": TESTS_PER_FILE,
            "bytes_per_file_with_curve": round(sum(sizes) / files),
            "writing_s": round(written, 2), "parse_only": parse_only(watched),
            "runner": runner_import(records, watched, files, poll=poll, settle=settle),
            "one_by_one": one_by_one(records, single),
        }
        if profile:  # a third folder: the profiler must not slow the figures above
            extra = workdir / "gdt-profiled"
            write_results(extra, patients, min(files, 200), first=2 * files)
            result["profile"] = profile_import(records, extra)
    finally:
        records.close()
    return result


def checks(result: dict[str, Any]) -> list[Check]:
    """The issue asks for a figure, not a limit: every file and result must be in."""
    found = []
    for name in ("runner", "one_by_one"):
        inbox = result[name]["inbox"]
        expected = result["files"] * TESTS_PER_FILE
        found.append(Check(f"GDT {name}: results missing from the inbox (of {expected})",
                           expected - inbox["results"], 0))
    return found


def report(result: dict[str, Any]) -> str:
    """The printed table."""
    runner = result["runner"]
    rows = [("read and parse only (no store)", result["parse_only"]),
            (f"GdtFolderRunner, from start (scan {runner['poll_s']:g} s, settle "
             f"{runner['settle_s']:g} s)", runner["from_start"]),
            ("GdtFolderRunner, first to last store", runner["first_to_last_store"]),
            ("device import style, one file at a time", result["one_by_one"])]
    lines = [f"GDT: {result['files']:,} spirometry result files "
             f"({result['bytes_per_file_with_curve']:,} bytes with the curve), "
             f"{result['results_per_file']} results each",
             f"{'how':<52} {'seconds':>8} {'files/s':>8} {'results/s':>10}"]
    lines += [f"{label:<52} {r['seconds']:>8.2f} {r['files_per_s']:>8.1f} "
              f"{r['results_per_s']:>10.1f}" for label, r in rows]
    per_file = result["one_by_one"]["per_file_ms"]
    lines.append(f"one file, read + receive: p50 {per_file['p50']:.1f} ms, p95 "
                 f"{per_file['p95']:.1f} ms; in the inbox: runner {runner['inbox']}, "
                 f"one by one {result['one_by_one']['inbox']}")
    lines.append(f"SQL statements per file stored: "
                 f"{result['one_by_one']['sql_statements_per_file']:.0f}")
    if "profile" in result:
        lines.append(result["profile"])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Build (or reuse) a center, measure, print, write JSON; 0 whatever the numbers."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.devices_gdt",
                                     description=__doc__.splitlines()[0])
    center_arguments(parser)
    parser.add_argument("--files", type=int, default=1000, help="result files (1,000)")
    parser.add_argument("--profile", action="store_true", help="profile the one-by-one loop")
    args = parser.parse_args(argv)
    return run_main(args, "gdt", lambda root, workdir: measure(
        root, workdir, args.files, profile=args.profile), report, checks)


if __name__ == "__main__":
    sys.exit(main())
