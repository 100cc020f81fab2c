"""Center sync between real processes: each workstation its own encrypted record, its own
user data folder and (when asked) its own clock, talking TLS on 127.0.0.1.

A is a demo center; B and C joined it from invitations made on A and synced once, in a
template copied by every test. Every ``sync serve`` is a real ``medirete-admin``
process, killed at teardown whatever happens; every wait has a deadline, and no
assertion is about speed.
"""

from __future__ import annotations

import random
import re
import shutil
import string
import time
from collections.abc import Iterator
from dataclasses import replace

import pytest

from app.records.services import Records
from tests.conftest import PASSWORD
from tests.integration.sync_cluster import (
    Center,
    Workstation,
    converged,
    faketime_available,
    look,
    until,
    writes_by_origin,
)

PATIENTS = 15
Trio = tuple[Workstation, Workstation, Workstation]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Trio]:
    """A (demo center), B and C (joined from A's invitations), synced once and stopped."""
    made = Center(tmp_path_factory.mktemp("sync-template"))
    try:
        a = made.demo("studio-a", PATIENTS)
        b, c = made.join(a, "studio-b"), made.join(a, "studio-c")
        a, b, c = _serve_all(made, a, b, c)
        converged([a, b, c])
        for ws in (a, b, c):
            made.stop(ws)
    finally:
        made.close()
    yield a, b, c



def _serve_all(cluster: Center, a: Workstation, b: Workstation, c: Workstation) -> Trio:
    """A listens; B connects to A; C to both (so B and C also meet directly)."""
    a, _ = cluster.serve(a)
    b, _ = cluster.serve(b, [a])
    c, _ = cluster.serve(c, [a, b])
    return a, b, c


def _copies(cluster: Center, template: Trio) -> Trio:
    a, b, c = (cluster.copy(ws) for ws in template)
    return a, b, c


def _same_digests(cluster: Center, *stations: Workstation) -> tuple[str, str]:
    """``verify`` says OK on each workstation, with one pair of digests for all."""
    digests = cluster.verify(*stations)
    assert len(set(digests.values())) == 1, digests
    return next(iter(digests.values()))


# -- 1. writing everywhere ------------------------------------------------------------------
def test_three_workstations_writing_while_serving_and_offline_converge(
        cluster: Center, template: Trio) -> None:
    a, b, c = _copies(cluster, template)
    origins = {ws.name: look(ws).origin for ws in (a, b, c)}
    expected = writes_by_origin(look(a))
    a, b, c = _serve_all(cluster, a, b, c)
    # All three write at once while serving...
    running = {ws.name: cluster.simulate(ws, 25, seed=n) for n, ws in enumerate((a, b, c))}
    for name, proc in running.items():
        expected[origins[name]] += cluster.simulated(proc)
    # ...then C writes while offline and comes back.
    cluster.stop(c)
    expected[origins[c.name]] += cluster.simulated(cluster.simulate(c, 15, seed=7))
    c, _ = cluster.serve(c, [a, b])
    seen = converged([a, b, c])
    for held in seen.values():
        assert writes_by_origin(held) == expected  # every acknowledged write, once
        for stream in held.logs.values():  # no gap, no entry twice
            assert all(count == top for count, top in stream.values()), stream
    assert _same_digests(cluster, a, b, c) == seen[a.name].digests


