"""Log when the GUI thread stalls: a timer that notices it fired late (STYLE.md habit 6)."""

from __future__ import annotations

import logging
import time

from app.ui.qt import QObject, QTimer

log = logging.getLogger(__name__)


class StallWatchdog(QObject):
    """Ticks every ``interval_ms``; a tick later than ``threshold_ms`` is a blocked loop."""

    def __init__(self, interval_ms: int = 50, threshold_ms: int = 100) -> None:
        super().__init__()
        self.interval_ms = interval_ms
        self.threshold_ms = threshold_ms
        self.stalls: list[float] = []
        self._last = time.perf_counter()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        """Begin watching."""
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        """Stop watching."""
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        late_ms = (now - self._last) * 1000 - self.interval_ms
        self._last = now
        if late_ms > self.threshold_ms:
            self.stalls.append(late_ms)
            log.warning("GUI thread blocked for about %.0f ms", late_ms)
