"""Operations: work on the record runs off the GUI thread, in lanes, and reports back by signal.

Anki's pattern (QueryOp/CollectionOp): a slot builds an operation, a callable taking
the worker-side :class:`Backend`, and hands it to the :class:`Executor` with a success
and an error callback. Each operation names its lane (see :mod:`app.ui.lanes`): one
writer thread owns writes, two reader threads serve reads on their own connections, a
job thread runs long work with progress. Callbacks run on the GUI thread and receive
plain dataclasses; after a write, one ``changed(changes, initiator)`` signal tells every
screen what changed, so each refreshes itself (the initiator may skip its own refresh).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from app.ui.lanes import Backend, Gate, Job, Lane, OnError, Operation, execute, lane_of
from app.ui.qt import QObject, Signal, SignalInstance, Slot

log = logging.getLogger(__name__)
T = TypeVar("T")
SLOW_CALLBACK_S = 0.1
READERS = 2

__all__ = ["Backend", "Executor", "Lane", "RunsOperations", "SyncExecutor"]


def _call_timed(callback: Callable[[Any], None], value: Any) -> None:
    """Run a GUI-thread callback, logging it when it blocks the event loop (habit 6)."""
    start = time.perf_counter()
    callback(value)
    elapsed = time.perf_counter() - start
    if elapsed > SLOW_CALLBACK_S:
        name = getattr(callback, "__qualname__", repr(callback))
        log.warning("GUI callback %s blocked for %.0f ms", name, elapsed * 1000)


class _Notifier(QObject):
    """The signals both executors emit on the GUI thread."""

    changed = Signal(object, object)  # (Changes, initiator or None)
    progress = Signal(int, int)  # (done, total) of the running long job

    def deliver(self, job: Job) -> None:
        if job.error is not None:
            _call_timed(job.on_error, job.error)
        else:
            _call_timed(job.on_done, job.result)
        if job.changes:
            self.changed.emit(job.changes, job.initiator)


class Executor(_Notifier):
    """Worker threads in lanes: one writer, a pool of readers, one long-job thread."""

    _finished = Signal(object)
    _progressed = Signal(int, int)

    def __init__(self, on_error: OnError, backend: Backend | None = None,
                 readers: int = READERS) -> None:
        super().__init__()
        self.backend = backend or Backend()
        self.backend.schedule_audit = self._schedule_audit
        self.backend.report_progress = self._progressed.emit
        self.report_error = on_error
        self._gate = Gate()
        # The receiver (self) lives on the GUI thread, so the workers' emits are queued.
        self._finished.connect(self._on_finished)
        self._progressed.connect(self.progress)
        self._queues: dict[Lane, queue.SimpleQueue[Job | None]] = {
            Lane.WRITE: queue.SimpleQueue(), Lane.READ: queue.SimpleQueue(),
            Lane.JOB: queue.SimpleQueue(),
        }
        workers = [(Lane.WRITE, "writer"), (Lane.JOB, "jobs")]
        workers += [(Lane.READ, f"reader-{n}") for n in range(readers)]
        self._threads = [
            threading.Thread(target=self._loop, args=(self._queues[lane],),
                             name=f"medirete-{name}", daemon=True)
            for lane, name in workers
        ]
        for thread in self._threads:
            thread.start()

    def run(self, op: Operation[T], on_done: Callable[[T], None],
            on_error: OnError | None = None, initiator: object = None) -> None:
        """Queue ``op`` on its lane; ``on_done(result)`` or ``on_error(exc)`` run on the GUI."""
        self._submit(Job(op, on_done, on_error or self.report_error, initiator))

    def _submit(self, job: Job) -> None:
        lane = lane_of(job.op)
        job.ticket = self._gate.ticket(session=lane is Lane.SESSION)
        # A session change (login, logout) runs on the writer, as a barrier (see Gate).
        self._queues[Lane.WRITE if lane is Lane.SESSION else lane].put(job)

    def _schedule_audit(self, write: Callable[[], None]) -> None:
        """Audit events of reads go to the writer lane; the read never waits for them."""
        self._submit(Job(lambda _backend: write(), _ignore, self._audit_failed))

    def _audit_failed(self, exc: BaseException) -> None:
        log.error("an audit event could not be written: %s", type(exc).__name__)
        self.report_error(exc)

    def shutdown(self, timeout: float = 10.0) -> None:
        """Close the record and stop the workers (queued work finishes first)."""
        if not any(thread.is_alive() for thread in self._threads):
            return
        self._submit(Job(_Close(), _ignore, self.report_error))
        for lane_queue in self._queues.values():
            for _worker in self._threads:
                lane_queue.put(None)
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
            if thread.is_alive():
                log.error("worker %s did not stop within %.0f s", thread.name, timeout)

    def _loop(self, jobs: queue.SimpleQueue[Job | None]) -> None:
        while (job := jobs.get()) is not None:
            session = lane_of(job.op) is Lane.SESSION
            with self._gate.hold(job.ticket, session=session):
                execute(job, self.backend)
            self._finished.emit(job)

    @Slot(object)
    def _on_finished(self, job: Job) -> None:
        self.deliver(job)


class _Close:
    """Forget the key and close the connections (the last job of a shutdown)."""

    lane = Lane.SESSION

    def __call__(self, backend: Backend) -> None:
        backend.close()


def _ignore(_result: object) -> None:
    return None


class SyncExecutor(_Notifier):
    """The same interface, run at once on the calling thread (tests, scripts)."""

    def __init__(self, on_error: OnError, backend: Backend | None = None) -> None:
        super().__init__()
        self.backend = backend or Backend()
        self.backend.report_progress = self.progress.emit
        self.report_error = on_error
        self.history: list[str] = []

    def run(self, op: Operation[T], on_done: Callable[[T], None],
            on_error: OnError | None = None, initiator: object = None) -> None:
        """Run ``op`` now and call back before returning."""
        self.history.append(type(op).__name__)
        job = Job(op, on_done, on_error or self.report_error, initiator)
        execute(job, self.backend)
        self.deliver(job)

    def shutdown(self, timeout: float = 10.0) -> None:  # noqa: ARG002 - same signature
        """Close the record."""
        self.backend.close()


class RunsOperations(Protocol):
    """What widgets need from an executor (the threaded one or the synchronous one)."""

    report_error: OnError

    @property
    def changed(self) -> SignalInstance: ...

    @property
    def progress(self) -> SignalInstance: ...

    def run(self, op: Operation[T], on_done: Callable[[T], None],
            on_error: OnError | None = None, initiator: object = None) -> None: ...

    def shutdown(self, timeout: float = 10.0) -> None: ...

