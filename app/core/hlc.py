"""A hybrid logical clock: the order of every change in a center, across workstations.

A timestamp is the physical time in milliseconds and a logical counter, packed into one
integer (``ms << 16 | counter``) so that integer order is clock order. The clock never
goes backwards, whatever the wall clock does: a timestamp is always above the last one
issued (kept by the caller, e.g. in the record's metadata). When the counter would pass
its 16 bits, the physical part moves one millisecond ahead instead of wrapping.

Receiving a peer's timestamp merges it, so that a change made after reading a peer's
change is ordered after it, unless the peer's clock is further ahead of ours than the
tolerance: then the peer is flagged (its entries are still accepted and ordered by their
own timestamps) and our clock is not dragged into its future.
"""

from __future__ import annotations

from dataclasses import dataclass

COUNTER_BITS = 16
COUNTER_MAX = (1 << COUNTER_BITS) - 1
MAX_PHYSICAL_MS = (1 << (63 - COUNTER_BITS)) - 1  # stays a positive signed 64-bit integer
DEFAULT_TOLERANCE_MS = 5 * 60 * 1000  # a peer's clock this far ahead of ours is flagged


@dataclass(frozen=True, order=True)
class Timestamp:
    """One hybrid timestamp (ordered as its packed integer)."""

    physical_ms: int
    counter: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.physical_ms <= MAX_PHYSICAL_MS:
            raise ValueError(f"physical time out of range: {self.physical_ms}")
        if not 0 <= self.counter <= COUNTER_MAX:
            raise ValueError(f"counter out of range: {self.counter}")

    @property
    def packed(self) -> int:
        """The integer stored in the change log."""
        return (self.physical_ms << COUNTER_BITS) | self.counter

    @classmethod
    def unpack(cls, value: int) -> Timestamp:
        """The timestamp of a stored integer (``ValueError`` for a negative one)."""
        if value < 0:
            raise ValueError(f"a hybrid timestamp is never negative: {value}")
        return cls(value >> COUNTER_BITS, value & COUNTER_MAX)

    def after(self) -> Timestamp:
        """The smallest timestamp above this one."""
        if self.counter < COUNTER_MAX:
            return Timestamp(self.physical_ms, self.counter + 1)
        return Timestamp(self.physical_ms + 1, 0)


ZERO = Timestamp(0, 0)


def tick(last: Timestamp, wall_ms: int) -> Timestamp:
    """The timestamp of a local event: the wall clock when it is ahead, else just above
    the last one issued (the wall clock went back, or many events in one millisecond)."""
    return Timestamp(wall_ms) if wall_ms > last.physical_ms else last.after()


@dataclass(frozen=True)
class Received:
    """What merging a peer's timestamp gave: our new last timestamp, and whether the
    peer's clock was too far ahead to follow."""

    last: Timestamp
    peer_ahead_ms: int
    flagged: bool


def receive(last: Timestamp, remote: Timestamp, wall_ms: int,
            tolerance_ms: int = DEFAULT_TOLERANCE_MS) -> Received:
    """Merge a peer's timestamp into ours: afterwards every local event is ordered after
    what was received, unless the peer is more than ``tolerance_ms`` ahead of our wall
    clock (flagged, not followed)."""
    ahead = remote.physical_ms - wall_ms
    if ahead > tolerance_ms:
        return Received(last, ahead, True)
    highest = max(last, remote)
    merged = Timestamp(wall_ms) if wall_ms > highest.physical_ms else highest.after()
    return Received(merged, max(ahead, 0), False)
