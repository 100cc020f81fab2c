"""A new workstation's first sync from a copy of a peer's record (``app.sync.snapshot``),
between real ``medirete-admin sync serve`` processes on 127.0.0.1.

Every wait has a deadline; no assertion is about speed.
"""

from __future__ import annotations

import random
import re
import time

from app.records.services import Records
from app.sync.replica import Replica
from tests.conftest import PASSWORD
from tests.integration.sync_cluster import Center, Workstation, converged, look, writes_by_origin

PATIENTS = 15



def _audit_events(cluster: Center, ws: Workstation) -> int:
    out = cluster.run(ws, "verify", str(ws.root), "--user", ws.user, stdin=f"{PASSWORD}\n")
    assert "verify: OK" in out, out
    found = re.search(r"^audit events: (\d+)$", out, re.M)
    assert found, out
    return int(found.group(1))


def _journal_says(ws: Workstation, event: str, peer: str) -> bool:
    records = Records.open(ws.root, ws.user, PASSWORD)
    try:
        lines = Replica(records).journal_lines(10_000)
    finally:
        records.close()
    return any(line.event == event and line.peer == peer for line in lines)


def _same_digests(cluster: Center, *stations: Workstation) -> None:
    digests = cluster.verify(*stations)
    assert len(set(digests.values())) == 1, digests


def test_a_new_workstation_starts_from_a_copy_and_keeps_what_is_its_own(
        cluster: Center) -> None:
    a = cluster.demo("studio-a", PATIENTS)
    d = cluster.join(a, "studio-d")
    own_before = _audit_events(cluster, d)  # the join and this verify: D's own chain
    origin_d = look(d).origin
    a, serving_a = cluster.serve(a)
    d, serving_d = cluster.serve(d, [a])
    in_use = r"^sync: copy of the record from studio-a in use: (\d+) entries"
    said = re.search(in_use, "\n".join(serving_d.said(in_use)), re.M)  # before it listened
    assert said, serving_d.lines
    held_a = look(a)
    assert int(said.group(1)) == sum(n for s in held_a.logs.values() for n, _top in s.values())
    serving_a.wait_for(r"^sync: copy of the record sent to studio-d")
    assert not serving_d.said(r"^sync: applied \d+ from")  # nothing was pulled entry by entry
    mine = look(d)
    assert mine.origin == origin_d  # its own origin, not the peer's
    assert mine.logs == held_a.logs and mine.digests == held_a.digests
    # Both write; everything crosses both ways, D's writes under D's origin.
    expected = writes_by_origin(held_a)
    for ws, seed in ((a, 1), (d, 2)):
        expected[look(ws).origin] += cluster.simulated(cluster.simulate(ws, 10, seed=seed))
    seen = converged([a, d])
    for state in seen.values():
        assert writes_by_origin(state) == +expected
    for ws in (a, d):
        cluster.stop(ws)
    _same_digests(cluster, a, d)
    assert _audit_events(cluster, d) > own_before  # D's own chain kept and went on (verify)
    assert _journal_says(d, "snapshot", "studio-a")  # the sync journal says so
    # ... and sync status finds that line among every other, however many came after.
    out = cluster.run(d, "sync", "status", str(d.root), "--user", d.user, "--journal", "0",
                      "--event", "snapshot", stdin=f"{PASSWORD}\n")
    [line] = re.findall(r"^journal: .*$", out, re.M)
    assert re.search(r" snapshot studio-a \d+ entries in [\d.]+ s \(received in", line), out
    assert not list(d.root.glob(".snapshot-*")) and not list(a.root.glob(".snapshot-*"))


def test_a_workstation_killed_during_its_copy_is_whole_or_untouched_and_catches_up(
        cluster: Center) -> None:
    """SIGKILLed up to five times at random moments of its first sync, once the copy
    began to arrive (receiving, checking, moving the files in, or just after): each
    time its record is either as the join made it or the whole copy, never half, and
    it asks again at its next start while it holds nothing; then it catches up."""
    a = cluster.demo("studio-a", 60)
    d = cluster.join(a, "studio-d")
    a, _ = cluster.serve(a)
    rng = random.Random(20261206)
    states = []
    while len(states) < 5 and "copy" not in states:
        d, serving = cluster.serve(d, [a], listening=False)
        serving.wait_for(r"^sync: copy of the record from studio-a: [\d,]+ MiB")
        time.sleep(rng.uniform(0.0, 0.3))
        cluster.kill(d)
        mine, held_a = look(d), look(a)
        states.append("copy" if mine.logs == held_a.logs else "empty")
        # Killed between the two moves: the clinical file copied, the record still empty
        # (its entries are then pulled one by one; ADR 0029).
        between = {"record": {}, "clinical": held_a.logs["clinical"]}
        assert mine.logs in ({"record": {}, "clinical": {}}, between, held_a.logs), (
            mine.logs, serving.lines[-10:])
        if mine.logs == held_a.logs:
            assert mine.digests == held_a.digests
    assert "empty" in states, states  # at least one kill interrupted a copy
    d, _ = cluster.serve(d, [a])
    converged([a, d])
    cluster.stop(a)
    cluster.stop(d)
    _same_digests(cluster, a, d)
    assert _audit_events(cluster, d) > 0
    assert not list(d.root.glob(".snapshot-*"))  # the interrupted copies' files went too


def test_no_copy_while_another_program_has_the_record_open(cluster: Center) -> None:
    a = cluster.demo("studio-a", PATIENTS)
    d = cluster.join(a, "studio-d")
    a, _ = cluster.serve(a)
    held = Records.open(d.root, d.user, PASSWORD)  # the desktop, say, open on D
    try:
        d, serving = cluster.serve(d, [a])
        assert serving.said(r"^sync: copy of the record from studio-a not used \(.*another "
                            r"program has the record open.*\): pulling entry by entry"), (
            serving.lines)
        serving.wait_for(r"^sync: applied \d+ from studio-a")
        converged([a, d])
    finally:
        held.close()
    cluster.stop(a)
    cluster.stop(d)
    _same_digests(cluster, a, d)


def test_a_front_desk_never_asks_for_a_copy(cluster: Center) -> None:
    a = cluster.demo("studio-a", PATIENTS)
    path, code = cluster.invite(a, "reception", role="front-desk")
    f = cluster.workstation("reception", user="segreteria")
    cluster.run(f, "sync", "join", str(f.root), "--invite", str(path),
                stdin=f"{code}\nsegreteria\n{PASSWORD}\n")
    a, serving_a = cluster.serve(a)
    f, serving_f = cluster.serve(f, [a])
    serving_f.wait_for(r"^sync: applied \d+ from studio-a")
    assert not serving_f.said("copy of the record") and not serving_a.said("copy of the record")
