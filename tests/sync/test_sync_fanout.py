"""Pushing one change to the peers (docs/decisions/0024-center-sync.md, "The exchange").

The vectors each node holds in memory follow its log, never ahead of it, and serve the
same batches as the log would; a ``changed`` names up to where its sender holds, so the
peer pulls only the streams it lacks (and a ``changed`` of an older peer, naming
nothing, still makes it pull everything); a change still crosses a workstation that
relays it to one that cannot reach the writer. No assertion here is about speed: that is
benchmarks/sync.py (``--fanout-only``).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

from app.records.journal import set_meta
from app.records.services import Records
from app.records.services.views import PatientInput
from app.sync.audit import AUDIT
from app.sync.held import HeldVectors
from app.sync.log import CLINICAL, RECORD, Entry, Vector
from app.sync.node import SyncNode
from app.sync.pki import PeerIdentity
from app.sync.replica import FORKED_KEY, Replica
from app.sync.session import Exchange
from app.sync.wire import ConnectionClosed, Message, decode, encode
from tests.conftest import PASSWORD
from tests.sync.test_node import _free_port, _identity, _join, _until


def _not_above(held: Mapping[str, Vector], log: Mapping[str, Vector]) -> bool:
    return all(seq <= log[s].get(o, 0) for s, v in held.items() for o, seq in v.items())


def _register(replica: Replica, surname: str) -> str:
    return replica.records.patients.register(
        PatientInput(surname, "Lucia", "F", date(1958, 3, 4), "Pavia")).id


def _pull_all(source: HeldVectors, target: Replica, held: HeldVectors, name: str) -> None:
    """What a session does, by hand, in batches of 3: the vector held checked each time."""
    for stream in target.streams:
        while True:
            entries, blobs = source.batch_for(stream, held.read()[stream], 3)
            if not entries:
                break
            target.apply(stream, [Entry.from_wire(e.as_wire()) for e in entries], blobs, name)
            held.advance(stream, {e.origin for e in entries})
            assert held.read() == target.vectors()


def test_held_vectors_follow_local_writes_and_applied_batches(pair):
    a, b = pair
    held_a, held_b = HeldVectors(a), HeldVectors(b)
    assert held_a.read() == a.vectors()
    patient = _register(a, "Neri")
    a.records.clinical.add_problem(patient, "250.00", "Diabete mellito tipo 2")
    # A write not seen yet leaves the vector held below the log, never above it.
    assert held_a.read() != a.vectors() and _not_above(held_a.read(), a.vectors())
    held_a.advance_own()
    assert held_a.read() == a.vectors()
    _pull_all(held_a, b, held_b, "A")
    assert b.digests() == a.digests()
    # A write made behind the node's back (not announced to it) is read at the next
    # whole read (anti-entropy).
    _register(b, "Sala")
    assert _not_above(held_b.read(), b.vectors())
    held_b.refresh()
    assert held_b.read() == b.vectors()


def test_batches_served_from_held_vectors_are_the_replicas_and_skip_forked_origins(pair):
    a, b = pair
    _register(a, "Riva")
    held = HeldVectors(a)
    theirs = b.vectors()
    for stream in a.streams:
        assert held.batch_for(stream, theirs[stream], 500) == a.batch_for(
            stream, theirs[stream], 500)
    with a.db.write_engine.begin() as conn:  # what Replica writes when an origin forks
        set_meta(conn, FORKED_KEY, json.dumps({RECORD: [a.origin()]}))
    assert held.batch_for(RECORD, theirs[RECORD], 500) == ([], {})
    assert a.batch_for(RECORD, theirs[RECORD], 500) == ([], {})


class _End:
    """One end of an in-memory session (the transport is tested on its own): every
    message through the wire's CBOR both ways, every message sent kept."""

    def __init__(self, peer: str, inbox: asyncio.Queue[Message | None],
                 outbox: asyncio.Queue[Message | None]) -> None:
        self.peer = PeerIdentity("center", peer, "full")
        self.peer_hello: dict[str, Any] = {"streams": [RECORD, CLINICAL, AUDIT], "role": "full"}
        self.sent: list[Message] = []
        self._inbox, self._outbox = inbox, outbox

    async def send(self, message: Message) -> None:
        self.sent.append(message)
        await self._outbox.put(decode(encode(message)[4:]))

    async def receive(self) -> Message:
        message = await self._inbox.get()
        if message is None:
            raise ConnectionClosed()
        return message

    async def close(self) -> None:
        await self._outbox.put(None)
        await self._inbox.put(None)

    def pulls(self, since: int) -> list[str]:
        return [m["stream"] for m in self.sent[since:] if m["type"] == "pull"]


