"""Workstations of one center as real processes, for the center-sync process tests.

Each workstation has its own folder and encrypted record, its own user data folder (its
log, its copy of the record's anchor, as on its own PC) and, when asked, its own clock
(libfaketime, preloaded into every process it runs). Every process started here is
killed when the test ends, whatever happened; every wait has a deadline.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import func, select

from app.core.hlc import Timestamp
from app.records.services import Records
from app.sync.log import STREAMS
from app.sync.replica import Replica
from tests.conftest import PASSWORD
from tests.integration.admin_cli import REPO
from tests.integration.processes import LineReader

RUN_SECONDS = 120  # one CLI verb, start to end
SIMULATED = re.compile(r"^simulate: (\d+) writes \(visits (\d+), vitals (\d+), "
                       r"demographics (\d+), bookings (\d+)\)")
LISTENING = re.compile(r"listening on 127\.0\.0\.1:(\d+)$")
# libfaketime, found by the dynamic loader on any Debian architecture ($LIB).
FAKETIME_LIB = "/usr/$LIB/faketime/libfaketime.so.1"


def faketime_available() -> bool:
    """True when libfaketime is installed (apt-get install faketime)."""
    return any(Path("/usr/lib").glob("*/faketime/libfaketime.so.1"))


@dataclass(frozen=True)
class Workstation:
    """One workstation: its record, its user data folder, its clock, its sync port."""

    name: str
    root: Path
    home: Path  # MEDIRETE_DATA_DIR: this PC's user data folder
    user: str = "medico"
    clock: str | None = None  # a libfaketime offset such as "+24h"
    port: int = 0  # 0 until it first listens; then kept across restarts

    def address(self) -> str:
        """Where its peers find it."""
        assert self.port, f"{self.name} has not listened yet"
        return f"127.0.0.1:{self.port}"


@dataclass(frozen=True)
class Look:
    """What one record holds, read in this process."""

    digests: tuple[str, str | None]
    logs: dict[str, dict[str, tuple[int, int]]]  # stream: {origin: (entries, highest seq)}
    writes: Counter[tuple[str, str]]  # (origin, kind) of the entries naming a write
    origin: str
    clocks: dict[str, int]  # {origin: the physical part (ms) of its highest HLC held}


class Serving:
    """One ``sync serve`` process and its output, read with deadlines."""

    def __init__(self, ws: Workstation, proc: subprocess.Popen[str]) -> None:
        self.ws = ws
        self.proc = proc
        assert proc.stdout is not None
        self._reader = LineReader(proc.stdout, f"serve-{ws.name}")

    @property
    def lines(self) -> list[str]:
        """Every line said so far."""
        self._drain()
        return self._reader.seen

    def _drain(self) -> None:
        """Take the lines waiting to be read, without waiting for more."""
        try:
            while self._reader.next_line(time.monotonic()) is not None:
                pass
        except TimeoutError:
            pass

    def wait_for(self, pattern: str, seconds: float = 60.0) -> re.Match[str]:
        """The first line from now on matching ``pattern``; AssertionError with the output
        so far when the process ends or the deadline passes first."""
        deadline = time.monotonic() + seconds
        try:
            while (line := self._reader.next_line(deadline)) is not None:
                if found := re.search(pattern, line):
                    return found
        except TimeoutError:
            pass
        raise AssertionError(f"{self.ws.name} never said {pattern!r}; it said:\n"
                             + "\n".join(self._reader.seen[-40:]))

    def end(self, seconds: float = 30.0) -> None:
        """Wait for the process to exit (killing it past ``seconds``), keep all it said."""
        try:
            self.proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self._reader.join(timeout=10)
        self._drain()
        assert self.proc.stdout is not None
        self.proc.stdout.close()

    def said(self, pattern: str) -> list[str]:
        """The lines so far matching ``pattern``."""
        return [line for line in self.lines if re.search(pattern, line)]


class Center:
    """The workstations of one test and every process they run."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.serving: dict[str, Serving] = {}  # the last serve process of each workstation
        self._served: list[Serving] = []
        self._others: list[subprocess.Popen[str]] = []

    # -- processes ------------------------------------------------------------------------
    def env(self, ws: Workstation) -> dict[str, str]:
        """The environment of a process of ``ws``."""
        env = dict(os.environ, MEDIRETE_LANG="en", PYTHONPATH=str(REPO),
                   MEDIRETE_DATA_DIR=str(ws.home), MEDIRETE_WORKSTATION=ws.name)
        if ws.clock:
            env |= {"LD_PRELOAD": FAKETIME_LIB, "FAKETIME": ws.clock,
                    "FAKETIME_DONT_FAKE_MONOTONIC": "1"}
        return env

    def start(self, ws: Workstation, *args: str, stdin: str = "",
              module: str = "app.admin.cli") -> subprocess.Popen[str]:
        """Start a process of ``ws`` (killed at teardown) reading ``stdin``, then its end."""
        # A pipe already holding all of it (a few lines: less than a pipe's buffer).
        read_end, write_end = os.pipe()
        try:
            os.write(write_end, stdin.encode())
            os.close(write_end)
            proc = subprocess.Popen(
                [sys.executable, "-m", module, *args], stdin=read_end,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO,
                env=self.env(ws))
        finally:
            os.close(read_end)
        self._others.append(proc)
        return proc

    def finish(self, proc: subprocess.Popen[str], *, check: bool = True) -> str:
        """Wait for a process started with ``start``; its output (exit 0 when ``check``)."""
        try:
            out, _ = proc.communicate(timeout=RUN_SECONDS)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate(timeout=10)
            raise AssertionError(f"{proc.args!r} ran over {RUN_SECONDS} s:\n{out}") from None
        if check:
            assert proc.returncode == 0, f"{proc.args!r} exited {proc.returncode}:\n{out}"
        return out

    def run(self, ws: Workstation, *args: str, stdin: str = "", check: bool = True) -> str:
        """Run one CLI verb of ``ws`` to its end."""
        return self.finish(self.start(ws, *args, stdin=stdin), check=check)

    def close(self) -> None:
        """Kill every process still running, then reap them all (teardown)."""
        for proc in [s.proc for s in self._served] + self._others:
            if proc.poll() is None:
                proc.kill()
        for serving in self._served:
            serving.end()
        for proc in self._others:
            proc.wait(timeout=10)  # SIGKILL cannot be ignored; bounded all the same
            if proc.stdout is not None:
                proc.stdout.close()

    # -- workstations ---------------------------------------------------------------------
    def workstation(self, name: str, user: str = "medico") -> Workstation:
        """A workstation named ``name`` whose folders are under this test's base."""
        home = self.base / f"{name}-home"
        home.mkdir(parents=True, exist_ok=True)
        return Workstation(name, self.base / name, home, user)

    def demo(self, name: str, patients: int) -> Workstation:
        """A demo center on a new workstation (its CA made at its first invitation)."""
        ws = self.workstation(name)
        self.run(ws, "demo", str(ws.root), "--patients", str(patients),
                 stdin=f"{PASSWORD}\n{PASSWORD}\n")
        return ws

    def copy(self, ws: Workstation) -> Workstation:
        """A copy of a workstation (record and user data folder) under this base."""
        copied = replace(ws, root=self.base / ws.name, home=self.base / f"{ws.name}-home")
        shutil.copytree(ws.root, copied.root)
        shutil.copytree(ws.home, copied.home)
        return copied

    def invite(self, host: Workstation, name: str, role: str = "full") -> tuple[Path, str]:
        """An invitation made on ``host`` (as admin): its file and its one-time code."""
        path = self.base / f"{name}.invitation"
        out = self.run(host, "sync", "invite", str(host.root), "--user", "admin", "--out",
                       str(path), "--workstation", name, "--role", role,
                       "--this-workstation", host.name, stdin=f"{PASSWORD}\n")
        return path, out.strip().splitlines()[-1]

    def join(self, host: Workstation, name: str, *, user: str = "medico") -> Workstation:
        """A new workstation joined from an invitation made on ``host``."""
        path, code = self.invite(host, name)
        ws = self.workstation(name, user=user)
        self.run(ws, "sync", "join", str(ws.root), "--invite", str(path),
                 stdin=f"{code}\n{user}\n{PASSWORD}\n")
        return ws

    # -- sync -----------------------------------------------------------------------------
    def serve(self, ws: Workstation, peers: Iterable[Workstation] = (), *, copy: bool = True,
              listening: bool = True) -> tuple[Workstation, Serving]:
        """Start ``sync serve`` on ``ws``; returns it with its port known (unless not
        ``listening``: returned at once), and the process. Not ``copy``: a new
        workstation pulls entry by entry (``--no-copy``)."""
        assert ws.name not in self.serving or self.serving[ws.name].proc.poll() is not None
        args = ["sync", "serve", str(ws.root), "--user", ws.user, "--listen",
                f"127.0.0.1:{ws.port}", "--no-discovery"] + ([] if copy else ["--no-copy"])
        for peer in peers:
            args += ["--peer", peer.address()]
        proc = self.start(ws, *args, stdin=f"{PASSWORD}\n")
        self._others.remove(proc)
        serving = Serving(ws, proc)
        self.serving[ws.name] = serving
        self._served.append(serving)
        if not listening:
            return ws, serving
        port = int(serving.wait_for(LISTENING.pattern).group(1))
        return replace(ws, port=port), serving

    def kill(self, ws: Workstation) -> Serving:
        """SIGKILL the serve process of ``ws``."""
        serving = self.serving[ws.name]
        serving.proc.send_signal(signal.SIGKILL)
        serving.end()
        return serving

    def stop(self, ws: Workstation) -> Serving:
        """SIGTERM the serve process of ``ws``: it must say it stopped and exit 0."""
        serving = self.serving[ws.name]
        serving.proc.send_signal(signal.SIGTERM)
        serving.wait_for("^sync: stopped$", 30)
        serving.end()  # a second SIGTERM now would kill it mid-close: just wait
        assert serving.proc.returncode == 0, (serving.proc.returncode, serving.lines[-20:])
        return serving

    # -- reading --------------------------------------------------------------------------
    def simulate(self, ws: Workstation, writes: int, seed: int) -> subprocess.Popen[str]:
        """Start ``simulate`` on ``ws`` (read its count with ``simulated``)."""
        return self.start(ws, "simulate", str(ws.root), "--user", ws.user,
                          "--writes", str(writes), "--seed", str(seed), stdin=f"{PASSWORD}\n")

    def simulated(self, proc: subprocess.Popen[str]) -> int:
        """How many writes a ``simulate`` process acknowledged."""
        out = self.finish(proc)
        found = SIMULATED.search(out.strip().splitlines()[-1])
        assert found, out
        return int(found.group(1))

    def verify(self, *stations: Workstation) -> dict[str, tuple[str, str]]:
        """``verify`` on each workstation at once: {name: (digest, clinical digest)}."""
        procs = {ws.name: self.start(ws, "verify", str(ws.root), "--user", ws.user,
                                     stdin=f"{PASSWORD}\n") for ws in stations}
        found = {}
        for name, proc in procs.items():
            out = self.finish(proc)
            assert "verify: OK" in out, out
            digest = re.search(r"^content digest: (\w+)$", out, re.M)
            clinical = re.search(r"^clinical content digest: (\w+)$", out, re.M)
            assert digest and clinical, out
            found[name] = (digest.group(1), clinical.group(1))
        return found

    def status(self, ws: Workstation) -> str:
        """``sync status`` of ``ws``."""
        return self.run(ws, "sync", "status", str(ws.root), "--user", ws.user,
                        stdin=f"{PASSWORD}\n")


