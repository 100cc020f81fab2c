"""Byte ports for the simulator and tests: pyserial URLs, a fresh pty, a TCP listener.

Everything here reads with a timeout (never blocks forever) and has pyserial's shape:
``read(size)``, ``write(data)``, ``in_waiting``, ``close()``.
"""

from __future__ import annotations

import array
import fcntl
import os
import select
import socket
import termios
import time
import tty
from typing import Protocol, cast

import serial

from app.devices.astm.errors import AstmLineError

READ_TIMEOUT = 0.02  # seconds a read waits for a first byte
TCP_LISTEN_SCHEME = "listen://"  # same scheme as app.devices.simulators


class Port(Protocol):
    """What the simulator needs from a line (pyserial's ``Serial`` fits)."""

    @property
    def in_waiting(self) -> int:
        """Bytes that can be read at once."""
        ...

    def read(self, size: int = 1) -> bytes:
        """Up to ``size`` bytes; may return fewer (or none) after the timeout."""
        ...

    def write(self, data: bytes, /) -> int | None:
        """Write all of ``data``."""
        ...

    def close(self) -> None:
        """Close the line."""
        ...


def _pending(fd: int) -> int:
    buffer = array.array("i", [0])
    fcntl.ioctl(fd, termios.FIONREAD, buffer)
    return buffer[0]


def read_available(port: Port, limit: int = 65536) -> bytes:
    """Whatever has arrived (waiting up to the port's timeout for a first byte)."""
    first = port.read(1)
    if not first:
        return b""
    waiting = min(port.in_waiting, limit)
    return first + (port.read(waiting) if waiting else b"")


class PtyPort:
    """The master end of a new pseudo-terminal; the peer opens ``slave_path``.

    The slave is put in raw mode at once (no echo, no CR/LF translation) and kept open
    here, so bytes written before the peer opens it are neither echoed nor lost to EIO.
    """

    def __init__(self, timeout: float = READ_TIMEOUT) -> None:
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        self.slave_path = os.ttyname(self._slave)
        self.timeout = timeout
        self._closed = False

    @property
    def in_waiting(self) -> int:
        """Bytes ready on the master."""
        return 0 if self._closed else _pending(self._master)

    def read(self, size: int = 1) -> bytes:
        """Up to ``size`` bytes, waiting up to ``timeout`` for the first."""
        if self._closed:
            raise AstmLineError("pty closed")
        ready, _, _ = select.select([self._master], [], [], self.timeout)
        return os.read(self._master, size) if ready else b""

    def write(self, data: bytes, /) -> int:
        """Write all of ``data``."""
        if self._closed:
            raise AstmLineError("pty closed")
        view = memoryview(data)
        while view:
            view = view[os.write(self._master, view) :]
        return len(data)

    def close(self) -> None:
        """Close both ends: the peer's reads fail (the cable is pulled)."""
        if not self._closed:
            self._closed = True
            os.close(self._master)
            os.close(self._slave)


class SocketPort:
    """A connected TCP socket with pyserial's shape."""

    def __init__(self, sock: socket.socket, timeout: float = READ_TIMEOUT) -> None:
        self._sock = sock
        self.timeout = timeout

    @property
    def in_waiting(self) -> int:
        """Bytes ready on the socket."""
        return _pending(self._sock.fileno())

    def read(self, size: int = 1) -> bytes:
        """Up to ``size`` bytes; the peer closing raises ``AstmLineError``."""
        ready, _, _ = select.select([self._sock], [], [], self.timeout)
        if not ready:
            return b""
        data = self._sock.recv(size)
        if not data:
            raise AstmLineError("the peer closed the connection")
        return data

    def write(self, data: bytes, /) -> int:
        """Write all of ``data``."""
        self._sock.sendall(data)
        return len(data)

    def close(self) -> None:
        """Close the connection."""
        self._sock.close()


class TcpServerPort:
    """A listening TCP socket that serves one connection at a time (like a serial-to-LAN
    adapter in server mode). ``close`` ends the connection; ``shutdown`` the listener."""

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, *, accept_timeout: float = 10.0
    ) -> None:
        self._listener = socket.create_server((host, port))
        self.address = cast(tuple[str, int], self._listener.getsockname()[:2])
        self.accept_timeout = accept_timeout
        self._connection: SocketPort | None = None

    @property
    def url(self) -> str:
        """The pyserial URL a client uses to connect."""
        return f"socket://{self.address[0]}:{self.address[1]}"

    def _accept(self, wait: float) -> SocketPort | None:
        if self._connection is None:
            ready, _, _ = select.select([self._listener], [], [], wait)
            if ready:
                sock, _ = self._listener.accept()
                self._connection = SocketPort(sock)
        return self._connection

    @property
    def in_waiting(self) -> int:
        """Bytes ready on the current connection."""
        return self._connection.in_waiting if self._connection else 0

    def read(self, size: int = 1) -> bytes:
        """Up to ``size`` bytes from the connection (accepting one if none yet)."""
        connection = self._accept(READ_TIMEOUT)
        return connection.read(size) if connection else b""

    def write(self, data: bytes, /) -> int:
        """Write to the connection, waiting up to ``accept_timeout`` for a client."""
        end = time.monotonic() + self.accept_timeout
        connection = self._accept(self.accept_timeout)
        while connection is None and time.monotonic() < end:
            connection = self._accept(READ_TIMEOUT)
        if connection is None:
            raise AstmLineError("no client connected")
        return connection.write(data)

    def close(self) -> None:
        """End the current connection; the listener stays open for the next client."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def shutdown(self) -> None:
        """End the connection and stop listening."""
        self.close()
        self._listener.close()


def open_port(url: str, *, baudrate: int = 9600, timeout: float = READ_TIMEOUT) -> Port:
    """Open a line by URL: a device path, ``socket://host:port``, ``loop://`` or any
    pyserial URL, or ``listen://host:port`` to wait for a TCP client."""
    if url.startswith(TCP_LISTEN_SCHEME):
        host, _, port = url[len(TCP_LISTEN_SCHEME) :].rpartition(":")
        try:
            return TcpServerPort(host or "127.0.0.1", int(port))
        except (OSError, ValueError) as error:
            raise AstmLineError(f"cannot listen on {url}: {error}") from error
    try:
        return cast(
            Port,
            serial.serial_for_url(url, baudrate=baudrate, timeout=timeout, write_timeout=5.0),
        )
    except (OSError, ValueError) as error:  # SerialException is an OSError
        raise AstmLineError(f"cannot open {url}: {error}") from error
