"""Workstations for the sync benchmark: a source center, replicas joined to it, ``sync serve``
processes, and a TCP relay that counts the bytes on the wire.

The source is the benchmark center (benchmarks/build.py: synthetic patients written with
the change log on, every entry sealed by ``append_changes`` as the services seal theirs),
plus the center's CA made as ``sync invite`` makes it. A replica joins as ``sync join``
does: the invitation's bundle sealed under a one-time code, opened with it, and
``create_replica``. Each workstation then runs as the real program does, a
``medirete-admin sync serve`` process; its stdout lines are stamped as they arrive.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import cbor2

from app.admin.sync_verbs import center_authority
from app.records.services import Records
from app.records.storage.backup import restore_backup
from app.sync.identity import WorkstationIdentity, save_identity
from app.sync.pki import fingerprint, issue_workstation, open_invitation, seal_invitation
from app.sync.replica_files import create_replica, staff_rows
from benchmarks import build

REPO = Path(__file__).resolve().parent.parent
USER = "medico"  # the GP: holds the clinical key, so a replica holds both logs
ADMIN = "admin"
SOURCE = "studio-1"
START_TIMEOUT_S = 60.0
_LISTENING = re.compile(r"listening on [^ ]+:(\d+)$")
_APPLIED = re.compile(r"applied (\d+) from (\S+)")
_ONLINE = re.compile(r"peer (\S+) online")
_COPIED = re.compile(r"copy of the record from (\S+) in use: (\d+) entries")
_OFFLINE = re.compile(r"peer (\S+) offline")


def build_source(root: Path, patients: int, heavy_charts: int = 1) -> float:
    """The benchmark center with ``patients`` patients and its CA; seconds it took."""
    start = time.perf_counter()
    writer, gp_id, nurse_id = build.create_bench_center(root)
    try:
        build.generate(writer, gp_id, nurse_id, patients, heavy_charts)
    finally:
        writer.close()
    admin = Records.open(root, ADMIN, build.PASSWORD)
    try:
        with contextlib.redirect_stdout(sys.stderr):  # it says "the CA was created here"
            center_authority(admin, build.PASSWORD, SOURCE)
    finally:
        admin.close()
    return time.perf_counter() - start


def _invite(source: Path, name: str) -> dict[str, Any]:
    """What ``sync invite`` puts in an invitation (the workstation paired on the source)."""
    admin = Records.open(source, ADMIN, build.PASSWORD)
    try:
        ca = center_authority(admin, build.PASSWORD, None)
        issued = issue_workstation(ca, admin.db.center_id, name, "full")
        with admin.db.read_engine.connect() as conn:
            staff = staff_rows(conn)
        bundle = {"center_id": admin.db.center_id, "center_name": admin.center_name,
                  "keys": admin.db.paths.keys.read_text("utf-8"), "staff": staff,
                  "ca_pem": ca.cert_pem, "cert_pem": issued.cert_pem,
                  "key_pem": issued.key_pem, "workstation": name, "role": "full", "peers": []}
        admin.workstations.pair(name, "full", fingerprint(issued.cert_pem))
    finally:
        admin.close()
    return bundle


def join(source: Path, root: Path, name: str) -> None:
    """A new, empty replica at ``root``, as ``sync invite`` and ``sync join`` make it."""
    blob, code = seal_invitation(cbor2.dumps(_invite(source, name)))
    create_replica(root, cbor2.loads(open_invitation(blob, code)), USER, build.PASSWORD)


def backup(root: Path, path: Path) -> None:
    """A verified backup of the replica at ``root`` (the admin's ``backup`` verb)."""
    admin = Records.open(root, ADMIN, build.PASSWORD)
    try:
        admin.maintenance.backup(path)
    finally:
        admin.close()


def restore_as(backup_path: Path, source: Path, root: Path, name: str) -> None:
    """A workstation set up from another's backup: restored (a new origin id for its
    change log, as every restore gets), then given its own certificate, as a join does.
    It holds the whole log at once, where a join would pull it all again."""
    restore_backup(backup_path, root, ADMIN, build.PASSWORD)
    bundle = _invite(source, name)
    records = Records.open(root, USER, build.PASSWORD)
    try:
        with records.db.write_engine.begin() as conn:
            save_identity(conn, WorkstationIdentity(
                name, "full", str(bundle["center_name"]), bundle["ca_pem"],
                bundle["cert_pem"], bundle["key_pem"]))
    finally:
        records.close()


@dataclass
class Applied:
    """One ``applied N from PEER`` line: when it arrived (monotonic ns), how many, whence."""

    at_ns: int
    count: int
    peer: str


@dataclass
class Workstation:
    """A ``sync serve`` process on one replica, its stdout read on a thread."""

    name: str
    root: Path
    proc: subprocess.Popen[str]
    port: int = 0
    applied: list[Applied] = field(default_factory=list)
    online: dict[str, int] = field(default_factory=dict)  # peer -> ns of its first session
    offline: int = 0  # sessions ended
    started_ns: int = 0  # when the process was spawned (monotonic)
    copied: bool = False  # began from a copy of a peer's record (app.sync.snapshot)
    lines: list[str] = field(default_factory=list)
    _changed: threading.Condition = field(default_factory=threading.Condition)
    _reader: threading.Thread | None = None

    @classmethod
    def start(cls, name: str, root: Path, peers: list[int], log: Path, *,
              copy: bool = True, start_timeout_s: float = START_TIMEOUT_S) -> Workstation:
        """Spawn ``sync serve`` on 127.0.0.1 (a free port), peers given by port; not
        ``copy``: a new replica pulls entry by entry (``--no-copy``)."""
        command = [sys.executable, "-m", "app.admin.cli", "sync", "serve", str(root),
                   "--user", USER, "--listen", "127.0.0.1:0", "--no-discovery"]
        if not copy:
            command.append("--no-copy")
        started = time.monotonic_ns()
        for port in peers:
            command += ["--peer", f"127.0.0.1:{port}"]
        env = {**os.environ, "MEDIRETE_LANG": "en", "PYTHONUNBUFFERED": "1"}
        with log.open("a", encoding="utf-8") as errors:
            proc = subprocess.Popen(command, cwd=REPO, env=env, text=True, stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=errors)
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(build.PASSWORD + "\n")
        proc.stdin.close()
        node = cls(name, root, proc, started_ns=started)
        node._reader = threading.Thread(target=node._drain, args=(proc.stdout,), daemon=True,
                                        name=f"bench-sync-{name}")
        node._reader.start()
        if not node.wait(lambda: node.port > 0, start_timeout_s):
            node.stop()
            raise RuntimeError(f"{name} did not start listening:\n" + "\n".join(node.lines))
        return node

    def _drain(self, stream: IO[str]) -> None:
        for raw in stream:
            now = time.monotonic_ns()
            line = raw.rstrip("\n")
            with self._changed:
                self.lines.append(line)
                if (m := _APPLIED.search(line)) is not None:
                    self.applied.append(Applied(now, int(m.group(1)), m.group(2).rstrip(",")))
                elif (m := _COPIED.search(line)) is not None:
                    self.copied = True
                    self.applied.append(Applied(now, int(m.group(2)), m.group(1)))
                elif (m := _ONLINE.search(line)) is not None:
                    self.online.setdefault(m.group(1), now)
                elif _OFFLINE.search(line) is not None:
                    self.offline += 1
                elif (m := _LISTENING.search(line)) is not None:
                    self.port = int(m.group(1))
                self._changed.notify_all()
        with self._changed:
            self.lines.append("(stdout closed)")
            self._changed.notify_all()

    def wait(self, condition: Callable[[], bool], timeout_s: float) -> bool:
        """Wait until ``condition`` holds (checked at each line) or the process ends."""
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while not condition():
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    return condition()
                self._changed.wait(min(left, 0.5))
            return True

    def applied_total(self) -> int:
        """Entries this workstation applied from its peers so far."""
        with self._changed:
            return sum(a.count for a in self.applied)

    def reached(self, total: int) -> int | None:
        """Monotonic ns of the line at which the applied entries first reached ``total``."""
        running = 0
        with self._changed:
            for line in self.applied:
                running += line.count
                if running >= total:
                    return line.at_ns
        return None

    def cpu_seconds(self) -> float:
        """User + system CPU time of the process so far (Linux; 0 elsewhere)."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        """SIGTERM (serve stops cleanly on it), SIGKILL if it lingers."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        if self._reader is not None:
            self._reader.join(10)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


class Relay:
    """A TCP relay on 127.0.0.1 to ``target_port`` counting the bytes in each direction
    (TLS records as they travel: everything on the wire but the TCP/IP headers)."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = 0
        self.sent = 0  # from the connecting side to the target
        self.received = 0  # back
        self.last_ns = time.monotonic_ns()
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._thread = threading.Thread(target=self._run, daemon=True, name="bench-relay")
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the relay did not start")

    def _run(self) -> None:
        self._loop.run_until_complete(self._serve())
        self._loop.close()

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        server = await asyncio.start_server(self._connection, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        async with server:
            await self._stop.wait()
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _connection(self, reader: asyncio.StreamReader,
                          writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
            try:
                await asyncio.gather(self._pump(reader, up_writer, True),
                                     self._pump(up_reader, writer, False),
                                     return_exceptions=True)
            finally:
                await _closed(up_writer)
        except OSError:
            pass  # the target is gone: the connecting side sees the connection close
        finally:
            await _closed(writer)
            self._tasks.discard(task)

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                    upstream: bool) -> None:
        try:
            while data := await reader.read(1 << 16):
                with self._lock:
                    if upstream:
                        self.sent += len(data)
                    else:
                        self.received += len(data)
                    self.last_ns = time.monotonic_ns()
                writer.write(data)
                await writer.drain()
        finally:
            writer.close()  # the other side reads its end: that direction ends too

    def counts(self) -> tuple[int, int, int]:
        """(bytes sent, bytes received, monotonic ns of the last byte seen)."""
        with self._lock:
            return self.sent, self.received, self.last_ns

    def wait_quiet(self, quiet_s: float, timeout_s: float) -> bool:
        """Wait until no byte has passed for ``quiet_s`` seconds."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            idle = (time.monotonic_ns() - self.counts()[2]) / 1e9
            if idle >= quiet_s:
                return True
            time.sleep(min(0.05, quiet_s - idle + 0.001))
        return False

    def close(self) -> None:
        """Stop listening and close the connections still open."""
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)


async def _closed(writer: asyncio.StreamWriter) -> None:
    writer.close()
    with contextlib.suppress(OSError, TimeoutError):
        async with asyncio.timeout(2):
            await writer.wait_closed()
