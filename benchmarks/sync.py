"""Center sync (issue 11): a new workstation's first sync, the bytes of one visit, one
change reaching four peers, and the change log's size against the data it describes.

    .venv/bin/python -m benchmarks.sync [--entries 1000000] [--log-patients 200000 |
        --log-center DIR] [--writes 20] [--workdir DIR] [--out FILE]
    .venv/bin/python -m benchmarks.sync --small      # CI size, about a minute
    .venv/bin/python -m benchmarks.sync --fanout-only --entries 3000 --writes 20

Every workstation is a real ``medirete-admin sync serve`` process on 127.0.0.1 (TLS 1.3,
mutual certificates), its record a real SQLCipher center (benchmarks/sync_center.py):
1. **Initial sync.** A source whose change log holds ``--entries`` sealed entries (the
   benchmark center of benchmarks/build.py, written with the change log on) and a new,
   empty replica joined as ``sync join`` makes it. The replica's serve process connects
   to the source's through a byte-counting relay; timed from "peer online" on its stdout
   to the ``applied`` line that brings its applied entries to the source's count. Then
   both vectors are compared, and the content digests of both files of both records.
   Baseline, same run: ``shutil.copy`` of the source's record.db and clinical.db.
2. **One visit.** The two in sync, a signed visit with three vitals written on the
   source (``records.visits.sign``, in this process, as the desktop would); the bytes
   through the relay both ways until the replica has applied it and the wire has been
   quiet for a second (pulls, batch, audit events). Against the size of the files.
3. **Four peers.** Five workstations in a full mesh (each connects to those started
   before it): the source, the synced replica and three workstations restored from the
   replica's backup, each with its own certificate (``--fanout-only``: 3 alone, the
   four peers restored from the source's backup). ``--writes`` visits signed on the
   source, one at a time; from its commit to the ``applied`` line of each other peer.
4. **Log size.** The record exported to one plain SQLite file (build.export_plain), its
   pages counted with ``dbstat``: the two change logs with their indexes against the
   tables of the logged kinds with theirs, at ``--log-patients`` (a center of its own)
   and on the source of 1.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import sync_center as ws
from benchmarks.report import Check, machine, write_json
from benchmarks.sync_log import log_size, log_size_of_center
from benchmarks.sync_profile import profile_apply
from benchmarks.sync_records import Writer, log_entries, same_content

RATE_TARGET = 20_000.0  # entries/s
VISIT_BYTES_TARGET = 16 * 1024
FANOUT_TARGET_S = 1.0
LOG_RATIO_TARGET = 1.3
# The benchmark center's change log (light history): about 21.7 entries per patient, and
# the one heavy chart (20 years) about 8,000.
ENTRIES_PER_PATIENT = 21.7
HEAVY_CHART_ENTRIES = 8_000
FULL_ENTRIES, SMALL_ENTRIES = 1_000_000, 3_000
QUIET_S = 1.0


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def patients_for(entries: int, heavy_charts: int) -> int:
    """Patients whose light history (plus the heavy charts) logs about ``entries``."""
    return max(10, round((entries - heavy_charts * HEAVY_CHART_ENTRIES) / ENTRIES_PER_PATIENT))


def _files(root: Path) -> list[Path]:
    return [root / name for name in ("record.db", "clinical.db")]


def copy_baseline(root: Path, target: Path) -> dict[str, float]:
    """``shutil.copy`` of the record's two database files (no process has them open)."""
    target.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    for path in _files(root):
        shutil.copy(path, target / path.name)
    seconds = time.perf_counter() - start
    size = sum(p.stat().st_size for p in _files(root))
    shutil.rmtree(target)
    return {"seconds": round(seconds, 3), "bytes": size,
            "mib_per_s": round(size / 2**20 / seconds, 1)}


def _wait_applied(node: ws.Workstation, total: int, timeout_s: float) -> int:
    if not node.wait(lambda: node.applied_total() >= total, timeout_s):
        raise RuntimeError(f"{node.name} applied {node.applied_total()} of {total} entries "
                           f"in {timeout_s:.0f} s:\n" + "\n".join(node.lines[-20:]))
    stamp = node.reached(total)
    assert stamp is not None
    return stamp


