"""Drivers against their simulators over real ptys, TCP on 127.0.0.1 and real folders.

Each device end runs in a thread; every wait is bounded (a stop timer ends any read loop,
every join has a timeout), so a broken line fails a test instead of hanging it.
"""

from __future__ import annotations

import itertools
import os
import queue
import select
import threading
import time
import tty
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import pytest

from app.devices import bp, cms50
from app.devices.gdt import watch_result_folder, write_request
from app.devices.results import DeviceMessage, LineError, PatientRef
from app.devices.sim_bp import BpSimOptions, bp_readings, bp_ticks, simulate_bp
from app.devices.sim_cms50 import Cms50SimOptions, cms50_samples, cms50_ticks, simulate_cms50
from app.devices.sim_gdt import GdtSimOptions, simulate_gdt
from app.devices.simulators import Tick, pump, replay

T = TypeVar("T")
WAIT = 5.0  # seconds: the longest any single wait may take


class Pty:
    """A pty pair in raw mode; the master end plays the device, the slave path is the port."""

    def __init__(self) -> None:
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        os.set_blocking(self.master, False)
        self.path = os.ttyname(self.slave)
        self._lock = threading.Lock()

    def write(self, data: bytes) -> None:
        """What a UART does: send, and lose what nobody has room for."""
        with self._lock:
            if self.master >= 0:
                try:
                    os.write(self.master, data)
                except BlockingIOError:
                    pass

    def pull_the_cable(self) -> None:
        with self._lock:
            if self.master >= 0:
                os.close(self.master)
                self.master = -1

    def close(self) -> None:
        self.pull_the_cable()
        os.close(self.slave)


@contextmanager
def device_on_pty(ticks: Iterator[Tick], *, speed: float = 1.0) -> Iterator[Pty]:
    """A device thread playing ``ticks`` into a pty; the cable is pulled when they end."""
    pty, stop = Pty(), threading.Event()

    def run() -> None:
        pump(pty.write, ticks, stop, speed=speed)
        pty.pull_the_cable()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield pty
    finally:
        stop.set()
        thread.join(WAIT)
        pty.close()
    assert not thread.is_alive()


@contextmanager
def running(
    target: Callable[..., None], *args: object, **kwargs: object
) -> Iterator[threading.Event]:
    """Run a simulator in a thread until the block ends."""
    stop = threading.Event()
    thread = threading.Thread(target=target, args=(*args, stop), kwargs=kwargs, daemon=True)
    thread.start()
    try:
        yield stop
    finally:
        stop.set()
        thread.join(WAIT)
    assert not thread.is_alive()


@contextmanager
def tcp_simulator(target: Callable[..., None], **kwargs: object) -> Iterator[str]:
    """A simulator serving on listen://127.0.0.1:0; yields the driver's socket:// URL."""
    ports: queue.Queue[int] = queue.Queue()
    with running(target, "listen://127.0.0.1:0", on_listening=ports.put, **kwargs):
        yield f"socket://127.0.0.1:{ports.get(timeout=WAIT)}"


def collect(
    items: Callable[[threading.Event], Iterator[T]], enough: int
) -> tuple[list[T], LineError | None]:
    """Items until ``enough`` arrived, the line dropped (the error) or WAIT ran out."""
    stop = threading.Event()
    timer = threading.Timer(WAIT, stop.set)
    timer.start()
    got: list[T] = []
    try:
        for item in items(stop):
            got.append(item)
            if len(got) >= enough:
                break
    except LineError as exc:
        return got, exc
    finally:
        timer.cancel()
    return got, None


def read_master(pty: Pty, decoder: cms50.Cms50Decoder, enough: int) -> list[cms50.Sample]:
    """Samples read on the master end (the simulator opened the slave path itself)."""
    got: list[cms50.Sample] = []
    deadline = time.monotonic() + WAIT
    while len(got) < enough and time.monotonic() < deadline:
        ready, _, _ = select.select([pty.master], [], [], 0.1)
        if ready:
            got += decoder.feed(os.read(pty.master, 4096))
    return got