# -- 2. SIGKILL in the middle of a batch ----------------------------------------------------
def _killed_while_pulling(cluster: Center, patients: int, kills: int) -> None:
    """D joins A and pulls the whole record (batches of 500 entries, a second or more
    each); it is SIGKILLed ``kills`` times on the way, twice a moment after its session
    starts (inside its first batch), then a moment after it applied one (inside the
    next), and so on, while A keeps writing and D writes while it is down; then both
    converge. The center is large enough that D is still pulling at every kill: about
    1,700 entries a kill (a demo patient logs about 120 entries with the agenda's), where
    D applies at most some 1,500 between two kills."""
    a = cluster.demo("studio-a", patients)
    d = cluster.join(a, "studio-d")
    origin_a, origin_d = look(a).origin, look(d).origin
    expected = writes_by_origin(look(a))
    a, _ = cluster.serve(a)
    writing = cluster.simulate(a, 5 * kills, seed=11)
    rng = random.Random(20261205)
    behind, held, d_writes = 0, [], 0
    for kill in range(kills):
        d, serving = cluster.serve(d, [a], copy=False)  # the copy: test_sync_copy.py
        serving.wait_for(r"^sync: peer studio-a online")
        if kill % 3 == 2:
            serving.wait_for(r"^sync: applied \d+ from studio-a", 120)
        time.sleep(rng.uniform(0.05, 1.0))
        cluster.kill(d)
        mine = look(d)
        for stream in mine.logs.values():  # whole batches or nothing: never a gap
            assert all(count == top for count, top in stream.values()), stream
        behind += mine.logs != look(a).logs
        held.append(sum(count for s in mine.logs.values() for count, _top in s.values()))
        if not d_writes and mine.logs["record"].get(origin_a):
            # D writes while it is down, once it holds patients to write about.
            d_writes = cluster.simulated(cluster.simulate(d, 10, seed=13))
    expected[origin_a] += cluster.simulated(writing)
    expected[origin_d] += d_writes
    d, _ = cluster.serve(d, [a], copy=False)
    seen = converged([a, d], seconds=120)
    for state in seen.values():
        assert writes_by_origin(state) == +expected
    # Every kill interrupted a pull in progress; the pulls resumed where the log said
    # (what D held never shrank, and grew).
    assert behind == kills, (behind, held)
    assert held == sorted(held) and held[-1] > 0 and d_writes, (held, d_writes)
    _same_digests(cluster, a, d)


def test_a_peer_killed_five_times_mid_batch_loses_and_duplicates_nothing(
        cluster: Center) -> None:
    _killed_while_pulling(cluster, patients=60, kills=5)


@pytest.mark.slow
def test_a_peer_killed_twenty_times_mid_batch_loses_and_duplicates_nothing(
        cluster: Center) -> None:
    _killed_while_pulling(cluster, patients=300, kills=20)


# -- 3. another center --------------------------------------------------------------------
def test_a_workstation_of_another_center_is_refused_and_nothing_crosses(
        cluster: Center, template: Trio) -> None:
    a = cluster.copy(template[0])
    other = cluster.demo("altro-studio", 3)
    cluster.join(other, "altro-studio-2")  # a center of its own, with its own CA
    before = {ws.name: look(ws) for ws in (a, other)}
    a, served_a = cluster.serve(a)
    other, served_other = cluster.serve(other, [a])
    served_other.wait_for(r"^sync: cannot sync with 127\.0\.0\.1:\d+: ")
    served_a.wait_for(r"^sync: refused: ")
    # Each says why: the other one's certificate is not of its center.
    assert served_other.said("cannot sync .*does not hold a certificate of this center"), \
        served_other.lines
    assert served_a.said("refused: .*may belong to another center"), served_a.lines
    for serving in (served_a, served_other):
        assert not serving.said(r"online|applied"), serving.lines
    for ws in (a, other):
        cluster.stop(ws)
        after = look(ws)
        assert (after.logs, after.digests) == (before[ws.name].logs, before[ws.name].digests)


