"""What a connected peer lacks and holds, as the sync panel shows it while online."""

from __future__ import annotations

from app.sync.pending import PeerVectors

MINE = {"record": {"a": 10, "b": 4}, "clinical": {"a": 7}}


def test_the_hello_then_announcements_then_pulls_say_what_the_peer_holds():
    peer = PeerVectors({"record": {"a": 8, "c": 3}, "clinical": {"a": 7}})
    # It lacks a/9..10 and b/1..4 of the record; this one lacks its c/1..3.
    assert peer.pending(MINE, ["record", "clinical"]) == (3, 6)
    peer.raise_to("record", {"a": 10, "c": 2})  # an announcement never lowers a value
    assert peer.pending(MINE, ["record", "clinical"]) == (3, 4)
    peer.set("record", {"a": 10, "b": 4})  # a pull names its whole vector
    assert peer.pending(MINE, ["record", "clinical"]) == (0, 0)
    assert peer.pending(MINE, ["record"]) == (0, 0)


def test_streams_not_exchanged_and_garbage_from_the_peer_are_left_out():
    peer = PeerVectors({"record": {"a": "ten", 5: 1}, "clinical": []})
    assert peer.pending(MINE, ["record"]) == (0, 14)  # a front desk: the record only
    assert peer.pending(None, ["record"]) is None  # this one's vectors not read yet
    assert PeerVectors(None).pending(MINE, ["record", "clinical"]) == (0, 21)
