"""Run the record benchmarks: ``python -m benchmarks.run [--patients N] [--small] [--out FILE]``.

Builds a synthetic center in a real SQLCipher record and a plain SQLite copy of it,
then times patient search and the heavy chart on both; then the front desk on the same
center (launch, login, search as typed, the agenda: see benchmarks/desk.py), the GP's
chart, device results into the inbox (benchmarks/devices_astm.py, devices_gdt.py), and
center sync between workstations (benchmarks/sync.py; its change-log size on this center).
Prints a table, writes JSON, and always exits 0: a missed target is reported (MISSED),
never a failure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.core.heap import settle_after_startup
from app.records.services import Records
from benchmarks import build, devices_astm, devices_gdt, measure, sync
from benchmarks.chart_all import chart_benchmarks, chart_report
from benchmarks.desk import checks as desk_checks
from benchmarks.desk import desk_benchmarks
from benchmarks.desk_report import desk_table
from benchmarks.report import checks, machine, ratios, table, write_json
from benchmarks.ui_measure import ui_chart_series

RESULTS = Path(__file__).resolve().parent / "results"
FULL_PATIENTS = 200_000
SMALL_PATIENTS = 2_000


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--patients", type=int, help=f"patients to generate ({FULL_PATIENTS:,})")
    parser.add_argument("--small", action="store_true",
                        help=f"CI size: {SMALL_PATIENTS:,} patients, fewer repetitions")
    parser.add_argument("--out", type=Path, help="JSON file (results/latest[-small].json)")
    parser.add_argument("--searches", type=int, help="searches per series (1000; small 500)")
    parser.add_argument("--chart-loads", type=int, help="chart loads per series (50; small 30)")
    parser.add_argument("--workdir", type=Path, help="where the databases go (a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--skip-desk", action="store_true",
                        help="only the record benchmarks, not the front desk's")
    parser.add_argument("--skip-chart", action="store_true",
                        help="not the GP's chart benchmarks (open, journal, trends, picker)")
    parser.add_argument("--skip-devices", action="store_true",
                        help="not the device benchmarks (ASTM to the inbox, GDT files)")
    parser.add_argument("--skip-sync", action="store_true",
                        help="not the center sync benchmarks (a source of 1,000,000 log "
                             "entries of their own; small: 3,000)")
    args = parser.parse_args(argv)
    args.patients = args.patients or (SMALL_PATIENTS if args.small else FULL_PATIENTS)
    args.searches = args.searches or (500 if args.small else 1000)
    args.chart_loads = args.chart_loads or (30 if args.small else 50)
    args.out = args.out or RESULTS / ("latest-small.json" if args.small else "latest.json")
    return args


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    """Build, measure, report; 0 whatever the numbers are."""
    args = _arguments(argv)
    # Unlock cost only (scrypt wraps the user keys); the database itself is keyed with
    # the raw 256-bit key, so this setting changes nothing in what is measured.
    os.environ["MEDIRETE_SCRYPT_LOG_N"] = "14"
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="medirete-bench-"))
    try:
        result = _run(args, workdir)
    finally:
        if args.keep:
            _say(f"databases kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print(table(result))
    if "desk" in result:
        print(desk_table(result["desk"]))
    if "chart" in result:
        print(chart_report(result["chart"]))
    if "devices" in result:
        print("\n" + devices_astm.report(result["devices"]["astm"]))
        print("\n" + devices_gdt.report(result["devices"]["gdt"]))
    if "sync" in result:
        print("\n" + sync.report(result["sync"]))
    write_json(result, args.out)
    print(f"\nJSON: {args.out}")
    return 0


def _run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    root = workdir / "center"
    _say(f"building {args.patients:,} patients in {root}")
    writer, gp_id, nurse_id = build.create_bench_center(root)
    generated = build.generate(writer, gp_id, nurse_id, args.patients)
    _say(f"generated in {generated.seconds:.1f} s; VACUUM and plain export")
    plain = build.export_plain(writer, workdir / "plain" / "record.db")
    facts = {"sqlcipher": build.sqlcipher_facts(writer), "plain": build.plain_facts(plain.path)}
    writer.close()
    load_before = os.getloadavg()
    series, heavy = _measure(args, root, plain.path, generated.heavy_patient_id)
    load_after = os.getloadavg()
    _say("admin operations: verify, backup")
    admin_ops = _admin_ops(root, workdir / "backup.mrb")
    desk = None if args.skip_desk else desk_benchmarks(root, args.small)
    # Last: signing visits writes into the center the other figures were measured on.
    chart = (None if args.skip_chart else
             chart_benchmarks(root, generated.heavy_patient_id, args.small, workdir))
    devices = None if args.skip_devices else _devices(root, args.small, workdir)
    # Its own source and replicas; the change log's size measured on this center too.
    synced = None if args.skip_sync else sync.sync_benchmarks(
        workdir / "sync", args.small, log_plains=(plain.path,))
    rows = generated.summary.total_rows
    ratio = ratios(series)
    targets = checks(series, ratio) + (desk_checks(desk) if desk is not None else [])
    if devices is not None:
        targets += devices_astm.checks(devices["astm"]) + devices_gdt.checks(devices["gdt"])
    if synced is not None:
        targets += sync.checks(synced)
    result = {
        "date_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": machine(),
        # Other work on the machine shows up in the wall times (not in the ratios much:
        # the databases are measured interleaved).
        "load_average_1m": {"before": round(load_before[0], 2),
                            "after": round(load_after[0], 2)},
        "patients": args.patients,
        "small": args.small,
        "seed": build.SEED,
        "history": "light (1 year), plus 1 heavy chart (20 years)",
        **facts,
        "generation": {
            "seconds": round(generated.seconds, 2),
            "rows": rows,
            "rows_per_s": round(rows / generated.seconds),
            "change_log_entries": generated.summary.change_log_entries,
            "counts": generated.summary.counts,
            "vacuum_seconds": round(plain.vacuum_seconds, 2),
            "export_seconds": round(plain.export_seconds, 2),
            "sqlcipher_mib": round((root / "record.db").stat().st_size / 2**20, 1),
            "plain_mib": round(plain.path.stat().st_size / 2**20, 1),
            "table_rows": plain.row_counts,
        },
        "heavy_chart": heavy,
        "admin_ops": admin_ops,
        "series": series,
        "ratios": ratio,
        "ui_over_service": _ui_over_service(series),
        "targets": [c.as_json() for c in targets],
    }
    if desk is not None:
        result["desk"] = desk
    if chart is not None:
        result["chart"] = chart
    if devices is not None:
        result["devices"] = devices
    if synced is not None:
        result["sync"] = synced
    return result


def _devices(root: Path, small: bool, workdir: Path) -> dict[str, Any]:
    """An ASTM message of 20 results into the inbox; GDT result files imported (issue 9)."""
    _say("devices: ASTM messages through a pty into the inbox")
    astm = devices_astm.measure(root, workdir / "astm", 5 if small else 30)
    _say("devices: GDT result files imported")
    gdt = devices_gdt.measure(root, workdir / "gdt", 50 if small else 1000)
    return {"astm": astm, "gdt": gdt}


def _ui_over_service(series: dict[str, dict[str, dict[str, float]]]) -> dict[str, float]:
    """The chart through the UI's lanes over the bare service call, same run (p50, p95)."""
    ui, direct = series["chart_open_ui"]["sqlcipher"], series["chart_open"]["sqlcipher"]
    return {stat: round(ui[f"{stat}_ms"] / direct[f"{stat}_ms"], 3) for stat in ("p50", "p95")}


