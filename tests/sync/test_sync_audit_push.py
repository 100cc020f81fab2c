"""A chart read on one workstation reaches the others' access lists by a push, not only
at the next anti-entropy round (app/sync/node.py, app/sync/session.py).

Two real nodes over TLS on 127.0.0.1; the anti-entropy round is pushed out of reach, so
only the push can carry the read. Applying a peer's batch writes ``sync.apply`` events:
those are not announced (else every batch would echo around the center).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import select

from app.records.model import PeerAuditEvent
from app.records.services import Records
from app.sync import node as node_module
from app.sync.node import SyncNode
from app.sync.replica import Replica
from tests.conftest import PASSWORD
from tests.sync.test_node import _free_port, _identity, _join, _until
from tests.sync.test_sync_fanout import _register


def _reads_of(replica: Replica, origin: str, action: str) -> int:
    with replica.db.read_engine.connect() as conn:
        return len(conn.execute(select(PeerAuditEvent.seq).where(
            PeerAuditEvent.origin == origin, PeerAuditEvent.action == action)).all())


def test_a_chart_read_is_pushed_to_the_peers(center: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(node_module, "ANTI_ENTROPY_SECONDS", 3600.0)
    _join(center, tmp_path / "b", "studio-b", "full")
    a = Replica(Records.open(center, "medico", PASSWORD), "studio-1")
    b = Replica(Records.open(tmp_path / "b", "medico", PASSWORD), "studio-b")
    patient = _register(a, "Neri")
    origin = a.origin()
    before = a.local_mark()

    async def scenario() -> None:
        stop = asyncio.Event()
        port = _free_port()
        nodes = [SyncNode(r, _identity(r.records), say=lambda _text: None) for r in (a, b)]
        runs = [asyncio.ensure_future(nodes[0].run(("127.0.0.1", port), [], stop)),
                asyncio.ensure_future(nodes[1].run(("127.0.0.1", 0),
                                                   [("127.0.0.1", port)], stop))]
        try:
            await _until(lambda: b.vectors() == a.vectors())
            await asyncio.sleep(1.0)  # the first round's audit pulls are over
            action = "chart.read"
            seen = _reads_of(b, origin, action)
            await asyncio.get_running_loop().run_in_executor(
                None, a.records.chart.open, patient)
            await _until(lambda: _reads_of(b, origin, action) > seen, seconds=20)
        finally:
            stop.set()
            await asyncio.gather(*runs)

    try:
        asyncio.run(asyncio.wait_for(scenario(), 90))
        after = a.local_mark()
        # A read moves only the audit part of the mark, not the logs'.
        assert after[:-1] == before[:-1] and after[-1] > before[-1]
    finally:
        a.records.close()
        b.records.close()
