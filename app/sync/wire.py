"""Sync framing: a 4-byte big-endian length, then one CBOR map (ADR 0023); and the
TCP keepalive every sync connection has.

Every message is a map with a text ``"type"``. Frames are encoded canonically (one
encoding per value) and read back strictly: a frame over ``MAX_FRAME``, bytes that are
not one CBOR item, or values of a type sync never sends (tags such as dates, sets,
shared references) are a ``ProtocolError``, so the layers above only ever see plain
maps, lists, text, bytes, numbers, booleans and null.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import socket
import struct
from typing import Any

import cbor2

from app.core.errors import MedireteError

MAX_FRAME = 64 * 1024 * 1024
_HEADER = struct.Struct(">I")
_SCALARS = (str, bytes, int, float, bool, type(None))
_KEYS = (str, int)

Message = dict[str, Any]


class ProtocolError(MedireteError):
    message = "The other workstation sent a sync message this one cannot read ({detail})"


class ConnectionClosed(MedireteError):
    message = "The other workstation closed the connection"


class PeerSilent(ConnectionClosed):
    """A peer that stopped answering without closing (``session.ANSWER_SECONDS``)."""

    message = "Workstation {peer} did not answer for {seconds} seconds"


async def read_frame(reader: asyncio.StreamReader) -> Message:
    """The next message; ``ConnectionClosed`` at a clean end of the stream."""
    try:
        header = await reader.readexactly(_HEADER.size)
    except asyncio.IncompleteReadError as exc:
        if not exc.partial:
            raise ConnectionClosed() from exc
        raise _closed_mid_frame() from exc
    (size,) = _HEADER.unpack(header)
    if size > MAX_FRAME:
        raise ProtocolError(
            "A sync message of {size} bytes is over the limit of {limit} bytes",
            size=size,
            limit=MAX_FRAME,
        )
    try:
        body = await reader.readexactly(size)
    except asyncio.IncompleteReadError as exc:
        raise _closed_mid_frame() from exc
    return decode(body)


async def write_frame(writer: asyncio.StreamWriter, message: Message) -> None:
    """Send one message and wait until the transport has taken it."""
    writer.write(encode(message))
    await writer.drain()


def encode(message: Message) -> bytes:
    """One frame (header and body) for ``message``."""
    if not isinstance(message.get("type"), str):
        raise ValueError(f"a sync message needs a text 'type': {message!r:.200}")
    body = cbor2.dumps(message, canonical=True)
    if len(body) > MAX_FRAME:
        raise ProtocolError(
            "A sync message of {size} bytes is over the limit of {limit} bytes",
            size=len(body),
            limit=MAX_FRAME,
        )
    return _HEADER.pack(len(body)) + body


def decode(body: bytes) -> Message:
    """The message in one frame body."""
    stream = io.BytesIO(body)
    try:
        value = cbor2.CBORDecoder(stream).decode()
    except (cbor2.CBORDecodeError, ValueError, TypeError, RecursionError, OverflowError) as exc:
        raise ProtocolError(detail=f"CBOR: {exc}") from exc
    if stream.tell() != len(body):
        raise ProtocolError(detail=f"{len(body) - stream.tell()} bytes after the message")
    _check_plain(value)
    if not isinstance(value, dict) or not isinstance(value.get("type"), str):
        raise ProtocolError(detail="not a map with a text 'type'")
    return value


def _closed_mid_frame() -> ProtocolError:
    return ProtocolError("The connection was closed in the middle of a sync message")


def _check_plain(value: object) -> None:
    """Refuse anything but plain data; iterative, so deep nesting cannot overflow."""
    seen: set[int] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, _SCALARS):
            continue
        if not isinstance(item, list | dict):
            raise ProtocolError(detail=f"a value of type {type(item).__name__}")
        if id(item) in seen:  # a shared reference, possibly a cycle
            raise ProtocolError(detail="a shared value")
        seen.add(id(item))
        if isinstance(item, dict):
            if not all(isinstance(k, _KEYS) and not isinstance(k, bool) for k in item):
                raise ProtocolError(detail="a map key that is not text or an integer")
            stack.extend(item.values())
        else:
            stack.extend(item)


# TCP keepalive: first probe after 10 s idle, then every 5 s, given up after 3 unanswered;
# and at most 30 s (in ms) for data sent to be acknowledged (Linux).
KEEPALIVE = (("TCP_KEEPIDLE", 10), ("TCP_KEEPINTVL", 5), ("TCP_KEEPCNT", 3),
             ("TCP_USER_TIMEOUT", 30_000))


def keep_alive(writer: asyncio.StreamWriter) -> None:
    """Have the system probe an idle connection: a peer switched off or unplugged is
    noticed within about half a minute (and data unacknowledged for 30 s ends the
    connection where the system can say so), not after the quarter of an hour of TCP's
    own retries. Where an option is missing (an older Windows) the session's answer
    deadline (``session.ANSWER_SECONDS``) still ends it."""
    sock = writer.get_extra_info("socket")
    if sock is None:
        return
    options = [(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)]
    for name, value in KEEPALIVE:
        if hasattr(socket, name):
            options.append((socket.IPPROTO_TCP, getattr(socket, name), value))
    for level, option, value in options:
        with contextlib.suppress(OSError):
            sock.setsockopt(level, option, value)