def look(ws: Workstation) -> Look:
    """Digests, change logs and the writes they name, read from the record in this process."""
    records = Records.open(ws.root, ws.user, PASSWORD)
    try:
        replica = Replica(records)
        with replica.db.read_engine.connect() as conn:
            logs: dict[str, dict[str, tuple[int, int]]] = {}
            writes: Counter[tuple[str, str]] = Counter()
            clocks: dict[str, int] = {}
            for stream in replica.streams:
                table = STREAMS[stream].table
                logs[stream] = {}
                for origin, count, top, hlc in conn.execute(
                        select(table.origin, func.count(), func.max(table.seq),
                               func.max(table.hlc)).group_by(table.origin)):
                    logs[stream][origin] = (count, top)
                    physical = Timestamp.unpack(hlc).physical_ms
                    clocks[origin] = max(clocks.get(origin, 0), physical)
                for origin, entity, op, payload in conn.execute(
                        select(table.origin, table.entity, table.op, table.payload)
                        .where(table.entity.in_(("encounter", "observation", "patient",
                                                 "appointment")))):
                    kind = _write_kind(entity, op, payload)
                    if kind:
                        writes[(origin, kind)] += 1
        return Look(replica.digests(), logs, writes, replica.origin(), clocks)
    finally:
        records.close()


