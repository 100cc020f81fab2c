"""Device runtime: one reader thread per line or folder, messages handed over, status out.

``DeviceRunner`` owns one serial line (a path, ``COM3`` or any pyserial URL): it opens it,
feeds the driver's sans-IO decoder, hands every complete ``DeviceMessage`` to
``deliver`` and reports its health through ``on_status``. ``GdtFolderRunner`` does the
same for a GDT result folder. Nothing here imports Qt; both callbacks run in the
runner's own thread, so they must be quick and thread-safe (the UI re-emits a signal).

Delivery and acknowledgement (ASTM). The receiver decides the answer to every frame,
but the runner writes that answer only after handing over the messages the same bytes
completed: ``deliver`` runs in the reader thread, before any further byte is read, so
the frame carrying a message's L record is acknowledged only once the message is
stored. The analyzer waits 15 s for that ACK (E1381), so ``deliver`` must return well
within that (queue the message to the writer and wait for its commit). If ``deliver``
raises, the raw bytes go to ``spool_dir/<UTC time>-<driver>.raw`` (owner-only, written
to a temporary, fsynced, renamed into place) and the frame is acknowledged; if even the
spool fails, the answer is withheld: the analyzer times out, ends the session and
sends the message again later. Nothing acknowledged is ever lost. A complete message
whose records cannot be read is spooled as ``<UTC time>-astm-rejected.raw``.

CMS50: samples fill a ring buffer (``latest_samples``) and are never delivered one by
one; ``spot_check`` makes one message and delivers it in the caller's thread. BP: each
reading is one message; a bad line is counted in ``rejected``.

A pulled cable, a vanished USB adapter or a dropped TCP connection is reported as
"error" and retried with backoff (0.5 s doubling to 10 s); the thread never dies of it.
"""

from __future__ import annotations

import itertools
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, Protocol

import serial

from app.core.clock import utc_now
from app.core.files import fsync_dir, private_dirs, private_temp_file
from app.core.i18n import _
from app.core.logs import log_safe_traceback
from app.devices import bp, cms50
from app.devices.astm import AstmReceiver, LinkSettings, LinkState, ReceiverOutput
from app.devices.gdt import ResultFolderWatcher
from app.devices.results import DeviceError, DeviceMessage, PatientRef

log = logging.getLogger(__name__)

State = Literal["connecting", "waiting", "receiving", "error", "stopped"]
Deliver = Callable[[DeviceMessage], None]

READ_TIMEOUT = 0.05  # seconds a read waits: how fast the loop notices stop and timers
WRITE_TIMEOUT = 2.0
BACKOFF_FIRST, BACKOFF_MAX = 0.5, 10.0
FINISH_GRACE = 5.0  # on stop, how long an ASTM message in progress may take to finish
ACTIVE_WINDOW = 1.0  # bytes arrived within this many seconds: "receiving"
RING_SECONDS = 60.0  # CMS50 samples kept for the live view and the spot check

SERIAL_DEFAULTS: dict[str, dict[str, object]] = {
    "astm": {
        "baudrate": 9600,
        "bytesize": serial.EIGHTBITS,
        "parity": serial.PARITY_NONE,
        "stopbits": serial.STOPBITS_ONE,
    },
    "cms50": cms50.SERIAL_SETTINGS,
    "bp": bp.SERIAL_SETTINGS,
}


class StoreFailed(DeviceError):
    """A message could be neither delivered nor written to the spool."""


@dataclass(frozen=True)
class DeviceSpec:
    """One device on one line; settings left as None take the driver's defaults."""

    driver: str  # "astm" | "cms50" | "bp"
    port: str  # "COM3", "/dev/ttyUSB0", "/dev/pts/5", "socket://127.0.0.1:5000", "loop://"
    baudrate: int | None = None
    parity: str | None = None
    bytesize: int | None = None
    stopbits: float | None = None

    def __post_init__(self) -> None:
        if self.driver not in SERIAL_DEFAULTS:
            raise ValueError(f"unknown device driver {self.driver!r}")
        for name, value in SERIAL_DEFAULTS[self.driver].items():
            if getattr(self, name) is None:
                object.__setattr__(self, name, value)

    def serial_settings(self) -> dict[str, object]:
        """pyserial keyword arguments for the line."""
        return {
            "baudrate": self.baudrate,
            "parity": self.parity,
            "bytesize": self.bytesize,
            "stopbits": self.stopbits,
        }


