"""A point-of-care analyzer on a line: sends LIS2-A2 messages with the real E1381 protocol.

``run_simulator`` sends messages (default: one realistic HbA1c / lipids / glucose / INR
message) and can misbehave on purpose: corrupt one frame's checksum once (the receiver
NAKs, the retransmission is good), go silent for a while after a frame, or pull the
cable after a frame. ``replay`` sends a recorded transcript unit by unit, each after
the peer's answer. Both drive ``AstmLink`` in the instrument role (it reacts to ACK,
NAK and EOT, retransmits, times out) and return a ``SimulatorReport``; both stop when
every message is done, when ``stop_event`` is set or after ``timeout`` seconds.

Lines: any ``open_port`` URL (a device or pty path, ``socket://host:port``, ``loop://``,
``listen://host:port``) or an already open port object (``PtyPort``, pyserial).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from app.devices.astm.errors import AstmLineError
from app.devices.astm.frames import (
    MAX_FRAME_TEXT,
    frame_records,
    group_retransmissions,
    split_transcript,
    with_bad_checksum,
)
from app.devices.astm.link import (
    AstmLink,
    Delivered,
    DeliveryFailed,
    FrameVariants,
    LinkEvent,
    LinkSettings,
    Note,
    RecordText,
    Role,
    Transmit,
)
from app.devices.astm.ports import Port, TcpServerPort, open_port, read_available
from app.devices.astm.records import split_records
from app.devices.astm.samples import sample_message


@dataclass
class SimulatorReport:
    """How a simulator run went."""

    delivered: int = 0  # messages whose every frame was ACKed
    failed: int = 0  # messages abandoned (NAKs, no answer, busy peer)
    frames_sent: int = 0  # distinct frames sent (retransmissions not counted)
    retransmissions: int = 0
    dropped: bool = False  # the line was closed on purpose (drop_after_frame)
    line_error: str = ""  # the line failed under us
    stopped: bool = False  # stop_event set or timeout reached before the end
    log: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Faults:
    pause_after_frame: int | None = None
    pause_seconds: float = 0.0
    drop_after_frame: int | None = None


def plan_messages(
    messages: Sequence[bytes], *, corrupt_frame: int | None = None, max_text: int = MAX_FRAME_TEXT
) -> list[list[FrameVariants]]:
    """Frames for each message (CR-ended records); frame ``corrupt_frame`` (1-based,
    counted over all messages) gets a bad checksum on its first transmission only."""
    plan: list[list[FrameVariants]] = []
    count = 0
    for message in messages:
        frames: list[FrameVariants] = []
        for frame in frame_records(split_records(message), max_text):
            count += 1
            frames.append((with_bad_checksum(frame), frame) if count == corrupt_frame else frame)
        plan.append(frames)
    return plan


class _Run:
    """One simulator run over one port."""

    def __init__(
        self,
        port: Port,
        settings: LinkSettings | None,
        faults: _Faults,
        stop_event: threading.Event | None,
    ) -> None:
        self.port = port
        self.link = AstmLink(Role.INSTRUMENT, settings)
        self.faults = faults
        self.stop_event = stop_event or threading.Event()
        self.report = SimulatorReport()
        self._paused = 0.0  # the instrument's clock stands still while it is paused

    def now(self) -> float:
        return time.monotonic() - self._paused

    def run(self, plan: list[list[FrameVariants]], timeout: float) -> SimulatorReport:
        end = time.monotonic() + timeout
        try:
            for index, frames in enumerate(plan):
                if not self._handle(self.link.send(frames, self.now(), index)):
                    return self.report
            while self.link.outstanding:
                if self.stop_event.is_set() or time.monotonic() > end:
                    self.report.stopped = True
                    break
                data = read_available(self.port)
                events = self.link.feed(data, self.now()) if data else []
                if not self._handle(events + self.link.tick(self.now())):
                    break
        except (OSError, AstmLineError) as error:
            self.report.line_error = str(error) or type(error).__name__
            self.report.log.append(f"line failed: {self.report.line_error}")
        return self.report

    def _handle(self, events: list[LinkEvent]) -> bool:
        """Act on link events; false once the line was dropped on purpose."""
        for event in events:
            if isinstance(event, Transmit):
                if not self._transmit(event):
                    return False
            elif isinstance(event, Delivered):
                self.report.delivered += 1
                self.report.log.append(f"message {event.tag} delivered")
            elif isinstance(event, DeliveryFailed):
                self.report.failed += 1
                self.report.log.append(f"message {event.tag} failed: {event.reason}")
            elif isinstance(event, Note):
                self.report.log.append(event.text)
            elif isinstance(event, RecordText):
                self.report.log.append(f"record from the peer: {event.text[:40]!r}")
        return True

    def _transmit(self, event: Transmit) -> bool:
        retry = event.kind == "frame" and event.attempt > 0
        drop_at = self.faults.drop_after_frame
        if drop_at is not None and not retry and self.report.frames_sent == drop_at:
            self.port.close()
            self.report.dropped = True
            self.report.log.append(f"line dropped after frame {drop_at}")
            return False
        if event.kind == "frame":
            if retry:
                self.report.retransmissions += 1
            else:
                self.report.frames_sent += 1
                self._maybe_pause()
        self.port.write(event.data)
        return True

    def _maybe_pause(self) -> None:
        pause_at = self.faults.pause_after_frame
        if pause_at is not None and self.report.frames_sent == pause_at + 1:
            self.report.log.append(
                f"pausing {self.faults.pause_seconds:g} s after frame {pause_at}"
            )
            started = time.monotonic()
            self.stop_event.wait(self.faults.pause_seconds)
            self._paused += time.monotonic() - started


def _drive(
    port: str | Port,
    plan: list[list[FrameVariants]],
    *,
    settings: LinkSettings | None,
    faults: _Faults,
    stop_event: threading.Event | None,
    timeout: float,
    baudrate: int,
) -> SimulatorReport:
    line = open_port(port, baudrate=baudrate) if isinstance(port, str) else port
    try:
        return _Run(line, settings, faults, stop_event).run(plan, timeout)
    finally:
        if isinstance(line, TcpServerPort) and isinstance(port, str):
            line.shutdown()  # we opened the listener: stop listening too
        elif isinstance(port, str):
            line.close()


def run_simulator(
    port: str | Port,
    messages: Sequence[bytes] | None = None,
    *,
    corrupt_frame: int | None = None,
    pause_after_frame: int | None = None,
    pause_seconds: float = 0.0,
    drop_after_frame: int | None = None,
    settings: LinkSettings | None = None,
    stop_event: threading.Event | None = None,
    timeout: float = 120.0,
    max_text: int = MAX_FRAME_TEXT,
    baudrate: int = 9600,
) -> SimulatorReport:
    """Send ``messages`` (each a whole message, CR-ended records; default one sample
    message) as an analyzer would, one link session per message.

    Frame numbers below are 1-based and count frames over all messages:
    ``corrupt_frame`` gets a bad checksum on its first transmission; after frame
    ``pause_after_frame`` the analyzer goes silent for ``pause_seconds``; after frame
    ``drop_after_frame`` is acknowledged the line is closed (the run ends there).
    A ``port`` given as a URL is opened and closed here; a port object is left open
    unless dropped. Raises ``AstmLineError`` if the URL cannot be opened.
    """
    texts = list(messages) if messages is not None else [sample_message()]
    faults = _Faults(pause_after_frame, pause_seconds, drop_after_frame)
    plan = plan_messages(texts, corrupt_frame=corrupt_frame, max_text=max_text)
    return _drive(
        port, plan, settings=settings, faults=faults, stop_event=stop_event, timeout=timeout,
        baudrate=baudrate,
    )  # fmt: skip


def replay(
    port: str | Port,
    transcript: bytes,
    *,
    settings: LinkSettings | None = None,
    stop_event: threading.Event | None = None,
    timeout: float = 120.0,
    baudrate: int = 9600,
) -> SimulatorReport:
    """Send what an instrument once sent (``transcript``), byte for byte, unit by unit.

    The transcript is cut at ENQ, frames and EOT; each ENQ..EOT is one session and each
    frame goes out after the peer's ACK, as the protocol requires. A frame that appears
    twice in a row in the transcript (same frame number: it was NAKed and resent) is
    sent the same way: the second copy only if the peer NAKs the first.
    """
    plan: list[list[FrameVariants]] = [
        list(group_retransmissions(units)) for units in split_transcript(transcript)
    ]
    return _drive(
        port, plan, settings=settings, faults=_Faults(), stop_event=stop_event, timeout=timeout,
        baudrate=baudrate,
    )  # fmt: skip
