"""Deterministic UUIDv7 ids drawn from a seeded random generator."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time

_MS_MASK = (1 << 48) - 1


def seeded_uuid7(rng: random.Random, ms: int) -> str:
    """A UUIDv7 string with timestamp ``ms`` whose random bits come from ``rng``."""
    value = (ms & _MS_MASK) << 80
    value |= 0x7 << 76
    value |= rng.getrandbits(12) << 64
    value |= 0b10 << 62
    value |= rng.getrandbits(62)
    text = f"{value:032x}"  # what str(uuid.UUID(int=value)) gives, several times faster
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


class IdClock:
    """Hands out ids in generation order: each id is one millisecond after the last."""

    def __init__(self, rng: random.Random, start_ms: int) -> None:
        self._rng = rng
        self._ms = start_ms

    @classmethod
    def starting_on(cls, rng: random.Random, day: date) -> IdClock:
        """A clock whose first id carries the timestamp of ``day`` at midnight UTC."""
        start = datetime.combine(day, time(0, 0), tzinfo=UTC)
        return cls(rng, int(start.timestamp() * 1000))

    def next_id(self) -> str:
        """The next id, strictly greater than every id handed out before."""
        self._ms += 1
        return seeded_uuid7(self._rng, self._ms)
