"""Operations: work on the record runs off the GUI thread and reports back by signal.

Anki's pattern (QueryOp/CollectionOp): a slot builds an operation, a callable taking
the worker-side :class:`Backend`, and hands it to the :class:`Executor` with a success
and an error callback. One worker thread owns the unlocked record, so SQLite and the
key are only ever touched from that thread; callbacks run on the GUI thread and receive
plain dataclasses. Reads could later get a second pool on the read engine (ADR 0003).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from app.records.services import Records
from app.ui.qt import QObject, Signal, Slot

log = logging.getLogger(__name__)
T = TypeVar("T")
SLOW_CALLBACK_S = 0.1


class Backend:
    """What lives on the worker thread: the unlocked record, once someone logs in."""

    def __init__(self) -> None:
        self.records: Records | None = None

    def require(self) -> Records:
        """The unlocked record; calling an operation before login is a bug."""
        if self.records is None:
            raise RuntimeError("no record is open on this workstation yet")
        return self.records

    def close(self) -> None:
        """Forget the key and close the connections."""
        if self.records is not None:
            self.records.close()
            self.records = None


Operation = Callable[[Backend], T]
OnDone = Callable[[Any], None]
OnError = Callable[[BaseException], None]


@dataclass
class _Job:
    op: Operation[Any]
    on_done: OnDone
    on_error: OnError
    result: Any = None
    error: BaseException | None = None
    started: float = field(default=0.0)


def _call_timed(callback: Callable[[Any], None], value: Any) -> None:
    """Run a GUI-thread callback, logging it when it blocks the event loop (habit 6)."""
    start = time.perf_counter()
    callback(value)
    elapsed = time.perf_counter() - start
    if elapsed > SLOW_CALLBACK_S:
        name = getattr(callback, "__qualname__", repr(callback))
        log.warning("GUI callback %s blocked for %.0f ms", name, elapsed * 1000)


def _deliver(job: _Job) -> None:
    if job.error is not None:
        _call_timed(job.on_error, job.error)
    else:
        _call_timed(job.on_done, job.result)


class Executor(QObject):
    """One worker thread that owns the record and runs operations in order."""

    _finished = Signal(object)

    def __init__(self, on_error: OnError, backend: Backend | None = None) -> None:
        super().__init__()
        self.backend = backend or Backend()
        self.report_error = on_error
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        # The receiver (self) lives on the GUI thread, so the worker's emit is queued.
        self._finished.connect(self._on_finished)
        self._thread = threading.Thread(target=self._loop, name="medirete-records", daemon=True)
        self._thread.start()

    def run(self, op: Operation[T], on_done: Callable[[T], None],
            on_error: OnError | None = None) -> None:
        """Queue ``op``; ``on_done(result)`` or ``on_error(exc)`` later runs on the GUI thread."""
        self._jobs.put(_Job(op, on_done, on_error or self.report_error))

    def shutdown(self, timeout: float = 10.0) -> None:
        """Close the record on the worker and stop it (queued work finishes first)."""
        if not self._thread.is_alive():
            return
        self._jobs.put(_Job(lambda backend: backend.close(), lambda _r: None, self.report_error))
        self._jobs.put(None)
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.error("the records worker did not stop within %.0f s", timeout)

    def _loop(self) -> None:
        while (job := self._jobs.get()) is not None:
            job.started = time.perf_counter()
            try:
                job.result = job.op(self.backend)
            except BaseException as exc:  # delivered to on_error, never lost
                job.error = exc
            self._finished.emit(job)

    @Slot(object)
    def _on_finished(self, job: _Job) -> None:
        _deliver(job)


class SyncExecutor:
    """The same interface, run at once on the calling thread (tests, scripts)."""

    def __init__(self, on_error: OnError, backend: Backend | None = None) -> None:
        self.backend = backend or Backend()
        self.report_error = on_error
        self.history: list[str] = []

    def run(self, op: Operation[T], on_done: Callable[[T], None],
            on_error: OnError | None = None) -> None:
        """Run ``op`` now and call back before returning."""
        self.history.append(type(op).__name__)
        job = _Job(op, on_done, on_error or self.report_error)
        try:
            job.result = op(self.backend)
        except Exception as exc:  # delivered to on_error, never lost
            job.error = exc
        _deliver(job)

    def shutdown(self, timeout: float = 10.0) -> None:  # noqa: ARG002 - same signature
        """Close the record."""
        self.backend.close()


class RunsOperations(Protocol):
    """What widgets need from an executor (the threaded one or the synchronous one)."""

    report_error: OnError

    def run(self, op: Operation[T], on_done: Callable[[T], None],
            on_error: OnError | None = None) -> None: ...

    def shutdown(self, timeout: float = 10.0) -> None: ...
