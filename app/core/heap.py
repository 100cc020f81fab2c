"""Garbage-collector settings for a long-running desktop process."""

from __future__ import annotations

import gc


def settle_after_startup() -> None:
    """Move start-up objects out of the collector's way.

    Imports leave hundreds of thousands of long-lived objects (Qt, SQLAlchemy). Without
    this, opening a large chart allocates enough to trigger full collections that scan
    all of them: measured as a 150 ms tail on a 65 ms chart load (docs/benchmarks.md).
    """
    gc.collect()
    gc.freeze()


def collect_due() -> int:
    """Collect the generations whose counts passed Python's thresholds (what automatic
    collection would have done by now); returns the objects found unreachable. Called
    from one chosen thread while automatic collection is off (``app.ui.collector``)."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    found = 0
    for generation in (2, 1, 0):  # the oldest due generation: collecting it takes the younger
        if counts[generation] > thresholds[generation]:
            found = gc.collect(generation)
            break
    return found
