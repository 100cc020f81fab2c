"""An ASTM message of 20 results, from the analyzer's EOT to visible in the inbox (issue 9).

The analyzer is the real simulator (``run_simulator``) in a process of its own, on the
master end of a real pty; the app's ``DeviceRunner`` reads the slave end in this process
and stores every message. A third process, a separate reader with its own ``Records``,
polls ``records.inbox.items("pending")`` (the read behind the inbox list) until the
message's 20 results are there. The processes share CLOCK_MONOTONIC. Each message is one
link session (ENQ .. EOT), one every ``gap`` seconds, each for another patient of the
center (identified by codice fiscale, as analyzers send it), so none is a resend.

Paths, one after the other on the same center:
- ``direct``: ``records.inbox.receive`` in the reader thread, as ``device listen`` does;
- ``lane``: ``LaneDelivery`` (app/ui/device_hub.py) through the real ``Executor``'s writer
  lane, Qt offscreen, with the real ``InboxDialog`` open: it reloads on the write's
  ``changed``, so "shown in the dialog's list" is timed too;
- ``link_only``: the same bytes, a delivery that stores nothing (the baseline);
and ``receive_only``: ``records.inbox.receive`` of the same messages, called alone.

The runner stores a message before it acknowledges the frame carrying the L record,
and the analyzer sends EOT only after that ACK: a message is committed *before* EOT, so
"EOT to visible" (the issue's figure) is mostly the reader's polling delay and may be
negative. "Last frame to visible" is the latency a user waits once the analyzer is done.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.devices_astm \
        [--patients 2000 | --center DIR] [--messages 30] [--out FILE]
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.devices.astm.frames import ENQ, EOT, STX, frame_records
from app.devices.astm.ports import PtyPort
from app.devices.astm.receiver import decode_transcript
from app.devices.astm.records import split_records
from app.devices.astm.samples import SyntheticPatient, long_results, sample_message
from app.devices.astm.simulator import run_simulator
from app.devices.inbox_bridge import to_incoming
from app.devices.results import DeviceMessage
from app.devices.runtime import DeviceRunner, DeviceSpec
from app.records.services import Records
from benchmarks import build
from benchmarks.devices_common import (
    USER,
    center_arguments,
    center_patients,
    counting_statements,
    inbox_reader,
    run_main,
    sleep_wait,
    stats,
)
from benchmarks.report import Check

RESULTS_PER_MESSAGE = 20
TARGET_MS = 200.0
WAIT_S = 60.0
Deliver = Callable[[DeviceMessage], None]
Waiter = Callable[[Callable[[], bool], float], bool]


def messages_for(patients: list[SyntheticPatient]) -> list[bytes]:
    """One message of 20 results (HbA1c, lipids, glucose, INR repeated) per patient."""
    return [sample_message(p, long_results(RESULTS_PER_MESSAGE), sample_id=f"B{n:05d}")
            for n, p in enumerate(patients)]


# -- the analyzer (its own process) -----------------------------------------------------------
class StampedPort:
    """The analyzer's end of the line, noting when each ENQ, frame and EOT went out."""

    def __init__(self, inner: PtyPort) -> None:
        self.inner = inner
        self.sessions: list[dict[str, int]] = []

    @property
    def in_waiting(self) -> int:
        return self.inner.in_waiting

    def read(self, size: int = 1) -> bytes:
        return self.inner.read(size)

    def write(self, data: bytes, /) -> int:
        written = self.inner.write(data)
        now = time.monotonic_ns()  # the bytes are in the line's buffer
        if data[:1] == bytes([ENQ]):
            self.sessions.append({"enq": now})
        elif data[:1] == bytes([STX]):
            self.sessions[-1]["last_frame"] = now
        elif data[:1] == bytes([EOT]):
            self.sessions[-1]["eot"] = now
        return written

    def close(self) -> None:
        self.inner.close()


def _instrument(conn: Any) -> None:
    """Make a pty, say its path, send the messages asked for, report the time stamps."""
    port = StampedPort(PtyPort())
    try:
        conn.send(port.inner.slave_path)
        job = conn.recv()
        if job is None:
            return
        messages, gap = job
        delivered = 0
        for message in messages:
            delivered += run_simulator(port, [message], timeout=WAIT_S).delivered
            time.sleep(gap)
        conn.send((port.sessions, delivered))
        conn.recv()  # the runner has stopped: the line may close now
    finally:
        port.close()


# -- one path ---------------------------------------------------------------------------------
def timed(deliver: Deliver, stored: dict[str, tuple[int, int]]) -> Deliver:
    """``deliver`` noting its start and end by patient (benchmark-side instrumentation)."""
    def timed_deliver(message: DeviceMessage) -> None:
        start = time.monotonic_ns()
        deliver(message)
        stored[message.patient.identifier] = (start, time.monotonic_ns())
    return timed_deliver


