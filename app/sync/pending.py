"""What a connected peer holds, as far as this workstation knows: for the sync panel's
"to receive" and "to send" while the session is open.

Its hello says what it held when the session began; every ``changed`` it sends says up
to where it got since, and every batch sent to it counts as held once sent (raised,
never lowered); every pull it makes names its whole vector of that stream (set as
named: a batch it could not apply is lacked again). Against this workstation's held
vectors, that is how many entries each side still lacks of the other's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from app.sync.log import Vector, missing


def _vector(value: object) -> Vector:
    if not isinstance(value, dict):
        return {}
    return {str(k): v for k, v in value.items() if isinstance(k, str) and type(v) is int}


class PeerVectors:
    """A peer's vectors per stream; each change builds new dicts (read from any thread)."""

    def __init__(self, hello_vectors: object) -> None:
        told = hello_vectors if isinstance(hello_vectors, dict) else {}
        self._held: dict[str, Vector] = {str(s): _vector(v) for s, v in told.items()}

    def raise_to(self, stream: str, vector: Mapping[str, int]) -> None:
        """The peer announced it holds at least ``vector`` of ``stream``."""
        held = dict(self._held.get(stream, {}))
        for origin, seq in _vector(dict(vector)).items():
            held[origin] = max(seq, held.get(origin, 0))
        self._held = {**self._held, stream: held}

    def set(self, stream: str, vector: object) -> None:
        """The peer pulled ``stream`` naming ``vector``: what it holds now."""
        self._held = {**self._held, stream: _vector(vector)}

    def pending(self, mine: Mapping[str, Mapping[str, int]] | None,
                streams: Iterable[str]) -> tuple[int, int] | None:
        """(entries it holds that this one lacks, entries this one holds that it lacks)
        over ``streams``; None before this workstation's vectors are read."""
        if mine is None:
            return None
        theirs = self._held
        wanted = [s for s in streams if s in mine]
        return (sum(missing(mine[s], theirs.get(s, {})) for s in wanted),
                sum(missing(theirs.get(s, {}), mine[s]) for s in wanted))
