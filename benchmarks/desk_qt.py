"""What the in-process desk benchmarks share: the real threaded executor with a tap, a
bounded wait on the GUI event loop, and the log line that says a window is on screen.

Qt runs offscreen (a real raster backing store: every paint is drawn). Nothing here
changes what the program does: the tap only notes when each operation's callback ran
(and what it returned), the log handler only reads the lines the program writes.
"""

from __future__ import annotations

import logging
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from benchmarks.measure import Series

TIMEOUT_S = 60.0
WINDOW_SHOWN = "window shown: "


@dataclass(frozen=True)
class Delivery:
    """One operation's callback on the GUI thread: when it started and ended, its result."""

    op: str
    started_ns: int
    ended_ns: int
    result: Any
    failed: bool = False
    operation: Any = None  # the operation object itself (frozen dataclasses: re-runnable)


@dataclass(frozen=True)
class Paint:
    """One finished paint of the day view."""

    ended_ns: int
    day: Any
    blocks: int
    watched_start: int | None  # the watched appointment's start minute, if shown


class PaintProbe:
    """Wraps an agenda grid's paintEvent (on this instance only) to note each paint."""

    def __init__(self, view: Any, waiter: Waiter) -> None:
        self.view = view
        self.waiter = waiter
        self.paints: list[Paint] = []
        self.watched: str | None = None
        original = view.paintEvent

        def paint_event(event: Any) -> None:
            original(event)
            ended = time.perf_counter_ns()
            columns = view.columns
            start = None
            if self.watched is not None:
                start = next((b.start for b in view.blocks
                              if b.appointment.id == self.watched), None)
            self.paints.append(Paint(ended, columns[0].day if columns else None,
                                     len(view.blocks), start))
            waiter.poke()

        view.paintEvent = paint_event

    def first_since(self, since_ns: int, day: Any, watched_start: int | None = None,
                    booked: bool = True) -> Paint | None:
        """The first paint after ``since_ns`` showing ``day`` (booked, the watched start)."""
        for paint in self.paints:
            if paint.ended_ns < since_ns or (booked and paint.blocks == 0):
                continue
            if paint.day != day:
                continue
            if watched_start is not None and paint.watched_start != watched_start:
                continue
            return paint
        return None


class Waiter:
    """Runs the GUI event loop until a condition holds; events call ``poke``."""

    def __init__(self) -> None:
        from app.ui.qt import QEventLoop, QTimer

        self.loop = QEventLoop()
        self.watchdog = QTimer()
        self.watchdog.setSingleShot(True)
        self.watchdog.timeout.connect(self.loop.quit)
        self._condition: Callable[[], bool] | None = None
        self.errors: list[BaseException] = []

    def poke(self) -> None:
        """Something happened: stop waiting if the condition now holds."""
        if self._condition is not None and (self.errors or self._condition()):
            self.loop.quit()

    def fail(self, exc: BaseException) -> None:
        """An operation failed (the executor's error callback)."""
        self.errors.append(exc)
        self.loop.quit()

    def until(self, condition: Callable[[], bool], what: str,
              timeout_s: float = TIMEOUT_S) -> None:
        """Process events until ``condition()``; RuntimeError on a failure or time-out."""
        deadline = time.monotonic() + timeout_s
        self._condition = condition
        try:
            while not condition():
                if self.errors:
                    raise RuntimeError(f"{what}: {self.errors[0]!r}") from self.errors[0]
                left = deadline - time.monotonic()
                if left <= 0:
                    raise RuntimeError(f"{what}: nothing within {timeout_s:.0f} s")
                self.watchdog.start(max(1, int(left * 1000)))
                self.loop.exec()
                self.watchdog.stop()
        finally:
            self._condition = None


