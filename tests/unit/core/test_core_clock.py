"""UUIDv7 ids and UTC time."""

from __future__ import annotations

import uuid

from hypothesis import given
from hypothesis import strategies as st

from app.core.clock import new_id, utc_now, uuid7
from app.records.search_keys import prefix_upper_bound, search_key


def test_uuid7_layout_and_order():
    ids = [uuid7() for _ in range(5000)]
    assert all(u.version == 7 and u.variant == uuid.RFC_4122 for u in ids)
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    stamp_ms = ids[0].int >> 80
    assert abs(stamp_ms - int(utc_now().timestamp() * 1000)) < 5000
    assert uuid.UUID(new_id()).version == 7


@given(text=st.text(max_size=30), suffix=st.text(max_size=10))
def test_search_key_prefix_range_contains_every_extension(text, suffix):
    key = search_key(text)
    extended = search_key(text + suffix)
    if extended.startswith(key):
        assert key <= extended < prefix_upper_bound(key)
    assert search_key(key) == key


def test_search_key_folds_accents_apostrophes_and_spaces():
    assert search_key("D'Alò Rossi") == "DALOROSSI"
    assert search_key("  de luca ") == "DELUCA"
