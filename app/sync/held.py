"""This workstation's version vectors, held in memory by its node (ADR 0024)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import select

from app.records.storage.sqlerrors import translating_db_errors
from app.sync.log import STREAMS, Entry, Vector
from app.sync.replica import Replica


class HeldVectors:
    """This workstation's version vectors, held in memory by its node for every session.

    Read from the log, a vector is a scan of it (235 ms at a million entries); every
    round of every session read it on each side, and one visit relayed across five
    workstations took 3.7 s to reach the fourth (ADR 0024). Held here, a vector is read
    whole at start and at each anti-entropy round; in between it is walked up from the
    held value by an index seek (``seq > held``) after a batch applied and after a write
    made here, so it stays the highest contiguous sequence. It is never above the log,
    at worst below it until the next whole read (a peer then resends duplicates).
    Every method runs on the node's database thread but ``snapshot`` (any thread): each
    change builds new dicts, never edits the ones handed out.
    """

    def __init__(self, replica: Replica) -> None:
        self._replica = replica
        self._vectors: dict[str, Vector] | None = None
        self._origin = ""

    def snapshot(self) -> Mapping[str, Vector] | None:
        """The vectors held now, or None before the first read (any thread)."""
        return self._vectors

    def read(self) -> Mapping[str, Vector]:
        """The vectors of the logs held (read from the log the first time)."""
        if self._vectors is None:
            self.refresh()
        assert self._vectors is not None
        return self._vectors

    def refresh(self) -> None:
        """Read every vector from the log again (a scan of each log)."""
        self._origin = self._replica.origin()
        self._vectors = self._replica.vectors()

    def advance_own(self) -> None:
        """Follow the writes made here (by any process on this record)."""
        held = self.read()
        for stream in held:
            self.advance(stream, (self._origin,))

    def advance(self, stream: str, origins: Iterable[str]) -> None:
        """Follow ``origins`` of ``stream`` up to their highest contiguous sequence."""
        held = dict(self.read().get(stream, {}))
        table = STREAMS[stream].table
        with translating_db_errors(), self._replica.db.read_engine.connect() as conn:
            for origin in set(origins):
                top = start = held.get(origin, 0)
                for (seq,) in conn.execute(select(table.seq).where(
                        table.origin == origin, table.seq > start).order_by(table.seq)):
                    if seq != top + 1:
                        break  # a gap: what follows it waits for the missing entries
                    top = seq
                if top:
                    held[origin] = top
        self._vectors = {**self.read(), stream: held}

    def batch_for(self, stream: str, theirs: Mapping[str, int], limit: int,
                  ) -> tuple[list[Entry], dict[str, bytes]]:
        """What ``Replica.batch_for`` answers, bounded by the vector held, not one read
        from the log: up to ``limit`` entries the peer lacks, with their blobs."""
        return self._replica.batch_for(stream, theirs, limit,
                                       mine=self.read().get(stream, {}))

    def covers(self, announced: Mapping[str, Mapping[str, int]]) -> bool:
        """True when every sequence ``announced`` is already held (any thread)."""
        held = self._vectors
        if held is None:
            return False
        return all(held.get(stream, {}).get(origin, 0) >= seq
                   for stream, vector in announced.items() for origin, seq in vector.items())
