"""Real child processes whose output a test reads with a deadline, never forever."""

from __future__ import annotations

import queue
import subprocess
import threading
import time
from typing import IO


class LineReader:
    """Drains a child's pipe on a daemon thread; the test takes lines with a deadline.

    A plain ``readline()`` blocks for as long as the child stays silent, and ``select()``
    on a buffered pipe misses lines already read into Python's buffer. A thread that
    owns the pipe has neither problem, and it keeps draining after the test stops
    looking, so the child never blocks on a full pipe.
    """

    def __init__(self, stream: IO[str], name: str = "pipe") -> None:
        self._lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        self._thread = threading.Thread(
            target=self._drain, args=(stream,), name=f"reader-{name}", daemon=True
        )
        self._thread.start()

    def _drain(self, stream: IO[str]) -> None:
        try:
            for line in stream:
                self._lines.put(line.rstrip("\n"))
        except (OSError, ValueError):  # the test closed the pipe: stop quietly
            pass
        finally:
            self._lines.put(None)

    def next_line(self, deadline: float) -> str | None:
        """The next line, None at end of output; TimeoutError once ``deadline`` passes."""
        try:
            line = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise TimeoutError("no output before the deadline") from None
        if line is not None:
            self.seen.append(line)
        return line

    def wait_for(self, text: str, deadline: float) -> bool:
        """Read until a line contains ``text`` (True) or the output ends (False)."""
        while (line := self.next_line(deadline)) is not None:
            if text in line:
                return True
        return False

    def join(self, timeout: float) -> None:
        """Wait a bounded time for the reader to reach the end of the output."""
        self._thread.join(timeout)


def stop(proc: subprocess.Popen[str], *, grace: float = 10.0) -> None:
    """Terminate ``proc``, killing it if it does not exit within ``grace`` seconds."""
    if proc.poll() is None:
        proc.terminate()
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=grace)  # SIGKILL cannot be ignored; bounded all the same
