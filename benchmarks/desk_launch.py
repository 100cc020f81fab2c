"""Launch to login window: the real program started as a process, timed to its log line.

``python -m app.ui.main --center DIR`` runs offscreen with its own data and settings
folders (a workstation of its own: no QSettings or log file of the person running the
benchmark is touched). The time is from just before the spawn to the moment the line
``window shown: LoginWindow`` arrives on its stderr; then the process is terminated.
The first start of a run has empty folders (no log folder, no settings yet); the warm
starts follow it with the same folders, as a second start on a workstation does.

Where the time goes: one more start under ``python -X importtime`` (all imports, what
importing each package costs, the slowest modules), and spawn-to-exit of a bare
interpreter, of the Qt import alone (``app.ui.qt``: only PySide6) and of that plus a
``QApplication``: what any PySide6 program pays, against what the program could cut.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import IO, Any

from benchmarks.measure import Series

REPO = Path(__file__).resolve().parent.parent
LOGIN_LINE = "window shown: LoginWindow"
START_TIMEOUT_S = 60.0
IMPORT_PREFIX = "import time:"


class _Lines:
    """A child's stderr drained on a thread, each line stamped when it arrived."""

    def __init__(self, stream: IO[str]) -> None:
        self.lines: queue.Queue[tuple[int, str] | None] = queue.Queue()
        self.seen: list[str] = []
        self._thread = threading.Thread(target=self._drain, args=(stream,), daemon=True,
                                        name="bench-launch-stderr")
        self._thread.start()

    def _drain(self, stream: IO[str]) -> None:
        try:
            for line in stream:
                self.lines.put((time.perf_counter_ns(), line.rstrip("\n")))
        except (OSError, ValueError):
            pass  # the pipe was closed under us: the child is gone
        finally:
            self.lines.put(None)

    def wait_for(self, text: str, timeout_s: float) -> int:
        """perf_counter_ns of the first line holding ``text``; RuntimeError otherwise."""
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                item = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise RuntimeError(f"no {text!r} within {timeout_s:.0f} s") from None
            if item is None:
                raise RuntimeError(f"the program ended before {text!r}:\n"
                                   + "\n".join(self.seen[-20:]))
            stamp, line = item
            self.seen.append(line)
            if text in line:
                return stamp

    def join(self) -> None:
        """Wait (bounded) for the drain to reach the end of the output."""
        self._thread.join(10)


def _stop(proc: subprocess.Popen[str]) -> None:
    """Terminate the child we started (by its own handle), killing it if it lingers."""
    if proc.poll() is None:
        proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def _environment(home: Path) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO),
               MEDIRETE_DATA_DIR=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"))
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    return env


def start_to_login(root: Path, home: Path, python_flags: tuple[str, ...] = ()) -> tuple[
        float, list[str]]:
    """One start of the real program: ms from spawn to the login line, and its stderr."""
    command = [sys.executable, *python_flags, "-m", "app.ui.main", "--center", str(root)]
    start = time.perf_counter_ns()
    proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, env=_environment(home),
                            cwd=REPO)
    assert proc.stderr is not None
    lines = _Lines(proc.stderr)
    try:
        shown = lines.wait_for(LOGIN_LINE, START_TIMEOUT_S)
    finally:
        _stop(proc)
        lines.join()
        proc.stderr.close()
    return (shown - start) / 1e6, lines.seen


def launch_series(root: Path, warm: int) -> dict[str, Any]:
    """The first start (fresh folders), then ``warm`` starts with the same folders."""
    with tempfile.TemporaryDirectory(prefix="medirete-desk-home-") as tmp:
        home = Path(tmp)
        first_ms, _seen = start_to_login(root, home)
        series = Series()
        for _ in range(warm):
            ms, _seen = start_to_login(root, home)
            series.samples_ms.append(ms)
            series.cpu_ms.append(0.0)  # the child's CPU is not the GUI thread's: not kept
            series.rows_returned.append(1)
    stats = series.stats()
    for key in ("cpu_p50_ms", "cpu_p95_ms", "mean_rows"):
        stats.pop(key)
    return {"first_start_ms": round(first_ms, 1), "warm": stats}


def _spawn_to_exit_ms(code: str, runs: int) -> float:
    """Median wall ms of ``python -c code``, spawn to exit."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    times = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=REPO,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        times.append((time.perf_counter_ns() - start) / 1e6)
    return round(sorted(times)[len(times) // 2], 1)


def parse_importtime(lines: list[str]) -> list[tuple[str, int, int, int]]:
    """``-X importtime`` lines as (module, depth, self us, cumulative us), in output order."""
    found = []
    for line in lines:
        if not line.startswith(IMPORT_PREFIX) or "self [us]" in line:
            continue
        try:
            own, cumulative, name = line[len(IMPORT_PREFIX):].split("|", 2)
            depth = (len(name) - len(name.lstrip(" ")) - 1) // 2
            found.append((name.strip(), depth, int(own), int(cumulative)))
        except ValueError:
            continue  # a line cut by the terminate: nothing to learn from it
    return found


def _with_parents(imports: list[tuple[str, int, int, int]]) -> list[tuple[str, str, int, int]]:
    """(module, importing module or '', self us, cumulative us) for each import line.

    The output is post-order (children first), so read backwards the parent of a line
    is the latest line one level up.
    """
    stack: list[str] = []
    found = []
    for name, depth, own, cumulative in reversed(imports):
        del stack[depth:]
        found.append((name, stack[-1] if stack else "", own, cumulative))
        stack.append(name)
    return found


def importtime_summary(imports: list[tuple[str, int, int, int]], top: int = 10) -> dict[str, Any]:
    """Total import time; per package what importing it costs; the slowest modules.

    A package's cost is the cumulative time of the imports that enter it from another
    package (so it includes what it pulls in: keyring's includes jaraco's).
    """
    by_package: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for name, parent, own, cumulative in _with_parents(imports):
        package = name.split(".", 1)[0]
        by_package[package][1] += own
        if parent.split(".", 1)[0] != package:
            by_package[package][0] += cumulative
    total = sum(cumulative for _n, depth, _o, cumulative in imports if depth == 0)
    packages = sorted(by_package.items(), key=lambda kv: kv[1][0], reverse=True)[:top]
    slowest = sorted(imports, key=lambda i: i[2], reverse=True)[:top]
    return {
        "total_ms": round(total / 1000, 1),
        "modules": len(imports),
        "top_packages": [{"package": p, "cumulative_ms": round(c / 1000, 1),
                          "self_ms": round(o / 1000, 1)} for p, (c, o) in packages],
        "top_self": [{"module": n, "self_ms": round(o / 1000, 1)}
                     for n, _d, o, _c in slowest],
    }


def launch_breakdown(root: Path, runs: int) -> dict[str, Any]:
    """Where a start's time goes: imports (by package), Qt alone, a bare interpreter."""
    with tempfile.TemporaryDirectory(prefix="medirete-desk-home-") as tmp:
        launch_ms, seen = start_to_login(root, Path(tmp), ("-X", "importtime"))
    return {
        "importtime_launch_ms": round(launch_ms, 1),  # inflated a little by the tracing
        "imports": importtime_summary(parse_importtime(seen)),
        # Spawn to exit, median of ``runs``: each step adds to the one before.
        "interpreter_ms": _spawn_to_exit_ms("pass", runs),
        "qt_import_ms": _spawn_to_exit_ms("import app.ui.qt", runs),
        "qt_application_ms": _spawn_to_exit_ms(
            "import app.ui.qt as q; q.QApplication([]).processEvents()", runs),
    }