@dataclass(frozen=True)
class DeviceStatus:
    """What the UI shows for one device. ``last_error`` stays after recovery."""

    driver: str
    port: str  # the line, or the folder for GDT
    state: State = "connecting"
    last_message_at: datetime | None = None  # aware UTC
    last_error: str = ""
    messages: int = 0  # handed over (delivered or spooled)
    spooled: int = 0  # of those, kept in the spool because deliver() failed
    rejected: int = 0  # unreadable messages or lines (ASTM ones are spooled too)


class _StatusBoard:
    """The current status; every change is passed to ``on_status`` (errors there logged)."""

    def __init__(self, first: DeviceStatus, on_status: Callable[[DeviceStatus], None] | None):
        self._lock = threading.RLock()  # on_status may read ``status`` back
        self._status = first
        self._on_status = on_status

    @property
    def current(self) -> DeviceStatus:
        with self._lock:
            return self._status

    def change(self, how: Callable[[DeviceStatus], DeviceStatus]) -> None:
        with self._lock:
            new = how(self._status)
            if new == self._status:
                return
            self._status = new
            if self._on_status is None:
                return
            try:
                self._on_status(new)
            except Exception as exc:
                log.error("on_status callback failed:\n%s", log_safe_traceback(exc))

    def update(self, **changes: Any) -> None:
        self.change(lambda status: replace(status, **changes))

    def counted(self, field_name: str, *, message: bool = False) -> None:
        """Add one to a counter (and stamp the message time)."""
        when = utc_now()

        def bump(status: DeviceStatus) -> DeviceStatus:
            status = replace(status, **{field_name: getattr(status, field_name) + 1})
            return replace(status, last_message_at=when) if message else status

        self.change(bump)


class _Backoff:
    """0.5 s, doubling to 10 s; back to 0.5 s once the line works."""

    def __init__(self) -> None:
        self.delay = BACKOFF_FIRST

    def next(self) -> float:
        delay, self.delay = self.delay, min(self.delay * 2, BACKOFF_MAX)
        return delay

    def reset(self) -> None:
        self.delay = BACKOFF_FIRST


_spool_lock = threading.Lock()


def _free_spool_path(folder: Path, stamp: str, label: str) -> Path:
    for n in itertools.count():
        path = folder / (f"{stamp}.{n}-{label}.raw" if n else f"{stamp}-{label}.raw")
        if not path.exists():
            return path
    raise AssertionError("unreachable")


def spool_raw(spool_dir: Path, label: str, raw: bytes) -> Path:
    """Keep ``raw`` in ``spool_dir/<UTC time>-<label>.raw``: owner-only, fsynced, renamed in."""
    private_dirs(spool_dir)
    stamp = utc_now().strftime("%Y%m%dT%H%M%S.%fZ")
    handle, tmp = private_temp_file(spool_dir, ".spool-", ".tmp")
    try:
        with handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        with _spool_lock:  # two runners of one driver may spool in the same microsecond
            path = _free_spool_path(spool_dir, stamp, label)
            os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(spool_dir)
    return path