# -- 4. revocation ------------------------------------------------------------------------
def test_a_revoked_workstation_can_no_longer_sync_with_anyone(
        cluster: Center, template: Trio) -> None:
    a, b, c = _copies(cluster, template)
    a, b, c = _serve_all(cluster, a, b, c)
    out = cluster.run(a, "sync", "revoke", str(a.root), "--workstation", c.name,
                      "--user", "admin", stdin=f"{PASSWORD}\n")
    assert "revoked" in out
    # A, where it was made, and B, which it reaches, drop C at once; C is refused.
    for ws in (a, b):
        cluster.serving[ws.name].wait_for(r"^sync: peer studio-c revoked: session closed", 30)
    served_c = cluster.serving[c.name]
    served_c.wait_for(r"refused this workstation: this workstation was revoked", 30)
    # Whatever C writes now stays on C.
    origin_c = look(c).origin
    before = {ws.name: look(ws).logs for ws in (a, b)}
    cluster.simulated(cluster.simulate(c, 5, seed=21))
    cluster.stop(c)
    c, served_c = cluster.serve(c, [a, b])
    until(lambda: all(served_c.said(rf"^sync: cannot sync with {peer.address()}: .*revoked")
                      for peer in (a, b)), 30, "both peers refusing C",
          lambda: "\n".join(served_c.lines))
    cluster.simulated(cluster.simulate(a, 5, seed=22))  # and nothing new reaches C
    converged([a, b])
    for ws in (a, b):
        logs = look(ws).logs
        for stream, held in logs.items():
            assert held.get(origin_c) == before[ws.name][stream].get(origin_c)
    assert look(c).logs != look(a).logs
    for name in (a.name, b.name):
        assert cluster.serving[name].said("refused: .*studio-c"), cluster.serving[name].lines
    status = cluster.status(a)
    assert re.search(r"^revoked: studio-c ", status, re.M), status


# -- 5. clocks a day apart ----------------------------------------------------------------
needs_faketime = pytest.mark.skipif(
    not faketime_available(), reason="libfaketime is not installed (apt-get install faketime)")
DAY_MS = 24 * 3600 * 1000


@needs_faketime
def test_clocks_a_day_ahead_and_a_day_behind_still_converge_in_clock_order(
        cluster: Center, template: Trio) -> None:
    a, _b, c = _copies(cluster, template)
    a, c = replace(a, clock="+24h"), replace(c, clock="-24h")
    # D is invited by A while A's clock runs a day ahead: its certificate is issued "now"
    # by that clock, two days ahead of C's, and C must accept it all the same.
    d = cluster.join(a, "studio-d")
    origins = {ws.name: look(ws).origin for ws in (a, c, d)}
    expected = writes_by_origin(look(a))
    started_ms = int(time.time() * 1000)
    a, _ = cluster.serve(a)
    c, served_c = cluster.serve(c, [a])
    d, served_d = cluster.serve(d, [a, c])
    until(lambda: bool(served_c.said("peer studio-d online")
                       and served_d.said("peer studio-c online")),
          60, "C and D syncing directly", lambda: "\n".join([*served_c.lines, *served_d.lines]))
    # C and D write, then A, so that C's and D's own clocks stay their own (an edit of a
    # row A changed is stamped above A's change: the next test).
    for ws, seed in ((c, 31), (d, 32), (a, 33)):
        expected[origins[ws.name]] += cluster.simulated(cluster.simulate(ws, 12, seed=seed))
    seen = converged([a, c, d], seconds=120)
    for state in seen.values():
        assert writes_by_origin(state) == expected
    # A's changes carry A's clock, a day ahead, and order after everything else; C and D
    # took A's changes without being dragged into its future.
    clocks = seen[d.name].clocks
    assert clocks[origins[a.name]] - started_ms > DAY_MS - 600_000
    assert clocks[origins[c.name]] - started_ms < 300_000
    assert clocks[origins[d.name]] - started_ms < 300_000
    _same_digests(cluster, a, c, d)
    ahead = rf"^clock ahead: origin {origins[a.name]} by (\d+) s$"
    for ws, days in ((d, 1), (c, 2)):
        found = re.search(ahead, cluster.status(ws), re.M)
        assert found and abs(int(found.group(1)) - days * 86400) < 600, (ws.name, found)