def _write_kind(entity: str, op: str, payload: str) -> str | None:
    """The simulated write an entry names (each write leaves exactly one such entry)."""
    if entity == "encounter" and op == "create":
        return "visits"
    if entity == "observation" and op == "create":
        return "vitals" if json.loads(payload).get("source") == "manual" else None
    if entity == "patient" and op == "update":
        return "demographics"
    if entity == "appointment" and op == "create":
        return "bookings"
    return None


def writes_by_origin(seen: Look) -> Counter[str]:
    """How many simulated-kind writes each origin made, as one record holds them."""
    counted: Counter[str] = Counter()
    for (origin, _kind), n in seen.writes.items():
        counted[origin] += n
    return counted


def until(check: Callable[[], bool], seconds: float, what: str,
          explain: Callable[[], str] = lambda: "") -> None:
    """Poll ``check`` until it holds; AssertionError naming ``what`` at the deadline."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not reached within {seconds:g} s\n{explain()}")
        time.sleep(0.5)


def converged(stations: Iterable[Workstation], seconds: float = 60.0) -> dict[str, Look]:
    """Wait until every record holds the same logs and content; what each one holds."""
    stations = list(stations)
    seen: dict[str, Look] = {}

    def same() -> bool:
        seen.clear()
        seen.update({ws.name: look(ws) for ws in stations})
        first = next(iter(seen.values()))
        return all(s.logs == first.logs and s.digests == first.digests
                   for s in seen.values())

    def explain() -> str:
        return "\n".join(f"{name}: {s.digests} {_sizes(s)}" for name, s in seen.items())

    until(same, seconds, "convergence of " + ", ".join(ws.name for ws in stations), explain)
    return dict(seen)


def _sizes(seen: Look) -> str:
    return json.dumps({s: {o[:13]: n for o, (n, _t) in held.items()}
                       for s, held in seen.logs.items()})
