"""The headless device verbs: ``device import``, ``device listen`` and ``inbox list``.

For a PC without a screen or a night-time instrument: results go into the center's
inbox exactly as they do from the desktop app, and wait there for a clinician.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app.admin.secrets import read_password
from app.core.files import private_dirs
from app.core.i18n import _
from app.core.paths import user_data_dir
from app.devices.inbox_bridge import read_result_file, to_incoming
from app.devices.results import DeviceMessage
from app.devices.runtime import DeviceRunner, DeviceSpec, DeviceStatus, GdtFolderRunner
from app.records.services import Records
from app.records.services.inbox import InboxItem


def _open(args: argparse.Namespace) -> Records:
    password = read_password(_("Password for {user}").format(user=args.user))
    return Records.open(args.dir, args.user, password)


def device_import(args: argparse.Namespace) -> int:
    """Put a result file (GDT, SCP-ECG, HL7 aECG, DICOM ECG) into the inbox."""
    messages = read_result_file(args.file)  # a bad file is refused before any password
    records = _open(args)
    try:
        for message in messages:
            records.inbox.receive(to_incoming(message))
    finally:
        records.close()
    results = sum(len(m.results) for m in messages)
    print(_("{file}: {messages} message(s), {results} result(s) in the inbox").format(
        file=args.file.name, messages=len(messages), results=results))
    return 0


def device_listen(args: argparse.Namespace) -> int:
    """Put what a device sends into the inbox until interrupted (SIGINT/SIGTERM: exit 0).

    Each complete message is stored before the device is acknowledged (ASTM) or the
    next one is read; one that cannot be stored is kept in the spool folder of this
    account's data directory, never lost.
    """
    records = _open(args)
    try:
        records.inbox.items("pending")  # the inbox is readable: a clinician holding the key
    except BaseException:
        records.close()
        raise
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_a: stop.set())
                for sig in (signal.SIGINT, signal.SIGTERM)}
    lock = threading.Lock()

    def deliver(message: DeviceMessage) -> None:
        with lock:  # one writer into the record at a time
            records.inbox.receive(to_incoming(message))
        print(f"{_local(datetime.now().astimezone())}\t{message.driver}\t"
              f"{message.patient.identifier or '-'}\t{len(message.results)}", flush=True)

    def status(state: DeviceStatus) -> None:
        if state.state == "error" and state.last_error:
            print(_("device {port}: {error}").format(port=state.port, error=state.last_error),
                  file=sys.stderr, flush=True)

    try:
        runner = _runner(args, deliver, status)
        runner.start()
        print(_("listening: {driver} on {port}").format(driver=args.driver, port=args.port),
              file=sys.stderr, flush=True)
        while not stop.wait(0.2):
            pass
        runner.stop()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        records.close()
    return 0


def _runner(args: argparse.Namespace, deliver: Callable[[DeviceMessage], None],
            status: Callable[[DeviceStatus], None]) -> DeviceRunner | GdtFolderRunner:
    if args.driver == "gdt":
        return GdtFolderRunner(Path(args.port), deliver, on_status=status)
    spool = user_data_dir() / "spool"
    private_dirs(spool)
    spec = DeviceSpec(args.driver, args.port, baudrate=args.baud)
    return DeviceRunner(spec, deliver, spool_dir=spool, on_status=status)


def _local(when: datetime) -> str:
    return when.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def inbox_line(item: InboxItem) -> str:
    """One result, tab-separated: received, driver, patient as sent, matched codice
    fiscale or -, test code, value, unit, status."""
    fields = (_local(item.received_at), item.driver, item.patient_identifier or "-",
              item.codice_fiscale or "-", item.code, item.value or "-", item.unit or "-",
              item.state)
    return "\t".join(field.replace("\t", " ").replace("\n", " ") for field in fields)


def inbox_list(args: argparse.Namespace) -> int:
    """Print the inbox, one result per line, newest first."""
    records = _open(args)
    try:
        items = records.inbox.items(args.state)
    finally:
        records.close()
    for item in items:
        print(inbox_line(item))
    return 0


if TYPE_CHECKING:
    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]
    AddVerb = Callable[[Subparsers, str, str, Callable[[argparse.Namespace], int]],
                       argparse.ArgumentParser]


def add_parsers(sub: Subparsers, add: AddVerb) -> None:  # noqa: F821 - TYPE_CHECKING
    """Register ``device`` and ``inbox`` on the admin CLI (``add`` is cli._add)."""
    device = sub.add_parser("device", help=_("studio devices: import result files, listen"))
    device_sub = device.add_subparsers(dest="action", required=True, metavar="ACTION")
    imported = add(device_sub, "import",
                   _("put a result file (GDT, SCP-ECG, HL7 aECG, DICOM ECG) into the inbox"),
                   device_import)
    imported.add_argument("dir", type=Path)
    imported.add_argument("file", type=Path)
    imported.add_argument("--user", required=True)
    listen = add(device_sub, "listen",
                 _("put what a device sends into the inbox until interrupted"), device_listen)
    listen.add_argument("dir", type=Path)
    listen.add_argument("--driver", required=True, choices=["astm", "cms50", "bp", "gdt"])
    listen.add_argument("--port", required=True,
                        help=_("a serial port or pyserial URL (gdt: the result folder)"))
    listen.add_argument("--baud", type=int, default=None)
    listen.add_argument("--user", required=True)
    inbox = sub.add_parser("inbox", help=_("the results inbox"))
    inbox_sub = inbox.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = add(inbox_sub, "list", _("print the inbox, one result per line"), inbox_list)
    listing.add_argument("dir", type=Path)
    listing.add_argument("--user", required=True)
    listing.add_argument("--state", choices=["pending", "accepted", "rejected"])