@needs_faketime
def test_an_edit_after_a_change_from_a_clock_a_day_ahead_settles_alike_everywhere(
        cluster: Center, template: Trio) -> None:
    a, _b, c = _copies(cluster, template)
    a, c = replace(a, clock="+24h"), replace(c, clock="-24h")
    a, _ = cluster.serve(a)
    c, _ = cluster.serve(c, [a])
    patient = _a_patient(a)
    # A (a day ahead) changes the phone first; C (a day behind) later, having seen it.
    _edit(cluster, a, patient, "02 0000 1111")
    until(lambda: _phone(c, patient) == "02 0000 1111", 60, "A's change reaching C")
    _edit(cluster, c, patient, "02 0000 2222")
    until(lambda: look(a).logs == look(c).logs, 60, "C's change reaching A")
    # C's edit was made after C had A's change: it is ordered after it (stamped above the
    # row's last timestamp, whatever C's wall clock says) and holds on both, no conflict.
    assert (_phone(a, patient), _phone(c, patient)) == ("02 0000 2222", "02 0000 2222")
    assert look(a).digests == look(c).digests
    assert not re.search(r"^conflict: demographics patient", cluster.status(a), re.M)


def _a_patient(ws: Workstation) -> str:
    records = Records.open(ws.root, ws.user, PASSWORD)
    try:
        found = [p for letter in string.ascii_uppercase
                 for p in records.patients.search(letter, limit=1)]
        return found[0].id
    finally:
        records.close()


def _phone(ws: Workstation, patient: str) -> object:
    records = Records.open(ws.root, ws.user, PASSWORD)
    try:
        return records.patients.get(patient).fields.get("phone")
    finally:
        records.close()


def _edit(cluster: Center, ws: Workstation, patient: str, phone: str) -> None:
    out = cluster.finish(cluster.start(ws, str(ws.root), ws.user, patient, phone,
                                       stdin=f"{PASSWORD}\n",
                                       module="tests.integration.sync_edit"))
    assert out.strip().endswith("EDITED"), out


# -- 6. restored from an old backup -------------------------------------------------------
def test_a_workstation_restored_from_an_old_backup_catches_up_under_a_new_origin(
        cluster: Center, template: Trio) -> None:
    a, b, _c = _copies(cluster, template)
    a, _ = cluster.serve(a)
    b, _ = cluster.serve(b, [a])
    old_origin = look(b).origin
    expected = writes_by_origin(look(a))  # A holds all the template wrote
    expected[old_origin] += cluster.simulated(cluster.simulate(b, 10, seed=40))
    backup = cluster.base / "studio-b.backup"
    cluster.run(b, "backup", str(b.root), str(backup), "--user", "admin",
                stdin=f"{PASSWORD}\n")
    # After the backup B writes more, and A receives it; then B's disk dies.
    expected[old_origin] += cluster.simulated(cluster.simulate(b, 10, seed=41))
    converged([a, b])
    cluster.stop(b)
    shutil.rmtree(b.root)
    cluster.run(b, "restore", str(backup), str(b.root), "--user", "admin",
                stdin=f"{PASSWORD}\n")
    restored = look(b)
    assert restored.origin not in (old_origin, "")
    assert f"origin: {restored.origin}\n" in cluster.status(b)
    assert writes_by_origin(restored)[old_origin] < expected[old_origin]  # the old backup
    b, _ = cluster.serve(b, [a])
    expected[restored.origin] += cluster.simulated(cluster.simulate(b, 5, seed=42))
    seen = converged([a, b])
    for state in seen.values():
        assert writes_by_origin(state) == +expected
    _same_digests(cluster, a, b)


# -- 7. a password changed on one workstation ---------------------------------------------
def test_a_password_changed_on_one_workstation_opens_the_others(
        cluster: Center, template: Trio) -> None:
    a, b, c = _copies(cluster, template)
    a, b, c = _serve_all(cluster, a, b, c)
    new = "changed-on-b-77"
    cluster.run(b, "user", "passwd", str(b.root), "--user", "medico2",
                stdin=f"{PASSWORD}\n{new}\n{new}\n")
    converged([a, b, c])
    for ws in (a, c):
        medico2 = replace(ws, user="medico2")
        out = cluster.run(medico2, "simulate", str(ws.root), "--user", "medico2",
                          "--writes", "2", stdin=f"{new}\n")
        assert out.startswith("simulate: 2 writes"), out
        refused = cluster.run(medico2, "verify", str(ws.root), "--user", "medico2",
                              stdin=f"{PASSWORD}\n", check=False)
        assert "Wrong user name or password" in refused, refused  # the old one no longer
    converged([a, b, c])
