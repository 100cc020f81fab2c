"""Time and identifiers: UTC timestamps and time-ordered UUIDv7 ids."""

from __future__ import annotations

import os
import threading
import time
import uuid
from datetime import UTC, datetime

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def utc_now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def uuid7(ms: int | None = None) -> uuid.UUID:
    """A UUIDv7 (RFC 9562): 48-bit ms timestamp, monotonic within a process."""
    global _last_ms, _counter
    with _lock:
        now = ms if ms is not None else time.time_ns() // 1_000_000
        if now <= _last_ms:
            now = _last_ms
            _counter += 1
            if _counter > 0xFFF:
                now += 1
                _counter = 0
        else:
            _counter = int.from_bytes(os.urandom(2), "big") & 0x3FF
        _last_ms = now
        counter = _counter
    rand = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (now & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= counter << 64
    value |= 0b10 << 62
    value |= rand
    return uuid.UUID(int=value)


def new_id() -> str:
    """A new entity id: the canonical string of a UUIDv7."""
    return str(uuid7())