def initial_and_visits(source: Path, workdir: Path, visits: int) -> dict[str, Any]:
    """Figures 1 and 2 on one pair of processes (the replica left at ``workdir/b``):
    a new workstation starting from a copy of the source's record (what ``sync serve``
    does), then, on a second new workstation, the same log pulled entry by entry
    (``--no-copy``: a front desk, or the desktop's own sync)."""
    entries = log_entries(source)
    files_bytes = sum(p.stat().st_size for p in _files(source))
    _say(f"initial sync: {entries:,} entries, files {files_bytes / 2**20:,.1f} MiB")
    baseline = copy_baseline(source, workdir / "copy")
    log = workdir / "serve.log"
    a = ws.Workstation.start(ws.SOURCE, source, [], log)
    relay = ws.Relay(a.port)
    b = None
    try:
        initial, b = _initial(a, relay, workdir / "b", "studio-2", entries, copy=True)
        initial |= {"copy_baseline": baseline, "files_bytes": files_bytes,
                    "ratio_to_copy": round(initial["seconds"] / baseline["seconds"], 1)}
        relay.wait_quiet(2 * QUIET_S, 120)
        one_visit = _visits(source, b, relay, visits, files_bytes)
        b.stop()
        b = None
        initial["verified"] = same_content(source, workdir / "b")  # before the next join
        by_entries, b = _initial(a, relay, workdir / "b-entries", "studio-6", entries,
                                 copy=False)
        by_entries["ratio_to_copy"] = round(by_entries["seconds"] / baseline["seconds"], 1)
    finally:
        for node in (b, a):
            if node is not None:
                node.stop()
        relay.close()
    by_entries["verified"] = same_content(source, workdir / "b-entries")
    initial["entry_by_entry"] = by_entries
    return {"initial": initial, "visit": one_visit}


def _initial(a: ws.Workstation, relay: ws.Relay, replica: Path, name: str, entries: int, *,
             copy: bool) -> tuple[dict[str, Any], ws.Workstation]:
    """A new workstation joined and started, until it holds the ``entries`` of the
    source: from the spawn of its process (a copy) or from its first session (entry by
    entry: the time before is its start-up, the same either way)."""
    ws.join(a.root, replica, name)
    before = relay.counts()
    cpu_a, load = a.cpu_seconds(), os.getloadavg()[0]
    b = ws.Workstation.start(name, replica, [relay.port], a.root.parent / "serve.log",
                             copy=copy, start_timeout_s=600 + entries / 1000)
    done = _wait_applied(b, entries, 600 + entries / 50)
    since = b.started_ns if b.copied else b.online[ws.SOURCE]
    seconds = (done - since) / 1e9
    sent, received, _last = relay.counts()
    wire = sent + received - before[0] - before[1]
    figure = {
        "method": "copy" if b.copied else "entries",
        "entries": entries, "seconds": round(seconds, 2),
        "entries_per_s": round(entries / seconds, 1),
        "batches": len(b.applied),
        "wire_bytes": wire, "wire_bytes_per_entry": round(wire / entries, 1),
        "cpu_s": {"source": round(a.cpu_seconds() - cpu_a, 1),
                  "replica": round(b.cpu_seconds(), 1)},  # since its spawn
        "load_1m": {"start": round(load, 2), "end": round(os.getloadavg()[0], 2)},
        "sessions_ended": b.offline,
    }
    _say(f"  {figure['method']}: {seconds:.1f} s = {entries / seconds:,.0f} entries/s")
    return figure, b


