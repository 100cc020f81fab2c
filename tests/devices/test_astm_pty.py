"""The simulator and the receiver over real lines: a pty pair and a TCP socket on 127.0.0.1.

The simulator runs in a thread on one end; the receiver reads the other end through
pyserial (the pty slave path, or ``socket://``). Timers are shortened so that every
test ends within a few seconds, and every read has a timeout.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import serial

from app.devices.astm import AstmLineError, AstmReceiver, LinkSettings, decode_transcript
from app.devices.astm.frames import NAK, frame_records, parse_frame
from app.devices.astm.ports import Port, PtyPort, TcpServerPort, open_port, read_available
from app.devices.astm.records import split_records
from app.devices.astm.samples import PATIENTS, long_message, sample_message
from app.devices.astm.simulator import SimulatorReport, replay, run_simulator
from app.devices.results import DeviceMessage

WHEN = datetime(2024, 10, 3, 7, 45, tzinfo=UTC)
FAST = LinkSettings(  # generous where only a failure would wait, short where tests wait
    reply_timeout=3.0,
    receive_timeout=3.0,
    busy_wait=0.2,
    contention_wait_lis=0.5,
    contention_wait_instrument=0.1,
)
TRANSCRIPTS = Path(__file__).parent / "astm_transcripts"


@dataclass
class Received:
    """What the receiver end saw."""

    messages: list[DeviceMessage] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    replies: bytes = b""
    line_lost: bool = False


def pump(
    port: Port,
    receiver: AstmReceiver,
    until: Callable[[Received], bool],
    seconds: float = 8.0,
) -> Received:
    """Read the line into the receiver, write its replies, until ``until`` or time is up."""
    got = Received()
    end = time.monotonic() + seconds
    while time.monotonic() < end and not until(got):
        now = time.monotonic()
        try:
            data = read_available(port)
        except (OSError, AstmLineError):  # pyserial's SerialException is an OSError
            out = receiver.line_lost(now)
            got.line_lost = True
        else:
            out = receiver.feed(data, now) if data else receiver.tick(now)
        got.messages += out.messages
        got.log += out.log
        got.replies += out.reply
        if out.reply and not got.line_lost:
            port.write(out.reply)
        if got.line_lost:
            break
    return got


def frames_of(message: bytes) -> list[bytes]:
    return frame_records(split_records(message))


def expected(message: bytes) -> tuple[DeviceMessage, ...]:
    return decode_transcript(b"".join(frames_of(message))).messages


class Line:
    """One kind of line: the simulator's end and a way to open the receiver's end."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._opened: list[Any] = []
        self.server = TcpServerPort() if kind == "tcp" else None
        self.sim_port: Port = self.server if self.server else self._new_pty()

    def _new_pty(self) -> PtyPort:
        pty = PtyPort()
        self._opened.append(pty)
        return pty

    def receiver_port(self) -> Any:
        """The receiver's end through pyserial (opened before the simulator starts)."""
        if self.server is not None:
            url = self.server.url
        else:
            assert isinstance(self.sim_port, PtyPort)
            url = self.sim_port.slave_path
        port = serial.serial_for_url(url, timeout=0.02, write_timeout=2.0)
        self._opened.append(port)
        return port

    def reconnect(self) -> None:
        """A new cable: a new pty pair (the TCP listener takes the next client itself)."""
        if self.server is None:
            self.sim_port = self._new_pty()

    def close(self) -> None:
        for item in reversed(self._opened):
            item.close()
        if self.server is not None:
            self.server.shutdown()


@pytest.fixture(params=["pty", "tcp"])
def line(request: pytest.FixtureRequest) -> Iterator[Line]:
    opened = Line(request.param)
    yield opened
    opened.close()