@dataclass
class PathRun:
    """What one path's processes noted, before it is turned into figures."""

    wanted: list[str]  # the patients' codici fiscali, in sending order
    sessions: list[dict[str, int]]  # the analyzer's stamps, one link session per message
    stored: dict[str, tuple[int, int]]  # deliver's start and end, by patient
    seen: dict[str, Any]  # the separate reader's report ({} without a reader)


def run_path(root: Path, workdir: Path, patients: list[SyntheticPatient], deliver: Deliver,
             *, gap: float, poll_s: float, reader: bool, wait: Waiter = sleep_wait) -> PathRun:
    """Send one message per patient through a real pty into a ``DeviceRunner``."""
    spawn = multiprocessing.get_context("spawn")
    sim_conn, sim_child = spawn.Pipe()
    analyzer = spawn.Process(target=_instrument, args=(sim_child,), daemon=True)
    analyzer.start()
    read_conn, read_child = spawn.Pipe()
    wanted = [p.codice_fiscale for p in patients]
    watcher = spawn.Process(target=inbox_reader, daemon=True, args=(
        read_child, str(root), wanted, RESULTS_PER_MESSAGE, poll_s, WAIT_S * 4))
    stored: dict[str, tuple[int, int]] = {}
    runner: DeviceRunner | None = None
    seen: dict[str, Any] = {}
    try:
        if reader:
            watcher.start()
            _expect(wait, read_conn, "the reader did not start")
            read_conn.recv()
        _expect(wait, sim_conn, "the simulator did not start")
        spec = DeviceSpec("astm", sim_conn.recv())
        runner = DeviceRunner(spec, timed(deliver, stored), spool_dir=workdir / "spool")
        runner.start()
        if not wait(lambda: runner is not None and runner.status.state == "waiting", 10.0):
            raise RuntimeError(f"the runner did not open the pty: {runner.status}")
        sim_conn.send((messages_for(patients), gap))
        _expect(wait, sim_conn, "the simulator did not finish", len(patients) * (gap + 5))
        sessions, delivered = sim_conn.recv()
        if reader:
            _expect(wait, read_conn, "the reader did not see every message")
            seen = read_conn.recv()
        status = runner.status
    finally:
        if runner is not None:
            runner.stop()
        for conn in (sim_conn, read_conn):
            with contextlib.suppress(OSError):  # the peer may be gone already
                conn.send(None)
        for process in (analyzer, watcher):
            if process.pid is not None:
                process.join(10)
    if delivered != len(patients) or status.spooled or status.messages != len(patients):
        raise RuntimeError(f"{delivered}/{len(patients)} acknowledged; runner: {status}")
    return PathRun(wanted, sessions, stored, seen)


def _expect(wait: Waiter, conn: Any, problem: str, seconds: float = WAIT_S) -> None:
    if not wait(conn.poll, seconds):
        raise RuntimeError(problem)


def figures(run: PathRun, shown: dict[str, int] | None = None) -> dict[str, Any]:
    """Per-message intervals (ms) from the stamps, summarised.

    ``shown``: when the app's own inbox dialog listed each message (lane path only).
    """
    series: dict[str, list[float]] = {}

    def add(name: str, later: int, earlier: int) -> None:
        series.setdefault(name, []).append((later - earlier) / 1e6)

    seen = run.seen
    visible = seen.get("seen", {})
    for identifier, session in zip(run.wanted, run.sessions, strict=True):
        add("session_ms", session["eot"], session["enq"])
        add("last_frame_to_eot_ms", session["eot"], session["last_frame"])
        start, end = run.stored[identifier]
        add("last_frame_to_handed_over_ms", end, session["last_frame"])
        add("deliver_ms", end, start)
        if identifier in visible:
            add("eot_to_visible_ms", visible[identifier], session["eot"])
            add("last_frame_to_visible_ms", visible[identifier], session["last_frame"])
        if shown and identifier in shown:
            add("eot_to_dialog_ms", shown[identifier], session["eot"])
            add("last_frame_to_dialog_ms", shown[identifier], session["last_frame"])
    result: dict[str, Any] = {name: stats(values) for name, values in series.items()}
    result["first_deliver_ms"] = series["deliver_ms"][0]  # pays what is loaded lazily
    if shown is not None:
        result["in_dialog"] = len(shown)
    if seen:
        result["visible"] = len(visible)
        result["reader_poll_ms"] = seen["poll_ms"]
        result["list_inbox_ms"] = seen["list_inbox_ms"]
    return result


