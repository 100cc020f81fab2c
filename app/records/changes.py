"""What a write changed (Anki's ``OpChanges``): kinds, patients and origin, nothing more.

Every service write returns its ``Changes`` to the feed of its ``Records``; whoever ran
the write (the UI's writer lane, a device, the sync) collects them and tells the screens,
which refresh themselves from that alone.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


class Origin(enum.StrEnum):
    """Where a change came from."""

    LOCAL = "local"  # a user of this workstation
    DEVICE = "device"  # a studio device, accepted into the record
    SYNC = "sync"  # a peer workstation


@dataclass(frozen=True)
class Changes:
    """Which kinds of data changed, for which patients, from where."""

    kinds: frozenset[str] = frozenset()
    patients: frozenset[str] = frozenset()
    origins: frozenset[Origin] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.kinds)

    def touches(self, kinds: Iterable[str], patient_id: str | None = None) -> bool:
        """True if any of ``kinds`` changed (for ``patient_id``, when one is given)."""
        if self.kinds.isdisjoint(kinds):
            return False
        return patient_id is None or patient_id in self.patients

    def merged(self, other: Changes) -> Changes:
        """Both sets of changes as one."""
        return Changes(
            self.kinds | other.kinds, self.patients | other.patients, self.origins | other.origins
        )


NO_CHANGES = Changes()


@dataclass
class _Collector:
    changes: Changes = field(default=NO_CHANGES)


class ChangeFeed:
    """Gathers the Changes of committed writes for whoever is collecting on that thread."""

    def __init__(self) -> None:
        self._local = threading.local()
        self._lock = threading.Lock()
        self._unclaimed = NO_CHANGES

    def publish(self, changes: Changes) -> None:
        """A write committed: add its changes to this thread's collector (or keep them)."""
        if not changes:
            return
        collector: _Collector | None = getattr(self._local, "collector", None)
        if collector is not None:
            collector.changes = collector.changes.merged(changes)
            return
        with self._lock:
            self._unclaimed = self._unclaimed.merged(changes)

    @contextmanager
    def collect(self) -> Iterator[_Collector]:
        """Collect what the writes made on this thread inside the block commit."""
        previous = getattr(self._local, "collector", None)
        collector = _Collector()
        self._local.collector = collector
        try:
            yield collector
        finally:
            self._local.collector = previous
            if previous is not None:
                previous.changes = previous.changes.merged(collector.changes)

    def drain_unclaimed(self) -> Changes:
        """Changes committed outside any collector (scripts), forgotten once returned."""
        with self._lock:
            changes, self._unclaimed = self._unclaimed, NO_CHANGES
        return changes
