"""E1381 (CLSI LIS1-A) frames: control characters, checksum, building and checking frames.

A frame is ``STX FN text ETB|ETX C1 C2 CR LF``: FN is the frame number ``1..7,0``,
C1 C2 the checksum of the bytes from FN through ETB/ETX inclusive (sum mod 256, two
hex digits). A record longer than 240 characters is split over ETB frames; the frame
that ends it uses ETX. Everything here is pure: bytes in, bytes or a ``Frame`` out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.devices.astm.errors import AstmFrameError

STX = 0x02
ETX = 0x03
EOT = 0x04
ENQ = 0x05
ACK = 0x06
LF = 0x0A
CR = 0x0D
NAK = 0x15
ETB = 0x17

MAX_FRAME_TEXT = 240  # E1381: at most 240 characters of text per frame (247 in all)
FRAME_OVERHEAD = 7  # STX, FN, ETB/ETX, C1, C2, CR, LF

# LIS2-A2 restricted characters: never inside frame text (CR is the record terminator).
RESTRICTED = frozenset(
    {0x01, STX, ETX, EOT, ENQ, ACK, 0x10, NAK, 0x16, ETB, LF, 0x11, 0x12, 0x13, 0x14}
)
_FRAME_NUMBERS = b"01234567"
_HEX_DIGITS = frozenset(b"0123456789ABCDEFabcdef")


@dataclass(frozen=True)
class Frame:
    """One checked frame: its number, its text and whether it ends a record (ETX)."""

    number: int
    text: bytes
    final: bool
    raw: bytes


def checksum(body: bytes) -> bytes:
    """The two uppercase hex digits of ``sum(body) mod 256`` (body = FN..ETB/ETX)."""
    return b"%02X" % (sum(body) & 0xFF)


def build_frame(number: int, text: bytes, *, final: bool) -> bytes:
    """One frame carrying ``text`` with frame number ``number mod 8``."""
    body = bytes([_FRAME_NUMBERS[number % 8]]) + text + bytes([ETX if final else ETB])
    return bytes([STX]) + body + checksum(body) + b"\r\n"


def frame_records(records: Sequence[bytes], max_text: int = MAX_FRAME_TEXT) -> list[bytes]:
    """Frames for one link session: records (without CR) split at ``max_text``, FN from 1.

    Each record starts a new frame; its terminating CR is part of the frame text, so a
    record of N characters needs ``ceil((N + 1) / max_text)`` frames.
    """
    if max_text < 1:
        raise ValueError("max_text must be at least 1")
    frames: list[bytes] = []
    for record in records:
        data = record + b"\r"
        for start in range(0, len(data), max_text):
            chunk = data[start : start + max_text]
            final = start + max_text >= len(data)
            frames.append(build_frame(len(frames) + 1, chunk, final=final))
    return frames


def with_bad_checksum(frame: bytes) -> bytes:
    """The same frame with a checksum that is off by one (the receiver must NAK it)."""
    body = frame[1:-4]
    wrong = b"%02X" % ((sum(body) + 1) & 0xFF)
    return frame[:-4] + wrong + b"\r\n"


def parse_frame(raw: bytes) -> Frame:
    """Check one complete frame (STX..LF) and return it; raise ``AstmFrameError`` if bad.

    The checksum value is checked strictly; hex digits are accepted in either case.
    """
    if len(raw) < FRAME_OVERHEAD:
        raise AstmFrameError(f"frame too short ({len(raw)} bytes)")
    if raw[0] != STX or raw[-2:] != b"\r\n":
        raise AstmFrameError("frame does not start with STX or end with CR LF")
    terminator = raw[-5]
    if terminator not in (ETX, ETB):
        raise AstmFrameError("frame has no ETX or ETB before its checksum")
    if raw[1] not in _FRAME_NUMBERS:
        raise AstmFrameError(f"bad frame number {raw[1:2]!r}")
    text = raw[2:-5]
    bad = next((byte for byte in text if byte in RESTRICTED), None)
    if bad is not None:
        raise AstmFrameError(f"restricted character 0x{bad:02X} in frame text")
    sent = raw[-4:-2]
    if not all(byte in _HEX_DIGITS for byte in sent):
        raise AstmFrameError(f"checksum {sent!r} is not two hex digits")
    expected = checksum(raw[1:-4])
    if sent.upper() != expected:
        raise AstmFrameError(f"bad checksum {sent!r}, expected {expected!r}")
    return Frame(number=raw[1] - 0x30, text=text, final=terminator == ETX, raw=raw)


def _frame_end(data: bytes, start: int) -> int:
    """Index just past the frame starting at ``start`` (or the end of the data)."""
    for index in range(start + 1, len(data)):
        if data[index] in (ETX, ETB):
            return min(index + 5, len(data))
        if data[index] in (STX, EOT, ENQ, LF):
            return index
    return len(data)


def split_transcript(data: bytes) -> list[list[bytes]]:
    """Split what an instrument sent into link sessions, each a list of frame units.

    ENQ opens a session and EOT closes it; the ENQ and EOT themselves are not kept
    (a sender writes them again). Any stray bytes are kept, byte for byte, in front of
    the unit that follows them; stray bytes after the last frame of a session are
    dropped, and frames outside ENQ..EOT form a session of their own.
    """
    sessions: list[list[bytes]] = []
    units: list[bytes] = []
    stray = bytearray()
    index = 0
    while index < len(data):
        byte = data[index]
        if byte in (ENQ, EOT):
            if units:
                sessions.append(units)
            units, stray = [], bytearray()
            index += 1
        elif byte == STX:
            end = _frame_end(data, index)
            units.append(bytes(stray) + data[index:end])
            stray = bytearray()
            index = end
        else:
            stray.append(byte)
            index += 1
    if units:
        sessions.append(units)
    return sessions


def _unit_number(unit: bytes) -> int | None:
    start = unit.find(bytes([STX]))
    if start < 0 or start + 1 >= len(unit):
        return None
    return unit[start + 1]


def group_retransmissions(units: Sequence[bytes]) -> list[tuple[bytes, ...]]:
    """Group consecutive units with the same frame number: the later ones were resent.

    The result feeds ``AstmLink.send``: attempt ``n`` of a frame uses the ``n``-th
    variant (the last one once they run out).
    """
    groups: list[list[bytes]] = []
    for unit in units:
        number = _unit_number(unit)
        if groups and number is not None and _unit_number(groups[-1][-1]) == number:
            groups[-1].append(unit)
        else:
            groups.append([unit])
    return [tuple(group) for group in groups]