# -- the paths --------------------------------------------------------------------------------
def direct_path(root: Path, workdir: Path, patients: list[SyntheticPatient], gap: float,
                poll_s: float) -> dict[str, Any]:
    """``records.inbox.receive`` in the reader thread, one writer at a time (device listen)."""
    records = Records.open(root, USER, build.PASSWORD)
    lock = threading.Lock()

    def deliver(message: DeviceMessage) -> None:
        with lock:
            records.inbox.receive(to_incoming(message))

    try:
        return figures(run_path(root, workdir, patients, deliver, gap=gap, poll_s=poll_s,
                                reader=True))
    finally:
        records.close()


def lane_path(root: Path, workdir: Path, patients: list[SyntheticPatient], gap: float,
              poll_s: float) -> dict[str, Any]:
    """``LaneDelivery`` on the real Executor, the real inbox dialog open (Qt offscreen)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from app.ui.device_hub import LaneDelivery
    from app.ui.inbox_dialog import InboxDialog
    from app.ui.operations import Login
    from app.ui.ops import Executor
    from app.ui.qt import QApplication, QEventLoop, QTimer

    app = QApplication.instance() or QApplication(["medirete-bench"])
    errors: list[BaseException] = []
    executor = Executor(on_error=errors.append)

    def qt_wait(condition: Callable[[], bool], seconds: float) -> bool:
        """Run the GUI thread's event loop until ``condition`` (checked every 5 ms)."""
        loop, timer, end = QEventLoop(), QTimer(), time.monotonic() + seconds

        def check() -> None:
            if condition() or time.monotonic() > end:
                loop.quit()

        timer.timeout.connect(check)
        timer.start(5)
        if not condition():
            loop.exec()
        timer.stop()
        return condition()

    wanted = {p.codice_fiscale for p in patients}
    shown: dict[str, int] = {}
    dialog = None
    try:
        logged: list[object] = []
        executor.run(Login(root, USER, build.PASSWORD), logged.append)
        if not qt_wait(lambda: bool(logged or errors), WAIT_S) or errors:
            raise RuntimeError(f"login failed: {errors[:1]!r}")
        dialog = InboxDialog(executor)
        model = dialog.model

        def listed() -> None:
            now = time.monotonic_ns()
            counts = Counter(row.item.patient_identifier for row in model.rows)
            for identifier in wanted - shown.keys():
                if counts[identifier] >= RESULTS_PER_MESSAGE:
                    shown[identifier] = now

        model.modelReset.connect(listed)
        dialog.show()
        deliver = LaneDelivery(executor, lambda: None, timeout=10.0)
        run = run_path(root, workdir, patients, deliver, gap=gap, poll_s=poll_s, reader=True,
                       wait=qt_wait)
        qt_wait(lambda: len(shown) == len(wanted), 5.0)
    finally:
        if dialog is not None:
            dialog.close()
        executor.shutdown()
        app.processEvents()
    return figures(run, shown)


def link_only_path(root: Path, workdir: Path, patients: list[SyntheticPatient],
                   gap: float) -> dict[str, Any]:
    """The same bytes into a runner whose delivery stores nothing."""
    def nothing(_message: DeviceMessage) -> None:
        return None

    return figures(run_path(root, workdir, patients, nothing, gap=gap, poll_s=0.0,
                            reader=False))


def receive_only(root: Path, patients: list[SyntheticPatient]) -> dict[str, Any]:
    """``records.inbox.receive`` of the same messages, decoded beforehand, called alone."""
    decoded = [decode_transcript(b"".join(frame_records(split_records(m)))).messages[0]
               for m in messages_for(patients)]
    records = Records.open(root, USER, build.PASSWORD)
    times = []
    try:
        with counting_statements(records) as statements:
            for message in decoded:
                start = time.perf_counter()
                records.inbox.receive(to_incoming(message))
                times.append((time.perf_counter() - start) * 1e3)
    finally:
        records.close()
    return {"receive_ms": stats(times), "first_ms": round(times[0], 1),
            "sql_statements_per_message": statements[0] / len(decoded)}


def measure(root: Path, workdir: Path, messages: int, *, gap: float = 0.2,
            poll_ms: float = 5.0, lane: bool = True) -> dict[str, Any]:
    """Every path, ``messages`` messages each, each path with patients of its own."""
    records = Records.open(root, USER, build.PASSWORD)
    try:
        people = center_patients(records, messages * 4)
    finally:
        records.close()
    groups = [people[n * messages:(n + 1) * messages] for n in range(4)]
    sample = messages_for(groups[0][:1])[0]
    frames = frame_records(split_records(sample))
    line_bytes = 2 + sum(len(f) for f in frames)  # ENQ, frames, EOT
    result: dict[str, Any] = {
        "messages": messages, "results_per_message": RESULTS_PER_MESSAGE, "gap_s": gap,
        "reader_poll_interval_ms": poll_ms, "message_bytes": len(sample),
        "frames": len(frames), "wire_s_at_9600_baud": round(line_bytes * 10 / 9600, 2),
    }
    poll_s = poll_ms / 1e3
    result["link_only"] = link_only_path(root, workdir, groups[0], gap)
    result["direct"] = direct_path(root, workdir, groups[1], gap, poll_s)
    result["lane"] = (lane_path(root, workdir, groups[2], gap, poll_s) if lane
                      else {"available": False, "reason": "not run (--skip-lane)"})
    result["receive_only"] = receive_only(root, groups[3])
    result["ratios"] = ratios(result)
    return result


