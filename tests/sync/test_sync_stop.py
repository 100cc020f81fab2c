"""Stopping sync (a logout, quitting the app, SIGTERM or Ctrl-C on ``sync serve``) is clean.

A stop used to log a CancelledError traceback ("Exception in callback
StreamReaderProtocol...") in the workstation's log whenever a peer was connected to it:
the task serving that peer was still writing its last journal line when the node
returned, and ``asyncio.run`` cancelled it. Now every session is closed and its task
awaited before ``run`` returns, and nothing is left for ``asyncio.run`` to cancel.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from app.records.services import Records
from app.sync.node import Address, SyncNode
from app.sync.replica import Replica
from tests.conftest import PASSWORD
from tests.integration.admin_cli import REPO
from tests.integration.processes import LineReader
from tests.sync.test_node import _free_port, _identity, _join

SECONDS = 60.0  # every wait's deadline (never an assertion about speed)


class _Elsewhere:
    """A node on a thread with its own event loop, as the desktop runs it: the peer of
    the node under test, whose event loop must hold nothing of this one's."""

    def __init__(self, node: SyncNode, listen: Address, peers: list[Address]) -> None:
        self._started = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=asyncio.run, name="peer-node", daemon=True,
                                        args=(self._main(node, listen, peers),))
        self._thread.start()
        assert self._started.wait(SECONDS)

    async def _main(self, node: SyncNode, listen: Address, peers: list[Address]) -> None:
        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        self._started.set()
        await node.run(listen, peers, self._stop)

    def stop(self) -> None:
        assert self._loop is not None and self._stop is not None
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(SECONDS)
        assert not self._thread.is_alive()


def test_a_node_stopped_with_a_peer_connected_leaves_nothing_running(
        center: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.WARNING)
    _join(center, tmp_path / "b", "studio-2", "full")
    a = Replica(Records.open(center, "medico", PASSWORD), "studio-1")
    b = Replica(Records.open(tmp_path / "b", "medico", PASSWORD), "studio-2")
    port = _free_port()
    said: list[str] = []

    async def scenario() -> None:
        stop = asyncio.Event()
        node = SyncNode(a, _identity(a.records), say=said.append)
        running = asyncio.ensure_future(node.run(("127.0.0.1", port), [], stop))
        peer = _Elsewhere(SyncNode(b, _identity(b.records), say=said.append),
                          ("127.0.0.1", 0), [("127.0.0.1", port)])
        try:
            loop = asyncio.get_running_loop()
            deadline = loop.time() + SECONDS
            while not node.exchanges and loop.time() < deadline:
                await asyncio.sleep(0.05)
            assert node.exchanges, said  # the peer's session is open here
            stop.set()
            await running
            # Every session closed, every task of the node ended with it.
            assert asyncio.all_tasks() == {asyncio.current_task()}
            assert not node.exchanges
        finally:
            stop.set()
            peer.stop()

    try:
        asyncio.run(scenario())
        # The session's end was written down before the node returned.
        assert ("session.end", "studio-2") in {(j.event, j.peer) for j in a.journal_lines()}
    finally:
        a.records.close()
        b.records.close()
    with socket.socket() as sock:  # no one listens there any more (the connection that
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # A closed: TIME_WAIT)
        sock.bind(("127.0.0.1", port))
        sock.listen()
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