async def _until_true(check: Callable[[], bool]) -> None:
    for _ in range(3000):
        if check():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the exchange did not get there in time")


def test_a_change_announced_is_pulled_only_from_the_streams_it_names(pair):
    a, b = pair
    patient = _register(a, "Neri")

    async def scenario() -> None:
        to_a: asyncio.Queue[Message | None] = asyncio.Queue()
        to_b: asyncio.Queue[Message | None] = asyncio.Queue()
        end_a, end_b = _End("B", to_a, to_b), _End("A", to_b, to_a)
        pools = ThreadPoolExecutor(1), ThreadPoolExecutor(1)
        held_a, held_b = HeldVectors(a), HeldVectors(b)
        exchanges = (Exchange(end_a, a, pools[0], lambda *_: None, a.offered, held=held_a),
                     Exchange(end_b, b, pools[1], lambda *_: None, b.offered, held=held_b))
        runs = [asyncio.ensure_future(e.run()) for e in exchanges]
        loop = asyncio.get_running_loop()

        async def round_done(since: int) -> None:
            """B holds A's log, and its round ended with its audit pull answered."""
            await _until_true(lambda: held_b.snapshot() == held_a.snapshot()
                              and AUDIT in end_b.pulls(since) and not exchanges[1]._answers)

        try:
            await round_done(0)
            assert end_b.pulls(0)[:2] == [RECORD, CLINICAL]  # the first round: everything
            before = len(end_b.sent)
            a.records.clinical.add_problem(patient, "250.00", "Diabete mellito tipo 2")
            await loop.run_in_executor(pools[0], held_a.advance_own)
            assert held_a.read()[RECORD] == held_b.read()[RECORD]  # a clinical change only
            await exchanges[0].notify()
            assert "vectors" in end_a.sent[-1]
            await round_done(before)
            assert end_b.pulls(before) == [CLINICAL, AUDIT]
            # An older peer's "changed" says nothing of what changed: everything pulled.
            before = len(end_b.sent)
            await end_a.send({"type": "changed"})
            await round_done(before)
            assert end_b.pulls(before) == [RECORD, CLINICAL, AUDIT]
        finally:
            await end_a.close()
            await asyncio.gather(*runs, return_exceptions=True)
            for pool in pools:
                pool.shutdown()

    asyncio.run(asyncio.wait_for(scenario(), 60))
    assert a.digests() == b.digests()


def test_a_change_crosses_a_workstation_that_relays_it(center: Path, tmp_path: Path):
    """A <- B <- C: C never speaks with A, and still gets A's change, through B."""
    for name in ("b", "c"):
        _join(center, tmp_path / name, f"studio-{name}", "full")
    replicas = [Replica(Records.open(root, "medico", PASSWORD), name) for root, name in
                ((center, "studio-1"), (tmp_path / "b", "studio-b"),
                 (tmp_path / "c", "studio-c"))]
    a, _b, c = replicas

    async def scenario() -> None:
        stop = asyncio.Event()
        ports = [_free_port(), _free_port()]
        nodes = [SyncNode(r, _identity(r.records), say=lambda _text: None) for r in replicas]
        runs = [asyncio.ensure_future(nodes[0].run(("127.0.0.1", ports[0]), [], stop)),
                asyncio.ensure_future(nodes[1].run(("127.0.0.1", ports[1]),
                                                   [("127.0.0.1", ports[0])], stop)),
                asyncio.ensure_future(nodes[2].run(("127.0.0.1", 0),
                                                   [("127.0.0.1", ports[1])], stop))]
        try:
            await _until(lambda: c.vectors() == a.vectors())
            patient = _register(a, "Neri")
            a.records.clinical.add_problem(patient, "250.00", "Diabete mellito tipo 2")
            await _until(lambda: c.vectors() == a.vectors())
            assert {e.peer for e in nodes[2].exchanges} == {"studio-b"}
        finally:
            stop.set()
            await asyncio.gather(*runs)

    try:
        asyncio.run(scenario())
        assert c.digests() == a.digests()
    finally:
        for replica in replicas:
            replica.records.close()
