"""A catch-up asks for the next batch while it applies the last (app/sync/session.py).

The batch asked ahead starts from the vector the one being applied leaves; when that
batch does not land whole, the one asked ahead is dropped and the pull goes on from the
vector held, so nothing is skipped. No assertion here is about speed:
benchmarks/sync.py measures that.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from app.sync import session
from app.sync.audit import AUDIT
from app.sync.held import HeldVectors
from app.sync.log import RECORD, Entry
from app.sync.replica import Replica
from app.sync.session import Exchange, _after
from app.sync.wire import Message
from tests.sync.test_sync_fanout import _End, _register, _until_true


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of 4 to 8 entries, no pause: a small center makes many batches."""
    monkeypatch.setattr(session, "BATCH_ENTRIES", 4)
    monkeypatch.setattr(session, "MIN_BATCH_ENTRIES", 4)
    monkeypatch.setattr(session, "MAX_BATCH_ENTRIES", 8)
    monkeypatch.setattr(session, "BATCH_PAUSE_SECONDS", 0)


def test_the_vector_after_a_batch_is_each_origins_last_sequence():
    def entry(origin: str, seq: int) -> Entry:
        return Entry(origin, seq, seq, "1", "patient", f"p{seq}", "create", "{}", "h")

    batch = [entry("a", 4), entry("b", 1), entry("a", 5), entry("b", 2)]
    assert _after({"a": 3, "c": 9}, batch) == {"a": 5, "b": 2, "c": 9}
    assert _after({}, []) == {}


class _Watched(_End):
    """B's end: each pull sent is kept with the vector B held when it went out."""

    def __init__(self, held: HeldVectors, *args: Any) -> None:
        super().__init__(*args)
        self.asked: list[tuple[dict[str, int], dict[str, int]]] = []
        self._held = held

    async def send(self, message: Message) -> None:
        if message.get("type") == "pull" and message.get("stream") == RECORD:
            held = self._held.snapshot() or {}
            self.asked.append((dict(message["vector"]), dict(held.get(RECORD, {}))))
        await super().send(message)


def _catch_up(a: Replica, b: Replica, apply_b: Any = None) -> list[tuple[dict, dict]]:
    """B pulls everything A holds over an in-memory session; the pulls B sent."""

    async def scenario() -> list[tuple[dict, dict]]:
        to_a: asyncio.Queue[Message | None] = asyncio.Queue()
        to_b: asyncio.Queue[Message | None] = asyncio.Queue()
        held_a, held_b = HeldVectors(a), HeldVectors(b)
        end_a, end_b = _End("B", to_a, to_b), _Watched(held_b, "A", to_b, to_a)
        pools = ThreadPoolExecutor(1), ThreadPoolExecutor(1)
        exchanges = (Exchange(end_a, a, pools[0], lambda *_: None, a.offered, held=held_a),
                     Exchange(end_b, b, pools[1], lambda *_: None, b.offered, held=held_b))
        if apply_b is not None:
            exchanges[1]._apply = apply_b(exchanges[1]._apply)  # type: ignore[method-assign]
        runs = [asyncio.ensure_future(e.run()) for e in exchanges]
        try:
            await _until_true(lambda: held_b.snapshot() == held_a.snapshot()
                              and AUDIT in end_b.pulls(0) and not exchanges[1]._answers)
        finally:
            await end_a.close()
            await asyncio.gather(*runs, return_exceptions=True)
            for pool in pools:
                pool.shutdown()
        return end_b.asked

    return asyncio.run(asyncio.wait_for(scenario(), 60))


SURNAMES = ("Rossi", "Bianchi", "Verdi", "Neri", "Galli", "Conti", "Marino", "Greco",
            "Bruno", "Gatti", "Lombardi", "Moretti")


def _ahead(vector: dict[str, int], held: dict[str, int]) -> bool:
    return any(seq > held.get(origin, 0) for origin, seq in vector.items())


def test_the_next_batch_is_asked_for_while_the_last_is_applied(pair, small_batches):
    a, b = pair
    for surname in SURNAMES:
        _register(a, surname)
    asked = _catch_up(a, b)
    assert a.digests() == b.digests() and a.vectors() == b.vectors()
    # Pulls sent from a vector B did not hold yet: the batch being applied's.
    assert sum(_ahead(vector, held) for vector, held in asked) >= 3


def test_a_batch_that_does_not_land_whole_restarts_from_the_vector_held(pair, small_batches):
    a, b = pair
    for surname in SURNAMES:
        _register(a, surname)
    cut: list[Entry] = []

    def losing_the_last_entry_once(apply: Any) -> Any:
        def wrapped(stream: str, entries: list[Entry], blobs: dict[str, bytes]) -> Any:
            if stream == RECORD and not cut and len(entries) > 1:
                cut.append(entries[-1])  # as if it came out of order: not stored
                entries = entries[:-1]
            return apply(stream, entries, blobs)
        return wrapped

    asked = _catch_up(a, b, losing_the_last_entry_once)
    assert cut, "the scenario did not cut a batch"
    lost = cut[0]
    # The pull asked ahead went from past the entry left out; the next started below it.
    seqs = [vector.get(lost.origin, 0) for vector, _held in asked]
    past = next(i for i, seq in enumerate(seqs) if seq >= lost.seq)
    assert lost.seq - 1 in seqs[past + 1:]
    assert a.digests() == b.digests() and a.vectors() == b.vectors()


def test_last_sync_moves_for_a_peer_with_nothing_to_send(pair, small_batches):
    """A workstation that only sends to a peer still notes when it was last in step with
    it: the panel's "last sync" is not a dash for a peer that never writes."""
    a, b = pair
    _register(a, "Ferri")
    _catch_up(a, b)
    assert "last_sync" in b.status().peers["A"]  # B received from A
    assert "last_sync" in a.status().peers["B"]  # A had nothing to receive from B
