"""E1381 (CLSI LIS1-A) link layer as a sans-IO state machine, receiver and sender in one.

``AstmLink`` never reads, writes, sleeps or starts a thread. The caller feeds it the
bytes that arrived (``feed``), calls ``tick`` when time passes (``next_deadline`` says
when) and acts on the returned events: ``Transmit`` bytes go to the line, ``RecordText``
goes to the record layer, ``SessionEnded`` tells the record layer to drop a message in
hand, ``Delivered`` / ``DeliveryFailed`` close what ``send`` queued. ``now`` is any
monotonic clock in seconds, so tests drive the timers with plain numbers.

Rules implemented (E1381 section 6): establishment with ENQ (ACK accepts, NAK means busy:
retry after 10 s), frames numbered 1..7,0, ACK for a good frame, NAK for a bad checksum,
a bad frame or a wrong frame number, ACK-and-ignore for a repeat of the last accepted
frame, at most 6 retransmissions of a NAKed frame, EOT to end, 15 s sender timer, 30 s
receiver timer, and contention (both sides sent ENQ): the instrument has priority, so
the LIS yields and waits 20 s before its next ENQ while the instrument waits 1 s.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from app.devices.astm.errors import AstmFrameError
from app.devices.astm.frames import (
    ACK,
    ENQ,
    EOT,
    ETB,
    ETX,
    LF,
    NAK,
    STX,
    frame_records,
    parse_frame,
)


class Role(Enum):
    """Which side of the link we are: it decides who yields on contention."""

    LIS = "lis"  # the computer system (Medirete): yields, then waits 20 s
    INSTRUMENT = "instrument"  # the analyzer: has priority, waits 1 s


class LinkState(Enum):
    """Where the link stands."""

    NEUTRAL = "neutral"
    RECEIVING = "receiving"  # we ACKed an ENQ; frames are coming
    ESTABLISHING = "establishing"  # we sent ENQ; waiting for ACK / NAK
    SENDING = "sending"  # we sent a frame; waiting for ACK / NAK


@dataclass(frozen=True)
class LinkSettings:
    """Timers (seconds) and limits; the defaults are E1381's, tests shrink the timers."""

    reply_timeout: float = 15.0  # sender: ENQ or frame without ACK/NAK
    receive_timeout: float = 30.0  # receiver: no frame (or EOT) for this long
    busy_wait: float = 10.0  # sender: after NAK (busy) or no answer to ENQ
    contention_wait_lis: float = 20.0
    contention_wait_instrument: float = 1.0
    max_retransmissions: int = 6
    max_establish_attempts: int = 6
    max_frame_bytes: int = 8192  # tolerant ceiling; E1381 frames are at most 247 bytes

    def contention_wait(self, role: Role) -> float:
        """How long ``role`` waits before its next ENQ after a contention."""
        return self.contention_wait_lis if role is Role.LIS else self.contention_wait_instrument


@dataclass(frozen=True)
class Transmit:
    """Bytes to write to the line now. ``kind``: ack, nak, enq, eot or frame."""

    data: bytes
    kind: str
    frame_index: int = -1  # frame: its index (0-based) in the message being sent
    attempt: int = 0  # frame: 0 for the first transmission, n for the n-th retransmission


@dataclass(frozen=True)
class RecordText:
    """A record's text (frames joined, ETX frame last) and those frames as received."""

    text: bytes
    raw: bytes


@dataclass(frozen=True)
class SessionEnded:
    """The peer's session ended: reason eot, timeout, line lost or restarted (new ENQ).

    ``complete`` is false when a record was cut (ETB frames without their ETX frame).
    """

    reason: str
    complete: bool


@dataclass(frozen=True)
class Delivered:
    """A message queued with ``send`` went through (every frame ACKed, EOT sent)."""

    tag: object


@dataclass(frozen=True)
class DeliveryFailed:
    """A message queued with ``send`` was abandoned (busy, no answer, too many NAKs)."""

    tag: object
    reason: str


@dataclass(frozen=True)
class Note:
    """Something worth a log line (a NAK and why, a duplicate frame, a contention)."""

    text: str


LinkEvent = Transmit | RecordText | SessionEnded | Delivered | DeliveryFailed | Note
FrameVariants = bytes | tuple[bytes, ...]

_ACK = Transmit(bytes([ACK]), "ack")
_NAK = Transmit(bytes([NAK]), "nak")
_ENQ = Transmit(bytes([ENQ]), "enq")
_EOT = Transmit(bytes([EOT]), "eot")


@dataclass
class _Outgoing:
    frames: tuple[tuple[bytes, ...], ...]
    tag: object
    establish_attempts: int = 0