class _Worker:
    """A daemon thread with a stop event and a status board (what both runners share)."""

    def __init__(
        self, name: str, status: DeviceStatus, on_status: Callable[[DeviceStatus], None] | None
    ) -> None:
        self._stop = threading.Event()
        self._board = _StatusBoard(status, on_status)
        self._thread = threading.Thread(target=self._main, name=name, daemon=True)

    @property
    def status(self) -> DeviceStatus:
        """The latest status (thread-safe)."""
        return self._board.current

    def start(self) -> None:
        """Start the thread."""
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> bool:
        """Ask the thread to finish and wait up to ``timeout`` s; True when it ended."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        return not self._thread.is_alive()

    def _main(self) -> None:
        try:
            self._run()
        except Exception as exc:  # a bug: the UI must see it, not a silently dead thread
            log.error("%s crashed:\n%s", self._thread.name, log_safe_traceback(exc))
            self._board.update(last_error=_internal(exc))
        finally:
            self._board.update(state="stopped")

    def _run(self) -> None:
        raise NotImplementedError


def _internal(exc: BaseException) -> str:
    return _("internal error ({kind})").format(kind=type(exc).__name__)


def _detail(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


class _Session(Protocol):
    """The driver side of one connection: bytes in, bytes to answer out."""

    @property
    def busy(self) -> bool:
        """A message is in progress (stop waits for it)."""
        ...

    def feed(self, data: bytes, now: float) -> bytes:
        """Bytes read; returns bytes to write back."""
        ...

    def tick(self, now: float) -> bytes:
        """Nothing arrived for a while; returns bytes to write back."""
        ...

    def line_lost(self, now: float) -> None:
        """The line failed: forget what is half received."""
        ...


class _AstmSession:
    def __init__(self, runner: DeviceRunner, settings: LinkSettings | None) -> None:
        self._runner = runner
        self._receiver = AstmReceiver(settings)

    @property
    def busy(self) -> bool:
        return self._receiver.link.state is LinkState.RECEIVING

    def feed(self, data: bytes, now: float) -> bytes:
        return self._handle(self._receiver.feed(data, now))

    def tick(self, now: float) -> bytes:
        return self._handle(self._receiver.tick(now))

    def line_lost(self, now: float) -> None:
        self._handle(self._receiver.line_lost(now))

    def _handle(self, out: ReceiverOutput) -> bytes:
        for entry in out.log:
            log.debug("astm %s: %s", self._runner.spec.port, entry)  # may quote records
        kept = [self._runner.hand_over(message) for message in out.messages]
        for rejected in out.rejected:
            self._runner.reject(rejected.reason, rejected.raw)
            kept.append(self._runner.spool(rejected.raw, "astm-rejected"))
        return out.reply if all(kept) else b""  # withheld: the analyzer sends it again


class _Cms50Session:
    busy = False

    def __init__(self, ring: _SampleRing) -> None:
        self._ring = ring
        self._decoder = cms50.Cms50Decoder()

    def feed(self, data: bytes, now: float) -> bytes:
        self._ring.add(now, self._decoder.feed(data))
        return b""

    def tick(self, now: float) -> bytes:  # noqa: ARG002 - the stream has no timers
        return b""

    def line_lost(self, now: float) -> None:  # noqa: ARG002
        self._decoder.reset()


class _BpSession:
    busy = False

    def __init__(self, runner: DeviceRunner) -> None:
        self._runner = runner
        self._decoder = bp.BpDecoder()

    def feed(self, data: bytes, now: float) -> bytes:  # noqa: ARG002
        for item in self._decoder.feed(data):
            if isinstance(item, bp.BpError):
                self._runner.reject(str(item))
            else:
                self._runner.hand_over(bp.to_message(item))
        return b""

    def tick(self, now: float) -> bytes:  # noqa: ARG002
        return b""

    def line_lost(self, now: float) -> None:  # noqa: ARG002
        self._decoder.reset()


class _SampleRing:
    """The last seconds of CMS50 samples with their arrival times (thread-safe)."""

    def __init__(self, seconds: float) -> None:
        size = round(seconds * cms50.SAMPLE_RATE_HZ * 1.5)  # room for a device running fast
        self._items: deque[tuple[float, cms50.Sample]] = deque(maxlen=max(1, size))
        self._lock = threading.Lock()

    def add(self, now: float, samples: list[cms50.Sample]) -> None:
        with self._lock:
            self._items.extend((now, sample) for sample in samples)

    def latest(self, seconds: float) -> list[cms50.Sample]:
        since = time.monotonic() - seconds
        with self._lock:
            return [sample for when, sample in self._items if when >= since]


def _read_available(line: serial.SerialBase) -> bytes:
    data = bytes(line.read(line.in_waiting or 1))
    waiting = line.in_waiting if data else 0
    return data + bytes(line.read(waiting)) if waiting else data


def _close_quietly(line: serial.SerialBase) -> None:
    try:
        line.close()
    except (serial.SerialException, OSError) as exc:  # the adapter is gone already
        log.debug("closing a failed line: %s", exc)


class DeviceRunner(_Worker):
    """The reader thread of one serial device: ``start``, then ``stop`` when done."""

    def __init__(
        self,
        spec: DeviceSpec,
        deliver: Deliver,
        *,
        spool_dir: Path,
        on_status: Callable[[DeviceStatus], None] | None = None,
        ring_seconds: float = RING_SECONDS,
        astm_settings: LinkSettings | None = None,
        finish_grace: float = FINISH_GRACE,
    ) -> None:
        super().__init__(
            f"device-{spec.driver}-{spec.port}", DeviceStatus(spec.driver, spec.port), on_status
        )
        self.spec = spec
        self._deliver = deliver
        self._spool_dir = spool_dir
        self._ring = _SampleRing(ring_seconds)
        self._astm_settings = astm_settings
        self._finish_grace = finish_grace
        self._backoff = _Backoff()
        self._grace_end: float | None = None  # set once stop is asked mid-message

    def latest_samples(self, seconds: float) -> list[cms50.Sample]:
        """CMS50 samples that arrived in the last ``seconds`` (oldest first)."""
        return self._ring.latest(seconds)

    def spot_check(
        self, *, seconds: float = 5.0, min_seconds: float = 1.0, patient: PatientRef | None = None
    ) -> DeviceMessage:
        """Record one SpO2/pulse reading from the live stream and hand it over.

        Runs ``deliver`` in the calling thread. ``cms50.SpotCheckRefused`` when there is
        no valid reading; ``StoreFailed`` when it could be neither delivered nor spooled.
        """
        if self.spec.driver != "cms50":
            raise ValueError(f"spot_check needs a cms50 device, not {self.spec.driver}")
        message = cms50.spot_check(
            self.latest_samples(seconds), seconds=seconds, min_seconds=min_seconds, patient=patient
        )
        if not self.hand_over(message):
            raise StoreFailed(f"the reading could not be stored: {self.status.last_error}")
        return message

    def hand_over(self, message: DeviceMessage) -> bool:
        """``deliver`` the message, or spool its bytes; False when both failed."""
        try:
            self._deliver(message)
        except Exception as exc:  # the caller's store failed: keep the bytes on disk
            log.error(
                "delivering a %s message failed:\n%s", message.driver, log_safe_traceback(exc)
            )
            self._board.update(
                last_error=_("could not store a message: {detail}").format(detail=_detail(exc))
            )
            if not self.spool(message.raw, message.driver):
                return False
        self._board.counted("messages", message=True)
        return True

    def spool(self, raw: bytes, label: str) -> bool:
        """Keep ``raw`` in the spool folder; False (logged, reported) when that fails."""
        try:
            path = spool_raw(self._spool_dir, label, raw)
        except OSError as exc:
            log.error("spooling %d bytes to %s failed: %s", len(raw), self._spool_dir, exc)
            self._board.update(
                state="error",
                last_error=_("could not write the spool: {detail}").format(detail=exc),
            )
            return False
        log.warning("%d bytes kept in %s", len(raw), path)
        if label == self.spec.driver:
            self._board.counted("spooled")
        return True

    def reject(self, reason: str, raw: bytes = b"") -> None:
        """Count an unreadable message or line (its bytes are spooled by the caller)."""
        log.warning("%s %s: unreadable, %d bytes", self.spec.driver, self.spec.port, len(raw))
        log.debug("unreadable because: %s", reason)  # may quote the device's bytes
        self._board.counted("rejected")

    def _run(self) -> None:
        while not self._stop.is_set():
            error = self._connection()
            if error is None:
                return
            log.warning("%s %s: %s", self.spec.driver, self.spec.port, error)
            self._board.update(state="error", last_error=error)
            self._stop.wait(self._backoff.next())

    def _new_session(self) -> _Session:
        if self.spec.driver == "astm":
            return _AstmSession(self, self._astm_settings)
        if self.spec.driver == "cms50":
            return _Cms50Session(self._ring)
        return _BpSession(self)

    def _connection(self) -> str | None:
        """One connection, until stopped (None) or failed (the error text)."""
        self._board.update(state="connecting")
        try:
            line = serial.serial_for_url(
                self.spec.port,
                timeout=READ_TIMEOUT,
                write_timeout=WRITE_TIMEOUT,
                **self.spec.serial_settings(),
            )
        except (serial.SerialException, OSError, ValueError) as exc:
            return _("cannot open {port}: {detail}").format(port=self.spec.port, detail=exc)
        session = self._new_session()
        try:
            self._pump(line, session)
            return None
        except (serial.SerialException, OSError, DeviceError) as exc:
            session.line_lost(time.monotonic())
            return _("line lost: {detail}").format(detail=_detail(exc))
        except Exception as exc:  # a bug in a decoder: logged; the line is retried
            log.error("%s %s: reader failed:\n%s", self.spec.driver, self.spec.port,
                      log_safe_traceback(exc))  # fmt: skip
            return _internal(exc)
        finally:
            _close_quietly(line)

    def _pump(self, line: serial.SerialBase, session: _Session) -> None:
        self._board.update(state="waiting")
        last_data = -ACTIVE_WINDOW
        while not self._leave(session):
            data = _read_available(line)
            now = time.monotonic()
            reply = session.feed(data, now) if data else session.tick(now)
            if reply:
                line.write(reply)
            if data:
                last_data = now
                self._backoff.reset()
            active = session.busy or now - last_data < ACTIVE_WINDOW
            self._board.update(state="receiving" if active else "waiting")

    def _leave(self, session: _Session) -> bool:
        """Stop asked and no message in hand (or it took longer than the grace)."""
        if not self._stop.is_set():
            self._grace_end = None
            return False
        if not session.busy:
            return True
        now = time.monotonic()
        if self._grace_end is None:
            self._grace_end = now + self._finish_grace
        if now < self._grace_end:
            return False
        log.warning("%s %s: stopped with a message in progress", self.spec.driver, self.spec.port)
        return True


class GdtFolderRunner(_Worker):
    """Watches a GDT result folder in its own thread and hands over each result.

    It polls ``gdt.ResultFolderWatcher`` itself (the loop ``watch_result_folder`` runs)
    so that a failed ``deliver`` is reported and retried with backoff without losing
    the watcher's state. The folder is the spool: a file whose delivery failed stays in
    place and is read again (earlier records of that file may then arrive twice).
    """

    def __init__(
        self,
        folder: Path,
        deliver: Deliver,
        *,
        on_status: Callable[[DeviceStatus], None] | None = None,
        poll_interval: float = 1.0,
        settle: float = 1.0,
    ) -> None:
        super().__init__(f"device-gdt-{folder}", DeviceStatus("gdt", str(folder)), on_status)
        self.folder = folder
        self._deliver = deliver
        self._poll_interval = poll_interval
        self._watcher = ResultFolderWatcher(folder, self._take, settle=settle)

    def _take(self, message: DeviceMessage) -> None:
        self._deliver(message)
        self._board.counted("messages", message=True)

    def _run(self) -> None:
        backoff = _Backoff()
        while not self._stop.is_set():
            error = self._poll()
            if error:
                self._board.update(state="error", last_error=error)
                self._stop.wait(backoff.next())
            else:
                backoff.reset()
                self._board.update(state="waiting")
                self._stop.wait(self._poll_interval)

    def _poll(self) -> str | None:
        if not self.folder.is_dir():
            return _("folder not found: {path}").format(path=self.folder)
        try:
            self._watcher.poll()
        except Exception as exc:  # deliver failed: the file stays, tried again later
            log.error("GDT result from %s not delivered:\n%s", self.folder, log_safe_traceback(exc))
            return _("could not store a message: {detail}").format(detail=_detail(exc))
        return None
