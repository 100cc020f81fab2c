"""``medirete-admin devsim KIND``: a simulated device on a line or a folder.

KIND is ``astm`` (a point-of-care analyzer), ``cms50`` (pulse oximeter), ``bp`` (blood
pressure monitor) or ``gdt`` (a spirometer program answering GDT requests in a folder).
``--port pty`` makes a new pseudo-terminal and waits for a listener to open its other
end; ``--port listen://HOST:PORT`` serves TCP clients; any other value is opened as a
serial port (a device path, ``COM3``, ``socket://HOST:PORT``).

``astm`` sends one message (``--count N``: N, each once the previous is acknowledged);
with ``--interval S`` it waits S seconds between messages, N of them or until stopped,
and ``--delay S`` waits before the first. ``--patients FILE`` takes the patients from a
UTF-8 file (see ``samples.read_patients``); messages cycle through them.

The first line on stdout is always ``devsim: <kind> on <where>``, flushed at once;
``<where>`` is what a listener opens (a pty path, a ``socket://`` URL, a folder). It is
a fixed, untranslated line because scripts and tests read it. The run ends when
everything was sent, or on SIGINT/SIGTERM (exit 0); a port that cannot be opened or a
missing or unreadable file exits 1 with one line on stderr; a bad combination of
options exits 2. The hidden ``--exit-with-stdin`` ends the run when stdin reaches its end:
a parent that keeps a pipe there takes the simulator with it even when it is killed.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import select
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import serial

from app.core.i18n import _
from app.devices import bp, cms50
from app.devices.astm.errors import AstmLineError
from app.devices.astm.samples import (
    PATIENTS,
    PatientsFileError,
    SyntheticPatient,
    patient_results,
    read_patients,
    sample_message,
)
from app.devices.results import DeviceError, LineError
from app.devices.sim_bp import BpSimOptions, bp_ticks
from app.devices.sim_cms50 import Cms50SimOptions, cms50_ticks
from app.devices.sim_gdt import simulate_gdt
from app.devices.simulators import LISTEN, Tick, listen_address, pump, serve_tcp, transcript_ticks

if TYPE_CHECKING:
    from app.devices.astm.ports import Port, SocketPort
    from app.devices.astm.simulator import SimulatorReport

# POSIX-only modules (fcntl, termios, tty; app.devices.astm.ports imports them) are
# imported where a pty or the ASTM simulator is used, so that the admin CLI that
# registers this verb still starts on Windows.

KINDS = ("astm", "cms50", "bp", "gdt")
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
READ_TIMEOUT = 0.05
PEER_SETTLE = 0.2  # after the listener opened the pty, let it finish setting the line up
LINGER = 0.5  # before closing a pty we wrote to, let the listener read the last bytes
REPLAY_RATE = {"cms50": 300.0, "bp": 960.0}  # bytes/s: the oximeter's stream, 9600 baud
# Options each kind takes besides --port / --folder.
ALLOWED = {
    "astm": {"corrupt_frame", "pause_after", "drop_after", "replay", "count", "interval",
             "delay", "patients"},
    "cms50": {"pause_after", "drop_after", "replay", "count"},
    "bp": {"pause_after", "drop_after", "replay", "count", "interval"},
    "gdt": {"result_folder"},
}  # fmt: skip
OPTIONAL = ("corrupt_frame", "pause_after", "drop_after", "replay", "count", "interval",
            "delay", "patients", "result_folder")  # fmt: skip
IDLE_POLL = 0.2  # seconds between looks at an idle ASTM line (has the listener gone?)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(_("must be 1 or more: {value}").format(value=text))
    return value


def add_devsim_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    """Register ``devsim`` and its options on the admin CLI's subparsers."""
    help_text = _("simulate a device on a serial line, a pty, TCP or a folder (for tests)")
    parser = sub.add_parser("devsim", help=help_text, description=help_text)
    parser.set_defaults(handler=devsim)
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument(
        "--port",
        help=_("'pty', a device path, socket://HOST:PORT or listen://HOST:PORT"),
    )
    parser.add_argument("--corrupt-frame", type=_positive, metavar="N",
                        help=_("astm: spoil the checksum of frame N once"))  # fmt: skip
    parser.add_argument("--pause-after", type=_positive, metavar="N",
                        help=_("go silent after frame, packet or reading N"))  # fmt: skip
    parser.add_argument("--pause-seconds", type=float, default=0.0, metavar="S")
    parser.add_argument("--drop-after", type=_positive, metavar="N",
                        help=_("drop the line after frame, packet or reading N"))  # fmt: skip
    parser.add_argument("--replay", type=Path, metavar="FILE",
                        help=_("send a recorded transcript byte for byte"))  # fmt: skip
    parser.add_argument("--count", type=_positive, metavar="N",
                        help=_("messages, packets or readings to send (astm: 1)"))  # fmt: skip
    interval_help = _("astm, bp: seconds between messages or readings (bp: 5)")
    parser.add_argument("--interval", type=float, metavar="S", help=interval_help)
    delay_help = _("astm: seconds from the listener's arrival to the first message")
    parser.add_argument("--delay", type=float, metavar="S", help=delay_help)
    patients_help = _("astm: the patients to send results for (UTF-8, tab-separated)")
    parser.add_argument("--patients", type=Path, metavar="FILE", help=patients_help)
    parser.add_argument("--exit-with-stdin", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=_("gdt: the request folder"))
    parser.add_argument("--result-folder", type=Path,
                        help=_("gdt: where results go (default: the request folder)"))  # fmt: skip
    return parser


