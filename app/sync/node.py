"""A workstation online: listening for peers, connecting to the ones it knows, pushing.

- Incoming sessions are accepted from any workstation holding a certificate of the
  center's CA that has not been revoked; outgoing ones are kept open to every address
  given or discovered (reconnecting with a short back-off when a peer goes away).
- A write made here, by any process on this record (the desk, a device, ``simulate``),
  is noticed within ``WATCH_SECONDS`` and announced to every peer at once, which pulls
  it: a change reaches the online peers in well under a second. A batch applied from
  one peer is announced to the others, so a change crosses the center even when two
  workstations cannot reach each other directly; an announcement says up to where, so
  a peer that already has it does not pull it a second time.
- The version vectors are held in memory (``HeldVectors``), read whole from the log at
  the start and every ``ANTI_ENTROPY_SECONDS``, when each session also pulls anyway.
- ``stop`` ends it cleanly: no new connection, every session closed and its task
  awaited (its journal line written), the database thread done, nothing left for
  ``asyncio.run`` to cancel (a cancelled connection task logs a traceback in 3.11).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy import select

from app.core.clock import utc_now
from app.core.errors import MedireteError
from app.records.log_codec import VERSIONS
from app.records.model import Workstation
from app.records.storage.migrate import head_revision
from app.sync import snapshot
from app.sync.apply import Applied
from app.sync.held import HeldVectors
from app.sync.identity import WorkstationIdentity
from app.sync.pki import PeerIdentity, identity
from app.sync.replica import Replica
from app.sync.revocation import revocation_valid
from app.sync.session import Exchange
from app.sync.transport import PeerRefused, Session, connect, serve, tls_contexts

log = logging.getLogger(__name__)

WATCH_SECONDS = 0.1
ANTI_ENTROPY_SECONDS = 30.0
RETRY_SECONDS = (0.5, 1.0, 2.0, 5.0)
STOP_SECONDS = 5.0  # how long a stop waits for the sessions to write their last lines

Address = tuple[str, int]
T = TypeVar("T")
Say = Callable[[str], None]


def parse_address(text: str, *, any_port: bool = False) -> Address:
    """``host:port`` as a pair; ValueError for anything else. ``any_port``: port 0 too
    (where to listen: the system picks a free port, and serve says which)."""
    host, sep, port = text.rpartition(":")
    lowest = 0 if any_port else 1
    if not sep or not host or not port.isdigit() or not lowest <= int(port) < 65536:
        raise ValueError(text)
    return host.strip("[]"), int(port)


class SyncNode:
    """One workstation's sync, running until ``stop`` is set."""

    def __init__(self, replica: Replica, me: WorkstationIdentity, *, say: Say) -> None:
        self.replica = replica
        self.me = me
        self.local: PeerIdentity = identity(me.cert_pem)
        self._server_ctx, self._client_ctx = tls_contexts(me.ca_pem, me.cert_pem, me.key_pem)
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="medirete-sync-db")
        self._say = say
        self.exchanges: dict[Exchange, None] = {}  # in the order they began
        self.held = HeldVectors(replica)
        self._revoked: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._in_session: set[asyncio.Task[Any]] = set()  # tasks running a session now
        self._connecting: set[Address] = set()
        self._stopping = False

    async def _db(self, call: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, call, *args)

    # -- who may connect ------------------------------------------------------------------
    def _load_revoked(self) -> set[str]:
        with self.replica.db.read_engine.connect() as conn:
            rows = conn.execute(select(Workstation.name, Workstation.revocation)
                                .where(Workstation.revoked_at.is_not(None))).all()
        return {name for name, signed in rows
                if signed and revocation_valid(signed, self.me.ca_pem, name)}

    def _allowed(self, peer: PeerIdentity) -> str | None:
        if peer.workstation in self._revoked:
            return "this workstation was revoked by the center's admin"
        if peer.workstation == self.local.workstation:
            return "a workstation cannot sync with itself"
        return None

    async def _hello(self, _peer: PeerIdentity) -> dict[str, Any]:
        if self._stopping:  # a peer calling at the moment of a stop
            raise PeerRefused(reason="sync is stopping on this workstation")
        vectors = await self._db(self.held.read)
        return {"schema": head_revision(), "streams": list(self.replica.offered),
                "role": self.me.role, "vectors": vectors, "payloads": list(VERSIONS)}

    # -- sessions -------------------------------------------------------------------------
    async def _run_session(self, session: Session, address: str) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._in_session.add(task)
        try:
            await self._exchange(session, address)
        finally:
            self._in_session.discard(task)

    async def _exchange(self, session: Session, address: str) -> None:
        if self._stopping:  # agreed at the moment of a stop
            return
        if session.peer_hello.get("snapshot") is True:  # a new workstation's first sync
            await snapshot.give(session, self.replica, self._say)
            return
        exchange = Exchange(session, self.replica, self._executor, self._applied,
                            self.replica.offered, held=self.held)
        self.exchanges[exchange] = None
        name = session.peer.workstation
        self._say(f"peer {name} online ({address})")
        try:
            await self._db(self.replica.remember_peer, name, {
                "address": address, "online": True, "last_seen": utc_now().isoformat(),
                "vectors": session.peer_hello.get("vectors", {})})
            await exchange.run()
        finally:
            self.exchanges.pop(exchange, None)
            stats = exchange.stats
            self._say(f"peer {name} offline (received {stats.received}, sent {stats.sent})")
            with contextlib.suppress(MedireteError):
                await self._db(self.replica.remember_peer, name, {
                    "online": False, "last_seen": utc_now().isoformat()})
                await self._db(self.replica.note, "session.end", name,
                               f"received {stats.received}, sent {stats.sent}, "
                               f"conflicts {stats.conflicts}, kept {stats.kept}")

    async def _incoming(self, session: Session) -> None:
        await self._run_session(session, "incoming")

    def _refused(self, error: MedireteError) -> None:
        self._say(f"refused: {error.user_message()}")

    def _applied(self, source: Exchange, result: Applied) -> None:
        if result.applied:
            self._say(f"applied {result.applied} from {source.peer}"
                      + (f", {result.conflicts} conflicts" if result.conflicts else ""))
            self._notify_peers(but=source.peer)
            if "workstation" in result.kinds:
                self._spawn(self._workstations_changed())
        for fork in result.forks:
            self._say(f"FORK: origin {fork} from {source.peer} stopped (see the sync journal)")

    async def _workstations_changed(self) -> None:
        await self._refresh_revoked()
        kept = await self._db(self.replica.retry_kept)
        if kept:
            self._say(f"{kept} entries kept earlier applied now")

    async def _refresh_revoked(self) -> None:
        """Read the revocations again; close the sessions of the workstations revoked."""
        self._revoked = await self._db(self._load_revoked)
        for exchange in list(self.exchanges):
            if exchange.peer in self._revoked:
                self._say(f"peer {exchange.peer} revoked: session closed")
                await exchange.close()

    def _notify_peers(self, *, but: str = "", audit: bool = False) -> None:
        """Tell every peer but ``but``, all at once, that there is something new. A peer
        with two sessions (each side called the other) is told on one only, or it pulls
        the same entries twice: the newest, since an older one may be a connection the
        peer dropped without a word (a PC switched off) that no one has noticed yet."""
        told = {but}
        for exchange in reversed(list(self.exchanges)):
            if exchange.peer not in told:
                told.add(exchange.peer)
                self._spawn(exchange.notify(audit=audit))

    def _spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._ended)

    def _ended(self, task: asyncio.Task[None]) -> None:
        """A task of the node is done: its error, if any, is logged here (else asyncio
        logs it when the task is collected, as "never retrieved")."""
        self._tasks.discard(task)
        if task.cancelled():
            return
        error = task.exception()
        if isinstance(error, MedireteError):
            log.warning("sync: %s", error)
        elif error is not None:
            log.error("sync task failed", exc_info=error)

    # -- outgoing -------------------------------------------------------------------------
    def add_peer(self, address: Address) -> None:
        """Keep a session open to ``address`` (given by hand or discovered)."""
        if address in self._connecting:
            return
        self._connecting.add(address)
        self._spawn(self._keep_connected(address))

    async def _keep_connected(self, address: Address) -> None:
        attempt = 0
        last_error = ""
        while not self._stopping:
            try:
                hello = await self._hello(self.local)
                session = await connect(address[0], address[1], self._client_ctx, self.local,
                                        hello, allowed=self._allowed)
            except MedireteError as error:
                text = error.user_message()
                if self._stopping:
                    return
                if text != last_error:
                    self._say(f"cannot sync with {address[0]}:{address[1]}: {text}")
                    last_error = text
            else:
                attempt, last_error = 0, ""
                try:
                    await self._run_session(session, f"{address[0]}:{address[1]}")
                except MedireteError as error:
                    self._say(f"session with {session.peer.workstation} ended: "
                              f"{error.user_message()}")
                finally:
                    await session.close()
            if not self._stopping:
                await asyncio.sleep(RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)])
            attempt += 1

    # -- the whole node -------------------------------------------------------------------
    async def run(self, listen: Address, peers: list[Address], stop: asyncio.Event,
                  ready: Callable[[int], None] | None = None) -> None:
        """Listen, connect, watch and push until ``stop`` is set; then stop cleanly.
        Stopped before it began (a logout at once), it leaves the record untouched."""
        if stop.is_set():
            self._executor.shutdown(wait=True)
            return
        try:
            server = await self._start(listen)
        except BaseException:
            self._executor.shutdown(wait=True)
            raise
        port = server.sockets[0].getsockname()[1]
        self._say(f"{self.local.workstation} listening on {listen[0]}:{port}")
        watcher = asyncio.ensure_future(self._watch(stop))
        try:
            if ready is not None:
                ready(port)
            for address in peers:
                self.add_peer(address)
            await stop.wait()
        finally:
            await self._shut_down(server, watcher)

    async def _start(self, listen: Address) -> asyncio.Server:
        self._revoked = await self._db(self._load_revoked)
        await self._db(self.held.refresh)
        kept = await self._db(self.replica.retry_kept)
        if kept:
            self._say(f"{kept} entries kept earlier applied now")
        return await serve(listen[0], listen[1], self._server_ctx, self._hello, self._incoming,
                           local=self.local, allowed=self._allowed, on_refused=self._refused)

    async def _shut_down(self, server: asyncio.Server, watcher: asyncio.Future[None]) -> None:
        """No new session; every session closed and its task awaited, so it writes its
        last journal line; the tasks not in a session (calling back a peer, waiting to,
        telling one of a change) cancelled and awaited; then the database thread."""
        self._stopping = True
        server.close()
        watcher.cancel()
        await asyncio.gather(watcher, return_exceptions=True)
        await asyncio.gather(*(e.close() for e in list(self.exchanges)), return_exceptions=True)
        for task in self._tasks - self._in_session:
            task.cancel()
        waiting = self._tasks | self._in_session
        if waiting:
            _done, late = await asyncio.wait(waiting, timeout=STOP_SECONDS)
            if late:
                log.warning("sync: %d tasks still running %.0f s after the stop, cancelled",
                            len(late), STOP_SECONDS)
            for task in late:
                task.cancel()
            await asyncio.gather(*waiting, return_exceptions=True)
        await server.wait_closed()
        self._executor.shutdown(wait=True)  # the last database call, if any, ends

    async def _watch(self, stop: asyncio.Event) -> None:
        mark = await self._db(self.replica.local_mark)
        since_entropy = 0.0
        while not stop.is_set():
            await asyncio.sleep(WATCH_SECONDS)
            since_entropy += WATCH_SECONDS
            try:
                mark = await self._look(mark, since_entropy >= ANTI_ENTROPY_SECONDS)
            except MedireteError as error:  # the record busy a moment: look again next time
                log.warning("sync: %s", error)
            if since_entropy >= ANTI_ENTROPY_SECONDS:
                since_entropy = 0.0

    async def _look(self, mark: tuple[int, ...], entropy: bool) -> tuple[int, ...]:
        """Announce a write made here; every ``ANTI_ENTROPY_SECONDS``, pull from all."""
        now = await self._db(self.replica.local_mark)
        if now[:-1] != mark[:-1]:  # a write to a log
            await self._db(self.held.advance_own)
            self._notify_peers(audit=True)
            await self._db(self.replica.settle_conflicts)  # a person's write may settle one
            # A revocation made here (``sync revoke`` beside this serve) holds at once, as
            # one received from a peer does.
            await self._refresh_revoked()
        elif now != mark:  # only audit events (a chart read): the peers' access lists
            self._notify_peers(audit=True)
        if entropy:
            # The whole log read again: a write this node did not make nor see.
            await self._db(self.held.refresh)
            for exchange in list(self.exchanges):
                exchange.poke()
        return now
