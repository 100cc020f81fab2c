"""Python's cycle collector, run on the GUI thread only.

The desktop runs threads besides the GUI's: the record's worker, the sync node's event
loop, the device listeners, the demo peer. Python's cycle collector runs in whichever
thread happens to allocate when a generation's threshold is crossed; if the garbage it
finds holds a Qt object (a closed dialog kept in a reference cycle by a connected
lambda), that object's C++ side is destroyed on the wrong thread, and Qt can crash the
whole program (seen once in CI: a segmentation fault while the sync thread was
"Garbage-collecting"). So automatic collection is switched off and the GUI thread
collects the generations that are due, from a timer: between events, never in the
middle of one (a chart load is not paused by a full collection either).
"""

from __future__ import annotations

import gc

from app.core.heap import collect_due
from app.ui.qt import QObject, QTimer

INTERVAL_MS = 1000


class MainThreadCollector(QObject):
    """Owns the collector while it lives: automatic collection off, a timer instead."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(collect_due)
        self._timer.start()

    def stop(self) -> None:
        """Collect once more and give the collector back to Python."""
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()