def _fail(text: str, code: int = EXIT_FAILED) -> int:
    print("medirete-admin: " + " ".join(text.split()), file=sys.stderr)
    return code


def _announce(kind: str, where: str) -> None:
    print(f"devsim: {kind} on {where}", flush=True)


def _usage_problem(args: argparse.Namespace) -> str | None:
    if args.kind == "gdt" and args.folder is None:
        return _("devsim gdt needs --folder")
    if args.kind != "gdt" and not args.port:
        return _("devsim {kind} needs --port").format(kind=args.kind)
    given = [name for name in OPTIONAL if getattr(args, name) is not None]
    for name in given:
        if name not in ALLOWED[args.kind]:
            option = "--" + name.replace("_", "-")
            return _("{option} does not apply to devsim {kind}").format(
                option=option, kind=args.kind
            )
    if args.replay is not None and len(given) > 1:
        return _("--replay sends the file as it is: no other option goes with it")
    return None


def devsim(args: argparse.Namespace, *, stop: threading.Event | None = None) -> int:
    """Run one simulated device until it is done, SIGINT/SIGTERM arrives or ``stop`` is set."""
    problem = _usage_problem(args)
    if problem:
        return _fail(problem, EXIT_USAGE)
    if args.replay is not None and not args.replay.is_file():
        return _fail(_("replay file not found: {path}").format(path=args.replay))
    if args.port == "pty" and not hasattr(os, "openpty"):
        return _fail(_("--port pty needs Linux or macOS; give a serial port or listen://"))
    stop = stop or threading.Event()
    if getattr(args, "exit_with_stdin", False):
        _stop_when_stdin_ends(stop)
    run = {"astm": _run_astm, "cms50": _run_stream, "bp": _run_stream, "gdt": _run_gdt}
    with _stop_on_signals(stop):
        try:
            return run[args.kind](args, stop)
        except (DeviceError, OSError, serial.SerialException) as exc:
            return _fail(_("devsim failed: {detail}").format(detail=str(exc) or repr(exc)))


@contextlib.contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGINT and SIGTERM set ``stop`` (only the main thread may install handlers)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:  # noqa: ARG001
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _stop_when_stdin_ends(stop: threading.Event) -> None:
    """Set ``stop`` once stdin reaches its end: the parent holding the pipe is gone, even
    killed (the system closes its end). Plain pipes: works on Windows as well."""
    try:
        fd = sys.stdin.fileno()
    except (AttributeError, OSError, ValueError):  # no stdin at all: nothing to watch
        return

    def watch() -> None:
        with contextlib.suppress(OSError):
            while os.read(fd, 4096):
                pass
        stop.set()

    threading.Thread(target=watch, name="devsim-stdin", daemon=True).start()