class AstmLink:
    """One end of an E1381 link (see the module docstring); not thread-safe."""

    def __init__(self, role: Role = Role.LIS, settings: LinkSettings | None = None) -> None:
        self.role = role
        self.settings = settings or LinkSettings()
        self.busy = False  # while true, an incoming ENQ is answered with NAK
        self._state = LinkState.NEUTRAL
        self._deadline: float | None = None
        self._hold_until = float("-inf")
        # receiving
        self._frame: bytearray | None = None
        self._terminator_at: int | None = None
        self._last_number: int | None = None
        self._text = bytearray()
        self._raw = bytearray()
        # sending
        self._queue: deque[_Outgoing] = deque()
        self._current: _Outgoing | None = None
        self._index = 0
        self._attempt = 0

    # ---- public API -------------------------------------------------------------

    @property
    def state(self) -> LinkState:
        """The current state."""
        return self._state

    @property
    def outstanding(self) -> int:
        """Messages queued with ``send`` and not yet delivered or failed."""
        return len(self._queue) + (self._current is not None)

    def next_deadline(self) -> float | None:
        """The time at which ``tick`` has work to do, if any."""
        times = [self._deadline] if self._deadline is not None else []
        if self._state is LinkState.NEUTRAL and self.outstanding:
            times.append(self._hold_until)
        return min(times) if times else None

    def send(
        self, frames: Sequence[FrameVariants], now: float, tag: object = None
    ) -> list[LinkEvent]:
        """Queue one message (its frames, already built) as one session ENQ..EOT.

        A frame given as a tuple lists its variants: attempt ``n`` sends variant ``n``
        (the last one when they run out), which lets a simulator or a transcript replay
        send a bad frame first and the good one on retransmission.
        """
        if not frames:
            raise ValueError("a message needs at least one frame")
        variants = tuple(frame if isinstance(frame, tuple) else (frame,) for frame in frames)
        if any(not group for group in variants):
            raise ValueError("a frame needs at least one variant")
        self._queue.append(_Outgoing(variants, tag))
        events: list[LinkEvent] = []
        self._maybe_start(now, events)
        return events

    def send_records(
        self, records: Sequence[bytes], now: float, tag: object = None
    ) -> list[LinkEvent]:
        """Queue one message given as record texts (without CR); frames are built here."""
        return self.send(frame_records(records), now, tag)

    def feed(self, data: bytes, now: float) -> list[LinkEvent]:
        """Process bytes that arrived from the peer; returns what to do."""
        events: list[LinkEvent] = []
        for byte in data:
            if self._state is LinkState.RECEIVING:
                self._receive_byte(byte, now, events)
            elif self._state is LinkState.ESTABLISHING:
                self._establishing_byte(byte, now, events)
            elif self._state is LinkState.SENDING:
                self._sending_byte(byte, now, events)
            elif byte == ENQ:
                self._accept_enq(now, events)
        self._maybe_start(now, events)
        return events

    def tick(self, now: float) -> list[LinkEvent]:
        """Let time pass: fire an expired timer, start a send whose wait is over."""
        events: list[LinkEvent] = []
        if self._deadline is not None and now >= self._deadline:
            self._deadline = None
            if self._state is LinkState.RECEIVING:
                events.append(Note("receiver timer expired: no frame from the peer"))
                self._end_session("timeout", events)
            elif self._state is LinkState.ESTABLISHING:
                events.append(_EOT)
                self._establishment_failed("no answer to ENQ", now, events)
            elif self._state is LinkState.SENDING:
                events.append(_EOT)
                self._finish_current(DeliveryFailed(self._tag(), "no answer to a frame"), events)
        self._maybe_start(now, events)
        return events

    def line_lost(self, now: float) -> list[LinkEvent]:
        """The line dropped: drop what is in hand; queued messages wait for the line."""
        events: list[LinkEvent] = []
        if self._state is LinkState.RECEIVING:
            self._end_session("line lost", events)
        elif self._state in (LinkState.ESTABLISHING, LinkState.SENDING):
            self._finish_current(DeliveryFailed(self._tag(), "line lost"), events)
        self._state = LinkState.NEUTRAL
        self._deadline = None
        self._hold_until = max(self._hold_until, now + self.settings.busy_wait)
        return events

    # ---- receiving --------------------------------------------------------------

    def _accept_enq(self, now: float, events: list[LinkEvent]) -> None:
        if self.busy:
            events.append(_NAK)
            events.append(Note("ENQ refused: busy"))
            return
        events.append(_ACK)
        self._state = LinkState.RECEIVING
        self._deadline = now + self.settings.receive_timeout
        self._reset_receiving()

    def _reset_receiving(self) -> None:
        self._frame = None
        self._terminator_at = None
        self._last_number = None
        self._text.clear()
        self._raw.clear()

    def _end_session(self, reason: str, events: list[LinkEvent]) -> None:
        complete = not self._text
        if not complete:
            events.append(Note(f"record cut short ({reason}): dropped"))
        events.append(SessionEnded(reason, complete))
        self._reset_receiving()
        self._state = LinkState.NEUTRAL
        self._deadline = None

    def _receive_byte(self, byte: int, now: float, events: list[LinkEvent]) -> None:
        if byte == EOT:
            self._end_session("eot", events)
        elif byte == ENQ:
            self._end_session("restarted", events)
            self._accept_enq(now, events)
        elif byte == STX:
            if self._frame is not None:
                events.append(Note("frame cut short by a new STX: dropped"))
            self._frame = bytearray([STX])
            self._terminator_at = None
        elif self._frame is not None:
            self._frame_byte(byte, now, events)

    def _frame_byte(self, byte: int, now: float, events: list[LinkEvent]) -> None:
        assert self._frame is not None
        self._frame.append(byte)
        size = len(self._frame)
        if self._terminator_at is None:
            if byte in (ETX, ETB):
                self._terminator_at = size - 1
            elif byte == LF:
                self._frame_done(now, events)
            elif size > self.settings.max_frame_bytes:
                events.append(_NAK)
                events.append(Note(f"frame longer than {self.settings.max_frame_bytes} bytes"))
                self._frame = None
        elif byte == LF or size >= self._terminator_at + 5:
            self._frame_done(now, events)

    def _frame_done(self, now: float, events: list[LinkEvent]) -> None:
        raw = bytes(self._frame or b"")
        self._frame = None
        self._terminator_at = None
        self._deadline = now + self.settings.receive_timeout
        try:
            frame = parse_frame(raw)
        except AstmFrameError as error:
            events.append(_NAK)
            events.append(Note(f"NAK: {error}"))
            return
        expected = 1 if self._last_number is None else (self._last_number + 1) % 8
        if frame.number == expected:
            events.append(_ACK)
            self._last_number = frame.number
            self._text += frame.text
            self._raw += raw
            if frame.final:
                events.append(RecordText(bytes(self._text), bytes(self._raw)))
                self._text.clear()
                self._raw.clear()
        elif frame.number == self._last_number:
            events.append(_ACK)
            events.append(Note(f"frame {frame.number} received again: ignored"))
        else:
            events.append(_NAK)
            events.append(Note(f"NAK: frame number {frame.number}, expected {expected}"))

    # ---- sending ----------------------------------------------------------------

    def _tag(self) -> object:
        return self._current.tag if self._current is not None else None

    def _maybe_start(self, now: float, events: list[LinkEvent]) -> None:
        if self._state is not LinkState.NEUTRAL or now < self._hold_until:
            return
        if self._current is None:
            if not self._queue:
                return
            self._current = self._queue.popleft()
        events.append(_ENQ)
        self._state = LinkState.ESTABLISHING
        self._deadline = now + self.settings.reply_timeout

    def _establishing_byte(self, byte: int, now: float, events: list[LinkEvent]) -> None:
        if byte == ACK:
            self._state = LinkState.SENDING
            self._index = 0
            self._attempt = 0
            self._transmit_frame(now, events)
        elif byte == NAK:
            self._establishment_failed("peer busy (NAK to ENQ)", now, events)
        elif byte == ENQ:
            wait = self.settings.contention_wait(self.role)
            events.append(Note(f"contention: both sides sent ENQ; next ENQ in {wait:g} s"))
            self._state = LinkState.NEUTRAL
            self._deadline = None
            self._hold_until = now + wait

    def _establishment_failed(self, reason: str, now: float, events: list[LinkEvent]) -> None:
        assert self._current is not None
        self._state = LinkState.NEUTRAL
        self._deadline = None
        self._current.establish_attempts += 1
        if self._current.establish_attempts >= self.settings.max_establish_attempts:
            self._finish_current(DeliveryFailed(self._current.tag, reason), events)
        else:
            events.append(Note(f"{reason}: retrying in {self.settings.busy_wait:g} s"))
            self._hold_until = now + self.settings.busy_wait

    def _sending_byte(self, byte: int, now: float, events: list[LinkEvent]) -> None:
        assert self._current is not None
        if byte in (ACK, EOT):
            if byte == EOT:
                events.append(Note("receiver interrupt (EOT): treated as ACK"))
            self._index += 1
            self._attempt = 0
            if self._index < len(self._current.frames):
                self._transmit_frame(now, events)
            else:
                events.append(_EOT)
                self._finish_current(Delivered(self._current.tag), events)
        elif byte == NAK:
            self._attempt += 1
            if self._attempt > self.settings.max_retransmissions:
                events.append(_EOT)
                reason = f"frame NAKed {self._attempt} times"
                self._finish_current(DeliveryFailed(self._current.tag, reason), events)
            else:
                self._transmit_frame(now, events)

    def _transmit_frame(self, now: float, events: list[LinkEvent]) -> None:
        assert self._current is not None
        variants = self._current.frames[self._index]
        data = variants[min(self._attempt, len(variants) - 1)]
        events.append(Transmit(data, "frame", self._index, self._attempt))
        self._deadline = now + self.settings.reply_timeout

    def _finish_current(self, event: Delivered | DeliveryFailed, events: list[LinkEvent]) -> None:
        if isinstance(event, DeliveryFailed):
            events.append(Note(f"message abandoned: {event.reason}"))
        events.append(event)
        self._current = None
        self._state = LinkState.NEUTRAL
        self._deadline = None
