"""Serial lines shared by the stream drivers: open a port, read what arrives until stopped."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping

import serial

from app.devices.results import LineError


def open_line(url: str, settings: Mapping[str, object], *, timeout: float = 0.1
              ) -> serial.SerialBase:
    """Open a port (a path or pyserial URL) with its line settings; LineError if it fails."""
    try:
        return serial.serial_for_url(url, timeout=timeout, **settings)
    except (serial.SerialException, OSError, ValueError) as exc:
        raise LineError(f"cannot open {url}: {exc}") from exc


def read_chunks(line: serial.SerialBase, stop: threading.Event, what: str) -> Iterator[bytes]:
    """What arrives on ``line`` until ``stop`` is set; LineError (naming ``what``) on a drop."""
    while not stop.is_set():
        try:
            yield line.read(line.in_waiting or 1)
        except (serial.SerialException, OSError) as exc:
            raise LineError(f"{what} line lost: {exc}") from exc
