"""The cycle collector runs on the GUI thread only (``app.ui.collector``)."""

from __future__ import annotations

import gc
import threading
import weakref

from app.core.heap import collect_due
from app.ui.collector import MainThreadCollector


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def _cycle() -> weakref.ref[_Node]:
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    return weakref.ref(a)


def test_garbage_made_in_a_thread_is_collected_on_the_gui_thread(qtbot: object) -> None:
    collector = MainThreadCollector(interval_ms=20)
    try:
        assert not gc.isenabled()
        threads: list[str] = []
        gone = threading.Event()

        class Watched(_Node):
            def __del__(self) -> None:
                threads.append(threading.current_thread().name)
                gone.set()

        def churn() -> None:
            a, b = Watched(), _Node()
            a.other, b.other = b, a
            del a, b
            for _ in range(5 * gc.get_threshold()[0]):  # far past generation 0's threshold
                _cycle()

        worker = threading.Thread(target=churn, name="worker")
        worker.start()
        worker.join()
        assert threads == []  # nothing collected in the worker, though it was due
        qtbot.waitUntil(gone.is_set, timeout=5000)  # type: ignore[attr-defined]
        assert threads == [threading.main_thread().name]
    finally:
        collector.stop()
    assert gc.isenabled() is False  # the test fixture keeps it off until the test ends


def test_collect_due_collects_only_when_a_generation_is_due() -> None:
    gc.collect()
    ref = _cycle()
    assert collect_due() == 0 and ref() is not None  # generation 0 not yet full
    for _ in range(gc.get_threshold()[0] + 1):
        _Node()
        _cycle()
    collect_due()
    assert ref() is None