def ratios(result: dict[str, Any]) -> dict[str, float]:
    """Each stored path over its baselines, p50 (the store alone; the link alone)."""
    base = result["receive_only"]["receive_ms"]["p50"]
    link = result["link_only"]["last_frame_to_eot_ms"]["p50"]
    found = {}
    for path in ("direct", "lane"):
        figures_of = result[path]
        if "last_frame_to_visible_ms" in figures_of:
            found[f"{path}_last_frame_to_visible_over_receive_only"] = round(
                figures_of["last_frame_to_visible_ms"]["p50"] / base, 2)
            found[f"{path}_last_frame_to_eot_over_link_only"] = round(
                figures_of["last_frame_to_eot_ms"]["p50"] / link, 1)
    return found


def checks(result: dict[str, Any]) -> list[Check]:
    """The issue's target (EOT to visible) and our stricter line (last frame to visible)."""
    found = []
    for path in ("direct", "lane"):
        for start in ("eot", "last_frame"):
            series = result.get(path, {}).get(f"{start}_to_visible_ms")
            if series:
                found.append(Check(f"ASTM 20 results, {start.replace('_', ' ')} to visible "
                                   f"({path}) p95 <= {TARGET_MS:g} ms", series["p95"], TARGET_MS))
    return found


ROWS = (("eot_to_visible_ms", "EOT to visible (separate reader)"),
        ("last_frame_to_visible_ms", "last frame to visible (separate reader)"),
        ("eot_to_dialog_ms", "EOT to listed in the app's inbox dialog"),
        ("last_frame_to_dialog_ms", "last frame to listed in the dialog"),
        ("last_frame_to_eot_ms", "last frame to EOT (store + final ACK)"),
        ("deliver_ms", "deliver call (the store)"),
        ("session_ms", "ENQ to EOT (whole link session)"))


def report(result: dict[str, Any]) -> str:
    """The printed table."""
    lines = [f"ASTM: {result['messages']} messages of {result['results_per_message']} results "
             f"({result['message_bytes']:,} bytes, {result['frames']} frames; "
             f"{result['wire_s_at_9600_baud']} s on a 9600-baud line)",
             f"{'figure':<44} {'path':<10} {'n':>3} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}"]
    for path in ("direct", "lane", "link_only"):
        if result[path].get("available") is False:
            lines.append(f"{'':<44} {path:<10} {result[path]['reason']}")
            continue
        for key, label in ROWS:
            if key in result[path]:
                s = result[path][key]
                lines.append(f"{label:<44} {path:<10} {s['n']:>3} {s['p50']:>8.1f} "
                             f"{s['p95']:>8.1f} {s['max']:>8.1f}")
    s = result["receive_only"]["receive_ms"]
    lines.append(f"{'records.inbox.receive alone':<44} {'-':<10} {s['n']:>3} {s['p50']:>8.1f} "
                 f"{s['p95']:>8.1f} {s['max']:>8.1f}")
    for path in ("direct", "lane"):
        if "reader_poll_ms" in result[path]:
            poll, listing = result[path]["reader_poll_ms"], result[path]["list_inbox_ms"]
            lines.append(f"reader ({path}): one poll p50 {poll['p50']:.1f} ms; ListInbox of "
                         f"{listing['rows']} rows p50 {listing['p50']:.1f} ms")
    lines.append("ratios (p50): " + ", ".join(f"{k} {v}" for k, v in result["ratios"].items()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Build (or reuse) a center, measure, print, write JSON; 0 whatever the numbers."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.devices_astm",
                                     description=__doc__.splitlines()[0])
    center_arguments(parser)
    parser.add_argument("--messages", type=int, default=30, help="messages per path (30)")
    parser.add_argument("--gap", type=float, default=0.2, help="seconds between messages")
    parser.add_argument("--poll-ms", type=float, default=5.0, help="reader's pause (5 ms)")
    parser.add_argument("--skip-lane", action="store_true", help="no Qt executor path")
    args = parser.parse_args(argv)
    return run_main(args, "astm", lambda root, workdir: measure(
        root, workdir, args.messages, gap=args.gap, poll_ms=args.poll_ms,
        lane=not args.skip_lane), report, checks)


if __name__ == "__main__":
    sys.exit(main())
