"""Shared fixtures of the integration tests: a private X server for the real program."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.sync_cluster import Center


@pytest.fixture
def display() -> Iterator[str]:
    """A private X server; its number chosen by Xvfb itself (-displayfd)."""
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1440x900x24", "-nolisten", "tcp"],
        pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as pipe:
            number = pipe.readline().strip()
        assert number, "Xvfb did not start"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Center]:
    """A sync test's workstations and processes, every process killed at the end."""
    center = Center(tmp_path)
    try:
        yield center
    finally:
        center.close()
