"""``devsim``: the simulated devices behind ``medirete-admin devsim``, read by the runtime.

The handler runs in a thread (parsed by ``add_devsim_parser`` on a fresh parser) and a
``DeviceRunner`` opens what its first stdout line names; one test runs the module as a
real process and ends it with SIGTERM. Every wait is bounded.
"""

from __future__ import annotations

import argparse
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.devices.astm import LinkSettings, decode_transcript
from app.devices.cli_verbs import add_devsim_parser, devsim, shaped
from app.devices.gdt import write_request
from app.devices.results import DeviceMessage, PatientRef
from app.devices.runtime import DeviceRunner, DeviceSpec, GdtFolderRunner

WAIT = 8.0
REPO = Path(__file__).resolve().parents[2]
TRANSCRIPT = Path(__file__).parent / "astm_transcripts" / "poc_two_messages.astm"
FAST = LinkSettings(reply_timeout=3.0, receive_timeout=3.0, busy_wait=0.2)


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_devsim_parser(parser.add_subparsers(dest="verb", required=True))
    return parser.parse_args(["devsim", *argv])


class Handler:
    """``devsim`` running in a thread, with its stdout read as it comes."""

    def __init__(self, capsys: pytest.CaptureFixture[str], *argv: str) -> None:
        self.capsys = capsys
        self.stop = threading.Event()
        self.code: int | None = None
        self.out = ""
        args = parse(*argv)
        self.thread = threading.Thread(target=self._run, args=(args,), daemon=True)
        self.thread.start()

    def _run(self, args: argparse.Namespace) -> None:
        self.code = devsim(args, stop=self.stop)

    def where(self) -> str:
        """The place named by the first stdout line, ``devsim: <kind> on <where>``."""
        end = time.monotonic() + WAIT
        while "\n" not in self.out and time.monotonic() < end:
            self.out += self.capsys.readouterr().out
            time.sleep(0.02)
        first = self.out.splitlines()[0]
        assert first.startswith("devsim: ") and " on " in first, first
        return first.split(" on ", 1)[1]

    def finish(self) -> int | None:
        self.thread.join(WAIT)
        assert not self.thread.is_alive()
        self.out += self.capsys.readouterr().out
        return self.code


@pytest.fixture
def received(tmp_path: Path) -> Iterator[Callable[[DeviceSpec], list[DeviceMessage]]]:
    runners: list[DeviceRunner] = []

    def start(spec: DeviceSpec) -> list[DeviceMessage]:
        got: list[DeviceMessage] = []
        runner = DeviceRunner(spec, got.append, spool_dir=tmp_path, astm_settings=FAST)
        runner.start()
        runners.append(runner)
        return got

    yield start
    for runner in runners:
        assert runner.stop(WAIT)


def wait_until(condition: Callable[[], bool]) -> bool:
    end = time.monotonic() + WAIT
    while not condition() and time.monotonic() < end:
        time.sleep(0.02)
    return condition()


def test_replay_on_a_pty_reaches_a_runner(
    capsys: pytest.CaptureFixture[str], received: Callable[[DeviceSpec], list[DeviceMessage]]
) -> None:
    handler = Handler(capsys, "astm", "--port", "pty", "--replay", str(TRANSCRIPT))
    path = handler.where()
    assert path.startswith("/dev/")
    got = received(DeviceSpec("astm", path))
    assert handler.finish() == 0, handler.out
    assert wait_until(lambda: len(got) == 2)
    assert tuple(got) == decode_transcript(TRANSCRIPT.read_bytes()).messages
    assert "2 messages delivered, 0 failed, 1 frames sent again" in handler.out


