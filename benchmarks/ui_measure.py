"""The chart as the GP waits for it: from the request on the GUI thread to the result back.

The real ``Executor`` (writer, readers, job lanes) runs ``OpenChartSummary`` on a reader
thread; its audit event goes to the writer lane. Each load is timed on the GUI thread from
``executor.run`` to the ``on_done`` callback, so queueing, the thread hop both ways, the
summary and the signal delivery are all counted. Qt runs offscreen: no window is needed.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from benchmarks.measure import Series

TIMEOUT_MS = 60_000


def ui_chart_series(root: Path, username: str, password: str, patient_id: str,
                    loads: int, warmup: int = 2) -> Series:
    """Time ``loads`` chart opens through the UI's executor (after ``warmup`` untimed)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from app.ui.operations import Login, OpenChartSummary
    from app.ui.ops import Executor
    from app.ui.qt import QApplication, QEventLoop, QTimer

    app = QApplication.instance() or QApplication(["medirete-bench"])
    errors: list[BaseException] = []
    loop = QEventLoop()
    watchdog = QTimer()
    watchdog.setSingleShot(True)
    watchdog.timeout.connect(loop.quit)

    def wait() -> None:
        watchdog.start(TIMEOUT_MS)
        loop.exec()
        watchdog.stop()
        if errors:
            raise RuntimeError(f"the UI executor failed: {errors[0]!r}") from errors[0]

    def failed(exc: BaseException) -> None:
        errors.append(exc)
        loop.quit()

    executor = Executor(on_error=failed)
    series = Series()
    delivered: list[Any] = []

    def on_done(result: Any) -> None:
        delivered.append((time.perf_counter_ns(), time.thread_time_ns(), result))
        loop.quit()

    try:
        executor.run(Login(root, username, password), on_done)
        wait()
        for i in range(warmup + loads):
            delivered.clear()
            wall, cpu = time.perf_counter_ns(), time.thread_time_ns()
            executor.run(OpenChartSummary(patient_id), on_done)
            wait()
            if not delivered:
                raise RuntimeError("no chart within the time-out")
            done_wall, done_cpu, summary = delivered[0]
            if i >= warmup:
                series.samples_ms.append((done_wall - wall) / 1e6)
                series.cpu_ms.append((done_cpu - cpu) / 1e6)  # the GUI thread's share
                series.rows_returned.append(len(summary.problems) + len(summary.therapy))
    finally:
        executor.shutdown()
        app.processEvents()
    return series