def _serve(root: Path, home: Path, peers: list[int]) -> tuple[subprocess.Popen[str],
                                                                LineReader]:
    """``sync serve`` on 127.0.0.1, without zeroconf; its log in ``home``, stderr to a file."""
    home.mkdir(parents=True, exist_ok=True)
    args = [sys.executable, "-m", "app.admin.cli", "sync", "serve", str(root), "--user",
            "medico", "--listen", "127.0.0.1:0", "--no-discovery"]
    for port in peers:
        args += ["--peer", f"127.0.0.1:{port}"]
    env = dict(os.environ, MEDIRETE_LANG="en", PYTHONPATH=str(REPO),
               MEDIRETE_DATA_DIR=str(home), PYTHONUNBUFFERED="1")
    read_end, write_end = os.pipe()  # the password, then the end of stdin
    os.write(write_end, f"{PASSWORD}\n".encode())
    os.close(write_end)
    with (home / "stderr.txt").open("w", encoding="utf-8") as stderr:
        proc = subprocess.Popen(args, stdin=read_end, stdout=subprocess.PIPE, stderr=stderr,
                                text=True, cwd=REPO, env=env)
    os.close(read_end)
    assert proc.stdout is not None
    return proc, LineReader(proc.stdout, root.name)


def _said(lines: LineReader, pattern: str) -> re.Match[str]:
    deadline = time.monotonic() + SECONDS
    while (line := lines.next_line(deadline)) is not None:
        if found := re.search(pattern, line):
            return found
    raise AssertionError(f"never said {pattern!r}: {lines.seen}")


def _stopped_cleanly(proc: subprocess.Popen[str], lines: LineReader, home: Path) -> None:
    proc.send_signal(signal.SIGTERM)
    proc.wait(SECONDS)
    lines.join(SECONDS)
    while lines.next_line(time.monotonic() + 1) is not None:
        pass
    assert proc.returncode == 0, lines.seen
    assert lines.seen[-1] == "sync: stopped", lines.seen
    stderr = (home / "stderr.txt").read_text("utf-8")
    log = (home / "logs" / "medirete-admin.log").read_text("utf-8")
    for text in (stderr, log):
        assert "Traceback" not in text and "CancelledError" not in text, text[-3000:]
        assert " ERROR " not in text, text[-3000:]


def test_sync_serve_stops_on_sigterm_without_a_traceback(center: Path, tmp_path: Path):
    _join(center, tmp_path / "b", "studio-2", "full")
    procs = []
    try:
        a, a_says = _serve(center, tmp_path / "home-a", [])
        procs.append(a)
        port = int(_said(a_says, r"listening on 127\.0\.0\.1:(\d+)$").group(1))
        b, b_says = _serve(tmp_path / "b", tmp_path / "home-b", [port])
        procs.append(b)
        _said(a_says, "peer studio-2 online")
        _said(b_says, "peer studio-1 online")
        _stopped_cleanly(a, a_says, tmp_path / "home-a")  # its peer still connected
        _said(b_says, "peer studio-1 offline")
        _stopped_cleanly(b, b_says, tmp_path / "home-b")
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(SECONDS)
            if proc.stdout is not None:
                proc.stdout.close()


def _catches_sigterm(pid: int) -> bool:
    """Whether the process has a handler for SIGTERM (Linux: ``SigCgt`` in its status)."""
    status = Path(f"/proc/{pid}/status").read_text("ascii")
    caught = int(re.search(r"^SigCgt:\s*([0-9a-f]+)$", status, re.M).group(1), 16)
    return bool(caught & (1 << (signal.SIGTERM - 1)))


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_sync_serve_stopped_while_it_asks_for_the_password_exits_cleanly(
        center: Path, tmp_path: Path):
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ, MEDIRETE_LANG="en", PYTHONPATH=str(REPO),
               MEDIRETE_DATA_DIR=str(home), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.admin.cli", "sync", "serve", str(center), "--user",
         "medico", "--listen", "127.0.0.1:0", "--no-discovery"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=REPO, env=env)
    try:
        deadline = time.monotonic() + SECONDS
        while not _catches_sigterm(proc.pid):  # then it waits for the password on stdin
            assert proc.poll() is None and time.monotonic() < deadline, proc.poll()
            time.sleep(0.02)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=SECONDS)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert (proc.returncode, out.splitlines()[-1:]) == (0, ["sync: stopped"]), (out, err)
    assert "Traceback" not in err, err
