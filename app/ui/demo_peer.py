"""The demo's second workstation: a real replica of the demo center, syncing and writing.

``medirete --demo`` shows center sync at work without a second computer. In the
background (the login does not wait), the demo center is paired (its CA made on first
use, as ``sync invite`` does) and a replica of it is made beside it from an invitation
(as ``sync join`` does, with the same functions: app/sync/pairing.py), once. Then two
kinds of child process run, the product's own commands:

- ``medirete-admin sync serve <replica> --user medico2 --listen 127.0.0.1:PORT`` for as
  long as the desk runs: the desk's own node calls it, so the status light shows one
  workstation online and the replica catches up (the first time, the whole demo
  record: a minute or two on a slow computer);
- ``medirete-admin simulate <replica> --user medico2 --writes 2`` every minute: visits,
  vitals, contacts and bookings written "on the other workstation" reach the desk.

No child outlives the desk: ``serve`` runs with ``--exit-with-stdin`` on a pipe only this
process holds (the system closes it even when the desk is killed), like the demo's
devices. Logs: ``<replica>/logs/serve.log`` and ``simulate.log``. The port is a free one
found at start, or ``MEDIRETE_DEMO_SYNC_PORT``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

from app.core.errors import MedireteError
from app.devices.demo_devices import _popen_options
from app.records.storage.center import CenterPaths
from app.ui.qt import QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)

PEER_USER = "medico2"  # the demo's second GP works "on the other workstation"
PORT_ENV = "MEDIRETE_DEMO_SYNC_PORT"
HOST = "127.0.0.1"
SIMULATE_FIRST, SIMULATE_EVERY = 45.0, 60.0  # seconds
SIMULATE_WRITES = 2
RESTART_SECONDS = 5.0
LOG_LIMIT = 1024 * 1024


def peer_root(root: Path) -> Path:
    """Where the demo's second workstation keeps its replica (beside the demo center)."""
    return root.absolute().with_name(root.name + "-postazione-2")


def _free_port() -> int:
    text = os.environ.get(PORT_ENV, "").strip()
    if text.isdigit() and 1024 <= int(text) <= 65535:
        return int(text)
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def make_peer(root: Path, password: str) -> bool:
    """Pair the demo center and make its replica beside it, unless already there; True
    when made now. Slow-ish (two key derivations, a new record): run off the GUI."""
    from app.records.services import Records
    from app.sync.pairing import invite, join, open_bundle

    target = peer_root(root)
    if CenterPaths(target).exists():
        return False
    admin = Records.open(root, "admin", password)
    try:
        invitation = invite(admin, password, role="full")
    finally:
        admin.close()
    join(target, open_bundle(invitation.blob, invitation.code), PEER_USER, password)
    log.info("demo: second workstation %s made in %s", invitation.workstation, target)
    return True