def test_listen_with_count_and_a_corrupt_frame(
    capsys: pytest.CaptureFixture[str], received: Callable[[DeviceSpec], list[DeviceMessage]]
) -> None:
    handler = Handler(
        capsys, "astm", "--port", "listen://127.0.0.1:0", "--count", "2", "--corrupt-frame", "3"
    )
    url = handler.where()
    assert url.startswith("socket://127.0.0.1:")
    got = received(DeviceSpec("astm", url))
    assert handler.finish() == 0, handler.out
    assert wait_until(lambda: len(got) == 2)
    assert [m.patient.family_name for m in got] == ["Rossi", "D'Angelo"]
    assert "2 messages delivered, 0 failed, 1 frames sent again" in handler.out


def test_bp_on_tcp_stops_after_count(
    capsys: pytest.CaptureFixture[str], received: Callable[[DeviceSpec], list[DeviceMessage]]
) -> None:
    handler = Handler(
        capsys, "bp", "--port", "listen://127.0.0.1:0", "--count", "3", "--interval", "0.05"
    )
    got = received(DeviceSpec("bp", handler.where()))
    assert handler.finish() == 0
    assert wait_until(lambda: len(got) == 3)


def test_gdt_answers_requests_until_stopped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    requests, results = tmp_path / "to-spiro", tmp_path / "from-spiro"
    requests.mkdir()
    results.mkdir()
    handler = Handler(capsys, "gdt", "--folder", str(requests), "--result-folder", str(results))
    assert handler.where() == str(requests)
    got: list[DeviceMessage] = []
    runner = GdtFolderRunner(results, got.append, poll_interval=0.05, settle=0.0)
    runner.start()
    try:
        write_request(requests, PatientRef("X1", "Lucà", "Maria"), receiver_id="SPIRO")
        assert wait_until(lambda: len(got) == 1)
    finally:
        assert runner.stop(WAIT)
        handler.stop.set()
    assert handler.finish() == 0
    assert got[0].patient.family_name == "Lucà"


@pytest.mark.parametrize(
    ("argv", "code", "text"),
    [
        (["astm", "--port", "/nonexistent/ttyUSB9"], 1, "cannot open"),
        (["cms50", "--port", "/nonexistent/ttyUSB9"], 1, "cannot open"),
        (["bp", "--port", "socket://127.0.0.1:1"], 1, "cannot open"),
        (["astm", "--port", "pty", "--replay", "/nonexistent.astm"], 1, "replay file not found"),
        (["gdt", "--folder", "/nonexistent/folder"], 1, "folder not found"),
        (["gdt"], 2, "needs --folder"),
        (["bp"], 2, "needs --port"),
        (["bp", "--port", "pty", "--corrupt-frame", "2"], 2, "--corrupt-frame does not apply"),
        (["astm", "--port", "pty", "--replay", str(TRANSCRIPT), "--count", "2"], 2, "--replay"),
    ],
)
def test_failures_are_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], code: int, text: str
) -> None:
    assert devsim(parse(*argv)) == code
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1, captured
    assert captured.err.startswith("medirete-admin: ") and text in captured.err


def test_shaped_pauses_and_ends() -> None:
    ticks = [(0.1, b"a"), (0.0, b""), (0.1, b"b"), (0.1, b"c")]
    assert list(shaped(ticks, pause_after=1, pause_seconds=2.0, last=2)) == [
        (0.1, b"a"), (2.0, b""), (0.0, b""), (0.1, b"b"),
    ]  # fmt: skip


def test_sigterm_ends_a_real_process_cleanly(
    received: Callable[[DeviceSpec], list[DeviceMessage]],
) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "app.devices.cli_verbs", "devsim", "bp", "--port", "pty",
         "--interval", "0.05"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    try:
        assert process.stdout is not None
        ready, _w, _x = select.select([process.stdout], [], [], WAIT)
        assert ready, "no first line from devsim"
        first = process.stdout.readline()  # flushed as one line
        assert first.startswith("devsim: bp on /dev/"), first
        got = received(DeviceSpec("bp", first.split(" on ", 1)[1].strip()))
        assert wait_until(lambda: len(got) >= 2)
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=WAIT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(WAIT)
    assert process.returncode == 0 and err == ""
