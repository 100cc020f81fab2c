"""The demo's second workstation: a replica made beside a (small) demo center with the
pairing functions, a real ``sync serve`` child the desk's node reaches, a real
``simulate`` child whose writes arrive at the desk; every child ends with ``stop``."""

from __future__ import annotations

import pytest

from app.records.changes import Origin
from app.records.demo import create_demo_center
from app.records.services import Records
from app.records.storage.center import CenterPaths
from app.sync.identity import find_identity
from app.ui.demo_peer import PEER_USER, DemoPeer, peer_root
from app.ui.sync_runner import NodeStart, SyncConfig, SyncRunner
from tests.ui.conftest import PASSWORD

pytestmark = pytest.mark.slow
WAIT_MS = 90_000


def test_the_demo_peer_syncs_and_writes_then_ends(qtbot, tmp_path):
    root = tmp_path / "demo-center"
    create_demo_center(root, PASSWORD, patients=6)
    peer = DemoPeer(root, PASSWORD, simulate_first=0.0, simulate_every=4.0)
    records = None
    runner = None
    try:
        with qtbot.waitSignal(peer.ready, timeout=WAIT_MS) as ready:
            peer.start()
        address = ready.args[0]
        assert CenterPaths(peer_root(root)).exists()
        records = Records.open(root, "medico", PASSWORD)
        with records.db.read_engine.connect() as conn:
            me = find_identity(conn)
        assert me is not None  # the demo center was paired on the way
        runner = SyncRunner(SyncConfig(("127.0.0.1", 0), (address,), discovery=False))
        arrived = []
        runner.applied.connect(lambda changes: arrived.append(changes))
        runner.start(NodeStart(Records(records.db, records.user, me.workstation), me))
        qtbot.waitUntil(lambda: [p.name for p in runner.online()] == ["postazione-2"],
                        timeout=WAIT_MS)
        # Once the replica caught up, a simulate run writes as the second GP: it arrives.
        qtbot.waitUntil(lambda: any(Origin.SYNC in c.origins for c in arrived),
                        timeout=WAIT_MS)
        assert peer.simulations >= 1
        serve, writer = peer.serve, peer.writer
        assert serve is not None and serve.poll() is None
    finally:
        if runner is not None:
            runner.stop()
        peer.stop()
        if records is not None:
            records.close()
    assert serve.poll() is not None  # ended with stop
    assert writer is None or writer.poll() is not None
    log = (peer.logs / "serve.log").read_text()
    assert "listening on 127.0.0.1:" in log
    assert PEER_USER == "medico2"
