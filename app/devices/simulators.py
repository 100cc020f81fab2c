"""What every line simulator shares: timed output to a port, TCP serving, transcript replay.

A simulator is a stream of ticks, ``(seconds to wait, bytes to send)``; it ends when the
simulated device drops the line. ``run_on_port`` plays it on:

- a pyserial URL or device path (``/dev/pts/5``, ``COM7``, ``socket://host:port``,
  ``loop://``): the simulator opens the port like a device plugged into it;
- ``listen://HOST:PORT`` (ours, not pyserial's): a TCP server, like a serial-to-network
  adapter; each client that connects (``socket://HOST:PORT`` on the driver's side) gets
  a fresh stream, so a driver can reconnect after the line dropped.

The drivers' simulators live in ``sim_cms50``, ``sim_bp`` and ``sim_gdt``.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import serial

from app.devices.results import LineError

log = logging.getLogger(__name__)

Tick = tuple[float, bytes]  # seconds to wait before sending, bytes to send
LISTEN = "listen://"


def pump(
    write: Callable[[bytes], object],
    ticks: Iterable[Tick],
    stop: threading.Event,
    *,
    speed: float = 1.0,
) -> bool:
    """Send ``ticks`` on schedule (``speed`` > 1 runs faster); False when ``stop`` cut it."""
    due = time.monotonic()
    for delay, data in ticks:
        due += delay / speed
        if stop.wait(max(0.0, due - time.monotonic())):
            return False
        if data:
            write(data)
    return not stop.is_set()


def _serial_writer(line: serial.SerialBase) -> Callable[[bytes], None]:
    def write(data: bytes) -> None:
        try:
            line.write(data)
        except serial.SerialTimeoutException:
            pass  # nobody reads the other end: a real device does not wait either

    return write


def play_serial(
    url: str,
    ticks: Iterable[Tick],
    stop: threading.Event,
    *,
    settings: dict[str, object] | None = None,
    speed: float = 1.0,
) -> None:
    """Open ``url`` with pyserial, play ``ticks`` on it, close it (the line drops)."""
    try:
        line = serial.serial_for_url(url, write_timeout=1.0, **(settings or {}))
    except (serial.SerialException, OSError, ValueError) as exc:
        raise LineError(f"cannot open {url}: {exc}") from exc
    try:
        pump(_serial_writer(line), ticks, stop, speed=speed)
    except (serial.SerialException, OSError) as exc:
        log.info("simulator line %s closed: %s", url, exc)
    finally:
        line.close()


def listen_address(port: str) -> tuple[str, int]:
    """``listen://HOST:PORT`` -> (host, port); ``LineError`` when malformed."""
    host, _, number = port.removeprefix(LISTEN).rpartition(":")
    if not number.isdigit() or int(number) > 65535:
        raise LineError(f"not a listen://HOST:PORT address: {port}")
    return host or "127.0.0.1", int(number)


def serve_tcp(
    address: tuple[str, int],
    ticks: Callable[[], Iterable[Tick]],
    stop: threading.Event,
    *,
    speed: float = 1.0,
    on_listening: Callable[[int], None] | None = None,
) -> None:
    """Serve a fresh ``ticks()`` stream to each client in turn until ``stop`` is set."""
    try:
        server = socket.create_server(address)
    except OSError as exc:
        raise LineError(f"cannot listen on {address[0]}:{address[1]}: {exc}") from exc
    with server:
        server.settimeout(0.1)
        if on_listening is not None:
            on_listening(server.getsockname()[1])
        while not stop.is_set():
            try:
                conn, peer = server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(2.0)
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                try:
                    pump(conn.sendall, ticks(), stop, speed=speed)
                except OSError as exc:
                    log.info("simulator client %s gone: %s", peer, exc)


def run_on_port(
    port: str,
    ticks: Callable[[], Iterable[Tick]],
    stop: threading.Event,
    *,
    settings: dict[str, object] | None = None,
    speed: float = 1.0,
    on_listening: Callable[[int], None] | None = None,
) -> None:
    """Play ``ticks()`` on a pyserial URL or serve it on ``listen://HOST:PORT``."""
    if port.startswith(LISTEN):
        serve_tcp(listen_address(port), ticks, stop, speed=speed, on_listening=on_listening)
    else:
        play_serial(port, ticks(), stop, settings=settings, speed=speed)


def transcript_ticks(data: bytes, bytes_per_second: float | None = None) -> Iterator[Tick]:
    """``data`` in small chunks, paced at ``bytes_per_second`` (None: as fast as possible)."""
    size = 16 if bytes_per_second else 4096
    for start in range(0, len(data), size):
        chunk = data[start : start + size]
        yield (len(chunk) / bytes_per_second if bytes_per_second else 0.0), chunk


def replay(
    port: str,
    stop: threading.Event,
    transcript: Path,
    *,
    bytes_per_second: float | None = None,
    settings: dict[str, object] | None = None,
    on_listening: Callable[[int], None] | None = None,
) -> None:
    """Send a recorded transcript byte for byte (``devsim --replay FILE``)."""
    data = transcript.read_bytes()
    run_on_port(
        port,
        lambda: transcript_ticks(data, bytes_per_second),
        stop,
        settings=settings,
        on_listening=on_listening,
    )
