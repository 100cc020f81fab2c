"""Lanes of work on the record, and what every executor does with one job.

An operation says which lane it runs on with a ``lane`` class attribute:
- ``WRITE`` (the default): the one writer thread, in order; the Changes of its writes
  are collected and broadcast once it is done;
- ``READ``: a small pool of reader threads on their own connections, so a heavy chart
  never waits behind a write and a write never waits behind it;
- ``JOB``: long work (demo build, backup, import) with progress, on its own thread;
- ``SESSION``: log in or out; runs on the writer when no other lane is busy.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from app.records.changes import NO_CHANGES, Changes
from app.records.services import Records

T = TypeVar("T")
Operation = Callable[["Backend"], T]
OnDone = Callable[[Any], None]
OnError = Callable[[BaseException], None]
AuditScheduler = Callable[[Callable[[], None]], None]
ProgressReporter = Callable[[int, int], None]


class Lane(enum.Enum):
    """Where an operation runs."""

    WRITE = "write"
    READ = "read"
    JOB = "job"
    SESSION = "session"


def lane_of(op: object) -> Lane:
    """The lane an operation asked for (writes when it says nothing: the safe default)."""
    lane = getattr(op, "lane", Lane.WRITE)
    return lane if isinstance(lane, Lane) else Lane.WRITE


class Backend:
    """What the workers share: the unlocked record, once someone logs in."""

    def __init__(self) -> None:
        self.records: Records | None = None
        self.schedule_audit: AuditScheduler | None = None
        self.report_progress: ProgressReporter | None = None

    def require(self) -> Records:
        """The unlocked record; calling an operation before login is a bug."""
        if self.records is None:
            raise RuntimeError("no record is open on this workstation yet")
        return self.records

    def attach(self, records: Records) -> None:
        """Make ``records`` the open record (its read audits go to the writer lane)."""
        self.close()
        records.defer_read_audits(self.schedule_audit)
        self.records = records

    def progress(self, done: int, total: int) -> None:
        """A long job reports how far it got (shown by the screen that started it)."""
        if self.report_progress is not None:
            self.report_progress(done, total)

    def close(self) -> None:
        """Forget the key and close the connections."""
        if self.records is not None:
            self.records.close()
            self.records = None


@dataclass
class Job:
    """One operation with its callbacks, and then its outcome."""

    op: Operation[Any]
    on_done: OnDone
    on_error: OnError
    initiator: object = None
    result: Any = None
    error: BaseException | None = None
    changes: Changes = NO_CHANGES


def execute(job: Job, backend: Backend) -> None:
    """Run one job, keeping its result or error and the Changes its writes committed."""
    records = backend.records
    try:
        if records is None:
            job.result = job.op(backend)
        else:
            with records.feed.collect() as collected:
                job.result = job.op(backend)
            job.changes = collected.changes
    except BaseException as exc:  # delivered to on_error, never lost
        job.error = exc


class Gate:
    """Shared for ordinary jobs, exclusive for session changes (a readers-writer lock)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._shared = 0
        self._exclusive = False

    @contextmanager
    def hold(self, *, exclusive: bool) -> Iterator[None]:
        """Hold the gate for one job."""
        with self._cond:
            if exclusive:
                self._cond.wait_for(lambda: not self._exclusive and self._shared == 0)
                self._exclusive = True
            else:
                self._cond.wait_for(lambda: not self._exclusive)
                self._shared += 1
        try:
            yield
        finally:
            with self._cond:
                if exclusive:
                    self._exclusive = False
                else:
                    self._shared -= 1
                self._cond.notify_all()
