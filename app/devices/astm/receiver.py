"""The LIS end of an ASTM line: link layer + record layer, bytes in, messages out.

``AstmReceiver`` is still sans-IO: whoever owns the port reads bytes, calls ``feed``
(and ``tick`` at ``next_deadline``), writes ``output.reply`` back to the line and hands
``output.messages`` to the inbox. A message in hand when the peer's session breaks
(EOT before the L record, receiver timeout, line lost) is dropped; messages completed
before are already out. A complete message whose records are bad comes out in
``output.rejected`` with its raw bytes, so nothing the device sent is silently lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from app.devices.astm.convert import ROME, to_device_messages
from app.devices.astm.errors import AstmError
from app.devices.astm.frames import ENQ, EOT, split_transcript
from app.devices.astm.link import (
    AstmLink,
    Delivered,
    DeliveryFailed,
    LinkEvent,
    LinkSettings,
    Note,
    RecordText,
    Role,
    SessionEnded,
    Transmit,
)
from app.devices.astm.records import parse_records, split_records
from app.devices.results import DeviceMessage

MAX_MESSAGE_BYTES = 4 * 1024 * 1024  # a POC message is a few kB; refuse runaway input


@dataclass(frozen=True)
class RejectedMessage:
    """A complete H..L message that could not be read, with its bytes and the reason."""

    raw: bytes
    reason: str


@dataclass(frozen=True)
class ReceiverOutput:
    """What one call produced: bytes to write back, messages, rejects, log lines."""

    reply: bytes = b""
    messages: tuple[DeviceMessage, ...] = ()
    rejected: tuple[RejectedMessage, ...] = ()
    log: tuple[str, ...] = ()
    delivered: tuple[object, ...] = ()  # tags of messages we sent that went through
    failed: tuple[object, ...] = ()  # tags of messages we sent that were abandoned


@dataclass
class _Collected:
    reply: bytearray = field(default_factory=bytearray)
    messages: list[DeviceMessage] = field(default_factory=list)
    rejected: list[RejectedMessage] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    delivered: list[object] = field(default_factory=list)
    failed: list[object] = field(default_factory=list)

    def output(self) -> ReceiverOutput:
        return ReceiverOutput(
            bytes(self.reply),
            tuple(self.messages),
            tuple(self.rejected),
            tuple(self.log),
            tuple(self.delivered),
            tuple(self.failed),
        )


class MessageAssembler:
    """Gathers records from H to L; a new H or a broken session drops what is in hand."""

    def __init__(self, zone: ZoneInfo = ROME) -> None:
        self.zone = zone
        self._lines: list[bytes] | None = None
        self._raw = bytearray()

    @property
    def in_progress(self) -> bool:
        """Whether a message has started (H seen) and not ended (no L yet)."""
        return self._lines is not None

    def add(self, chunk: RecordText, out: _Collected) -> None:
        """Take one record's text (possibly several records) with its raw frames."""
        raw_taken = False
        for line in split_records(chunk.text):
            if line.startswith(b"H"):
                if self._lines is not None:
                    out.log.append(f"new H record before L: {len(self._lines)} records dropped")
                self._lines, self._raw = [], bytearray()
                raw_taken = False
            if self._lines is None:
                out.log.append(f"record outside a message ignored: {line[:20]!r}")
                continue
            if not raw_taken:
                self._raw += chunk.raw
                raw_taken = True
            self._lines.append(line)
            if len(self._raw) > MAX_MESSAGE_BYTES:
                out.log.append("message larger than 4 MiB: dropped")
                self._lines = None
            elif line.startswith(b"L"):
                self._complete(out)

    def session_ended(self, event: SessionEnded, out: _Collected) -> None:
        """The link session ended: a message without its L record is dropped."""
        if self._lines is not None:
            out.log.append(
                f"message cut short ({event.reason}): {len(self._lines)} records dropped"
            )
        self._lines = None
        self._raw = bytearray()

    def _complete(self, out: _Collected) -> None:
        assert self._lines is not None
        raw = bytes(self._raw)
        text = b"\r".join(self._lines) + b"\r"
        self._lines = None
        self._raw = bytearray()
        try:
            _, records = parse_records(text)
            out.messages.extend(to_device_messages(records, raw, self.zone))
        except AstmError as error:
            out.rejected.append(RejectedMessage(raw, str(error)))
            out.log.append(f"message rejected: {error}")


class AstmReceiver:
    """Link (LIS role) + record layer: ``feed`` bytes, get messages and the reply bytes."""

    def __init__(self, settings: LinkSettings | None = None, zone: ZoneInfo | str = ROME) -> None:
        self.link = AstmLink(Role.LIS, settings)
        self._assembler = MessageAssembler(ZoneInfo(zone) if isinstance(zone, str) else zone)

    def feed(self, data: bytes, now: float) -> ReceiverOutput:
        """Bytes read from the line."""
        return self._handle(self.link.feed(data, now))

    def tick(self, now: float) -> ReceiverOutput:
        """Time passed (call at ``next_deadline``, or every so often)."""
        return self._handle(self.link.tick(now))

    def line_lost(self, now: float) -> ReceiverOutput:
        """The port failed or closed: drop the message in hand."""
        return self._handle(self.link.line_lost(now))

    def next_deadline(self) -> float | None:
        """When ``tick`` has work to do, if ever."""
        return self.link.next_deadline()

    def send_message(self, text: bytes, now: float, tag: object = None) -> ReceiverOutput:
        """Queue a message for the instrument (e.g. a query), given as CR-ended records."""
        return self._handle(self.link.send_records(split_records(text), now, tag))

    def _handle(self, events: list[LinkEvent]) -> ReceiverOutput:
        out = _Collected()
        for event in events:
            if isinstance(event, Transmit):
                out.reply += event.data
            elif isinstance(event, RecordText):
                self._assembler.add(event, out)
            elif isinstance(event, SessionEnded):
                self._assembler.session_ended(event, out)
            elif isinstance(event, Note):
                out.log.append(event.text)
            elif isinstance(event, Delivered):
                out.delivered.append(event.tag)
            elif isinstance(event, DeliveryFailed):
                out.failed.append(event.tag)
        return out.output()


def decode_transcript(data: bytes, zone: ZoneInfo | str = ROME) -> ReceiverOutput:
    """Read recorded instrument bytes (or a message's ``raw``) offline.

    Each ENQ..EOT session is replayed through a receiver; frames stored without their
    ENQ/EOT (as in ``DeviceMessage.raw``) are read as one session.
    """
    receiver = AstmReceiver(zone=zone)
    out = _Collected()
    for session in split_transcript(data):
        result = receiver.feed(bytes([ENQ]) + b"".join(session) + bytes([EOT]), 0.0)
        out.messages += result.messages
        out.rejected += result.rejected
        out.log += result.log
    return out.output()
