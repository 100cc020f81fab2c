"""The helpers that read real child processes never wait past their deadline."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from tests.integration.processes import LineReader, stop

SILENT_AFTER = (
    "import signal, sys, time\n"
    "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
    "sys.stdout.write('one\\ntwo\\n'); sys.stdout.flush()\n"
    "time.sleep(60)\n"
)


def test_a_silent_child_times_out_and_is_killed():
    proc = subprocess.Popen(
        [sys.executable, "-c", SILENT_AFTER], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    reader = LineReader(proc.stdout)
    try:
        deadline = time.monotonic() + 30
        # Both lines arrived in one write: neither is lost in a buffer.
        assert reader.next_line(deadline) == "one"
        assert reader.next_line(deadline) == "two"
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            reader.wait_for("three", time.monotonic() + 0.5)
        assert time.monotonic() - started < 5
    finally:
        started = time.monotonic()
        stop(proc, grace=0.5)  # SIGTERM is ignored: SIGKILL after the grace period
        assert time.monotonic() - started < 5
        reader.join(timeout=5)
        proc.stdout.close()
    if sys.platform != "win32":
        assert proc.returncode == -signal.SIGKILL
    assert reader.seen == ["one", "two"]


def test_the_end_of_output_is_none_not_a_wait():
    proc = subprocess.Popen([sys.executable, "-c", "print('bye')"], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None
    reader = LineReader(proc.stdout)
    try:
        assert not reader.wait_for("never", time.monotonic() + 30)
    finally:
        stop(proc)
        proc.stdout.close()
    assert reader.seen == ["bye"]
