"""The exchange over one agreed session: each side pulls what it lacks, in batches.

Both sides run the same protocol (no client or server once the hellos are through):
- ``pull`` {stream, vector, limit, id} asks for entries the asker lacks; the answer is a
  ``batch`` {id, stream, entries, blobs, more}. The asker applies it in one transaction
  and asks again while ``more`` is true, so an interrupted sync resumes where the log
  says it stopped.
- ``changed`` says "I hold something new": the other side pulls at once (push).
- Only the streams both sides hold are exchanged, and never the clinical one with a
  front-desk workstation (its certificate says so; it holds no clinical key anyway).

The database work runs on the node's one database thread, never on the event loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from app.core.clock import utc_now
from app.sync.apply import Applied
from app.sync.audit import AUDIT
from app.sync.log import CLINICAL, BadEntry, Entry, Vector
from app.sync.replica import Replica
from app.sync.transport import Session
from app.sync.wire import ConnectionClosed, Message, ProtocolError

log = logging.getLogger(__name__)

# Entries per batch. A batch is applied in one write transaction, which holds the
# record's write lock: at a few milliseconds an entry, 2000 held it for 5 to 10 s on a
# busy PC, and the desk's writes (even a login) waited or failed with "record busy"
# (busy_timeout 10 s). 500 keeps it to a second or two; and between two batches of a
# long catch-up the lock is left free a moment, longer than SQLite's busy handler waits
# between two tries (100 ms), or a waiting writer could miss every gap.
BATCH_ENTRIES = 500
BATCH_PAUSE_SECONDS = 0.2
BATCH_BYTES = 16 * 1024 * 1024  # blobs of one batch (a frame holds 64 MiB)
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
                 streams: tuple[str, ...]) -> None:
        self.session = session
        self.replica = replica
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
        self._wake.set()  # pull once at the start
        self._answers: dict[int, asyncio.Future[Message]] = {}
        self._next_id = 0
        self._closed = False

    async def _db(self, call: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, call, *args)

    def poke(self) -> None:
        """Something changed (here or elsewhere): pull from this peer soon."""
        self._wake.set()

    async def notify(self) -> None:
        """Tell the peer this workstation holds something new."""
        if not self._closed:
            await self.session.send({"type": "changed"})

    async def run(self) -> None:
        """Serve and pull until the session ends."""
        reader = asyncio.create_task(self._read_loop())
        puller = asyncio.create_task(self._pull_loop())
        try:
            done, _ = await asyncio.wait({reader, puller}, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
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
                self._wake.set()
            elif kind == "bye":
                raise ConnectionClosed()
            else:
                raise ProtocolError(detail=f"unknown message {kind!r}")

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
        limit = max(1, min(int(message.get("limit", BATCH_ENTRIES)), BATCH_ENTRIES))
        while True:
            entries, blobs = await self._db(self.replica.batch_for, stream, vector, limit)
            if limit == 1 or sum(len(b) for b in blobs.values()) <= BATCH_BYTES:
                break
            limit = max(1, limit // 2)
        self.stats.sent += len(entries)
        await self.session.send({
            "type": "batch", "id": message.get("id"), "stream": stream,
            "entries": [e.as_wire() for e in entries], "blobs": blobs,
            "more": len(entries) >= limit})

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
            self._next_id += 1
            ask = self._next_id
            future: asyncio.Future[Message] = asyncio.get_running_loop().create_future()
            self._answers[ask] = future
            await self.session.send({"type": "pull", "id": ask, "stream": AUDIT,
                                     "vector": vector, "origin": origin,
                                     "limit": BATCH_ENTRIES})
            batch = await future
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
            # The vectors are read once a round, not once a stream: reading them scans the
            # whole log (a third of a second at a million entries). A vector read before
            # another stream's batch was applied still holds for this one: that batch
            # added entries to its own log only (docs/benchmarks.md, "Center sync").
            held: dict[str, Vector] | None = None
            for stream in self.streams:
                if stream == AUDIT:
                    await self._pull_audit()
                else:
                    held = await self._pull(stream, held)

    async def _pull(self, stream: str, held: dict[str, Vector] | None,
                    ) -> dict[str, Vector] | None:
        """Pull ``stream`` until the peer has nothing more; returns the vectors when they
        still hold (nothing was applied), None when they must be read again."""
        vectors = held
        while True:
            if vectors is None:
                vectors = await self._db(self.replica.vectors)
            self._next_id += 1
            ask = self._next_id
            future: asyncio.Future[Message] = asyncio.get_running_loop().create_future()
            self._answers[ask] = future
            await self.session.send({"type": "pull", "id": ask, "stream": stream,
                                     "vector": vectors.get(stream, {}), "limit": BATCH_ENTRIES})
            batch = await future
            entries, blobs = _entries(batch)
            if not entries:
                return vectors
            vectors = None  # this log is about to move
            result = await self._db(self.replica.apply, stream, entries, blobs, self.peer)
            self.stats.received += result.applied
            self.stats.kept += result.deferred
            self.stats.conflicts += result.conflicts
            self.stats.forks += result.forks
            self._on_applied(self, result)
            await self._db(self.replica.remember_peer, self.peer,
                           {"last_sync": utc_now().isoformat()})
            if not batch.get("more") or not (result.applied or result.deferred):
                return None
            await asyncio.sleep(BATCH_PAUSE_SECONDS)  # the desk's writes get their turn


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
