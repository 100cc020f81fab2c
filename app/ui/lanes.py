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
    ticket: int = 0
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
    """Session changes (log in, log out) are barriers between the lanes.

    Every job takes a ticket when it is queued. An ordinary job starts only once every
    session change queued before it is done (a search queued after a login sees the new
    record); a session change starts only once every job queued before it is done (a
    read queued before a logout still finds the record open). Jobs between two session
    changes run side by side in their lanes.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._next = 0
        self._sessions: set[int] = set()
        self._ordinary: set[int] = set()

    def ticket(self, *, session: bool) -> int:
        """Queue a job: its place in the order of submission."""
        with self._cond:
            self._next += 1
            (self._sessions if session else self._ordinary).add(self._next)
            return self._next

    def _may_start(self, ticket: int, session: bool) -> bool:
        earlier_sessions = any(t < ticket for t in self._sessions)
        if not session:
            return not earlier_sessions
        return not earlier_sessions and not any(t < ticket for t in self._ordinary)

    @contextmanager
    def hold(self, ticket: int, *, session: bool) -> Iterator[None]:
        """Wait for the job's turn, run it, then let the jobs waiting on it go."""
        with self._cond:
            self._cond.wait_for(lambda: self._may_start(ticket, session))
        try:
            yield
        finally:
            with self._cond:
                (self._sessions if session else self._ordinary).discard(ticket)
                self._cond.notify_all()