def tap_executor(waiter: Waiter) -> Any:
    """The real threaded ``Executor``, noting each callback's delivery (and outstanding ops)."""
    from app.ui.ops import Executor

    class TapExecutor(Executor):
        """Executor whose ``run`` wraps the callbacks to note when they ran."""

        def __init__(self) -> None:
            super().__init__(on_error=waiter.fail)
            self.deliveries: list[Delivery] = []
            self.outstanding = 0

        def run(self, op: Any, on_done: Callable[[Any], None],
                on_error: Callable[[BaseException], None] | None = None,
                initiator: object = None) -> None:
            name = type(op).__name__
            self.outstanding += 1
            operation = op

            def noted(callback: Callable[[Any], None], failed: bool) -> Callable[[Any], None]:
                def deliver(value: Any) -> None:
                    started = time.perf_counter_ns()
                    try:
                        callback(value)
                    finally:
                        self.outstanding -= 1
                        self.deliveries.append(
                            Delivery(name, started, time.perf_counter_ns(), value, failed,
                                     operation))
                        waiter.poke()
                return deliver

            super().run(op, noted(on_done, False),
                        noted(on_error or self.report_error, True), initiator)

        def after(self, op: str, since_ns: int) -> list[Delivery]:
            """Deliveries of ``op`` whose callback started at or after ``since_ns``."""
            return [d for d in self.deliveries if d.op == op and d.started_ns >= since_ns]

    return TapExecutor()


class WindowLog(logging.Handler):
    """Notes every ``window shown: <Class>`` line the program logs, with its time."""

    def __init__(self, waiter: Waiter) -> None:
        super().__init__(logging.INFO)
        self.waiter = waiter
        self.shown: list[tuple[int, str]] = []
        self._logger = logging.getLogger("app")
        self._level = self._logger.level

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith(WINDOW_SHOWN):
            self.shown.append((time.perf_counter_ns(), message[len(WINDOW_SHOWN):].strip()))
            self.waiter.poke()

    def shown_since(self, window: str, since_ns: int) -> int | None:
        """perf_counter_ns of the first ``window`` shown at or after ``since_ns``."""
        return next((t for t, name in self.shown if name == window and t >= since_ns), None)

    def __enter__(self) -> WindowLog:
        self._logger.addHandler(self)
        self._logger.setLevel(logging.INFO)  # the line is INFO; a script's default is WARNING
        return self

    def __exit__(self, *_exc: object) -> None:
        self._logger.removeHandler(self)
        self._logger.setLevel(self._level)


# Said by the offscreen platform plugin for every fixed-size window (the login): its
# own limitation, not the program's (the test suite ignores it too).
QUIET_QT_MESSAGES = ("This plugin does not support propagateSizeHints()",)


def _qt_message(_mode: Any, _context: Any, message: str) -> None:
    if message not in QUIET_QT_MESSAGES:
        print(f"Qt: {message}", file=sys.stderr, flush=True)


def application() -> Any:
    """The one QApplication of the process (offscreen unless the caller chose otherwise)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import qInstallMessageHandler  # TODO(lead): qt.py

    from app.ui.qt import QApplication

    qInstallMessageHandler(_qt_message)
    return QApplication.instance() or QApplication(["medirete-bench-desk"])


def series_of(samples_ms: list[float], cpu_ms: list[float] | None = None) -> dict[str, float]:
    """p50/p95/... of wall ms (and GUI-thread CPU ms when measured) as the run reports."""
    series = Series(list(samples_ms), list(cpu_ms or [0.0] * len(samples_ms)),
                    [1] * len(samples_ms))
    stats = series.stats()
    stats.pop("mean_rows")
    if cpu_ms is None:
        stats.pop("cpu_p50_ms")
        stats.pop("cpu_p95_ms")
    return stats


def median_parts(runs: list[dict[str, float]]) -> dict[str, float]:
    """The median of each part present in every run (ms)."""
    names = [name for name in runs[0] if all(name in r for r in runs)] if runs else []
    return {name: round(statistics.median(r[name] for r in runs), 2) for name in names}
