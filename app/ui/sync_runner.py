"""Center sync while someone is logged in: the workstation's SyncNode on its own thread.

``SyncNode`` (app/sync/node.py) is asyncio; the desktop is Qt. ``SyncRunner`` gives the
node a thread of its own with its own event loop, so neither ever waits on the other:
the node's lines, its state and the Changes it applies come back to the GUI thread as
queued Qt signals. The node works on a ``Records`` of its own built on the session's
unlocked database (the same key in memory, its own change feed and connections), so it
needs no password kept and writes no second login; it is stopped before the session's
record is closed (``StopSync`` runs on the session lane, ahead of a logout).

Where it listens and whom it calls, first found wins:

- ``MEDIRETE_SYNC_LISTEN`` / setting ``sync/listen``: ``host:port``, default
  ``0.0.0.0:47400`` (every interface, port 47400; ``:0`` lets the system choose);
- ``MEDIRETE_SYNC_PEERS`` / ``sync/peers``: more ``host:port`` addresses, comma-separated,
  besides those learnt at pairing;
- ``MEDIRETE_SYNC_DISCOVERY`` / ``sync/discovery``: ``0``/``off`` turns zeroconf off.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from app.core.errors import MedireteError
from app.records.changes import Changes
from app.records.services import Records
from app.records.storage.center import workstation_name
from app.sync.apply import Applied
from app.sync.identity import WorkstationIdentity, find_identity
from app.sync.log import Entry
from app.sync.node import Address, SyncNode, parse_address
from app.sync.replica import Replica
from app.ui.lanes import Backend, Lane
from app.ui.qt import QObject, QSettings, Qt, Signal, Slot

log = logging.getLogger(__name__)

LISTEN_ENV, PEERS_ENV, DISCOVERY_ENV = ("MEDIRETE_SYNC_LISTEN", "MEDIRETE_SYNC_PEERS",
                                        "MEDIRETE_SYNC_DISCOVERY")
DEFAULT_LISTEN = "0.0.0.0:47400"  # every interface: the center's LAN
# How long a stop waits for the node's thread. The record closes right after, and a
# thread still reading it then would use a closed SQLCipher connection (a crash, not an
# error): so this is long, and the node's own stop is bounded (node.STOP_SECONDS).
STOP_SECONDS = 60.0
OFF = ("0", "off", "no", "false")


def _setting(env: str, key: str, settings: QSettings | None) -> str:
    value = os.environ.get(env, "").strip()
    if not value and settings is not None:
        value = str(settings.value(key, "") or "").strip()
    return value


@dataclass(frozen=True)
class SyncConfig:
    """Where this workstation listens, the addresses it calls, whether it uses zeroconf."""

    listen: Address = ("0.0.0.0", 47400)  # noqa: S104 - the center's LAN
    peers: tuple[Address, ...] = ()
    discovery: bool = True

    @classmethod
    def from_environment(cls, settings: QSettings | None = None) -> SyncConfig:
        """The environment's values, else the settings', else the defaults (a wrong value
        is logged and skipped, never fatal: sync is not worth refusing the desk over)."""
        text = _setting(LISTEN_ENV, "sync/listen", settings) or DEFAULT_LISTEN
        try:
            listen = parse_address(text, any_port=True)
        except ValueError:
            log.warning("%s: %r is not HOST:PORT, listening on %s", LISTEN_ENV, text,
                        DEFAULT_LISTEN)
            listen = parse_address(DEFAULT_LISTEN)
        peers = []
        for item in _setting(PEERS_ENV, "sync/peers", settings).split(","):
            if item.strip():
                try:
                    peers.append(parse_address(item.strip()))
                except ValueError:
                    log.warning("%s: %r is not HOST:PORT, skipped", PEERS_ENV, item)
        discovery = _setting(DISCOVERY_ENV, "sync/discovery", settings).lower() not in OFF
        return cls(listen, tuple(peers), discovery)


class _ForwardingReplica(Replica):
    """A Replica whose applied batches also reach the desk's screens (``on_changes``):
    the node's feed is its own, so what it commits is collected and handed over."""

    def __init__(self, records: Records, name: str,
                 on_changes: Callable[[Changes], None]) -> None:
        super().__init__(records, name)
        self._on_changes = on_changes

    def apply(self, stream: str, entries: Sequence[Entry], blobs: Mapping[str, bytes],
              peer: str) -> Applied:
        with self.records.feed.collect() as collected:
            result = super().apply(stream, entries, blobs, peer)
        if collected.changes:
            self._on_changes(collected.changes)
        return result


