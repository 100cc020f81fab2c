"""The device runtime over real lines: ptys, TCP on 127.0.0.1 and a real folder.

Simulators run in threads on the device end; the runner reads the other end through
pyserial in its own thread. Link timers are shortened; every wait is bounded.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from app.devices.astm import LinkSettings, decode_transcript
from app.devices.astm.frames import frame_records
from app.devices.astm.ports import PtyPort, TcpServerPort
from app.devices.astm.records import split_records
from app.devices.astm.samples import PATIENTS, sample_message
from app.devices.astm.simulator import SimulatorReport, run_simulator
from app.devices.cms50 import SpotCheckRefused
from app.devices.gdt import request_record
from app.devices.results import DeviceMessage, PatientRef
from app.devices.runtime import (
    DeviceRunner,
    DeviceSpec,
    DeviceStatus,
    GdtFolderRunner,
)
from app.devices.sim_bp import BpSimOptions, bp_ticks
from app.devices.sim_cms50 import Cms50SimOptions, simulate_cms50
from app.devices.sim_gdt import GdtSimOptions, answer
from app.devices.simulators import pump

WAIT = 8.0
FAST = LinkSettings(
    reply_timeout=3.0,
    receive_timeout=3.0,
    busy_wait=0.2,
    contention_wait_lis=0.5,
    contention_wait_instrument=0.1,
)


def wait_until(condition: Callable[[], bool], seconds: float = WAIT) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


class Inbox:
    """What the runner handed over, and every status it reported."""

    def __init__(self, fail: int = 0) -> None:
        self.messages: list[DeviceMessage] = []
        self.statuses: list[DeviceStatus] = []
        self.fail = fail  # how many deliveries raise before they work
        self._lock = threading.Lock()

    def deliver(self, message: DeviceMessage) -> None:
        with self._lock:
            if self.fail:
                self.fail -= 1
                raise RuntimeError("database locked")
            self.messages.append(message)

    def on_status(self, status: DeviceStatus) -> None:
        with self._lock:
            self.statuses.append(status)

    def states(self) -> list[str]:
        with self._lock:
            return [s.state for s in self.statuses]


@pytest.fixture
def runners() -> Iterator[Callable[..., DeviceRunner]]:
    started: list[DeviceRunner] = []

    def start(spec: DeviceSpec, inbox: Inbox, spool: Path, **kwargs: Any) -> DeviceRunner:
        kwargs.setdefault("astm_settings", FAST)
        runner = DeviceRunner(
            spec, inbox.deliver, spool_dir=spool, on_status=inbox.on_status, **kwargs
        )
        runner.start()
        started.append(runner)
        assert wait_until(lambda: runner.status.state in ("waiting", "receiving")), runner.status
        return runner

    yield start
    for runner in started:
        assert runner.stop(WAIT)


@pytest.fixture
def simulator() -> Iterator[Callable[..., Future[SimulatorReport]]]:
    pool = ThreadPoolExecutor(max_workers=1)
    stop = threading.Event()

    def start(*args: Any, **kwargs: Any) -> Future[SimulatorReport]:
        kwargs.setdefault("settings", FAST)
        kwargs.setdefault("timeout", WAIT)
        return pool.submit(run_simulator, *args, stop_event=stop, **kwargs)

    yield start
    stop.set()
    pool.shutdown(wait=True)


@pytest.fixture
def pty() -> Iterator[PtyPort]:
    port = PtyPort()
    yield port
    port.close()


def expected(message: bytes) -> tuple[DeviceMessage, ...]:
    return decode_transcript(b"".join(frame_records(split_records(message)))).messages


def test_spec_takes_the_driver_line_settings() -> None:
    assert DeviceSpec("astm", "COM3").serial_settings() == {
        "baudrate": 9600, "parity": "N", "bytesize": 8, "stopbits": 1,
    }  # fmt: skip
    assert DeviceSpec("cms50", "/dev/ttyUSB0").parity == "O"
    assert DeviceSpec("bp", "loop://", baudrate=2400).baudrate == 2400
    with pytest.raises(ValueError, match="unknown device driver"):
        DeviceSpec("fax", "COM1")


def test_astm_message_delivered_over_a_pty(
    tmp_path: Path, pty: PtyPort, runners: Callable[..., DeviceRunner], simulator: Any
) -> None:
    inbox = Inbox()
    runner = runners(DeviceSpec("astm", pty.slave_path), inbox, tmp_path)
    message = sample_message(PATIENTS[2])
    report = simulator(pty, [message]).result(WAIT)
    assert report.delivered == 1, report.log
    assert wait_until(lambda: len(inbox.messages) == 1)
    assert tuple(inbox.messages) == expected(message)
    status = runner.status
    assert (status.messages, status.spooled, status.last_error) == (1, 0, "")
    assert status.last_message_at is not None and "receiving" in inbox.states()
    assert not list(tmp_path.iterdir())  # nothing spooled


def test_tcp_drop_mid_message_then_reconnect(
    tmp_path: Path, runners: Callable[..., DeviceRunner], simulator: Any
) -> None:
    server = TcpServerPort()
    try:
        inbox = Inbox()
        runner = runners(DeviceSpec("astm", server.url), inbox, tmp_path)
        first, second = sample_message(PATIENTS[0]), sample_message(PATIENTS[4])
        drop = len(frame_records(split_records(first))) + 3  # inside the second message
        report = simulator(server, [first, second], drop_after_frame=drop).result(WAIT)
        assert report.dropped and report.delivered == 1, report.log
        assert wait_until(lambda: "error" in inbox.states())
        assert "line lost" in runner.status.last_error
        assert wait_until(lambda: runner.status.state == "waiting")  # reconnected
        assert simulator(server, [second]).result(WAIT).delivered == 1  # the listener again
        assert wait_until(lambda: len(inbox.messages) == 2)
        assert [m.patient.family_name for m in inbox.messages] == ["Rossi", "Esposito"]
        assert runner.status.messages == 2
    finally:
        server.shutdown()


def test_failed_delivery_spools_the_raw_bytes_before_the_ack(
    tmp_path: Path, pty: PtyPort, runners: Callable[..., DeviceRunner], simulator: Any
) -> None:
    inbox = Inbox(fail=1)
    runner = runners(DeviceSpec("astm", pty.slave_path), inbox, tmp_path / "spool")
    message = sample_message(PATIENTS[1])
    assert simulator(pty, [message]).result(WAIT).delivered == 1  # acknowledged
    [spooled] = (tmp_path / "spool").iterdir()
    assert spooled.name.endswith("-astm.raw")
    assert spooled.stat().st_mode & 0o077 == 0  # health data: owner-only
    assert decode_transcript(spooled.read_bytes()).messages == expected(message)
    assert wait_until(lambda: runner.status.spooled == 1)
    assert "database locked" in runner.status.last_error


def test_nothing_is_acknowledged_when_it_cannot_be_kept(
    tmp_path: Path, pty: PtyPort, runners: Callable[..., DeviceRunner], simulator: Any
) -> None:
    blocked = tmp_path / "spool"
    blocked.write_text("a file where the spool folder should be")
    inbox = Inbox(fail=99)
    runner = runners(DeviceSpec("astm", pty.slave_path), inbox, blocked)
    quick = LinkSettings(reply_timeout=0.5, busy_wait=0.2)
    report = simulator(pty, [sample_message()], settings=quick).result(WAIT)
    assert (report.delivered, report.failed) == (0, 1), report.log  # the analyzer keeps it
    assert "spool" in runner.status.last_error


def test_stop_while_idle_is_quick(
    tmp_path: Path, pty: PtyPort, runners: Callable[..., DeviceRunner]
) -> None:
    inbox = Inbox()
    runner = runners(DeviceSpec("astm", pty.slave_path), inbox, tmp_path)
    started = time.monotonic()
    assert runner.stop(2.0)
    assert time.monotonic() - started < 0.5
    assert runner.status.state == "stopped" and inbox.states()[-1] == "stopped"


def test_stop_mid_message_finishes_the_message(
    tmp_path: Path, pty: PtyPort, runners: Callable[..., DeviceRunner], simulator: Any
) -> None:
    inbox = Inbox()
    runner = runners(DeviceSpec("astm", pty.slave_path), inbox, tmp_path)
    job = simulator(pty, [sample_message()], pause_after_frame=2, pause_seconds=0.8)
    assert wait_until(lambda: runner.status.state == "receiving")
    assert runner.stop(WAIT)
    assert job.result(WAIT).delivered == 1
    assert len(inbox.messages) == 1


def test_pulled_cable_is_an_error_retried_without_crashing(
    tmp_path: Path, runners: Callable[..., DeviceRunner]
) -> None:
    pty = PtyPort()
    inbox = Inbox()
    runner = runners(DeviceSpec("bp", pty.slave_path), inbox, tmp_path)
    pty.close()  # the USB adapter is gone, and its device node with it
    assert wait_until(lambda: inbox.states().count("error") >= 2, 3.0)  # lost, then retried
    assert "cannot open" in runner.status.last_error
    started = time.monotonic()
    assert runner.stop(2.0) and time.monotonic() - started < 0.5  # not waiting out the backoff


def test_cms50_ring_buffer_and_spot_check_over_tcp(
    tmp_path: Path, runners: Callable[..., DeviceRunner]
) -> None:
    ports: list[int] = []
    stop = threading.Event()
    sim = threading.Thread(
        target=simulate_cms50,
        args=("listen://127.0.0.1:0", stop),
        kwargs={"options": Cms50SimOptions(), "speed": 3, "on_listening": ports.append},
    )
    sim.start()
    try:
        assert wait_until(lambda: bool(ports))
        inbox = Inbox()
        runner = runners(DeviceSpec("cms50", f"socket://127.0.0.1:{ports[0]}"), inbox, tmp_path)
        with pytest.raises(SpotCheckRefused):
            runner.spot_check(seconds=0.01)
        assert wait_until(lambda: len(runner.latest_samples(1.0)) >= 90)
        assert inbox.messages == []  # samples feed the live view, not the inbox
        message = runner.spot_check(seconds=1.0, min_seconds=0.25)
    finally:
        stop.set()
        sim.join(WAIT)
    assert inbox.messages == [message]
    spo2, pulse = (r.value_num for r in message.results)
    assert spo2 is not None and 97 <= spo2 <= 99
    assert pulse is not None and 60 <= pulse <= 100
    assert runner.status.messages == 1


def test_bp_readings_delivered_and_bad_lines_counted(
    tmp_path: Path, pty: PtyPort, runners: Callable[..., DeviceRunner]
) -> None:
    inbox = Inbox()
    runner = runners(DeviceSpec("bp", pty.slave_path), inbox, tmp_path)
    stop = threading.Event()
    options = BpSimOptions(interval=0.05, bad_checksum_every=3)
    device = threading.Thread(target=pump, args=(pty.write, bp_ticks(options), stop))
    device.start()
    try:
        assert wait_until(lambda: len(inbox.messages) >= 4)
    finally:
        stop.set()
        device.join(WAIT)
    assert {r.code for r in inbox.messages[0].results} == {"8480-6", "8462-4", "8867-4"}
    assert inbox.messages[0].driver == "bp"
    assert wait_until(lambda: runner.status.rejected >= 1)


def test_gdt_folder_runner_retries_a_failed_delivery(tmp_path: Path) -> None:
    folder = tmp_path / "from-spiro"
    inbox = Inbox(fail=1)
    runner = GdtFolderRunner(
        folder, inbox.deliver, on_status=inbox.on_status, poll_interval=0.05, settle=0.0
    )
    runner.start()
    try:
        assert wait_until(lambda: "folder not found" in runner.status.last_error)
        folder.mkdir()
        patient = PatientRef("RSSMRA80A01H501U", "Rossi", "Mario", "19800101", "M")
        answer(request_record(patient, receiver_id="SPIRO"), folder, GdtSimOptions())
        assert wait_until(lambda: len(inbox.messages) == 1)
    finally:
        assert runner.stop(WAIT)
    [message] = inbox.messages
    assert message.driver == "gdt" and message.patient.family_name == "Rossi"
    assert "database locked" in runner.status.last_error  # the first try failed
    assert [p.name for p in folder.iterdir()] == ["imported"]
    assert runner.status.messages == 1 and inbox.states()[-1] == "stopped"