class PeerPty:
    """The device end of a new pty; the listener opens ``path``.

    Only the master is kept open, so reads fail with EIO while nobody holds the other
    end: that is how ``wait_for_peer`` sees the listener arrive and ``read`` sees it
    leave. Writes never block (a full buffer raises ``AstmLineError``).
    """

    def __init__(self) -> None:
        import tty

        self._master, slave = os.openpty()
        tty.setraw(slave)  # the settings outlive this descriptor: no echo, no CR/LF mangling
        self.path = os.ttyname(slave)
        os.close(slave)
        os.set_blocking(self._master, False)
        self._pending = b""

    def wait_for_peer(self, stop: threading.Event) -> bool:
        """Block until a listener opened ``path`` (True) or ``stop`` was set (False)."""
        while not stop.is_set():
            ready, _w, _x = select.select([self._master], [], [], READ_TIMEOUT)
            if not ready:
                return not stop.wait(PEER_SETTLE)
            try:
                self._pending += os.read(self._master, 4096)
            except OSError:  # EIO: no one at the other end yet
                stop.wait(READ_TIMEOUT)
        return False

    @property
    def in_waiting(self) -> int:
        """Bytes that can be read at once."""
        import fcntl
        import termios

        buffer = bytearray(4)
        fcntl.ioctl(self._master, termios.FIONREAD, buffer)
        return len(self._pending) + int.from_bytes(buffer, sys.byteorder)

    def read(self, size: int = 1) -> bytes:
        """Up to ``size`` bytes after at most ``READ_TIMEOUT``; the listener gone raises."""
        if self._pending:
            data, self._pending = self._pending[:size], self._pending[size:]
            return data
        ready, _w, _x = select.select([self._master], [], [], READ_TIMEOUT)
        try:
            return os.read(self._master, size) if ready else b""
        except OSError as exc:
            raise AstmLineError("the listener closed the pty") from exc

    def write(self, data: bytes, /) -> int:
        """Write ``data``; ``AstmLineError`` when the listener is gone or not reading."""
        view = memoryview(data)
        try:
            while view:
                view = view[os.write(self._master, view) :]
        except OSError as exc:
            raise AstmLineError(f"pty write failed: {exc}") from exc
        return len(data)

    def close(self) -> None:
        """Close the master: the listener's reads fail (the cable is pulled)."""
        if self._master >= 0:
            os.close(self._master)
            self._master = -1


CONNECT_SETTLE = 0.3  # seconds between a client connecting and the first byte sent


def _accept_one(url: str, stop: threading.Event) -> SocketPort | None:
    """Listen on ``listen://HOST:PORT`` until one client connects (None: stopped first)."""
    from app.devices.astm.ports import SocketPort

    host, number = listen_address(url)
    try:
        server = socket.create_server((host, number))
    except OSError as exc:
        raise AstmLineError(f"cannot listen on {url}: {exc}") from exc
    with server:
        _announce("astm", f"socket://{host}:{server.getsockname()[1]}")
        while not stop.is_set():
            ready, _w, _x = select.select([server], [], [], READ_TIMEOUT)
            if ready:
                client = SocketPort(server.accept()[0])
                # pyserial's socket:// client empties its input when it finishes opening:
                # an ENQ sent at once can be thrown away, leaving both sides waiting (the
                # analyzer 15 s for an answer). Give the client a moment, as a terminal
                # server's connection settles before the instrument talks.
                stop.wait(CONNECT_SETTLE)
                return client
    return None


def _astm_port(port: str, stop: threading.Event) -> Port | None:
    """The analyzer's line, once a listener is there (None: stopped before)."""
    from app.devices.astm.ports import open_port

    if port.startswith(LISTEN):
        return _accept_one(port, stop)
    if port == "pty":
        pty = PeerPty()
        _announce("astm", pty.path)
        if pty.wait_for_peer(stop):
            return pty
        pty.close()
        return None
    line = open_port(port)
    _announce("astm", port)
    return line