class DemoPeer(QObject):
    """The demo's second workstation, its processes and their restarts."""

    ready = Signal(object)  # (host, port) once ``serve`` was started, on the GUI thread
    failed = Signal(str)
    _ready = Signal(object)
    _failed = Signal(str)

    def __init__(self, root: Path, password: str, *, python: str = sys.executable,
                 simulate_first: float = SIMULATE_FIRST,
                 simulate_every: float = SIMULATE_EVERY) -> None:
        super().__init__()
        self.root = root
        self.peer = peer_root(root)
        self.password = password
        self.python = python
        self.simulate_first = simulate_first
        self.simulate_every = simulate_every
        self.address: tuple[str, int] | None = None
        self.serve: subprocess.Popen[bytes] | None = None
        self.writer: subprocess.Popen[bytes] | None = None  # a simulate run going on
        self.simulations = 0
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        queued = Qt.ConnectionType.QueuedConnection
        self._ready.connect(self._on_ready, queued)
        self._failed.connect(self.failed, queued)

    @Slot(object)
    def _on_ready(self, address: object) -> None:
        self.ready.emit(address)

    @property
    def logs(self) -> Path:
        """Where the children write."""
        return self.peer / "logs"

    def start(self) -> None:
        """Prepare and run in the background (returns at once)."""
        if self._thread is not None:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._main, name="demo-peer", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """End the children (SIGTERM, then a kill) and the background thread."""
        self._stopping.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)
        with self._lock:
            processes = [p for p in (self.serve, self.writer) if p is not None]
            self.serve = self.writer = None
        for process in processes:
            _end(process, timeout)

    # -- the background thread ------------------------------------------------------------
    def _main(self) -> None:
        try:
            make_peer(self.root, self.password)
        except (MedireteError, OSError) as error:
            log.warning("demo: no second workstation (%s)", type(error).__name__)
            self._failed.emit(error.user_message() if isinstance(error, MedireteError)
                              else str(error))
            return
        self.logs.mkdir(parents=True, exist_ok=True)
        port = _free_port()
        self.address = (HOST, port)
        next_simulation = time.monotonic() + self.simulate_first
        announced = False
        while not self._stopping.is_set():
            with self._lock:
                process = self.serve
                if process is None or process.poll() is not None:
                    if process is not None:
                        log.info("demo: second workstation ended (exit %s): restarted",
                                 process.returncode)
                    self.serve = self._spawn_serve(port)
            if not announced and self.serve is not None:
                announced = True
                self._ready.emit(self.address)
            if time.monotonic() >= next_simulation:
                self._simulate()
                next_simulation = time.monotonic() + self.simulate_every
            self._stopping.wait(1.0 if self.serve is not None else RESTART_SECONDS)

    def _log(self, name: str) -> IO[bytes]:
        path = self.logs / name
        if path.exists() and path.stat().st_size > LOG_LIMIT:
            os.replace(path, path.with_name(path.name + ".1"))
        return path.open("ab")

    def argv(self, *verb: str) -> list[str]:
        """A ``medirete-admin`` command line run with this Python."""
        return [self.python, "-m", "app.admin.cli", *verb]

    def _spawn_serve(self, port: int) -> subprocess.Popen[bytes] | None:
        argv = self.argv("sync", "serve", str(self.peer), "--user", PEER_USER, "--listen",
                         f"{HOST}:{port}", "--no-discovery", "--exit-with-stdin")
        try:
            with self._log("serve.log") as output:
                output.write(f"# {time.strftime('%Y-%m-%d %H:%M:%S')} sync serve\n".encode())
                output.flush()
                process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=output,
                                           stderr=subprocess.STDOUT, **_popen_options())
        except OSError as error:
            log.error("demo: second workstation not started: %s", error)
            return None
        assert process.stdin is not None
        try:  # the password, then the pipe stays open: closing it stops serve
            process.stdin.write(self.password.encode("utf-8") + b"\n")
            process.stdin.flush()
        except OSError:
            pass
        log.info("demo: second workstation serving on %s:%d (pid %d)", HOST, port,
                 process.pid)
        return process

    def _simulate(self) -> None:
        """A few writes on the second workstation (the pipe closed after the password)."""
        self.simulations += 1
        argv = self.argv("simulate", str(self.peer), "--user", PEER_USER, "--writes",
                         str(SIMULATE_WRITES), "--seed", str(int(time.time()) % 100_000))
        try:
            with self._log("simulate.log") as output, self._lock:
                if self._stopping.is_set():
                    return
                self.writer = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=output,
                                               stderr=subprocess.STDOUT, **_popen_options())
                process = self.writer
        except OSError as error:
            log.warning("demo: simulate not run: %s", error)
            return
        try:
            process.communicate(self.password.encode("utf-8") + b"\n", timeout=120)
        except subprocess.TimeoutExpired:
            log.warning("demo: simulate took too long: ended")
            _end(process, 1.0)
        except (OSError, ValueError):  # stopped meanwhile (its pipe closed by stop)
            pass
        with self._lock:
            if self.writer is process:
                self.writer = None


def _end(process: subprocess.Popen[bytes], timeout: float) -> None:
    stdin = process.stdin
    if stdin is not None:
        with contextlib.suppress(OSError):
            stdin.close()
    with contextlib.suppress(OSError):
        process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        log.warning("demo: second workstation %d did not end: killed", process.pid)
        process.kill()
        process.wait()