# --- CMS50 ------------------------------------------------------------------------------


def cms50_over(line_url: str) -> Callable[[threading.Event], Iterator[cms50.Sample]]:
    def items(stop: threading.Event) -> Iterator[cms50.Sample]:
        line = cms50.open_line(line_url)
        try:
            yield from cms50.iter_samples(line, stop)
        finally:
            line.close()

    return items


def test_cms50_over_a_pty_survives_a_pulled_cable_and_reconnects():
    options = Cms50SimOptions(high_pulse=True, noise_every=0.2, drop_after=1.0)
    expected = list(cms50_samples(options))
    with device_on_pty(cms50_ticks(options), speed=2) as pty:
        got, error = collect(cms50_over(pty.path), enough=10_000)
    assert error is not None and "line lost" in str(error)
    assert 30 <= len(got) <= 60 and run_of(got, expected)  # complete readings kept
    assert spot_check_pulse(got) > 127
    with device_on_pty(cms50_ticks(options), speed=2) as pty:  # the device is back
        again, _ = collect(cms50_over(pty.path), enough=20)
    assert len(again) == 20 and run_of(again, expected)


def run_of(got: list[T], sent: list[T]) -> bool:
    """``got`` is an unbroken run of what was ``sent``.

    On a pty the stream may start before the driver opens the port (pyserial flushes
    what arrived earlier), so the run need not start at the first item.
    """
    return any(sent[k : k + len(got)] == got for k in range(len(sent) - len(got) + 1))


def spot_check_pulse(samples: list[cms50.Sample]) -> float:
    value = cms50.spot_check(samples, seconds=1, min_seconds=0.25).results[1].value_num
    assert value is not None
    return value


def test_cms50_simulator_opens_a_pty_path_like_a_device():
    options = Cms50SimOptions(finger_out_at=0.2, finger_out_for=0.3)
    pty = Pty()
    try:
        with running(simulate_cms50, pty.path, options=options, speed=3):
            got = read_master(pty, cms50.Cms50Decoder(), enough=90)
    finally:
        pty.close()
    assert len(got) >= 90 and any(s.finger_out for s in got)
    assert got[:90] == list(itertools.islice(cms50_samples(options), 90))


def test_cms50_over_tcp_drops_and_reconnects():
    options = Cms50SimOptions(drop_after=1.0)
    expected = list(cms50_samples(options))
    with tcp_simulator(simulate_cms50, options=options, speed=2) as url:
        got, error = collect(cms50_over(url), enough=10_000)
        assert error is not None and got == expected  # the server closed after 60 samples
        again, error = collect(cms50_over(url), enough=30)
    assert error is None and again == expected[:30]


def test_a_transcript_is_replayed_byte_for_byte(tmp_path: Path):
    options = Cms50SimOptions(noise_every=0.1, drop_after=2)
    transcript = tmp_path / "cms50.bin"
    transcript.write_bytes(b"".join(data for _, data in cms50_ticks(options)))
    expected = list(cms50_samples(options))
    with tcp_simulator(replay, transcript=transcript, bytes_per_second=3000) as url:
        got, error = collect(cms50_over(url), enough=10_000)
    assert error is not None and got == expected
    pty = Pty()
    try:
        with running(replay, pty.path, transcript=transcript):
            assert read_master(pty, cms50.Cms50Decoder(), enough=len(expected)) == expected
    finally:
        pty.close()


# --- blood pressure ---------------------------------------------------------------------


def bp_over(line_url: str) -> Callable[[threading.Event], Iterator[bp.Reading | bp.BpError]]:
    def items(stop: threading.Event) -> Iterator[bp.Reading | bp.BpError]:
        line = bp.open_line(line_url)
        try:
            yield from bp.iter_readings(line, stop)
        finally:
            line.close()

    return items


