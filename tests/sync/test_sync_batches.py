"""A catch-up sizes its batches by how long each held the record's write lock."""

from __future__ import annotations

from app.sync.session import (
    BATCH_ENTRIES,
    HOLD_SECONDS,
    MAX_BATCH_ENTRIES,
    MIN_BATCH_ENTRIES,
    next_limit,
)


def test_cheap_entries_grow_the_batches_at_most_twofold_up_to_the_maximum():
    limit = BATCH_ENTRIES
    sizes = []
    for _ in range(8):  # new rows inserted in bulk: 500 in a fortieth of the hold allowed
        limit = next_limit(limit, HOLD_SECONDS * limit / 20000)
        sizes.append(limit)
    assert sizes == [1000, 2000, 4000, 8000, 16000, 20000, 20000, 20000]
    assert sizes[-1] == MAX_BATCH_ENTRIES


def test_costly_entries_shrink_the_batches_to_the_hold_allowed():
    # 500 updates folded one by one, 4 ms each: 2 s of lock, four times the hold allowed.
    assert next_limit(500, 2.0) == 125
    assert next_limit(125, 0.5) == 125  # held as long as allowed: the size stays
    assert next_limit(300, 30.0) == MIN_BATCH_ENTRIES  # a very slow disk: never below
    assert next_limit(500, 0.0) == 1000  # no time measured at all: still at most twofold
