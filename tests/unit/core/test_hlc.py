"""The hybrid logical clock: monotonic whatever the wall clock does, merged on receive."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.hlc import COUNTER_MAX, ZERO, Timestamp, receive, tick

NOW = 1_796_000_000_000  # ms, December 2026


def test_the_wall_clock_ahead_gives_its_time():
    assert tick(Timestamp(NOW - 5, 3), NOW) == Timestamp(NOW, 0)


def test_a_clock_going_back_still_moves_forward():
    last = Timestamp(NOW, 7)
    assert tick(last, NOW - 60_000) == Timestamp(NOW, 8)


def test_the_counter_never_wraps():
    last = Timestamp(NOW, COUNTER_MAX)
    assert tick(last, NOW) == Timestamp(NOW + 1, 0)
    assert tick(last, NOW).packed > last.packed


def test_packed_order_is_clock_order_and_round_trips():
    a, b = Timestamp(NOW, COUNTER_MAX), Timestamp(NOW + 1, 0)
    assert a < b and a.packed < b.packed
    assert Timestamp.unpack(b.packed) == b
    with pytest.raises(ValueError):
        Timestamp.unpack(-1)


def test_receiving_orders_later_local_events_after_the_peer():
    peer = Timestamp(NOW + 2_000, 4)  # two seconds ahead: within tolerance
    merged = receive(Timestamp(NOW, 0), peer, NOW)
    assert not merged.flagged and merged.last > peer
    assert tick(merged.last, NOW + 1) > peer


def test_a_peer_a_day_ahead_is_flagged_and_not_followed():
    day = 24 * 3600 * 1000
    merged = receive(Timestamp(NOW, 0), Timestamp(NOW + day), NOW)
    assert merged.flagged and merged.peer_ahead_ms == day
    assert merged.last == Timestamp(NOW, 0)


def test_a_peer_behind_changes_nothing_but_the_counter():
    merged = receive(Timestamp(NOW, 3), Timestamp(NOW - 86_400_000), NOW)
    assert merged.last == Timestamp(NOW, 4) and not merged.flagged


walls = st.lists(st.integers(NOW - 10**8, NOW + 10**8), min_size=1, max_size=200)


@given(walls)
def test_ticks_strictly_increase_whatever_the_wall_clock(wall_times):
    last = ZERO
    for wall in wall_times:
        new = tick(last, wall)
        assert new > last
        last = new


@given(walls, st.lists(st.integers(0, NOW + 10**8), max_size=50))
def test_receive_never_goes_back(wall_times, remotes):
    last = ZERO
    for wall, remote in zip(wall_times, remotes + [0] * len(wall_times), strict=False):
        merged = receive(last, Timestamp(remote), wall).last
        assert merged >= last
        last = tick(merged, wall)


def test_the_change_log_is_stamped_by_the_persisted_clock_even_when_time_goes_back(
        open_as, monkeypatch):
    from datetime import timedelta

    from sqlalchemy import select

    from app.core import clock
    from app.records import journal
    from app.records.model import ChangeLogEntry
    from app.records.services.views import PatientInput

    admin = open_as("segreteria")
    real_now = clock.utc_now
    admin.patients.register(PatientInput("Galli", "Rita", "F", _birth(), "Lodi"))
    monkeypatch.setattr(journal, "utc_now", lambda: real_now() - timedelta(hours=3))
    admin.patients.register(PatientInput("Galli", "Ugo", "M", _birth(), "Lodi"))
    with admin.db.read_engine.connect() as conn:
        stamps = conn.execute(select(ChangeLogEntry.hlc).order_by(ChangeLogEntry.seq)).scalars()
        stamps = list(stamps)
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)


def _birth():
    from datetime import date

    return date(1970, 5, 4)