@dataclass(frozen=True)
class NodeStart:
    """What the node thread needs, made on the worker (the GUI never touches it)."""

    records: Records = field(repr=False)
    identity: WorkstationIdentity = field(repr=False)


@dataclass(frozen=True)
class PrepareSync:
    """This workstation's identity and a Records of the node's own on the session's
    database; None when the workstation is not paired."""

    lane: ClassVar[Lane] = Lane.READ

    def __call__(self, backend: Backend) -> NodeStart | None:
        records = backend.require()
        with records.db.read_engine.connect() as conn:
            me = find_identity(conn)
        if me is None:
            return None
        return NodeStart(Records(records.db, records.user, workstation_name()), me)


@dataclass(frozen=True)
class StopSync:
    """Stop the node before the record closes (queued ahead of a logout: a barrier)."""

    runner: SyncRunner = field(compare=False)
    lane: ClassVar[Lane] = Lane.SESSION

    def __call__(self, _backend: Backend) -> None:
        self.runner.stop()


@dataclass(frozen=True)
class PeerLive:
    """A peer with a session open now, and what the session moved."""

    name: str
    received: int
    sent: int
    pending_in: int | None = None  # entries it holds that this one lacks, now
    pending_out: int | None = None  # entries this one holds that it lacks, now


class SyncRunner(QObject):
    """The node's thread; ``state`` is idle, starting, listening, failed or stopped.

    The public signals are emitted on the GUI thread only: the node's thread emits the
    private ones, delivered here by queued connections.
    """

    said = Signal(str)  # each line the node says (English, for the log and the journal)
    applied = Signal(object)  # Changes applied from peers
    state_changed = Signal()
    _line = Signal(str)
    _changes = Signal(object)
    _state = Signal(str, str, object)  # state, error, port

    def __init__(self, config: SyncConfig | None = None) -> None:
        super().__init__()
        self.config = config or SyncConfig()
        self.state = "idle"
        self.error = ""  # why the node stopped, in the user's words (state "failed")
        self.port: int | None = None
        self.workstation = ""
        self.started_at: float | None = None  # time.monotonic() when it began listening
        self._node: SyncNode | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._ended = False  # stopped for good: the session's record is closing
        queued = Qt.ConnectionType.QueuedConnection
        self._line.connect(self._on_line, queued)
        self._changes.connect(self._on_changes, queued)
        self._state.connect(self._on_state, queued)

    @Slot(str)
    def _on_line(self, text: str) -> None:
        self.said.emit(text)

    @Slot(object)
    def _on_changes(self, changes: Changes) -> None:
        self.applied.emit(changes)

    @Slot(str, str, object)
    def _on_state(self, state: str, error: str, port: object) -> None:
        if self.state == "failed" and state == "stopped":
            return  # the reason stays on screen
        self.state, self.error = state, error
        if isinstance(port, int):
            self.port = port
            self.started_at = time.monotonic()
        self.state_changed.emit()

    @property
    def running(self) -> bool:
        """True between ``start`` and ``stop`` (even while the node is failing)."""
        return self._thread is not None

    def start(self, prepared: NodeStart | None) -> None:
        """Run the node (nothing when the workstation is not paired or it already runs)."""
        with self._lock:
            if prepared is None or self._thread is not None or self._ended:
                return
            self._thread = threading.Thread(
                target=self._main, args=(prepared,), name="medirete-sync", daemon=True)
            self._thread.start()
        self.workstation = prepared.identity.workstation
        self.state, self.error = "starting", ""
        self.state_changed.emit()

    def add_peer(self, address: Address) -> None:
        """Call ``address`` too (a peer found late, e.g. the demo's second workstation)."""
        with self._lock:
            loop, node = self._loop, self._node
        if loop is None or node is None:
            self.config = SyncConfig(self.config.listen, (*self.config.peers, address),
                                     self.config.discovery)
            return
        with contextlib.suppress(RuntimeError):  # the loop just ended
            loop.call_soon_threadsafe(node.add_peer, address)

    def online(self) -> tuple[PeerLive, ...]:
        """The peers with a session open now, by name (one row per peer)."""
        with self._lock:
            node = self._node
        if node is None:
            return ()
        try:
            exchanges = list(node.exchanges)  # a snapshot; the loop thread adds and drops
        except RuntimeError:
            return ()
        seen: dict[str, PeerLive] = {}
        for exchange in exchanges:
            known = seen.get(exchange.peer)
            received = exchange.stats.received + (known.received if known else 0)
            sent = exchange.stats.sent + (known.sent if known else 0)
            # Two sessions with one peer (each called the other): the newer one's view.
            pending = exchange.pending() or (None, None)
            seen[exchange.peer] = PeerLive(exchange.peer, received, sent, *pending)
        return tuple(seen[name] for name in sorted(seen))

    def stop(self, timeout: float = STOP_SECONDS) -> None:
        """End the node for good: sessions closed, its database thread done (any thread
        may call; a ``start`` afterwards does nothing)."""
        with self._lock:
            self._ended = True
            loop, stop, thread = self._loop, self._stop, self._thread
        if thread is None:
            return
        if loop is not None and stop is not None:
            with contextlib.suppress(RuntimeError):  # the loop already ended
                loop.call_soon_threadsafe(stop.set)
        thread.join(timeout)
        if thread.is_alive():
            log.error("sync did not stop within %.0f s", timeout)
        with self._lock:
            self._thread = None
        self._state.emit("stopped", "", None)

    # -- the node's thread ----------------------------------------------------------------
    def _say(self, text: str) -> None:
        log.info("sync: %s", text)
        self._line.emit(text)

    def _ready(self, port: int) -> None:
        self._state.emit("listening", "", port)

    def _main(self, prepared: NodeStart) -> None:
        try:
            # Made here: a Replica reads the schema's revisions the first time (slow-ish).
            replica = _ForwardingReplica(prepared.records, prepared.identity.workstation,
                                         self._changes.emit)
            asyncio.run(self._run(replica, prepared.identity))
        except MedireteError as error:
            log.warning("sync stopped: %s", type(error).__name__)
            self._state.emit("failed", error.user_message(), None)
        except OSError as error:  # the port taken, no such address
            log.warning("sync stopped: %s", error)
            self._state.emit("failed", error.strerror or str(error), None)
        except Exception as error:  # noqa: BLE001 - a bug: logged, the desk carries on
            log.exception("sync stopped by an unexpected error")
            self._state.emit("failed", type(error).__name__, None)
        finally:
            with self._lock:
                self._node, self._loop, self._stop = None, None, None

    async def _run(self, replica: Replica, me: WorkstationIdentity) -> None:
        stop = asyncio.Event()
        node = SyncNode(replica, me, say=self._say)
        with self._lock:
            self._node, self._loop, self._stop = node, asyncio.get_running_loop(), stop
            if self._ended:  # stopped before this thread got here: nothing to set then
                stop.set()
        config = self.config
        peers = list(config.peers)
        for text in me.peers:
            with contextlib.suppress(ValueError):
                peers.append(parse_address(text))
        found = None
        if config.discovery:
            from app.sync.discovery import Discovery

            found = Discovery(replica.db.center_id, me.workstation, node.add_peer,
                              say=self._say, listen_host=config.listen[0])

        def ready(port: int) -> None:
            self._ready(port)
            if found is not None:
                found.start(port)

        try:
            await node.run(config.listen, peers, stop, ready=ready)
        finally:
            if found is not None:
                await found.close()
        self._say("stopped")