@pytest.fixture
def simulator() -> Iterator[Callable[..., Future[SimulatorReport]]]:
    pool = ThreadPoolExecutor(max_workers=1)
    stop = threading.Event()

    def start(function: Callable[..., SimulatorReport], *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("settings", FAST)
        kwargs.setdefault("timeout", 10.0)
        return pool.submit(function, *args, stop_event=stop, **kwargs)

    yield start
    stop.set()
    pool.shutdown(wait=True)


def test_happy_path(line: Line, simulator: Callable[..., Future[SimulatorReport]]) -> None:
    port = line.receiver_port()
    message = sample_message(PATIENTS[0], when=WHEN)
    job = simulator(run_simulator, line.sim_port, [message])
    got = pump(port, AstmReceiver(FAST), lambda got: bool(got.messages))
    report = job.result(timeout=10)
    assert report.delivered == 1 and report.failed == 0, report.log
    assert tuple(got.messages) == expected(message)
    [received] = got.messages
    assert received.patient.identifier == "RSSMRA80A01H501U"
    assert {r.code for r in received.results} >= {"59261-8", "2093-3", "2345-7", "6301-6"}


def test_corrupted_checksum_is_naked_and_resent(
    line: Line, simulator: Callable[..., Future[SimulatorReport]]
) -> None:
    port = line.receiver_port()
    message = sample_message(PATIENTS[3], when=WHEN)
    job = simulator(run_simulator, line.sim_port, [message], corrupt_frame=3)
    got = pump(port, AstmReceiver(FAST), lambda got: bool(got.messages))
    report = job.result(timeout=10)
    assert report.retransmissions == 1 and report.delivered == 1, report.log
    assert got.replies.count(bytes([NAK])) == 1
    assert any("bad checksum" in entry for entry in got.log)
    assert tuple(got.messages) == expected(message)


def test_line_dropped_mid_message_then_reconnect(
    line: Line, simulator: Callable[..., Future[SimulatorReport]]
) -> None:
    receiver = AstmReceiver(FAST)
    first = sample_message(PATIENTS[0], when=WHEN)
    second = sample_message(PATIENTS[4], when=WHEN, sample_id="POC0002")
    drop_after = len(frames_of(first)) + 3
    port = line.receiver_port()
    job = simulator(run_simulator, line.sim_port, [first, second], drop_after_frame=drop_after)
    got = pump(port, receiver, lambda got: got.line_lost)
    report = job.result(timeout=10)
    assert report.dropped and report.delivered == 1, report.log
    assert got.line_lost
    assert [m.patient.family_name for m in got.messages] == ["Rossi"]
    assert any("cut short (line lost)" in entry for entry in got.log)
    # a new cable: the interrupted message is sent again, whole
    line.reconnect()
    port = line.receiver_port()
    job = simulator(run_simulator, line.sim_port, [second])
    again = pump(port, receiver, lambda got: bool(got.messages))
    assert job.result(timeout=10).delivered == 1
    assert [m.patient.family_name for m in again.messages] == ["Esposito"]
    assert tuple(again.messages) == expected(second)


def test_accented_latin1_names(
    line: Line, simulator: Callable[..., Future[SimulatorReport]]
) -> None:
    port = line.receiver_port()
    messages = [sample_message(PATIENTS[1], when=WHEN), sample_message(PATIENTS[2], when=WHEN)]
    assert "Nicolò".encode("latin-1") in messages[0]
    job = simulator(run_simulator, line.sim_port, messages)
    got = pump(port, AstmReceiver(FAST), lambda got: len(got.messages) == 2)
    assert job.result(timeout=10).delivered == 2
    names = [(m.patient.family_name, m.patient.given_name) for m in got.messages]
    assert names == [("D'Angelo", "Nicolò"), ("Lucà", "Maria Grazia")]


def test_long_message_wraps_frame_numbers_with_etb(
    line: Line, simulator: Callable[..., Future[SimulatorReport]]
) -> None:
    port = line.receiver_port()
    message = long_message(PATIENTS[2], when=WHEN)
    frames = frames_of(message)
    assert len(frames) > 16 and not all(parse_frame(f).final for f in frames)
    job = simulator(run_simulator, line.sim_port, [message])
    got = pump(port, AstmReceiver(FAST), lambda got: bool(got.messages))
    assert job.result(timeout=10).frames_sent == len(frames)
    [received] = got.messages
    assert len(received.results) == 24
    assert received.raw == b"".join(frames)
    numbers = [parse_frame(f).number for f in frames]
    assert numbers[:10] == [1, 2, 3, 4, 5, 6, 7, 0, 1, 2]


def test_pause_beyond_the_receiver_timer_drops_only_that_message(
    simulator: Callable[..., Future[SimulatorReport]],
) -> None:
    line = Line("pty")
    try:
        port = line.receiver_port()
        receiver = AstmReceiver(LinkSettings(receive_timeout=0.6))
        sim_settings = LinkSettings(reply_timeout=0.6, busy_wait=0.1)
        first = sample_message(PATIENTS[0], when=WHEN)
        second = sample_message(PATIENTS[3], when=WHEN)
        job = simulator(
            run_simulator,
            line.sim_port,
            [first, second],
            pause_after_frame=2,
            pause_seconds=1.6,
            settings=sim_settings,
        )
        got = pump(port, receiver, lambda got: bool(got.messages))
        report = job.result(timeout=10)
        assert (report.failed, report.delivered) == (1, 1), report.log
        assert [m.patient.family_name for m in got.messages] == ["Bianchi"]
        assert any("timer" in entry for entry in got.log)
    finally:
        line.close()


def test_short_pause_is_harmless(simulator: Callable[..., Future[SimulatorReport]]) -> None:
    line = Line("tcp")
    try:
        port = line.receiver_port()
        message = sample_message(PATIENTS[4], when=WHEN)
        job = simulator(
            run_simulator, line.sim_port, [message], pause_after_frame=4, pause_seconds=0.3
        )
        got = pump(port, AstmReceiver(FAST), lambda got: bool(got.messages))
        assert job.result(timeout=10).delivered == 1
        assert tuple(got.messages) == expected(message)
    finally:
        line.close()


def test_replay_a_transcript(line: Line, simulator: Callable[..., Future[SimulatorReport]]) -> None:
    data = (TRANSCRIPTS / "poc_two_messages.astm").read_bytes()
    port = line.receiver_port()
    job = simulator(replay, line.sim_port, data)
    got = pump(port, AstmReceiver(FAST), lambda got: len(got.messages) == 2)
    report = job.result(timeout=10)
    assert report.delivered == 2 and report.retransmissions == 1, report.log
    assert got.replies.count(bytes([NAK])) == 1
    assert tuple(got.messages) == decode_transcript(data).messages


def test_simulator_opens_a_pty_path_itself(
    simulator: Callable[..., Future[SimulatorReport]],
) -> None:
    pty = PtyPort()  # here the receiver holds the master and the simulator the slave path
    try:
        message = sample_message(PATIENTS[2], when=WHEN)
        job = simulator(run_simulator, pty.slave_path, [message])
        got = pump(pty, AstmReceiver(FAST), lambda got: bool(got.messages))
        assert job.result(timeout=10).delivered == 1
        assert tuple(got.messages) == expected(message)
    finally:
        pty.close()


def test_stop_event_and_timeout_end_the_simulator() -> None:
    # loop:// echoes our own ENQ back: endless contention, ended by the timeout
    report = run_simulator("loop://", settings=FAST, timeout=0.5)
    assert report.stopped and report.delivered == 0
    stop = threading.Event()
    stop.set()
    server = TcpServerPort()
    try:
        with serial.serial_for_url(server.url, timeout=0.02):
            report = run_simulator(server, settings=FAST, stop_event=stop)
        assert report.stopped
    finally:
        server.shutdown()


def test_bad_urls_raise_line_errors() -> None:
    with pytest.raises(AstmLineError):
        run_simulator("/nonexistent/ttyUSB9")
    with pytest.raises(AstmLineError):
        open_port("listen://127.0.0.1:notaport")


def test_tcp_listen_url() -> None:
    port = open_port("listen://127.0.0.1:0")
    assert isinstance(port, TcpServerPort)
    try:
        with serial.serial_for_url(port.url, timeout=0.02) as client:
            port.write(b"\x05")
            assert read_available(client) == b"\x05"
    finally:
        port.shutdown()