def _run_astm(args: argparse.Namespace, stop: threading.Event) -> int:
    from app.devices.astm import simulator as astm_sim

    try:
        patients = read_patients(args.patients) if args.patients is not None else PATIENTS
    except PatientsFileError as exc:
        return _fail(str(exc))
    line = _astm_port(args.port, stop)
    if line is None:
        return EXIT_OK  # interrupted before a listener came
    try:
        if args.replay is not None:
            data = args.replay.read_bytes()
            report = astm_sim.replay(line, data, stop_event=stop, timeout=math.inf)
        else:
            report = _send_messages(line, args, patients, stop)
    finally:
        if not stop.is_set():
            stop.wait(LINGER)
        line.close()
    print(_("{delivered} messages delivered, {failed} failed, {again} frames sent again")
          .format(delivered=report.delivered, failed=report.failed,
                  again=report.retransmissions), flush=True)  # fmt: skip
    if report.line_error and not stop.is_set():
        return _fail(_("devsim failed: {detail}").format(detail=report.line_error))
    return EXIT_OK


def _astm_message(patients: Sequence[SyntheticPatient], index: int) -> bytes:
    """Message ``index`` (0-based): the patients in turn, each with a fresh sample."""
    patient = patients[index % len(patients)]
    return sample_message(patient, patient_results(patient, index // len(patients)),
                          sample_id=f"POC{index + 1:04d}")  # fmt: skip


def _idle(line: Port, seconds: float, stop: threading.Event) -> str:
    """Wait ``seconds`` (``stop`` cuts it short) watching the line; what broke it, or "".

    A receiver says nothing between sessions, but reading shows it leave at once, so a
    simulator whose listener went away ends (and can be started again) without waiting
    for the next message to time out."""
    from app.devices.astm.ports import read_available

    end = time.monotonic() + max(0.0, seconds)
    while not stop.is_set() and time.monotonic() < end:
        try:
            read_available(line)
        except (AstmLineError, OSError) as exc:
            return str(exc) or type(exc).__name__
        stop.wait(min(IDLE_POLL, max(0.0, end - time.monotonic())))
    return ""


def _shifted(frame: int | None, sent: int, minimum: int) -> int | None:
    """A fault's frame number counted from the next message on (None: already past)."""
    return None if frame is None or frame - sent < minimum else frame - sent


def _send_messages(
    line: Port,
    args: argparse.Namespace,
    patients: Sequence[SyntheticPatient],
    stop: threading.Event,
) -> SimulatorReport:
    """``--count`` messages at once, or with ``--interval`` one at a time (faults still
    count frames over all messages), after ``--delay``."""
    from app.devices.astm import simulator as astm_sim

    total = astm_sim.SimulatorReport()
    total.line_error = _idle(line, args.delay or 0.0, stop)
    if total.line_error or stop.is_set():
        return total
    faults = {"pause_seconds": args.pause_seconds, "stop_event": stop, "timeout": math.inf}
    if args.interval is None:
        messages = [_astm_message(patients, i) for i in range(args.count or 1)]
        return astm_sim.run_simulator(
            line, messages, corrupt_frame=args.corrupt_frame,
            pause_after_frame=args.pause_after, drop_after_frame=args.drop_after, **faults,
        )  # fmt: skip
    index = 0
    while args.count is None or index < args.count:
        if index and (error := _idle(line, args.interval, stop)):
            total.line_error = error
        if total.line_error or stop.is_set():
            break
        sent = total.frames_sent
        one = astm_sim.run_simulator(
            line, [_astm_message(patients, index)],
            corrupt_frame=_shifted(args.corrupt_frame, sent, 1),
            pause_after_frame=_shifted(args.pause_after, sent, 0),
            drop_after_frame=_shifted(args.drop_after, sent, 1), **faults,
        )  # fmt: skip
        total.delivered += one.delivered
        total.failed += one.failed
        total.frames_sent += one.frames_sent
        total.retransmissions += one.retransmissions
        total.log.extend(one.log)
        total.dropped, total.line_error, total.stopped = one.dropped, one.line_error, one.stopped
        if one.dropped or one.stopped:
            break
        index += 1
    return total


def shaped(
    ticks: Iterable[Tick],
    *,
    pause_after: int | None = None,
    pause_seconds: float = 0.0,
    last: int | None = None,
) -> Iterator[Tick]:
    """``ticks`` with a silence after data tick ``pause_after``, ending after tick ``last``."""
    sent = 0
    for delay, data in ticks:
        if data and last is not None and sent >= last:
            return
        yield delay, data
        if data:
            sent += 1
            if sent == pause_after:
                yield pause_seconds, b""


def _finite(ticks: Iterable[Tick], stop: threading.Event) -> Iterator[Tick]:
    """``ticks``, then ``stop`` set: the run ends after one whole stream."""
    yield from ticks
    stop.set()


def _stream_source(args: argparse.Namespace, stop: threading.Event) -> Callable[[], Iterator[Tick]]:
    if args.replay is not None:
        data = args.replay.read_bytes()
        return lambda: _finite(transcript_ticks(data, REPLAY_RATE[args.kind]), stop)

    def ticks() -> Iterator[Tick]:
        if args.kind == "cms50":
            source = cms50_ticks(Cms50SimOptions())
        else:
            source = bp_ticks(BpSimOptions(interval=args.interval or BpSimOptions.interval))
        limits = [n for n in (args.count, args.drop_after) if n is not None]
        stream = shaped(source, pause_after=args.pause_after, pause_seconds=args.pause_seconds,
                        last=min(limits) if limits else None)  # fmt: skip
        return _finite(stream, stop) if args.count is not None else stream

    return ticks


def _lossy(port: PeerPty | serial.SerialBase) -> Callable[[bytes], None]:
    """A UART's write: what nobody takes is lost, the device does not wait."""

    def write(data: bytes) -> None:
        with contextlib.suppress(AstmLineError, serial.SerialTimeoutException):
            port.write(data)

    return write


def _run_stream(args: argparse.Namespace, stop: threading.Event) -> int:
    ticks = _stream_source(args, stop)
    settings = cms50.SERIAL_SETTINGS if args.kind == "cms50" else bp.SERIAL_SETTINGS
    if args.port.startswith(LISTEN):
        host, _port = listen_address(args.port)
        serve_tcp((host, _port), ticks, stop,
                  on_listening=lambda n: _announce(args.kind, f"socket://{host}:{n}"))  # fmt: skip
        return EXIT_OK
    line: PeerPty | serial.SerialBase
    if args.port == "pty":
        line = PeerPty()
        _announce(args.kind, line.path)
        if not line.wait_for_peer(stop):
            line.close()
            return EXIT_OK
    else:
        try:
            line = serial.serial_for_url(args.port, write_timeout=1.0, **settings)
        except (serial.SerialException, OSError, ValueError) as exc:
            raise LineError(f"cannot open {args.port}: {exc}") from exc
        _announce(args.kind, args.port)
    try:
        pump(_lossy(line), ticks(), stop)
        time.sleep(LINGER if args.port == "pty" else 0.0)
    finally:
        line.close()
    return EXIT_OK


def _run_gdt(args: argparse.Namespace, stop: threading.Event) -> int:
    for folder in (args.folder, args.result_folder):
        if folder is not None and not folder.is_dir():
            return _fail(_("folder not found: {path}").format(path=folder))
    _announce("gdt", str(args.folder))
    simulate_gdt(args.folder, stop, result_folder=args.result_folder)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """``devsim`` on its own (``python -m app.devices.cli_verbs devsim ...``)."""
    parser = argparse.ArgumentParser(prog="medirete-devsim")
    add_devsim_parser(parser.add_subparsers(dest="verb", required=True, metavar="VERB"))
    args = parser.parse_args(argv)
    code: int = args.handler(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
