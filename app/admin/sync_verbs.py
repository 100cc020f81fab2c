"""``medirete-admin sync ...``: pair workstations, run sync, see what it did, revoke."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from app.admin.secrets import read_password
from app.core.errors import InvalidInput
from app.core.files import open_private
from app.core.i18n import _
from app.records.services import Records
from app.records.storage.keys import write_atomically
from app.sync.ca_store import CenterAuthorityElsewhere, unlock_ca
from app.sync.identity import WorkstationIdentity, find_identity, load_identity
from app.sync.log import missing
from app.sync.node import SyncNode, parse_address
from app.sync.pairing import ROLES, invite, join, open_bundle
from app.sync.pairing import center_authority as _center_authority
from app.sync.pki import CenterAuthority
from app.sync.pki import identity as cert_identity
from app.sync.replica import ConflictLine, Replica, Status
from app.sync.revocation import sign_revocation
from app.sync.snapshot import first_sync

Add = Callable[..., argparse.ArgumentParser]
__all__ = ["ROLES", "CenterAuthorityElsewhere", "add_parsers", "center_authority"]


def _address(text: str) -> tuple[str, int]:
    try:
        return parse_address(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("not HOST:PORT: {value}").format(value=text)) from None


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(_("not a number of lines: {value}").format(value=text))
    return value


def _listen_address(text: str) -> tuple[str, int]:
    """Where to listen: port 0 lets the system pick a free one (serve prints it)."""
    try:
        return parse_address(text, any_port=True)
    except ValueError:
        raise argparse.ArgumentTypeError(_("not HOST:PORT: {value}").format(value=text)) from None


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser], add: Add) -> None:
    """The ``sync`` verbs."""
    sync = sub.add_parser("sync", help=_("pair workstations and share the record"))
    verbs = sync.add_subparsers(dest="action", required=True, metavar="ACTION")
    invite = add(verbs, "invite", _("invite a new workstation (prints the one-time code last)"),
                 sync_invite)
    invite.add_argument("dir", type=Path)
    invite.add_argument("--user", required=True, metavar="ADMIN")
    invite.add_argument("--out", required=True, type=Path, metavar="FILE")
    invite.add_argument("--workstation", metavar="NAME", help=_("the new workstation's name"))
    invite.add_argument("--role", choices=ROLES, default="full")
    invite.add_argument("--address", action="append", default=[], type=_address,
                        metavar="HOST:PORT", help=_("where the new workstation finds this one"))
    invite.add_argument("--this-workstation", metavar="NAME",
                        help=_("this workstation's name, the first time (default: host name)"))
    join = add(verbs, "join", _("make a new workstation replica from an invitation"), sync_join)
    join.add_argument("dir", type=Path)
    join.add_argument("--invite", required=True, type=Path, metavar="FILE")
    serve = add(verbs, "serve", _("share the record with the center's workstations"), sync_serve)
    serve.add_argument("dir", type=Path)
    serve.add_argument("--user", required=True)
    serve.add_argument("--listen", required=True, type=_listen_address, metavar="HOST:PORT")
    serve.add_argument("--peer", action="append", default=[], type=_address,
                       metavar="HOST:PORT")
    serve.add_argument("--no-discovery", action="store_true")
    serve.add_argument("--no-copy", action="store_true",
                       help=_("a new workstation pulls the log entry by entry instead of "
                              "starting from a copy of a peer's record"))
    # A child of the desktop's demo: ends when its parent does (the pipe closes).
    serve.add_argument("--exit-with-stdin", action="store_true", help=argparse.SUPPRESS)
    status = add(verbs, "status", _("what sync holds, knows and did"), sync_status)
    status.add_argument("dir", type=Path)
    status.add_argument("--user", required=True)
    status.add_argument("--journal", type=_count, default=10, metavar="N",
                        help=_("how many journal lines, newest first (0: all; default 10)"))
    status.add_argument("--event", action="append", default=[], metavar="EVENT",
                        help=_("only journal lines of this event (snapshot, batch, fork, "
                               "session.end...); may be repeated"))
    revoke = add(verbs, "revoke", _("revoke a workstation: every peer refuses it"), sync_revoke)
    revoke.add_argument("dir", type=Path)
    revoke.add_argument("--workstation", required=True, metavar="NAME")
    revoke.add_argument("--user", required=True, metavar="ADMIN")


def _open(directory: Path, user: str) -> tuple[Records, str]:
    password = read_password(_("Password for {user}").format(user=user))
    return Records.open(directory, user, password), password


def center_authority(records: Records, password: str, this_name: str | None) -> CenterAuthority:
    """The center's CA, made on first use here (with this workstation's own certificate)."""
    authority = _center_authority(records, password, this_name)
    if authority.created_for is not None:
        print(_("This workstation is {name}; the center's certificate authority was created "
                "here").format(name=authority.created_for))
    return authority.ca


def sync_invite(args: argparse.Namespace) -> int:
    """Issue a certificate for a new workstation, sealed under a one-time code."""
    records, password = _open(args.dir, args.user)
    try:
        invitation = invite(records, password, workstation=args.workstation, role=args.role,
                            addresses=[f"{host}:{port}" for host, port in args.address],
                            this_name=args.this_workstation)
        open_private(args.out).close()
        write_atomically(args.out, invitation.blob)
    finally:
        records.close()
    if invitation.created_for is not None:
        print(_("This workstation is {name}; the center's certificate authority was created "
                "here").format(name=invitation.created_for))
    print(_("Center: {name}").format(name=invitation.center_name))
    print(_("CA fingerprint: {fp}").format(fp=invitation.ca_fingerprint))
    print(_("Invitation for workstation {name} ({role}) written to {path}").format(
        name=invitation.workstation, role=invitation.role, path=args.out))
    print(_("One-time code (type it on the new workstation):"))
    print(invitation.code)
    return 0


def _line(prompt: str) -> str:
    if sys.stdin.isatty():
        return input(prompt + ": ").strip()
    line = sys.stdin.readline()
    if not line:
        raise InvalidInput(detail=_("nothing more on standard input ({what})").format(what=prompt))
    return line.strip()


def sync_join(args: argparse.Namespace) -> int:
    """Open an invitation with its code and make a new replica at DIR."""
    try:
        blob = args.invite.read_bytes()
    except OSError as error:
        raise InvalidInput(detail=f"{args.invite}: {error.strerror}") from None
    code = _line(_("One-time code"))
    opened = open_bundle(blob, code)
    print(_("Center: {name}").format(name=opened.center_name))
    print(_("CA fingerprint: {fp}").format(fp=opened.ca_fingerprint))
    print(_("Compare the fingerprint with the one on the inviting workstation's screen."))
    if sys.stdin.isatty() and input(_("Same fingerprint? (y/N)") + " ").strip().lower() not in (
            "y", "s", "yes", "si", "sì"):
        print(_("Not joined."))
        return 1
    user = _line(_("User name"))
    password = read_password(_("Password for {user}").format(user=user))
    join(args.dir, opened, user, password)
    print(_("Workstation {name} joined {center} in {path}").format(
        name=opened.workstation, center=opened.center_name, path=args.dir))
    return 0


class _StoppedEarly(BaseException):  # not caught by handlers of errors on the way
    """SIGTERM arrived before sync started (asking for the password, unlocking)."""


def _stop_early(_signum: int, _frame: object) -> None:
    raise _StoppedEarly()


def sync_serve(args: argparse.Namespace) -> int:
    """Run sync until SIGINT or SIGTERM: exit 0, also when SIGTERM comes while it is still
    asking for the password or unlocking (the event loop's own handler takes over once
    it runs)."""
    previous = signal.signal(signal.SIGTERM, _stop_early)
    try:
        records, password = _open(args.dir, args.user)
        try:
            with records.db.read_engine.connect() as conn:
                me = load_identity(conn)
            peers = list(args.peer) + [parse_address(p) for p in me.peers]
            if not args.no_copy:
                records = first_sync(records, me, peers,
                                     lambda: Records.open(args.dir, args.user, password), _say)
            replica = Replica(records, me.workstation)
            asyncio.run(_serve(replica, me, args.listen, peers,
                               discovery=not args.no_discovery,
                               exit_with_stdin=getattr(args, "exit_with_stdin", False)))
        finally:
            records.close()
    except _StoppedEarly:
        _say("stopped")
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 0


def _say(text: str) -> None:
    print(f"sync: {text}", flush=True)


def _stop_when_stdin_ends(loop: asyncio.AbstractEventLoop, stop: asyncio.Event) -> None:
    """Set ``stop`` once stdin reaches its end: the parent holding the pipe is gone, even
    killed (the system closes its end), as ``devsim --exit-with-stdin`` does."""
    try:
        fd = sys.stdin.fileno()
    except (AttributeError, OSError, ValueError):  # no stdin at all: nothing to watch
        return

    def watch() -> None:
        with contextlib.suppress(OSError):
            while os.read(fd, 4096):
                pass
        with contextlib.suppress(RuntimeError):  # the loop already closed
            loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=watch, name="stdin-watch", daemon=True).start()


async def _serve(replica: Replica, me: WorkstationIdentity, listen: tuple[str, int],
                 peers: list[tuple[str, int]], *, discovery: bool,
                 exit_with_stdin: bool = False) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    if exit_with_stdin:
        _stop_when_stdin_ends(loop, stop)
    node = SyncNode(replica, me, say=_say)
    found = None
    if discovery:
        from app.sync.discovery import Discovery

        found = Discovery(replica.db.center_id, me.workstation, node.add_peer, say=_say,
                          listen_host=listen[0])
    try:
        await node.run(listen, peers, stop, ready=found.start if found else None)
    finally:
        if found is not None:
            await found.close()
    _say("stopped")


def _print_problems(status: Status, conflicts: list[ConflictLine]) -> None:
    """Forks, clocks far ahead, audit chains cut short, conflicts to reconcile."""
    for stream, origins in sorted(status.forked.items()):
        for origin in origins:
            print(_("FORK: {stream} origin {origin} stopped").format(stream=stream, origin=origin))
    for origin, ahead in sorted(status.clock_ahead.items()):
        print(_("clock ahead: origin {origin} by {s} s").format(origin=origin, s=ahead // 1000))
    for alarm in status.audit_alarms:
        print(_("AUDIT TRAIL CUT SHORT: {what}").format(what=alarm))
    for conflict in conflicts:
        print(_("conflict: {kind} {entity} {id} patient {patient} ({when}): {detail}").format(
            kind=conflict.kind, entity=conflict.entity, id=conflict.entity_id,
            patient=conflict.patient_id or "-", when=f"{conflict.detected_at:%Y-%m-%d %H:%M}",
            detail=conflict.detail))


def sync_status(args: argparse.Namespace) -> int:
    """Print what sync holds and knows."""
    records, _password = _open(args.dir, args.user)
    try:
        with records.db.read_engine.connect() as conn:
            me = find_identity(conn)
        replica = Replica(records, me.workstation if me else "")
        status = replica.status()
        lines = replica.journal_lines(args.journal or None, events=args.event)
        conflicts = replica.conflicts(20)
        paired = records.workstations.list()
    finally:
        records.close()
    if me is None:
        print(_("workstation: not paired"))
    else:
        print(_("workstation: {name} ({role})").format(name=me.workstation, role=me.role))
    print(_("origin: {origin}").format(origin=status.origin))
    for stream, vector in sorted(status.vectors.items()):
        print(_("log {stream}: {entries} entries from {origins} origins").format(
            stream=stream, entries=sum(vector.values()), origins=len(vector)))
    for name, facts in sorted(status.peers.items()):
        theirs = facts.get("vectors") if isinstance(facts.get("vectors"), dict) else {}
        assert isinstance(theirs, dict)
        out = sum(missing(theirs.get(s, {}), v) for s, v in status.vectors.items())
        into = sum(missing(v, theirs.get(s, {})) for s, v in status.vectors.items())
        state = _("online") if facts.get("online") else _("offline")
        print(_("peer {name}: {state}, last seen {seen}, last sync {sync}, "
                "pending out {out}, pending in {into} (at last contact)").format(
            name=name, state=state, seen=facts.get("last_seen", "-"),
            sync=facts.get("last_sync", "-"), out=out, into=into))
    for ws in paired:
        if ws.revoked:
            print(_("revoked: {name} ({when})").format(name=ws.name, when=ws.revoked_at))
    print(_("conflicts to reconcile: {n}").format(n=status.conflicts))
    print(_("entries kept, not applied yet: {n}").format(n=status.deferred))
    _print_problems(status, conflicts)
    for line in lines:
        print(f"journal: {line.at:%Y-%m-%d %H:%M:%S} {line.event} {line.peer} {line.detail}"
              .rstrip())
    return 0


def sync_revoke(args: argparse.Namespace) -> int:
    """Revoke a workstation with a CA-signed entry."""
    records, password = _open(args.dir, args.user)
    try:
        with records.db.read_engine.connect() as conn:
            me = load_identity(conn)
        ca = unlock_ca(records, password, me.ca_pem)
        if cert_identity(me.cert_pem).workstation == args.workstation:
            raise InvalidInput(detail=_("a workstation cannot revoke itself"))
        signed = sign_revocation(ca, records.db.center_id, args.workstation, args.user)
        records.workstations.revoke(args.workstation, signed)
    finally:
        records.close()
    print(_("Workstation {name} revoked: every peer refuses it once this change reaches it")
          .format(name=args.workstation))
    return 0