def _visits(source: Path, peer: ws.Workstation, relay: ws.Relay, visits: int,
            files_bytes: int) -> dict[str, Any]:
    """Bytes on the wire and latency of ``visits`` signed visits, one at a time."""
    rows = []
    with Writer(source) as writer:
        relay.wait_quiet(2 * QUIET_S, 120)  # the writer's login is an audit event too
        for _ in range(visits):
            before = relay.counts()
            target = peer.applied_total()
            written = writer.visit()
            applied = _wait_applied(peer, target + written.entries, 120)
            relay.wait_quiet(QUIET_S, 120)
            after = relay.counts()
            rows.append({"entries": written.entries, "sent": after[0] - before[0],
                         "received": after[1] - before[1],
                         "latency_ms": (applied - written.committed_ns) / 1e6})
    totals = [r["sent"] + r["received"] for r in rows]
    return {"visits": len(rows), "entries_per_visit": rows[0]["entries"],
            "bytes_median": statistics.median(totals), "bytes_max": max(totals),
            "bytes_each": totals, "replica_to_source_median": statistics.median(
                r["sent"] for r in rows),
            "ratio_to_files": statistics.median(totals) / files_bytes,
            "latency_ms_median": round(statistics.median(r["latency_ms"] for r in rows), 1),
            "latency_ms_max": round(max(r["latency_ms"] for r in rows), 1)}


def fanout(source: Path, workdir: Path, writes: int, *, synced: bool = True,
           ) -> dict[str, Any]:
    """Figure 3: five workstations, ``writes`` visits on the source, time to all four.
    The peers are the synced replica of 1 (``workdir/b``) and three restored from its
    backup; not ``synced`` (``--fanout-only``), four restored from the source's backup."""
    _say("four peers: " + ("backup of the replica, three" if synced else "four")
         + " workstations restored from it")
    saved = workdir / "replica.mrb"
    start = time.perf_counter()
    ws.backup(workdir / "b" if synced else source, saved)
    restores: list[float] = []
    seeded = {"backup_s": round(time.perf_counter() - start, 1),
              "backup_bytes": saved.stat().st_size, "restore_s": restores}
    workstations = {ws.SOURCE: source} | ({"studio-2": workdir / "b"} if synced else {})
    for n in (3, 4, 5) if synced else (2, 3, 4, 5):
        start = time.perf_counter()
        ws.restore_as(saved, source, workdir / f"ws{n}", f"studio-{n}")
        restores.append(round(time.perf_counter() - start, 1))
        workstations[f"studio-{n}"] = workdir / f"ws{n}"
    saved.unlink()
    return {"seeded": seeded} | propagation(workstations, workdir / "serve.log", writes)


def propagation(workstations: dict[str, Path], log: Path, writes: int) -> dict[str, Any]:
    """The workstations (the first is the writer) serving in a full mesh; ``writes``
    visits on the first, one at a time, each timed until every other has applied it."""
    nodes: list[ws.Workstation] = []
    try:
        for name, root in workstations.items():
            nodes.append(ws.Workstation.start(name, root, [n.port for n in nodes], log))
        for node in nodes:
            _connected(node, len(nodes) - 1)
        _settle(nodes, 3 * QUIET_S, 600)
        peers = nodes[1:]
        each: list[list[float]] = []
        with Writer(nodes[0].root) as writer:
            _settle(nodes, 2 * QUIET_S, 120)
            for _ in range(writes):
                targets = [p.applied_total() for p in peers]
                written = writer.visit()
                each.append([(_wait_applied(p, t + written.entries, 120)
                              - written.committed_ns) / 1e6
                             for p, t in zip(peers, targets, strict=True)])
                _settle(nodes, 0.5, 60)
    finally:
        for node in reversed(nodes):
            node.stop()
    worst = [max(row) for row in each]
    return {"workstations": len(nodes), "writes": len(each),
            "all_four_ms_median": round(statistics.median(worst), 1),
            "all_four_ms_max": round(max(worst), 1),
            "first_peer_ms_median": round(statistics.median(min(r) for r in each), 1),
            "each_ms": [[round(v, 1) for v in row] for row in each]}


def _connected(node: ws.Workstation, peers: int) -> None:
    if not node.wait(lambda: len(node.online) >= peers, 120):
        raise RuntimeError(f"{node.name} sees only {sorted(node.online)}")


