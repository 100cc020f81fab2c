"""The exchange over one agreed session: each side pulls what it lacks, in batches.

Both sides run the same protocol (no client or server once the hellos are through):
- ``pull`` {stream, vector, limit, id} asks for entries the asker lacks; the answer is a
  ``batch`` {id, stream, entries, blobs, more}. The asker applies it in one transaction
  and asks again while ``more`` is true, so an interrupted sync resumes where the log
  says it stopped.
- ``changed`` says "I hold something new" (push) with the sender's vectors: the other
  side pulls at once unless it holds all of it already (a relayed change that came
  directly first); a ``changed`` without vectors (an older peer) is always pulled.
- Only the streams both sides hold are exchanged, never the clinical one with a front
  desk (its certificate says so; it holds no clinical key anyway).

Database work runs on the node's one database thread, never on the event loop; the
vectors needed at every pull are held in memory (``HeldVectors``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from app.core.clock import utc_now
from app.core.errors import MedireteError
from app.sync.apply import Applied
from app.sync.audit import AUDIT
from app.sync.held import HeldVectors
from app.sync.log import CLINICAL, BadEntry, Entry, Vector, encodings_read_by
from app.sync.pending import PeerVectors
from app.sync.replica import Replica
from app.sync.transport import Session
from app.sync.wire import ConnectionClosed, Message, PeerSilent, ProtocolError

log = logging.getLogger(__name__)

# Entries per batch. A batch is applied in one write transaction, which holds the
# record's write lock: one held for 5 to 10 s (2,000 entries applied one by one on a busy
# PC) made the desk's writes, even a login, wait or fail with "record busy"
# (busy_timeout 10 s). So the puller sizes its batches by how long the last one held the
# lock (``next_limit``): about ``HOLD_SECONDS``, whatever the entries cost (a new row in
# bulk costs a tenth of an update folded one by one). Between two batches of a long
# catch-up the lock is left free a moment, longer than SQLite's busy handler waits
# between two tries (100 ms), or a waiting writer could miss every gap.
BATCH_ENTRIES = 500  # the first batch of a pull, and every audit batch
MIN_BATCH_ENTRIES = 100
MAX_BATCH_ENTRIES = 20000  # the most a peer answers at once
HOLD_SECONDS = 0.5
BATCH_PAUSE_SECONDS = 0.15
BATCH_BYTES = 16 * 1024 * 1024  # payloads and blobs of one batch (a frame holds 64 MiB)
# How long a pull waits for its batch (the peer may first finish applying another's, a
# second or two): a minute without an answer is a peer gone without closing.
ANSWER_SECONDS = 60.0
# "Last sync" moves with every batch received and, when there is nothing to receive, at
# most this often (an anti-entropy round finds nothing every 30 s, with every peer).
NOTE_SYNCED_SECONDS = 60.0
FRONT_DESK = "front-desk"
T = TypeVar("T")


@dataclass
class SessionStats:
    """What one session moved, for the journal and the panel."""

    received: int = 0
    sent: int = 0
    conflicts: int = 0
    kept: int = 0
    forks: list[str] = field(default_factory=list)


class Exchange:
    """One peer session: answers its pulls, pulls from it when told or asked to."""

    def __init__(self, session: Session, replica: Replica, executor: Executor,
                 on_applied: Callable[[Exchange, Applied], None],
                 streams: tuple[str, ...], *, held: HeldVectors | None = None) -> None:
        self.session = session
        self.replica = replica
        self.held = held or HeldVectors(replica)
        self._executor = executor
        self._on_applied = on_applied
        self.peer = session.peer.workstation
        theirs = session.peer_hello.get("streams", ["record"])
        offered = set(theirs) if isinstance(theirs, list) else {"record"}
        front_desk = FRONT_DESK in (session.peer.role, session.peer_hello.get("role"))
        self.streams = tuple(s for s in streams if s in offered
                             and not (s == CLINICAL and front_desk))
        self.stats = SessionStats()
        self._wake = asyncio.Event()
        self._wake.set()
        self._everything = True  # pull every stream at the next round: at the start
        self._announced: dict[str, dict[str, int]] = {}  # heads told by "changed"
        self._limits: dict[str, int] = {}  # {stream: entries to ask for} (``next_limit``)
        self._encodings = encodings_read_by(session.peer_hello)
        self.peer_vectors = PeerVectors(session.peer_hello.get("vectors"))
        self._logs = tuple(s for s in self.streams if s != AUDIT)
        self._answers: dict[int, asyncio.Future[Message]] = {}
        self._next_id = 0
        self._closed = False
        self._closing = False
        self._noted: float | None = None  # when "last sync" was last written (monotonic)
        self._audit_told = False  # a "changed" said the peer has new audit events of its own

    async def _db(self, call: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, call, *args)

    def poke(self) -> None:
        """Pull every stream from this peer soon, whatever was announced (anti-entropy)."""
        self._everything = True
        self._wake.set()

    async def notify(self, *, audit: bool = False) -> None:
        """Tell the peer this workstation holds something new, up to where (``audit``:
        own audit events too, pulled even when every log entry is held). A lost
        connection is not reported here: the session's reader ends the session."""
        if self._closed:
            return
        held = self.held.snapshot()
        message: Message = {"type": "changed"}
        if audit:
            message["audit"] = True
        if held is not None:
            message["vectors"] = {s: dict(held[s]) for s in self.streams if s in held}
        try:
            await self.session.send(message)
        except MedireteError as error:
            log.info("could not tell %s of a change: %s", self.peer, error)

    async def close(self) -> None:
        """End the session from this side (the node stops, the peer was revoked): ``run``
        then returns instead of reporting a closed connection."""
        self._closing = True
        await self.session.close()

    async def run(self) -> None:
        """Serve and pull until the session ends."""
        reader = asyncio.create_task(self._read_loop())
        puller = asyncio.create_task(self._pull_loop())
        try:
            done, _ = await asyncio.wait({reader, puller}, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                if not self._closing:
                    task.result()  # raise what ended the session
        finally:
            self._closed = True
            for task in (reader, puller):
                task.cancel()
            await asyncio.gather(reader, puller, return_exceptions=True)
            for future in self._answers.values():
                future.cancel()

    async def _read_loop(self) -> None:
        while True:
            message = await self.session.receive()
            kind = message.get("type")
            if kind == "pull":
                await self._answer(message)
            elif kind == "batch":
                future = self._answers.pop(int(message.get("id", -1)), None)
                if future is not None and not future.done():
                    future.set_result(message)
            elif kind == "changed":
                self._audit_told = self._audit_told or message.get("audit") is True
                self._announce(message.get("vectors"))
            elif kind == "bye":
                raise ConnectionClosed()
            else:
                raise ProtocolError(detail=f"unknown message {kind!r}")

    def _announce(self, vectors: object) -> None:
        """Note what a ``changed`` says the peer holds; wake the puller."""
        if not isinstance(vectors, dict):
            self._everything = True  # an older peer: it does not say what changed
        else:
            for stream, vector in vectors.items():
                if stream in self.streams and isinstance(vector, dict):
                    heads = self._announced.setdefault(stream, {})
                    for origin, seq in vector.items():
                        if isinstance(origin, str) and type(seq) is int:
                            heads[origin] = max(seq, heads.get(origin, 0))
                    self.peer_vectors.raise_to(stream, heads)
        self._wake.set()

    def pending(self) -> tuple[int, int] | None:
        """(to receive, to send): entries each side lacks of the other's (any thread)."""
        return self.peer_vectors.pending(self.held.snapshot(), self._logs)

    async def _answer(self, message: Message) -> None:
        stream = message.get("stream")
        vector = message.get("vector")
        if stream == AUDIT and stream in self.streams and isinstance(vector, dict):
            await self._answer_audit(message, vector)
            return
        if stream not in self.streams or not isinstance(vector, dict):
            await self.session.send({"type": "batch", "id": message.get("id"), "stream": stream,
                                     "entries": [], "blobs": {}, "more": False})
            return
        self.peer_vectors.set(stream, vector)
        limit = max(1, min(int(message.get("limit", BATCH_ENTRIES)), MAX_BATCH_ENTRIES))
        while True:
            entries, blobs = await self._db(self.held.batch_for, stream, vector, limit)
            if limit == 1 or _size(entries, blobs) <= BATCH_BYTES:
                break
            limit = max(1, limit // 2)
        self.stats.sent += len(entries)
        await self.session.send({
            "type": "batch", "id": message.get("id"), "stream": stream,
            "entries": [e.as_wire(self._encodings) for e in entries], "blobs": blobs,
            "more": len(entries) >= limit})
        self.peer_vectors.raise_to(stream, {e.origin: e.seq for e in entries})  # in flight

    async def _answer_audit(self, message: Message, vector: dict[str, Any]) -> None:
        """Audit events the peer lacks; first, whether its chain or ours was cut short."""
        cut = await self._db(self.replica.check_audit_heads, message.get("origin"), vector,
                             self.peer)
        for text in cut:
            log.warning("audit trail cut short: %s", text)
        limit = max(1, min(int(message.get("limit", BATCH_ENTRIES)), BATCH_ENTRIES))
        rows = await self._db(self.replica.audit_batch, vector, limit)
        self.stats.sent += len(rows)
        await self.session.send({"type": "batch", "id": message.get("id"), "stream": AUDIT,
                                 "entries": rows, "blobs": {}, "more": len(rows) >= limit})

    async def _pull_audit(self) -> None:
        while True:
            vector = await self._db(self.replica.audit_vector)
            origin = await self._db(self.replica.origin)
            batch = await self._ask({"type": "pull", "stream": AUDIT, "vector": vector,
                                     "origin": origin, "limit": BATCH_ENTRIES})
            rows = batch.get("entries")
            if not isinstance(rows, list):
                raise ProtocolError(detail="a batch without entries")
            if not rows:
                return
            kept = await self._db(self.replica.apply_audit, rows, self.peer)
            if not batch.get("more") or not kept:
                return

    async def _pull_loop(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            everything, announced, audit = self._everything, self._announced, self._audit_told
            self._everything, self._announced, self._audit_told = False, {}, False
            wanted = [s for s in self.streams if s != AUDIT and (
                everything or not self.held.covers({s: announced.get(s, {})}))]
            if not wanted and not (audit and AUDIT in self.streams):
                continue  # all that was announced is held already (a relay came second)
            for stream in wanted:
                await self._pull(stream)
            if AUDIT in self.streams:
                await self._pull_audit()

    async def _pull(self, stream: str) -> None:
        """Pull ``stream`` until the peer has nothing more for it.

        While one batch is applied (database thread) the next is asked for, from the
        vector that batch leaves, and its seals checked on a worker thread: the peer reads
        and sends it while this side writes. A batch that did not land whole (a fork, an
        entry out of order) makes it useless: dropped, asked again from the vectors held."""
        # The held vectors, read on the database thread: after any batch of this stream
        # still being applied from another peer, so it is not pulled twice.
        vector = dict((await self._db(self.held.read)).get(stream, {}))
        fetch = self._fetch(stream, vector)
        try:
            while True:
                batch, entries, blobs, asked = await fetch
                if not entries:  # in step with the peer: a sync too, noted now and then
                    await self._note_synced(every=NOTE_SYNCED_SECONDS)
                    return
                more = bool(batch.get("more"))
                ahead = _after(vector, entries)
                if more:
                    fetch = self._fetch(stream, ahead)
                result, held_for = await self._db(self._apply, stream, entries, blobs)
                if len(entries) >= asked:  # a full batch says how many the lock can take
                    self._limits[stream] = next_limit(asked, held_for)
                self._count(result)
                await self._note_synced()
                if not more or not (result.applied or result.deferred):
                    return
                vector = dict((await self._db(self.held.read)).get(stream, {}))
                if any(vector.get(origin, 0) < seq for origin, seq in ahead.items()):
                    _drop(fetch)  # asked from where this batch should have left us
                    fetch = self._fetch(stream, vector)
                else:
                    vector = ahead
                # Only between two batches of a catch-up, never after the last one.
                await asyncio.sleep(BATCH_PAUSE_SECONDS)  # the desk's writes get their turn
        finally:
            _drop(fetch)

    async def _note_synced(self, *, every: float = 0.0) -> None:
        """Note when this side was last in step with the peer (at most every ``every`` s)."""
        now = time.monotonic()
        if self._noted is not None and now - self._noted < every:
            return
        self._noted = now
        await self._db(self.replica.remember_peer, self.peer,
                       {"last_sync": utc_now().isoformat()})

    def _fetch(self, stream: str, vector: Vector) -> asyncio.Task[_Fetched]:
        """Ask for the next batch of ``stream`` after ``vector``; its entries are checked
        against their seals on a worker thread (not the event loop, not the database's).
        The task's result also says how many entries were asked for."""
        limit = self._limits.get(stream, BATCH_ENTRIES)

        async def fetch() -> _Fetched:
            batch = await self._ask({"type": "pull", "stream": stream, "vector": dict(vector),
                                     "limit": limit})
            entries, blobs = await asyncio.get_running_loop().run_in_executor(
                None, _entries, batch)
            return batch, entries, blobs, limit

        return asyncio.create_task(fetch())

    def _count(self, result: Applied) -> None:
        self.stats.received += result.applied
        self.stats.kept += result.deferred
        self.stats.conflicts += result.conflicts
        self.stats.forks += result.forks
        self._on_applied(self, result)

    async def _ask(self, message: Message) -> Message:
        """Send a pull and wait for its answer, at most ``ANSWER_SECONDS``: a peer that
        vanished without closing (switched off, its cable pulled) ends the session, so it
        is shown offline and called again, instead of a pull waiting for ever."""
        self._next_id += 1
        ask = self._next_id
        future: asyncio.Future[Message] = asyncio.get_running_loop().create_future()
        self._answers[ask] = future
        try:
            await self.session.send({**message, "id": ask})
            async with asyncio.timeout(ANSWER_SECONDS):
                return await future
        except TimeoutError:
            raise PeerSilent(peer=self.peer, seconds=f"{ANSWER_SECONDS:g}") from None
        finally:
            self._answers.pop(ask, None)

    def _apply(self, stream: str, entries: list[Entry], blobs: dict[str, bytes],
               ) -> tuple[Applied, float]:
        """Apply one batch, then move the held vector over it (database thread): the
        peers told of it next (relayed) learn up to where it goes. Also returns how long
        the write transaction took (seconds)."""
        start = time.perf_counter()
        result = self.replica.apply(stream, entries, blobs, self.peer)
        held_for = time.perf_counter() - start
        self.held.advance(stream, {e.origin for e in entries})
        return result, held_for


def next_limit(limit: int, held_for: float) -> int:
    """The size of the next batch, after a full batch of ``limit`` entries held the write
    lock ``held_for`` seconds: about ``HOLD_SECONDS`` worth, at most twice as many as
    before (one fast batch of cheap entries says little of the next), within
    ``MIN_BATCH_ENTRIES`` and ``MAX_BATCH_ENTRIES``."""
    wanted = limit * HOLD_SECONDS / max(held_for, 1e-3)
    return int(max(MIN_BATCH_ENTRIES, min(wanted, 2 * limit, MAX_BATCH_ENTRIES)))


_Fetched = tuple[Message, list[Entry], dict[str, bytes], int]


def _drop(task: asyncio.Task[Any]) -> None:
    """Cancel a fetch no longer wanted; what it may have raised is not reported."""
    task.cancel()
    task.add_done_callback(lambda done: done.cancelled() or done.exception())


def _size(entries: list[Entry], blobs: Mapping[str, bytes]) -> int:
    """About the bytes a batch takes in its frame (payloads as held, and blobs)."""
    return (sum(len(e.stored) if e.stored is not None else len(e.payload) for e in entries)
            + sum(len(b) for b in blobs.values()))


def _after(vector: Mapping[str, int], entries: list[Entry]) -> dict[str, int]:
    """The vector a batch leaves when it lands whole (a peer sends each origin's entries
    in sequence, from the one after the vector asked from)."""
    out = dict(vector)
    for entry in entries:
        out[entry.origin] = max(out.get(entry.origin, 0), entry.seq)
    return out


def _entries(batch: Mapping[str, Any]) -> tuple[list[Entry], dict[str, bytes]]:
    """The entries and blobs of a batch, each entry checked against its seal."""
    raw, blobs = batch.get("entries"), batch.get("blobs")
    if not isinstance(raw, list) or not isinstance(blobs, dict):
        raise ProtocolError(detail="a batch without entries or blobs")
    try:
        entries = [Entry.from_wire(item) for item in raw]
    except BadEntry as error:
        raise ProtocolError(detail=str(error)) from error
    return entries, {str(k): bytes(v) for k, v in blobs.items() if isinstance(v, bytes)}