def _admin_ops(root: Path, backup_path: Path) -> dict[str, float]:
    """One timed run each of what the IT person runs nightly: verify and backup."""
    admin = Records.open(root, "admin", build.PASSWORD)
    try:
        start = time.perf_counter()
        report = admin.audit.verify()
        verify_s = time.perf_counter() - start
        if not report.ok:
            raise RuntimeError(f"verify failed: {report.problems}")
        start = time.perf_counter()
        backup = admin.maintenance.backup(backup_path)
        backup_s = time.perf_counter() - start
    finally:
        admin.close()
    backup_path.unlink()
    return {"verify_s": round(verify_s, 1), "backup_s": round(backup_s, 1),
            "backup_mib": round(backup.size / 2**20, 1)}


def _measure(args: argparse.Namespace, root: Path, plain_path: Path,
             heavy_id: str) -> tuple[dict[str, dict[str, dict[str, float]]], dict[str, Any]]:
    gp = Records.open(root, "medico", build.PASSWORD)
    settle_after_startup()  # as the desktop app does once it has started
    others = {"plain": measure.plain_records(plain_path, gp),
              "plain_sqlcipher_lib": measure.unkeyed_records(plain_path, gp)}
    sessions = {"sqlcipher": gp, **others}
    # Searches and bare SELECTs read like the service's reads: on the read engines.
    engines = {db: records.db.read_engine for db, records in sessions.items()}
    try:
        prefixes, codes = measure.search_texts(gp.db.read_engine, args.searches, build.SEED)
        series: dict[str, dict[str, dict[str, float]]] = {}
        for name, texts in (("search_prefix", prefixes), ("search_cf", codes)):
            _say(f"{name}: {len(texts)} searches on each database")
            timed, found = measure.search_series(engines, texts, warmup=20)
            if len({tuple(ids) for ids in found.values()}) != 1:
                raise RuntimeError(f"{name}: the databases returned different patients")
            series[name] = {db: s.stats() for db, s in timed.items()}
        _say("service_search on sqlcipher")
        series["service_search"] = {
            "sqlcipher": measure.service_search_series(gp, prefixes, 20).stats()}
        _say(f"heavy chart: {args.chart_loads} loads on each database")
        charts, first_ms = measure.chart_series(sessions, heavy_id, args.chart_loads)
        series["chart_open"] = {db: s.stats() for db, s in charts.items()}
        _say(f"heavy chart from the UI's point of view: {args.chart_loads} loads")
        series["chart_open_ui"] = {"sqlcipher": ui_chart_series(
            root, "medico", build.PASSWORD, heavy_id, args.chart_loads).stats()}
        queries = measure.chart_query_series(engines, heavy_id, args.chart_loads)
        series["chart_queries"] = {db: s.stats() for db, s in queries.items()}
        raw = measure.chart_raw_series(engines, heavy_id, args.chart_loads)
        series["chart_raw_sql"] = {db: s.stats() for db, s in raw.items()}
        heavy = {"patient_id": heavy_id,
                 "entries": measure.chart_entry_counts(gp, heavy_id),
                 "first_load_ms": {db: round(ms, 2) for db, ms in first_ms.items()}}
    finally:
        for records in sessions.values():
            records.close()
    return series, heavy


if __name__ == "__main__":
    sys.exit(main())