def _settle(nodes: list[ws.Workstation], quiet_s: float, timeout_s: float) -> None:
    """Wait until no workstation has applied anything for ``quiet_s`` seconds."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        last = max((n.applied[-1].at_ns for n in nodes if n.applied), default=0)
        if (time.monotonic_ns() - last) / 1e9 >= quiet_s:
            return
        time.sleep(0.1)


def checks(result: dict[str, Any]) -> list[Check]:
    """The issue's four targets."""
    found = []
    if "initial" in result:
        found.append(Check(f"initial sync >= {RATE_TARGET:,.0f} entries/s",
                           result["initial"]["entries_per_s"], RATE_TARGET, at_least=True))
        found.append(Check(f"one visit <= {VISIT_BYTES_TARGET // 1024} KB on the wire",
                           result["visit"]["bytes_median"], VISIT_BYTES_TARGET))
    if "fanout" in result:
        found.append(Check(f"one change to 4 peers <= {FANOUT_TARGET_S:g} s (max)",
                           result["fanout"]["all_four_ms_max"] / 1e3, FANOUT_TARGET_S))
    for size in result.get("log_size", []):
        found.append(Check(f"change log / domain data <= {LOG_RATIO_TARGET:g} "
                           f"({size['patients']:,} patients)",
                           size["ratio_pages"], LOG_RATIO_TARGET))
    return found


def sync_benchmarks(workdir: Path, small: bool, *, entries: int | None = None,
                    writes: int | None = None, log_centers: tuple[Path, ...] = (),
                    log_plains: tuple[Path, ...] = (), profile: int = 0,
                    fanout_only: bool = False) -> dict[str, Any]:
    """Figures 1-4 as JSON: 4 on the source, on each of ``log_centers`` and on each plain
    copy of a center in ``log_plains``; with ``profile``, then that many entries pulled
    again under cProfile. ``fanout_only``: figure 3 alone, without the initial sync."""
    entries = entries or (SMALL_ENTRIES if small else FULL_ENTRIES)
    heavy = 0 if entries < 4 * HEAVY_CHART_ENTRIES else 1
    source = workdir / "source"
    workdir.mkdir(parents=True, exist_ok=True)
    patients = patients_for(entries, heavy)
    _say(f"sync: building the source, {patients:,} patients")
    built = ws.build_source(source, patients, heavy)
    result: dict[str, Any] = {"source_patients": patients, "source_build_s": round(built, 1)}
    if fanout_only:
        result["fanout"] = fanout(source, workdir, writes or (3 if small else 20),
                                  synced=False)
        return result
    result |= initial_and_visits(source, workdir, 3 if small else 10)
    result["fanout"] = fanout(source, workdir, writes or (3 if small else 20))
    result["fanout"]["max_over_copy"] = round(
        result["fanout"]["all_four_ms_max"] / 1e3 / result["initial"]["copy_baseline"]["seconds"],
        2)
    result["log_size"] = [log_size_of_center(root, workdir / "plain.db")
                          for root in (source, *log_centers)]
    result["log_size"] += [log_size(path) for path in log_plains]
    if profile:
        _say(f"profile: {profile:,} entries pulled in one thread under cProfile")
        result["profile"] = profile_apply(source, workdir, profile)
    return result


