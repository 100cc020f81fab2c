"""A workstation online: listening for peers, connecting to the ones it knows, pushing.

- Incoming sessions are accepted from any workstation holding a certificate of the
  center's CA that has not been revoked; outgoing ones are kept open to every address
  given or discovered (reconnecting with a short back-off when a peer goes away).
- A write made here, by any process on this record (the desk, a device, ``simulate``),
  is noticed within ``WATCH_SECONDS`` and announced to every peer, which pulls it:
  a change reaches the online peers in well under a second. A batch applied from one
  peer is announced to the others, so a change crosses the center even when two
  workstations cannot reach each other directly.
- Every ``ANTI_ENTROPY_SECONDS`` each session pulls anyway, whatever was announced.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import select

from app.core.clock import utc_now
from app.core.errors import MedireteError
from app.records.model import Workstation
from app.records.storage.migrate import head_revision
from app.sync.apply import Applied
from app.sync.identity import WorkstationIdentity
from app.sync.pki import PeerIdentity, identity
from app.sync.replica import Replica
from app.sync.revocation import revocation_valid
from app.sync.session import Exchange
from app.sync.transport import Session, connect, serve, tls_contexts

log = logging.getLogger(__name__)

WATCH_SECONDS = 0.1
ANTI_ENTROPY_SECONDS = 30.0
RETRY_SECONDS = (0.5, 1.0, 2.0, 5.0)

Address = tuple[str, int]
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
        self.exchanges: set[Exchange] = set()
        self._revoked: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._connecting: set[Address] = set()

    async def _db(self, call: Callable[..., Any], *args: Any) -> Any:
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
        vectors = await self._db(self.replica.vectors)
        return {"schema": head_revision(), "streams": list(self.replica.offered),
                "role": self.me.role, "vectors": vectors}

    # -- sessions -------------------------------------------------------------------------
    async def _run_session(self, session: Session, address: str) -> None:
        exchange = Exchange(session, self.replica, self._executor, self._applied,
                            self.replica.offered)
        self.exchanges.add(exchange)
        name = session.peer.workstation
        self._say(f"peer {name} online ({address})")
        await self._db(self.replica.remember_peer, name, {
            "address": address, "online": True, "last_seen": utc_now().isoformat(),
            "vectors": session.peer_hello.get("vectors", {})})
        try:
            await exchange.run()
        finally:
            self.exchanges.discard(exchange)
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
            for other in list(self.exchanges):
                if other is not source:
                    self._spawn(other.notify())
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
                await exchange.session.close()

    def _spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

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
        while True:
            try:
                hello = await self._hello(self.local)
                session = await connect(address[0], address[1], self._client_ctx, self.local,
                                        hello, allowed=self._allowed)
            except MedireteError as error:
                text = error.user_message()
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
            await asyncio.sleep(RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)])
            attempt += 1

    # -- the whole node -------------------------------------------------------------------
    async def run(self, listen: Address, peers: list[Address], stop: asyncio.Event,
                  ready: Callable[[int], None] | None = None) -> None:
        """Listen, connect, watch and push until ``stop`` is set."""
        self._revoked = await self._db(self._load_revoked)
        kept = await self._db(self.replica.retry_kept)
        if kept:
            self._say(f"{kept} entries kept earlier applied now")
        server = await serve(listen[0], listen[1], self._server_ctx, self._hello,
                             self._incoming, local=self.local, allowed=self._allowed,
                             on_refused=self._refused)
        port = server.sockets[0].getsockname()[1]
        self._say(f"{self.local.workstation} listening on {listen[0]}:{port}")
        if ready is not None:
            ready(port)
        for address in peers:
            self.add_peer(address)
        watcher = asyncio.ensure_future(self._watch(stop))
        try:
            await stop.wait()
        finally:
            watcher.cancel()
            server.close()
            for exchange in list(self.exchanges):
                with contextlib.suppress(Exception):
                    await exchange.session.close()
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(watcher, *self._tasks, return_exceptions=True)
            with contextlib.suppress(Exception):
                await server.wait_closed()
            self._executor.shutdown(wait=True)

    async def _watch(self, stop: asyncio.Event) -> None:
        mark = await self._db(self.replica.local_mark)
        since_entropy = 0.0
        while not stop.is_set():
            await asyncio.sleep(WATCH_SECONDS)
            since_entropy += WATCH_SECONDS
            now = await self._db(self.replica.local_mark)
            if now != mark:
                mark = now
                # A revocation made here (``sync revoke`` beside this serve) holds at once,
                # as one received from a peer does.
                await self._refresh_revoked()
                for exchange in list(self.exchanges):
                    self._spawn(exchange.notify())
            if since_entropy >= ANTI_ENTROPY_SECONDS:
                since_entropy = 0.0
                for exchange in list(self.exchanges):
                    exchange.poke()