def values(item: bp.Reading | bp.BpError) -> tuple[object, ...]:
    """What was measured (the device clock differs between two runs)."""
    if isinstance(item, bp.BpReading):
        return (item.systolic, item.diastolic, item.pulse)
    if isinstance(item, bp.WeightReading):
        return (item.kg,)
    return (str(item),)


def test_bp_over_a_pty_keeps_readings_before_a_pulled_cable():
    options = BpSimOptions(interval=0.1, weight_every=2, drop_after=0.75)
    with device_on_pty(bp_ticks(options)) as pty:
        got, error = collect(bp_over(pty.path), enough=100)
    assert error is not None and 4 <= len(got) <= 7  # 7 sent in 0.75 s
    expected = [values(x) for x in itertools.islice(bp_readings(options), 7)]
    assert run_of([values(x) for x in got], expected)
    messages = [bp.to_message(x) for x in got if not isinstance(x, bp.BpError)]
    assert {r.code for m in messages for r in m.results} == {
        "8480-6",
        "8462-4",
        "8867-4",
        "29463-7",
    }
    with device_on_pty(bp_ticks(options)) as pty:
        again, _ = collect(bp_over(pty.path), enough=2)
    assert len(again) == 2


def test_bp_over_tcp_reports_bad_lines_in_place_and_reconnects():
    options = BpSimOptions(interval=0.05, bad_checksum_every=3, drop_after=0.6)
    with tcp_simulator(simulate_bp, options=options) as url:
        got, error = collect(bp_over(url), enough=100)
        sent = [data for _, data in bp_ticks(options) if data]
        assert error is not None and len(got) == len(sent) >= 8  # TCP loses nothing sent
        assert [isinstance(x, bp.BpError) for x in got[:6]] == [False, False, True] * 2
        expected = [values(x) for x in itertools.islice(bp_readings(options), 6)]
        assert [values(x) for x in got[:6] if not isinstance(x, bp.BpError)] == [
            expected[i] for i in (0, 1, 3, 4)
        ]
        again, error = collect(bp_over(url), enough=2)
    assert error is None and len(again) == 2


# --- GDT --------------------------------------------------------------------------------


def test_gdt_request_to_result_through_the_simulated_spirometer(tmp_path: Path):
    requests, results = tmp_path / "to-spiro", tmp_path / "from-spiro"
    requests.mkdir()
    results.mkdir()
    received: queue.Queue[DeviceMessage] = queue.Queue()
    patient = PatientRef("RSSNCL80A01H501X", "Lucà", "Nicolò", "19800101", "M")
    sim = GdtSimOptions(delay=0.05, poll_interval=0.05)
    with (
        running(simulate_gdt, requests, result_folder=results, options=sim),
        running(watch_result_folder, results, received.put, poll_interval=0.05, settle=0.1),
    ):
        write_request(requests, patient, receiver_id="SPIRO")
        message = received.get(timeout=WAIT)
    assert message.patient == patient
    by_code = {r.code: r for r in message.results}
    assert 1 < by_code["20150-9"].value_num < by_code["19868-9"].value_num  # type: ignore[operator]
    assert by_code["19935-6"].unit == "L/s" and by_code["19926-5"].unit == "%"
    assert list(message.attachments) == ["MEDIRETESPIRO_curve.csv"]
    assert list(requests.iterdir()) == []  # the request was consumed
    assert sorted(p.name for p in (results / "imported").iterdir()) == [
        "MEDIRETESPIRO.gdt",
        "MEDIRETESPIRO_curve.csv",
    ]
    assert received.empty()


@pytest.mark.parametrize("url", ["/nonexistent/tty", "socket://127.0.0.1:1"])
def test_a_port_that_cannot_open_is_a_line_error(url: str):
    with pytest.raises(LineError, match="cannot open"):
        cms50.open_line(url)
    with pytest.raises(LineError, match="cannot open"):
        bp.open_line(url)