def report(result: dict[str, Any]) -> str:
    """The human summary."""
    lines = [f"Center sync: source of {result['source_patients']:,} patients"]
    if "initial" in result:
        first, visit = result["initial"], result["visit"]
        lines += [
            f"initial sync of {first['entries']:,} entries over TLS: {first['seconds']:.1f} s, "
            f"{first['entries_per_s']:,.0f} entries/s; copying the files "
            f"({first['files_bytes'] / 2**20:,.1f} MiB) "
            f"{first['copy_baseline']['seconds']:.2f} s (sync / copy = "
            f"{first['ratio_to_copy']:,.0f}); {first['wire_bytes_per_entry']:.0f} "
            f"bytes/entry on the wire; CPU source {first['cpu_s']['source']} s, replica "
            f"{first['cpu_s']['replica']} s ({first['method']})",
            f"  entry by entry (--no-copy): {first['entry_by_entry']['seconds']:.1f} s, "
            f"{first['entry_by_entry']['entries_per_s']:,.0f} entries/s",
            f"one visit ({visit['entries_per_visit']} entries): {visit['bytes_median']:,.0f} "
            f"bytes on the wire (max {visit['bytes_max']:,}), {visit['ratio_to_files']:.2e} of "
            f"the files; applied by the peer in {visit['latency_ms_median']:.0f} ms (max "
            f"{visit['latency_ms_max']:.0f})"]
    fan = result["fanout"]
    lines.append(
        f"one change to 4 peers ({fan['writes']} writes): median {fan['all_four_ms_median']:.0f}"
        f" ms, max {fan['all_four_ms_max']:.0f} ms (first peer {fan['first_peer_ms_median']:.0f}"
        " ms)" + (f"; max / copying the files once = {fan['max_over_copy']:.2f}"
                  if "max_over_copy" in fan else ""))
    for size in result.get("log_size", []):
        lines.append(
            f"log size at {size['patients']:,} patients: log {size['log_bytes'] / 2**20:,.1f} "
            f"MiB vs domain {size['domain_bytes'] / 2**20:,.1f} MiB = {size['ratio_pages']:.2f}"
            f" (tables only {size['ratio_tables']:.2f}; payloads as stored / domain rows "
            f"{size['ratio_payload']:.2f}); the log is {size['log_bytes'] / size['file_bytes']:.0%}"
            " of the file")
    if "profile" in result:
        prof = result["profile"]
        lines.append(f"profile: {prof['entries']:,} entries in {prof['profiled_s']:.1f} s under "
                     f"cProfile, {prof['statements_per_entry']:.1f} SQL statements per entry; "
                     "own time by area (s): " + ", ".join(
                         f"{k} {v}" for k, v in prof["own_time_s_by_area"].items()))
    for check in checks(result):
        lines.append(f"  {'met' if check.met else 'MISSED':<7} {check.name}  "
                     f"measured {check.measured:,.3f}")
    return "\n".join(lines)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.sync", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", action="store_true", help="CI size")
    parser.add_argument("--entries", type=int, help=f"entries in the log ({FULL_ENTRIES:,})")
    parser.add_argument("--writes", type=int, help="visits for the four peers (20; small 3)")
    parser.add_argument("--log-patients", type=int, default=0,
                        help="also measure the log size on a center of this many patients")
    parser.add_argument("--log-center", type=Path, help="... or on this benchmark center")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="then pull N entries into a new replica under cProfile")
    parser.add_argument("--fanout-only", action="store_true",
                        help="only figure 3 (one change to four peers), the peers restored "
                             "from the source's backup: no initial sync")
    parser.add_argument("--workdir", type=Path, help="where the records go (a temp dir)")
    parser.add_argument("--out", type=Path, help="JSON file")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Build, measure, report; 0 whatever the numbers are."""
    args = _arguments(argv)
    os.environ["MEDIRETE_SCRYPT_LOG_N"] = "14"  # unlock cost only (see benchmarks/run.py)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="medirete-sync-"))
    load_before = os.getloadavg()[0]
    try:
        centers: tuple[Path, ...] = ()
        if args.log_center is not None:
            centers = (args.log_center,)
        elif args.log_patients:
            _say(f"log size: building {args.log_patients:,} patients")
            ws.build_source(workdir / "log-center", args.log_patients)
            centers = (workdir / "log-center",)
        result = sync_benchmarks(workdir, args.small, entries=args.entries,
                                 writes=args.writes, log_centers=centers,
                                 profile=args.profile, fanout_only=args.fanout_only)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    full = {"date_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "machine": machine(), "load_average_1m": {
                "before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
            "sync": result, "targets": [c.as_json() for c in checks(result)]}
    print(report(result))
    if args.out:
        write_json(full, args.out)
        print(f"JSON: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
